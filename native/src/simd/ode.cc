// The ODE sweep: the scalar level (baseline ISA, separate multiply and add), dispatch, threads.
#include "ode.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace benchgate {
namespace ode_scalar {

struct Ops {
  using T = double;
  static constexpr int W = 1;
  static inline T load(const double* p) { return *p; }
  static inline void store(double* p, T x) { *p = x; }
  static inline T set1(double x) { return x; }
  static inline T add(T x, T y) { return x + y; }
  static inline T sub(T x, T y) { return x - y; }
  static inline T mul(T x, T y) { return x * y; }
  static inline T fmadd(T x, T y, T z) { return x * y + z; }
  static inline T fnmadd(T x, T y, T z) { return z - x * y; }
};
constexpr int kBlock = 4;

// The scalar level has no narrower fallback: its own W=1 blocks cover every system.
static inline void tail(const OdeColumns&, int64_t, int64_t, int64_t, double) {}

#include "ode_body.inc"

}  // namespace ode_scalar

void ode_range_scalar(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt) {
  ode_scalar::range(c, from, to, steps, dt);
}

void ode_fhn_rk4(SimdLevel level, int threads, const OdeColumns& c, int64_t n, int64_t steps, double dt) {
  auto range = level == SimdLevel::Avx512 ? ode_range_avx512 : level == SimdLevel::Avx2 ? ode_range_avx2 : ode_range_scalar;
  // Ranges in whole 32-system blocks, so only the last range has a ragged edge.
  const int64_t blocks = (n + 31) / 32;
  const int used = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads < 1 ? 1 : threads, blocks)));
  auto work = [&](int t) {
    const int64_t from = std::min(n, blocks * t / used * 32), to = std::min(n, blocks * (t + 1) / used * 32);
    range(c, from, to, steps, dt);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < used; t++) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

}  // namespace benchgate
