// ODE ensemble: independent FitzHugh–Nagumo systems, fixed-step RK4, SIMD across systems.
// Plain C++. The operation order matches kernels/ode-ensemble/rk4.ts (66 flops per system-step).
#pragma once

#include <cstdint>

#include "cpu.h"

namespace benchgate {

// Parameter and initial-state columns (n entries each) and the final-state outputs.
struct OdeColumns {
  const double* a;
  const double* b;
  const double* eps;
  const double* current;
  const double* v0;
  const double* w0;
  double* v;
  double* w;
};

// Integrates systems [from, to) at one SIMD level.
void ode_range_avx512(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt);
void ode_range_avx2(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt);
void ode_range_scalar(const OdeColumns& c, int64_t from, int64_t to, int64_t steps, double dt);

// The whole sweep over `threads` contiguous ranges of systems.
void ode_fhn_rk4(SimdLevel level, int threads, const OdeColumns& c, int64_t n, int64_t steps, double dt);

}  // namespace benchgate
