// Dense FP64 matrix products C = A·B (row-major). Plain C++: no Node includes.
#pragma once

#include <cstdint>

#include "cpu.h"

namespace benchgate {

// Shapes: A is m×k with row stride lda, B is k×n (ldb), C is m×n (ldc); C is overwritten.
struct GemmArgs {
  int64_t m, n, k;
  const double* a;
  int64_t lda;
  const double* b;
  int64_t ldb;
  double* c;
  int64_t ldc;
};

// The ladder's "native, no SIMD" rung: cache-blocked ikj loops, compiled for the baseline ISA.
void gemm_blocked_scalar(const GemmArgs& g);

// Packed panels and a register-blocked micro-kernel for `level` (AVX-512, AVX2+FMA or a portable
// fallback), on the calling thread.
void gemm_packed(SimdLevel level, const GemmArgs& g);

// gemm_packed split over `threads` std::threads by column ranges of C (each thread packs its own
// panels, so they share nothing but the read-only inputs). threads <= 0 means hardware concurrency.
void gemm_packed_parallel(SimdLevel level, int threads, const GemmArgs& g);

// The thread count used for `threads` <= 0.
int default_thread_count();

}  // namespace benchgate
