// Gridding on the GPU: each thread walks a strip of 32 consecutive points, merges runs of one
// cell in registers (survey points arrive along lines) and commits a run with atomics: atomicAdd
// for the sum and count, compare-and-swap loops for the FP64 min and max. A second kernel turns
// the accumulators into count, mean, min, max (NaN for empty cells).
#include <cuda_runtime.h>

#include <cmath>

#include "points.h"
#include "upload.cuh"

namespace benchgate {
namespace cuda {

struct DeviceGridding {
  DevicePoints pts;
  int64_t nx, ny;
  double x0, y0, inv_cell;
  double *sum = nullptr, *min = nullptr, *max = nullptr;
  unsigned long long* count = nullptr;
  uint32_t* count_out = nullptr;
  double* mean = nullptr;
};

namespace {

constexpr int kStrip = 32;

__device__ void atomic_min_double(double* at, double v) {
  unsigned long long* p = reinterpret_cast<unsigned long long*>(at);
  unsigned long long old = *p;
  while (v < __longlong_as_double(old)) {
    const unsigned long long seen = atomicCAS(p, old, __double_as_longlong(v));
    if (seen == old) break;
    old = seen;
  }
}

__device__ void atomic_max_double(double* at, double v) {
  unsigned long long* p = reinterpret_cast<unsigned long long*>(at);
  unsigned long long old = *p;
  while (v > __longlong_as_double(old)) {
    const unsigned long long seen = atomicCAS(p, old, __double_as_longlong(v));
    if (seen == old) break;
    old = seen;
  }
}

__global__ void reset(int64_t cells, double* sum, double* mn, double* mx, unsigned long long* count) {
  const int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (k >= cells) return;
  sum[k] = 0;
  mn[k] = INFINITY;
  mx[k] = -INFINITY;
  count[k] = 0;
}

__global__ void bin(const double* __restrict__ x, const double* __restrict__ y, const double* __restrict__ v, int64_t n,
                    int64_t nx, int64_t ny, double x0, double y0, double inv, double* sum, double* mn, double* mx,
                    unsigned long long* count) {
  const int64_t first = (blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x) * kStrip;
  int64_t cell = -1;
  double s = 0, lo = 0, hi = 0;
  unsigned long long c = 0;
  auto commit = [&]() {
    if (cell < 0) return;
    atomicAdd(sum + cell, s);
    atomic_min_double(mn + cell, lo);
    atomic_max_double(mx + cell, hi);
    atomicAdd(count + cell, c);
  };
  for (int64_t i = first; i < first + kStrip && i < n; i++) {
    // The same operations, in the same order, as the CPU rule: floor((x − x0)·inv), bounds check.
    const double fx = floor(__dmul_rn(__dsub_rn(x[i], x0), inv));
    const double fy = floor(__dmul_rn(__dsub_rn(y[i], y0), inv));
    if (!(fx >= 0 && fx < static_cast<double>(nx) && fy >= 0 && fy < static_cast<double>(ny))) continue;
    const int64_t k = static_cast<int64_t>(fy) * nx + static_cast<int64_t>(fx);
    const double vi = v[i];
    if (k == cell) {
      s += vi;
      lo = vi < lo ? vi : lo;
      hi = vi > hi ? vi : hi;
      c++;
    } else {
      commit();
      cell = k;
      s = lo = hi = vi;
      c = 1;
    }
  }
  commit();
}

__global__ void finish(int64_t cells, const double* sum, const double* mn, const double* mx, const unsigned long long* count,
                       uint32_t* count_out, double* mean, double* mn_out, double* mx_out) {
  const int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (k >= cells) return;
  const unsigned long long c = count[k];
  count_out[k] = static_cast<uint32_t>(c);
  mean[k] = c > 0 ? sum[k] / static_cast<double>(c) : NAN;
  mn_out[k] = c > 0 ? mn[k] : NAN;
  mx_out[k] = c > 0 ? mx[k] : NAN;
}

bool ok(cudaError_t e, std::string* error) {
  if (e != cudaSuccess) *error = cudaGetErrorString(e);
  return e == cudaSuccess;
}

}  // namespace

DeviceGridding* gridding_create(const HostChunk* chunks, int64_t nchunks, int64_t nx, int64_t ny, double x0, double y0,
                                double inv_cell, std::string* error) {
  auto* g = new DeviceGridding{};
  g->nx = nx, g->ny = ny, g->x0 = x0, g->y0 = y0, g->inv_cell = inv_cell;
  const size_t cells = static_cast<size_t>(nx * ny);
  // min and max are written in place by `finish` (after their last use), so one buffer each.
  const bool good = upload_points(chunks, nchunks, &g->pts, error) && ok(cudaMalloc(&g->sum, cells * 8), error) &&
                    ok(cudaMalloc(&g->min, cells * 8), error) && ok(cudaMalloc(&g->max, cells * 8), error) &&
                    ok(cudaMalloc(&g->count, cells * 8), error) && ok(cudaMalloc(&g->count_out, cells * 4), error) &&
                    ok(cudaMalloc(&g->mean, cells * 8), error);
  if (!good) {
    gridding_destroy(g);
    return nullptr;
  }
  return g;
}

bool gridding_run(DeviceGridding* g, std::string* error) {
  const int64_t cells = g->nx * g->ny;
  const int block = 256;
  reset<<<static_cast<unsigned>((cells + block - 1) / block), block>>>(cells, g->sum, g->min, g->max, g->count);
  const int64_t strips = (g->pts.n + kStrip - 1) / kStrip;
  if (strips > 0) {
    bin<<<static_cast<unsigned>((strips + block - 1) / block), block>>>(g->pts.x, g->pts.y, g->pts.value, g->pts.n, g->nx, g->ny,
                                                                         g->x0, g->y0, g->inv_cell, g->sum, g->min, g->max, g->count);
  }
  finish<<<static_cast<unsigned>((cells + block - 1) / block), block>>>(cells, g->sum, g->min, g->max, g->count, g->count_out,
                                                                          g->mean, g->min, g->max);
  return ok(cudaGetLastError(), error) && ok(cudaDeviceSynchronize(), error);
}

bool gridding_read(DeviceGridding* g, uint32_t* count, double* mean, double* min, double* max, std::string* error) {
  const size_t cells = static_cast<size_t>(g->nx * g->ny);
  return ok(cudaMemcpy(count, g->count_out, cells * 4, cudaMemcpyDeviceToHost), error) &&
         ok(cudaMemcpy(mean, g->mean, cells * 8, cudaMemcpyDeviceToHost), error) &&
         ok(cudaMemcpy(min, g->min, cells * 8, cudaMemcpyDeviceToHost), error) &&
         ok(cudaMemcpy(max, g->max, cells * 8, cudaMemcpyDeviceToHost), error);
}

void gridding_destroy(DeviceGridding* g) {
  if (g == nullptr) return;
  free_points(&g->pts);
  cudaFree(g->sum);
  cudaFree(g->min);
  cudaFree(g->max);
  cudaFree(g->count);
  cudaFree(g->count_out);
  cudaFree(g->mean);
  delete g;
}

}  // namespace cuda
}  // namespace benchgate
