// Micro-kernels of the packed product: each computes an MR×NR tile of C from an MR-row panel of
// packed A (k-major, MR values per k) and an NR-column panel of packed B (k-major, NR per k).
#pragma once

#include <cstdint>

namespace benchgate {

// Writes (accumulate=false) or adds (accumulate=true) the tile into c with row stride ldc.
// Panels are 64-byte aligned; c need not be.
using MicroKernel = void (*)(int64_t kc, const double* a, const double* b, double* c, int64_t ldc, bool accumulate);

struct KernelShape {
  MicroKernel kernel;
  int mr, nr;
  // Cache blocks: kc deep (A panel in L1), nb columns of packed B (in L2), mc rows of packed A (L3).
  int kc, nb, mc;
};

KernelShape avx512_kernel();  // 8×24, requires avx512f+dq+vl and fma
KernelShape avx2_kernel();    // 6×8, requires avx2 and fma
KernelShape generic_kernel(); // 4×4, baseline ISA

}  // namespace benchgate
