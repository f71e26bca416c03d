// The AVX-512 micro-kernel: 8 rows × 24 columns of C held in 24 zmm accumulators (of 32), so each
// k step issues 24 FMAs against 3 vector loads of B and 8 broadcasts of A. Only this function is
// compiled for AVX-512 (target attribute, not -march), so the library still runs on older CPUs;
// it must not call inline functions shared with other files, which the linker could pick up.
#include <immintrin.h>

#include "gemm_kernels.h"

namespace benchgate {
namespace {

#define BG_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,fma")))

BG_TARGET_AVX512 void kernel_8x24(int64_t kc, const double* a, const double* b, double* c, int64_t ldc,
                                  bool accumulate) {
  __m512d c00 = _mm512_setzero_pd(), c01 = _mm512_setzero_pd(), c02 = _mm512_setzero_pd();
  __m512d c10 = _mm512_setzero_pd(), c11 = _mm512_setzero_pd(), c12 = _mm512_setzero_pd();
  __m512d c20 = _mm512_setzero_pd(), c21 = _mm512_setzero_pd(), c22 = _mm512_setzero_pd();
  __m512d c30 = _mm512_setzero_pd(), c31 = _mm512_setzero_pd(), c32 = _mm512_setzero_pd();
  __m512d c40 = _mm512_setzero_pd(), c41 = _mm512_setzero_pd(), c42 = _mm512_setzero_pd();
  __m512d c50 = _mm512_setzero_pd(), c51 = _mm512_setzero_pd(), c52 = _mm512_setzero_pd();
  __m512d c60 = _mm512_setzero_pd(), c61 = _mm512_setzero_pd(), c62 = _mm512_setzero_pd();
  __m512d c70 = _mm512_setzero_pd(), c71 = _mm512_setzero_pd(), c72 = _mm512_setzero_pd();

  // The C tile is touched once, at the end; asking for it now hides its miss behind the loop.
  for (int r = 0; r < 8; r++) {
    const char* row = reinterpret_cast<const char*>(c + r * ldc);
    _mm_prefetch(row, _MM_HINT_T0);
    _mm_prefetch(row + 64, _MM_HINT_T0);
    _mm_prefetch(row + 128, _MM_HINT_T0);
    _mm_prefetch(row + 191, _MM_HINT_T0);
  }

#define BG_ROW(r)                                 \
  {                                               \
    const __m512d ar = _mm512_set1_pd(a[r]);      \
    c##r##0 = _mm512_fmadd_pd(ar, b0, c##r##0);   \
    c##r##1 = _mm512_fmadd_pd(ar, b1, c##r##1);   \
    c##r##2 = _mm512_fmadd_pd(ar, b2, c##r##2);   \
  }

#pragma GCC unroll 4
  for (int64_t p = 0; p < kc; p++) {
    // The next B panels stream from L2; fetching a few steps ahead keeps the loads off the
    // critical path.
    _mm_prefetch(reinterpret_cast<const char*>(b + 24 * 8), _MM_HINT_T0);
    const __m512d b0 = _mm512_load_pd(b);
    const __m512d b1 = _mm512_load_pd(b + 8);
    const __m512d b2 = _mm512_load_pd(b + 16);
    BG_ROW(0) BG_ROW(1) BG_ROW(2) BG_ROW(3) BG_ROW(4) BG_ROW(5) BG_ROW(6) BG_ROW(7)
    a += 8;
    b += 24;
  }
#undef BG_ROW

#define BG_STORE(r)                                                                      \
  {                                                                                      \
    double* cr = c + (r) * ldc;                                                          \
    if (accumulate) {                                                                    \
      c##r##0 = _mm512_add_pd(c##r##0, _mm512_loadu_pd(cr));                             \
      c##r##1 = _mm512_add_pd(c##r##1, _mm512_loadu_pd(cr + 8));                         \
      c##r##2 = _mm512_add_pd(c##r##2, _mm512_loadu_pd(cr + 16));                        \
    }                                                                                    \
    _mm512_storeu_pd(cr, c##r##0);                                                       \
    _mm512_storeu_pd(cr + 8, c##r##1);                                                   \
    _mm512_storeu_pd(cr + 16, c##r##2);                                                  \
  }
  BG_STORE(0) BG_STORE(1) BG_STORE(2) BG_STORE(3) BG_STORE(4) BG_STORE(5) BG_STORE(6) BG_STORE(7)
#undef BG_STORE
}

}  // namespace

KernelShape avx512_kernel() { return {kernel_8x24, 8, 24, 256, 240, 1536}; }

}  // namespace benchgate
