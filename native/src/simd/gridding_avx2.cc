// Gridding at AVX2: cell indices of 4 points per vector (floor by roundpd, bounds by compares and
// a blend to −1), then the run-merging update.
#include <immintrin.h>

#include "gridding.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace benchgate {
namespace grid_avx2 {

struct Lanes {
  static constexpr int W = 4;
  struct Acc {
    __m256d sum, min, max;
  };
  static inline void start(Acc& a, const double* v) { a.sum = a.min = a.max = _mm256_loadu_pd(v); }
  static inline void accumulate(Acc& a, const double* v) {
    const __m256d x = _mm256_loadu_pd(v);
    a.sum = _mm256_add_pd(a.sum, x);
    a.min = _mm256_min_pd(x, a.min);
    a.max = _mm256_max_pd(x, a.max);
  }
  static inline void reduce(const Acc& a, double* sum, double* min, double* max) {
    alignas(32) double s[4], lo[4], hi[4];
    _mm256_store_pd(s, a.sum);
    _mm256_store_pd(lo, a.min);
    _mm256_store_pd(hi, a.max);
    *sum = (s[0] + s[1]) + (s[2] + s[3]);
    *min = lo[0];
    *max = hi[0];
    for (int l = 1; l < 4; l++) {
      *min = lo[l] < *min ? lo[l] : *min;
      *max = hi[l] > *max ? hi[l] : *max;
    }
  }
  static inline bool cells(const double* x, const double* y, const GridGeometry& g, int32_t* out) {
    const __m256d fx = _mm256_floor_pd(_mm256_mul_pd(_mm256_sub_pd(_mm256_loadu_pd(x), _mm256_set1_pd(g.x0)), _mm256_set1_pd(g.inv_cell)));
    const __m256d fy = _mm256_floor_pd(_mm256_mul_pd(_mm256_sub_pd(_mm256_loadu_pd(y), _mm256_set1_pd(g.y0)), _mm256_set1_pd(g.inv_cell)));
    const __m256d zero = _mm256_setzero_pd();
    __m256d in = _mm256_and_pd(_mm256_cmp_pd(fx, zero, _CMP_GE_OQ), _mm256_cmp_pd(fx, _mm256_set1_pd(static_cast<double>(g.nx)), _CMP_LT_OQ));
    in = _mm256_and_pd(in, _mm256_cmp_pd(fy, zero, _CMP_GE_OQ));
    in = _mm256_and_pd(in, _mm256_cmp_pd(fy, _mm256_set1_pd(static_cast<double>(g.ny)), _CMP_LT_OQ));
    const __m256d cell = _mm256_blendv_pd(_mm256_set1_pd(-1.0), _mm256_add_pd(_mm256_mul_pd(fy, _mm256_set1_pd(static_cast<double>(g.nx))), fx), in);
    const __m128i idx = _mm256_cvttpd_epi32(cell);
    _mm_store_si128(reinterpret_cast<__m128i*>(out), idx);
    return _mm256_movemask_pd(in) == 0xF && _mm_movemask_epi8(_mm_cmpeq_epi32(idx, _mm_set1_epi32(_mm_cvtsi128_si32(idx)))) == 0xFFFF;
  }
};

#include "gridding_body.inc"

}  // namespace grid_avx2

void grid_segment_avx2(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc) {
  grid_avx2::segment(x, y, v, n, g, acc);
}

}  // namespace benchgate

#pragma GCC pop_options
