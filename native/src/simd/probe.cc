// Roofline probes, one pass each, timed by the caller beside the kernels they bound. The FMA pass
// keeps independent accumulator chains in registers (at least FMA latency × two FMA pipes of them)
// so it measures throughput, not latency: 16 with AVX-512's 32 registers, 12 with AVX2's or SSE's
// 16, where 16 chains plus the two constants would spill chains to the stack and time store
// forwarding instead. The triad pass streams arrays the caller allocates far larger than the
// last-level cache.
#include "probe.h"

#include <immintrin.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace benchgate {
namespace {

// About 10 ms per pass at AVX-512 on one core: long enough that starting the threads costs under 1%,
// short enough to alternate with a kernel's blocks of calls.
constexpr int64_t kFmaIters = 5'000'000;

#define BG_CHAINS12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define BG_CHAINS(X) BG_CHAINS12(X) X(12) X(13) X(14) X(15)
constexpr int kChainsAvx512 = 16;
constexpr int kChainsNarrow = 12;

__attribute__((target("avx512f,fma"))) double fma_avx512(int64_t iters) {
#define BG_DECL(i) __m512d c##i = _mm512_set1_pd(1.0 + (i) * 1e-3);
#define BG_STEP(i) c##i = _mm512_fmadd_pd(c##i, m, d);
#define BG_SUM(i) s = _mm512_add_pd(s, c##i);
  BG_CHAINS(BG_DECL)
  const __m512d m = _mm512_set1_pd(0.999999999), d = _mm512_set1_pd(1e-9);
  for (int64_t k = 0; k < iters; k++) {
    BG_CHAINS(BG_STEP)
    __asm__ volatile("" ::: "memory");
  }
  __m512d s = _mm512_setzero_pd();
  BG_CHAINS(BG_SUM)
  return _mm512_reduce_add_pd(s);
}

__attribute__((target("avx2,fma"))) double fma_avx2(int64_t iters) {
#undef BG_DECL
#undef BG_STEP
#undef BG_SUM
#define BG_DECL(i) __m256d c##i = _mm256_set1_pd(1.0 + (i) * 1e-3);
#define BG_STEP(i) c##i = _mm256_fmadd_pd(c##i, m, d);
#define BG_SUM(i) s = _mm256_add_pd(s, c##i);
  BG_CHAINS12(BG_DECL)
  const __m256d m = _mm256_set1_pd(0.999999999), d = _mm256_set1_pd(1e-9);
  for (int64_t k = 0; k < iters; k++) {
    BG_CHAINS12(BG_STEP)
    __asm__ volatile("" ::: "memory");
  }
  __m256d s = _mm256_setzero_pd();
  BG_CHAINS12(BG_SUM)
  alignas(32) double out[4];
  _mm256_store_pd(out, s);
  return out[0] + out[1] + out[2] + out[3];
}

double fma_scalar(int64_t iters) {
#undef BG_DECL
#undef BG_STEP
#undef BG_SUM
#define BG_DECL(i) double c##i = 1.0 + (i) * 1e-3;
#define BG_STEP(i) c##i = c##i * m + d;
#define BG_SUM(i) s += c##i;
  BG_CHAINS12(BG_DECL)
  const double m = 0.999999999, d = 1e-9;
  for (int64_t k = 0; k < iters; k++) {
    BG_CHAINS12(BG_STEP)
    __asm__ volatile("" ::: "memory");
  }
  double s = 0;
  BG_CHAINS12(BG_SUM)
  return s;
}

// Runs per_thread(t) for t = 0 … threads−1, the calling thread taking t = 0.
template <class Fn>
void on_threads(int threads, Fn&& per_thread) {
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t++) pool.emplace_back(per_thread, t);
  per_thread(0);
  for (auto& th : pool) th.join();
}

volatile double g_sink;

}  // namespace

double fma_pass(SimdLevel level, int threads) {
  threads = std::max(1, threads);
  const int lanes = level == SimdLevel::Avx512 ? 8 : level == SimdLevel::Avx2 ? 4 : 1;
  const int chains = level == SimdLevel::Avx512 ? kChainsAvx512 : kChainsNarrow;
  const int64_t iters = kFmaIters * 8 / lanes / (level == SimdLevel::Scalar ? 4 : 1);
  std::vector<double> sums(static_cast<size_t>(threads));
  on_threads(threads, [&](int t) {
    sums[static_cast<size_t>(t)] =
        level == SimdLevel::Avx512 ? fma_avx512(iters) : level == SimdLevel::Avx2 ? fma_avx2(iters) : fma_scalar(iters);
  });
  for (double x : sums) g_sink = g_sink + x;
  return 2.0 * chains * lanes * static_cast<double>(iters) * threads;
}

namespace {

__attribute__((target("avx512f"))) void triad_avx512(double* a, const double* b, const double* c, double s, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; i++) a[i] = b[i] + s * c[i];
}
__attribute__((target("avx2,fma"))) void triad_avx2(double* a, const double* b, const double* c, double s, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; i++) a[i] = b[i] + s * c[i];
}
void triad_scalar(double* a, const double* b, const double* c, double s, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; i++) a[i] = b[i] + s * c[i];
}

}  // namespace

double triad_pass(SimdLevel level, int threads, double* a, const double* b, const double* c, double s, int64_t elements) {
  threads = std::max(1, threads);
  auto kernel = level == SimdLevel::Avx512 ? triad_avx512 : level == SimdLevel::Avx2 ? triad_avx2 : triad_scalar;
  on_threads(threads, [&](int t) { kernel(a, b, c, s, elements * t / threads, elements * (t + 1) / threads); });
  return 24.0 * static_cast<double>(elements);
}

}  // namespace benchgate
