// Uploads chunked host columns into one contiguous device array per column.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "points.h"

namespace benchgate {
namespace cuda {

struct DevicePoints {
  double* x = nullptr;
  double* y = nullptr;
  double* value = nullptr;
  int64_t n = 0;
};

inline bool upload_points(const HostChunk* chunks, int64_t nchunks, DevicePoints* p, std::string* error) {
  for (int64_t c = 0; c < nchunks; c++) p->n += chunks[c].n;
  const size_t bytes = static_cast<size_t>(p->n > 0 ? p->n : 1) * sizeof(double);
  cudaError_t e = cudaMalloc(&p->x, bytes);
  if (e == cudaSuccess) e = cudaMalloc(&p->y, bytes);
  if (e == cudaSuccess) e = cudaMalloc(&p->value, bytes);
  int64_t at = 0;
  for (int64_t c = 0; c < nchunks && e == cudaSuccess; c++) {
    const size_t b = static_cast<size_t>(chunks[c].n) * sizeof(double);
    e = cudaMemcpy(p->x + at, chunks[c].x, b, cudaMemcpyHostToDevice);
    if (e == cudaSuccess) e = cudaMemcpy(p->y + at, chunks[c].y, b, cudaMemcpyHostToDevice);
    if (e == cudaSuccess) e = cudaMemcpy(p->value + at, chunks[c].value, b, cudaMemcpyHostToDevice);
    at += chunks[c].n;
  }
  if (e != cudaSuccess) *error = cudaGetErrorString(e);
  return e == cudaSuccess;
}

inline void free_points(DevicePoints* p) {
  cudaFree(p->x);
  cudaFree(p->y);
  cudaFree(p->value);
  p->x = p->y = p->value = nullptr;
}

}  // namespace cuda
}  // namespace benchgate
