// Select at AVX2: 8 points per step, compares → an 8-bit mask (movemask of two 4-lane groups), the
// passing indices packed by vpermd with a 256-entry permutation table, one unaligned store.
#include <immintrin.h>

#include <array>

#include "select.h"

namespace benchgate {
namespace {

// table[m] lists the set bit positions of m first (the permutation that packs lanes of m left).
struct PackTable {
  alignas(32) std::array<std::array<int32_t, 8>, 256> perm;
  PackTable() {
    for (int m = 0; m < 256; m++) {
      int j = 0;
      for (int b = 0; b < 8; b++)
        if (m & (1 << b)) perm[m][j++] = b;
      for (; j < 8; j++) perm[m][j] = 0;
    }
  }
};
const PackTable kPack;

}  // namespace

#pragma GCC push_options
#pragma GCC target("avx2,fma,popcnt")

namespace {

inline int inside4(const double* x, const double* y, const double* v, const SelectBox& q) {
  const __m256d X = _mm256_loadu_pd(x), Y = _mm256_loadu_pd(y), V = _mm256_loadu_pd(v);
  __m256d m = _mm256_and_pd(_mm256_cmp_pd(X, _mm256_set1_pd(q.x_min), _CMP_GE_OQ), _mm256_cmp_pd(X, _mm256_set1_pd(q.x_max), _CMP_LT_OQ));
  m = _mm256_and_pd(m, _mm256_and_pd(_mm256_cmp_pd(Y, _mm256_set1_pd(q.y_min), _CMP_GE_OQ), _mm256_cmp_pd(Y, _mm256_set1_pd(q.y_max), _CMP_LT_OQ)));
  m = _mm256_and_pd(m, _mm256_and_pd(_mm256_cmp_pd(V, _mm256_set1_pd(q.v_min), _CMP_GE_OQ), _mm256_cmp_pd(V, _mm256_set1_pd(q.v_max), _CMP_LT_OQ)));
  return _mm256_movemask_pd(m);
}

}  // namespace

int64_t select_segment_avx2(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                            const SelectBox& q, uint32_t* out, int64_t room) {
  int64_t k = 0;
  int64_t i = 0;
  const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (; i + 8 <= n && k + 8 <= room; i += 8) {
    const int m = inside4(x + i, y + i, v + i, q) | (inside4(x + i + 4, y + i + 4, v + i + 4, q) << 4);
    const __m256i idx = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(base + i)), iota);
    const __m256i perm = _mm256_load_si256(reinterpret_cast<const __m256i*>(kPack.perm[m].data()));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), _mm256_permutevar8x32_epi32(idx, perm));
    k += _mm_popcnt_u32(static_cast<unsigned>(m));
  }
  // The rest (and the last steps where a full store could run past the room) one at a time.
  for (; i < n; i++) {
    if (x[i] >= q.x_min && x[i] < q.x_max && y[i] >= q.y_min && y[i] < q.y_max && v[i] >= q.v_min && v[i] < q.v_max) {
      out[k++] = base + static_cast<uint32_t>(i);
    }
  }
  return k;
}

}  // namespace benchgate

#pragma GCC pop_options
