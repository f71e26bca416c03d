// Independent accumulator chains, so the loop is bound by FMA throughput rather than latency:
// 16 chains cover a 4-cycle latency on 2 pipes with room to spare. Each level's loop is compiled
// for its ISA by target attribute, like the GEMM micro-kernels.
#include "fma_peak.h"

#include <immintrin.h>

#include <chrono>
#include <thread>
#include <vector>

#include "gemm.h"

namespace benchgate {
namespace {

// The sum is returned so the compiler cannot drop the chains.
__attribute__((target("avx512f,avx512dq,avx512vl,fma"))) double chains_avx512(int64_t iterations) {
  __m512d acc[16];
  for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_pd(1.0 + i * 1e-3);
  const __m512d x = _mm512_set1_pd(0.9999999), y = _mm512_set1_pd(1e-7);
  for (int64_t it = 0; it < iterations; it++) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++) acc[i] = _mm512_fmadd_pd(acc[i], x, y);
  }
  __m512d s = acc[0];
  for (int i = 1; i < 16; i++) s = _mm512_add_pd(s, acc[i]);
  return _mm512_reduce_add_pd(s);
}

__attribute__((target("avx2,fma"))) double chains_avx2(int64_t iterations) {
  __m256d acc[12];
  for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_pd(1.0 + i * 1e-3);
  const __m256d x = _mm256_set1_pd(0.9999999), y = _mm256_set1_pd(1e-7);
  for (int64_t it = 0; it < iterations; it++) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_pd(acc[i], x, y);
  }
  __m256d s = acc[0];
  for (int i = 1; i < 12; i++) s = _mm256_add_pd(s, acc[i]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, s);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// Baseline ISA: multiply and add separately (no FMA instruction), two flops per step.
double chains_scalar(int64_t iterations) {
  double acc[8];
  for (int i = 0; i < 8; i++) acc[i] = 1.0 + i * 1e-3;
  for (int64_t it = 0; it < iterations; it++) {
    for (int i = 0; i < 8; i++) acc[i] = acc[i] * 0.9999999 + 1e-7;
  }
  double s = 0;
  for (int i = 0; i < 8; i++) s += acc[i];
  return s;
}

volatile double sink;  // keeps every thread's result observable

}  // namespace

FmaPeak fma_peak(SimdLevel level, int threads, int64_t iterations) {
  if (threads <= 0) threads = default_thread_count();
  double flops_per_iteration = 0;
  double (*run)(int64_t) = nullptr;
  switch (level) {
    case SimdLevel::Avx512: run = chains_avx512; flops_per_iteration = 16 * 8 * 2; break;
    case SimdLevel::Avx2: run = chains_avx2; flops_per_iteration = 12 * 4 * 2; break;
    case SimdLevel::Scalar: run = chains_scalar; flops_per_iteration = 8 * 2; break;
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; t++) workers.emplace_back([run, iterations] { sink = run(iterations); });
  sink = run(iterations);
  for (auto& w : workers) w.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {flops_per_iteration * static_cast<double>(iterations) * threads, seconds};
}

}  // namespace benchgate
