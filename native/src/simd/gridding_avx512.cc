// Gridding at AVX-512: cell indices of 8 points per vector (floor by roundscale, bounds by mask
// compares), then the run-merging update. Only this file's code is compiled for AVX-512.
#include <immintrin.h>

#include "gridding.h"

#pragma GCC push_options
// GCC 12 warns that roundscale's unused pass-through operand "may be used uninitialized".
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC target("avx512f,avx512dq,avx512vl,fma")

namespace benchgate {
namespace grid_avx512 {

struct Lanes {
  static constexpr int W = 8;
  struct Acc {
    __m512d sum, min, max;
  };
  static inline void start(Acc& a, const double* v) { a.sum = a.min = a.max = _mm512_loadu_pd(v); }
  static inline void accumulate(Acc& a, const double* v) {
    const __m512d x = _mm512_loadu_pd(v);
    a.sum = _mm512_add_pd(a.sum, x);
    a.min = _mm512_min_pd(x, a.min);
    a.max = _mm512_max_pd(x, a.max);
  }
  static inline void reduce(const Acc& a, double* sum, double* min, double* max) {
    *sum = _mm512_reduce_add_pd(a.sum);
    *min = _mm512_reduce_min_pd(a.min);
    *max = _mm512_reduce_max_pd(a.max);
  }
  static inline bool cells(const double* x, const double* y, const GridGeometry& g, int32_t* out) {
    const __m512d fx = _mm512_roundscale_pd(_mm512_mul_pd(_mm512_sub_pd(_mm512_loadu_pd(x), _mm512_set1_pd(g.x0)), _mm512_set1_pd(g.inv_cell)),
                                            _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512d fy = _mm512_roundscale_pd(_mm512_mul_pd(_mm512_sub_pd(_mm512_loadu_pd(y), _mm512_set1_pd(g.y0)), _mm512_set1_pd(g.inv_cell)),
                                            _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512d zero = _mm512_setzero_pd();
    __mmask8 in = _mm512_cmp_pd_mask(fx, zero, _CMP_GE_OQ);
    in = _mm512_mask_cmp_pd_mask(in, fx, _mm512_set1_pd(static_cast<double>(g.nx)), _CMP_LT_OQ);
    in = _mm512_mask_cmp_pd_mask(in, fy, zero, _CMP_GE_OQ);
    in = _mm512_mask_cmp_pd_mask(in, fy, _mm512_set1_pd(static_cast<double>(g.ny)), _CMP_LT_OQ);
    // fy·nx + fx is an exact integer in FP64 (cells < 2^31); no FMA needed for exactness.
    const __m512d cell = _mm512_add_pd(_mm512_mul_pd(fy, _mm512_set1_pd(static_cast<double>(g.nx))), fx);
    const __m256i idx = _mm512_mask_cvttpd_epi32(_mm256_set1_epi32(-1), in, cell);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out), idx);
    return in == 0xFF && _mm256_cmpeq_epi32_mask(idx, _mm256_set1_epi32(_mm256_cvtsi256_si32(idx))) == 0xFF;
  }
};

#include "gridding_body.inc"

}  // namespace grid_avx512

void grid_segment_avx512(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc) {
  grid_avx512::segment(x, y, v, n, g, acc);
}

}  // namespace benchgate

#pragma GCC pop_options
