// Select at AVX-512: 16 points per step, six mask compares, the passing indices compressed in a
// register (vpcompressd) and stored with one unaligned store. Compressing to memory
// (_mm512_mask_compressstoreu_epi32) is microcoded and slow on AMD Zen 4/5, so the full-width store
// is used while 16 slots of room remain, and the masked compress-store only at the very end.
#include <immintrin.h>

#include "select.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw,fma,popcnt")

namespace benchgate {
namespace {

inline __mmask8 inside8(const double* x, const double* y, const double* v, const SelectBox& q) {
  const __m512d X = _mm512_loadu_pd(x), Y = _mm512_loadu_pd(y), V = _mm512_loadu_pd(v);
  __mmask8 m = _mm512_cmp_pd_mask(X, _mm512_set1_pd(q.x_min), _CMP_GE_OQ);
  m = _mm512_mask_cmp_pd_mask(m, X, _mm512_set1_pd(q.x_max), _CMP_LT_OQ);
  m = _mm512_mask_cmp_pd_mask(m, Y, _mm512_set1_pd(q.y_min), _CMP_GE_OQ);
  m = _mm512_mask_cmp_pd_mask(m, Y, _mm512_set1_pd(q.y_max), _CMP_LT_OQ);
  m = _mm512_mask_cmp_pd_mask(m, V, _mm512_set1_pd(q.v_min), _CMP_GE_OQ);
  return _mm512_mask_cmp_pd_mask(m, V, _mm512_set1_pd(q.v_max), _CMP_LT_OQ);
}

}  // namespace

int64_t select_segment_avx512(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                              const SelectBox& q, uint32_t* out, int64_t room) {
  int64_t k = 0;
  int64_t i = 0;
  const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (; i + 16 <= n; i += 16) {
    const __mmask16 m = static_cast<__mmask16>(inside8(x + i, y + i, v + i, q) | (inside8(x + i + 8, y + i + 8, v + i + 8, q) << 8));
    const __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(base + i)), iota);
    if (k + 16 <= room) {
      _mm512_storeu_si512(out + k, _mm512_maskz_compress_epi32(m, idx));
    } else {
      _mm512_mask_compressstoreu_epi32(out + k, m, idx);
    }
    k += _mm_popcnt_u32(m);
  }
  for (; i < n; i++) {
    out[k] = base + static_cast<uint32_t>(i);
    k += x[i] >= q.x_min && x[i] < q.x_max && y[i] >= q.y_min && y[i] < q.y_max && v[i] >= q.v_min && v[i] < q.v_max;
  }
  return k;
}

}  // namespace benchgate

#pragma GCC pop_options
