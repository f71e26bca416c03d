// The ODE sweep at AVX2+FMA: 4 systems per vector, 4 vectors (16 systems) per block.
#include <immintrin.h>

#include "ode.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace benchgate {
namespace ode_avx2 {

struct Ops {
  using T = __m256d;
  static constexpr int W = 4;
  static inline T load(const double* p) { return _mm256_loadu_pd(p); }
  static inline void store(double* p, T x) { _mm256_storeu_pd(p, x); }
  static inline T set1(double x) { return _mm256_set1_pd(x); }
  static inline T add(T x, T y) { return _mm256_add_pd(x, y); }
  static inline T sub(T x, T y) { return _mm256_sub_pd(x, y); }
  static inline T mul(T x, T y) { return _mm256_mul_pd(x, y); }
  static inline T fmadd(T x, T y, T z) { return _mm256_fmadd_pd(x, y, z); }
  static inline T fnmadd(T x, T y, T z) { return _mm256_fnmadd_pd(x, y, z); }
};
constexpr int kBlock = 4;
static inline void tail(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt) {
  ode_range_scalar(c, from, to, steps, dt);
}

#include "ode_body.inc"

}  // namespace ode_avx2

void ode_range_avx2(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt) {
  ode_avx2::range(c, from, to, steps, dt);
}

}  // namespace benchgate

#pragma GCC pop_options
