// Tiled shared-memory FP64 GEMM: each 256-thread block computes a 64×64 tile of C, staging
// 64×16 slices of A and 16×64 slices of B in shared memory; each thread accumulates a 4×4
// register tile, so every shared-memory value loaded feeds four FMAs. Edges are zero-filled on
// load and masked on store, so any n works.
#include <cuda_runtime.h>

#include "matmul.h"

namespace benchgate {
namespace cuda {
namespace {

constexpr int kTile = 64;   // C tile edge per block
constexpr int kDepth = 16;  // k slice staged per step
constexpr int kMicro = 4;   // C values per thread along each axis

__global__ void __launch_bounds__(256) dgemm_tiled(int n, const double* __restrict__ a,
                                                   const double* __restrict__ b, double* __restrict__ c) {
  __shared__ double as[kDepth][kTile + 1];  // A slice stored k-major; +1 avoids bank conflicts
  __shared__ double bs[kDepth][kTile];
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
  double acc[kMicro][kMicro] = {};

  for (int k0 = 0; k0 < n; k0 += kDepth) {
    // 1024 values of each slice, 4 per thread; coalesced along the contiguous dimension.
    for (int l = threadIdx.x; l < kTile * kDepth; l += 256) {
      const int ar = l / kDepth, ak = l % kDepth;
      const int gr = row0 + ar, gk = k0 + ak;
      as[ak][ar] = (gr < n && gk < n) ? a[static_cast<size_t>(gr) * n + gk] : 0.0;
      const int bk = l / kTile, bc = l % kTile;
      const int gbk = k0 + bk, gc = col0 + bc;
      bs[bk][bc] = (gbk < n && gc < n) ? b[static_cast<size_t>(gbk) * n + gc] : 0.0;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < kDepth; k++) {
      double ar[kMicro], br[kMicro];
#pragma unroll
      for (int i = 0; i < kMicro; i++) ar[i] = as[k][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < kMicro; j++) br[j] = bs[k][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < kMicro; i++)
#pragma unroll
        for (int j = 0; j < kMicro; j++) acc[i][j] = fma(ar[i], br[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < kMicro; i++) {
    const int r = row0 + ty + 16 * i;
#pragma unroll
    for (int j = 0; j < kMicro; j++) {
      const int col = col0 + tx + 16 * j;
      if (r < n && col < n) c[static_cast<size_t>(r) * n + col] = acc[i][j];
    }
  }
}

bool ok(cudaError_t e, std::string* error) {
  if (e == cudaSuccess) return true;
  *error = cudaGetErrorString(e);
  return false;
}

}  // namespace

struct DeviceMatmul {
  int n = 0;
  double* a = nullptr;
  double* b = nullptr;
  double* c = nullptr;
};

int device_count(std::string* error) {
  int count = 0;
  if (!ok(cudaGetDeviceCount(&count), error)) return -1;
  return count;
}

std::string device_name(int device, std::string* error) {
  cudaDeviceProp prop;
  if (!ok(cudaGetDeviceProperties(&prop, device), error)) return "";
  return prop.name;
}

DeviceMatmul* matmul_create(int n, const double* a, const double* b, std::string* error) {
  auto* m = new DeviceMatmul;
  m->n = n;
  const size_t bytes = sizeof(double) * static_cast<size_t>(n) * n;
  if (ok(cudaMalloc(&m->a, bytes), error) && ok(cudaMalloc(&m->b, bytes), error) &&
      ok(cudaMalloc(&m->c, bytes), error) && ok(cudaMemcpy(m->a, a, bytes, cudaMemcpyHostToDevice), error) &&
      ok(cudaMemcpy(m->b, b, bytes, cudaMemcpyHostToDevice), error)) {
    return m;
  }
  matmul_destroy(m);
  return nullptr;
}

bool matmul_run(DeviceMatmul* m, std::string* error) {
  const dim3 grid((m->n + kTile - 1) / kTile, (m->n + kTile - 1) / kTile);
  dgemm_tiled<<<grid, 256>>>(m->n, m->a, m->b, m->c);
  return ok(cudaGetLastError(), error) && ok(cudaDeviceSynchronize(), error);
}

bool matmul_read(DeviceMatmul* m, double* c, std::string* error) {
  const size_t bytes = sizeof(double) * static_cast<size_t>(m->n) * m->n;
  return ok(cudaMemcpy(c, m->c, bytes, cudaMemcpyDeviceToHost), error);
}

void matmul_destroy(DeviceMatmul* m) {
  if (m == nullptr) return;
  cudaFree(m->a);
  cudaFree(m->b);
  cudaFree(m->c);
  delete m;
}

}  // namespace cuda
}  // namespace benchgate
