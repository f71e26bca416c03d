// native-scalar: what a careful C++ port gets without SIMD intrinsics or packing: ikj loops over
// cache blocks, so a block of B rows stays in L2 and the inner loop runs at unit stride. Built for
// the baseline instruction set (no target attribute), so it marks the compiled-code rung.
#include <algorithm>
#include <cstring>

#include "gemm.h"

namespace benchgate {

void gemm_blocked_scalar(const GemmArgs& g) {
  constexpr int64_t kBlockI = 64, kBlockK = 128, kBlockJ = 512;
  for (int64_t i = 0; i < g.m; i++) std::memset(g.c + i * g.ldc, 0, sizeof(double) * g.n);
  for (int64_t j0 = 0; j0 < g.n; j0 += kBlockJ) {
    const int64_t j1 = std::min(g.n, j0 + kBlockJ);
    for (int64_t k0 = 0; k0 < g.k; k0 += kBlockK) {
      const int64_t k1 = std::min(g.k, k0 + kBlockK);
      for (int64_t i0 = 0; i0 < g.m; i0 += kBlockI) {
        const int64_t i1 = std::min(g.m, i0 + kBlockI);
        for (int64_t i = i0; i < i1; i++) {
          double* ci = g.c + i * g.ldc;
          for (int64_t k = k0; k < k1; k++) {
            const double aik = g.a[i * g.lda + k];
            const double* bk = g.b + k * g.ldb;
            for (int64_t j = j0; j < j1; j++) ci[j] += aik * bk[j];
          }
        }
      }
    }
  }
}

}  // namespace benchgate
