// Roofline probes. The FMA probe keeps 16 independent accumulator chains per thread (enough to
// cover FMA latency × two FMA pipes) so it measures throughput, not latency; the triad probe uses
// arrays far larger than the last-level cache, initialised by the thread that later streams them.
#include "probe.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

namespace benchgate {
namespace {

// About 10 ms per repetition: short enough that a repetition often runs undisturbed on a shared machine.
constexpr int64_t kFmaIters = 5'000'000;

#define BG_CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

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
  BG_CHAINS(BG_DECL)
  const __m256d m = _mm256_set1_pd(0.999999999), d = _mm256_set1_pd(1e-9);
  for (int64_t k = 0; k < iters; k++) {
    BG_CHAINS(BG_STEP)
    __asm__ volatile("" ::: "memory");
  }
  __m256d s = _mm256_setzero_pd();
  BG_CHAINS(BG_SUM)
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
  BG_CHAINS(BG_DECL)
  const double m = 0.999999999, d = 1e-9;
  for (int64_t k = 0; k < iters; k++) {
    BG_CHAINS(BG_STEP)
    __asm__ volatile("" ::: "memory");
  }
  double s = 0;
  BG_CHAINS(BG_SUM)
  return s;
}

template <class Fn>
double best_seconds(int threads, int reps, Fn&& per_thread) {
  double best = 1e300;
  for (int r = 0; r < reps; r++) {
    std::vector<std::thread> pool;
    const auto t0 = std::chrono::steady_clock::now();
    for (int t = 1; t < threads; t++) pool.emplace_back(per_thread, t);
    per_thread(0);
    for (auto& th : pool) th.join();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

volatile double g_sink;

}  // namespace

double fma_peak_gflops(SimdLevel level, int threads, int reps) {
  threads = std::max(1, threads);
  const int lanes = level == SimdLevel::Avx512 ? 8 : level == SimdLevel::Avx2 ? 4 : 1;
  const int64_t iters = kFmaIters * 8 / lanes / (level == SimdLevel::Scalar ? 4 : 1);
  const double secs = best_seconds(threads, reps, [&](int) {
    g_sink = level == SimdLevel::Avx512 ? fma_avx512(iters) : level == SimdLevel::Avx2 ? fma_avx2(iters) : fma_scalar(iters);
  });
  return 2.0 * 16 * lanes * static_cast<double>(iters) * threads / secs / 1e9;
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

double triad_gbps(SimdLevel level, int threads, int64_t elements, int reps) {
  threads = std::max(1, threads);
  const size_t bytes = static_cast<size_t>((elements * 8 + 63) / 64 * 64);
  double* a = static_cast<double*>(std::aligned_alloc(64, bytes));
  double* b = static_cast<double*>(std::aligned_alloc(64, bytes));
  double* c = static_cast<double*>(std::aligned_alloc(64, bytes));
  if (a == nullptr || b == nullptr || c == nullptr) {
    std::free(a), std::free(b), std::free(c);
    return 0;
  }
  auto range = [&](int t, int64_t* from, int64_t* to) {
    *from = elements * t / threads;
    *to = elements * (t + 1) / threads;
  };
  best_seconds(threads, 1, [&](int t) {
    int64_t f, e;
    range(t, &f, &e);
    for (int64_t i = f; i < e; i++) a[i] = 0, b[i] = 1.0, c[i] = 2.0;
  });
  auto kernel = level == SimdLevel::Avx512 ? triad_avx512 : level == SimdLevel::Avx2 ? triad_avx2 : triad_scalar;
  const double secs = best_seconds(threads, reps, [&](int t) {
    int64_t f, e;
    range(t, &f, &e);
    kernel(a, b, c, 3.0, f, e);
  });
  g_sink = a[elements / 2];
  std::free(a), std::free(b), std::free(c);
  return 24.0 * static_cast<double>(elements) / secs / 1e9;
}

}  // namespace benchgate
