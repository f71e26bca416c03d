// The portable micro-kernel behind native-simd on CPUs without AVX2+FMA (or when BENCHGATE_SIMD
// caps the level at scalar): same packing and blocking, a 4×4 tile in plain C++ that the compiler
// keeps in registers with the baseline instruction set.
#include "gemm_kernels.h"

namespace benchgate {
namespace {

void kernel_4x4(int64_t kc, const double* a, const double* b, double* c, int64_t ldc, bool accumulate) {
  double acc[4][4] = {};
  for (int64_t p = 0; p < kc; p++) {
    for (int r = 0; r < 4; r++) {
      const double ar = a[r];
      for (int j = 0; j < 4; j++) acc[r][j] += ar * b[j];
    }
    a += 4;
    b += 4;
  }
  for (int r = 0; r < 4; r++) {
    double* cr = c + r * ldc;
    for (int j = 0; j < 4; j++) cr[j] = accumulate ? cr[j] + acc[r][j] : acc[r][j];
  }
}

}  // namespace

KernelShape generic_kernel() { return {kernel_4x4, 4, 4, 256, 256, 1024}; }

}  // namespace benchgate
