// The AVX2 micro-kernel: 6 rows × 8 columns of C in 12 ymm accumulators (of 16), leaving room for
// two B vectors and one broadcast of A. Compiled for AVX2+FMA by attribute only (see gemm_avx512.cc).
#include <immintrin.h>

#include "gemm_kernels.h"

namespace benchgate {
namespace {

#define BG_TARGET_AVX2 __attribute__((target("avx2,fma")))

BG_TARGET_AVX2 void kernel_6x8(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                               bool accumulate) {
  __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
  __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
  __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
  __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
  __m256d c40 = _mm256_setzero_pd(), c41 = _mm256_setzero_pd();
  __m256d c50 = _mm256_setzero_pd(), c51 = _mm256_setzero_pd();

  for (int r = 0; r < 6; r++) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);

#define BG_ROW(r)                               \
  {                                             \
    const __m256d ar = _mm256_set1_pd(a[r]);    \
    c##r##0 = _mm256_fmadd_pd(ar, b0, c##r##0); \
    c##r##1 = _mm256_fmadd_pd(ar, b1, c##r##1); \
  }

#pragma GCC unroll 4
  for (int64_t p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_load_pd(b);
    const __m256d b1 = _mm256_load_pd(b + 4);
    BG_ROW(0) BG_ROW(1) BG_ROW(2) BG_ROW(3) BG_ROW(4) BG_ROW(5)
    a += 6;
    b += 8;
  }
#undef BG_ROW

#define BG_STORE(r)                                                  \
  {                                                                  \
    double* cr = c + (r) * ldc;                                      \
    if (accumulate) {                                                \
      c##r##0 = _mm256_add_pd(c##r##0, _mm256_loadu_pd(cr));         \
      c##r##1 = _mm256_add_pd(c##r##1, _mm256_loadu_pd(cr + 4));     \
    }                                                                \
    _mm256_storeu_pd(cr, c##r##0);                                   \
    _mm256_storeu_pd(cr + 4, c##r##1);                               \
  }
  BG_STORE(0) BG_STORE(1) BG_STORE(2) BG_STORE(3) BG_STORE(4) BG_STORE(5)
#undef BG_STORE
}

}  // namespace

KernelShape avx2_kernel() { return {kernel_6x8, 6, 8, 256, 256, 1536}; }

}  // namespace benchgate
