// Select on the GPU: stream compaction of the point indices with CUB's DeviceSelect::If (a
// decoupled look-back scan), which keeps the selected indices in ascending order in one pass.
#include <cub/device/device_select.cuh>
#include <cuda_runtime.h>
#include <thrust/iterator/counting_iterator.h>

#include "points.h"
#include "upload.cuh"

namespace benchgate {
namespace cuda {

namespace {

struct Inside {
  const double* x;
  const double* y;
  const double* v;
  double x_min, x_max, y_min, y_max, v_min, v_max;
  __device__ bool operator()(uint32_t i) const {
    return x[i] >= x_min && x[i] < x_max && y[i] >= y_min && y[i] < y_max && v[i] >= v_min && v[i] < v_max;
  }
};

bool ok(cudaError_t e, std::string* error) {
  if (e != cudaSuccess) *error = cudaGetErrorString(e);
  return e == cudaSuccess;
}

}  // namespace

struct DeviceSelect {
  DevicePoints pts;
  Inside pred;
  uint32_t* out = nullptr;
  int64_t* selected = nullptr;
  void* temp = nullptr;
  size_t temp_bytes = 0;
};

DeviceSelect* select_create(const HostChunk* chunks, int64_t nchunks, const double box[6], std::string* error) {
  auto* s = new DeviceSelect{};
  bool good = upload_points(chunks, nchunks, &s->pts, error);
  s->pred = Inside{s->pts.x, s->pts.y, s->pts.value, box[0], box[1], box[2], box[3], box[4], box[5]};
  const size_t n = static_cast<size_t>(s->pts.n > 0 ? s->pts.n : 1);
  good = good && ok(cudaMalloc(&s->out, n * 4), error) && ok(cudaMalloc(&s->selected, sizeof(int64_t)), error);
  if (good) {
    good = ok(cub::DeviceSelect::If(nullptr, s->temp_bytes, thrust::counting_iterator<uint32_t>(0), s->out, s->selected,
                                    s->pts.n, s->pred),
              error) &&
           ok(cudaMalloc(&s->temp, s->temp_bytes > 0 ? s->temp_bytes : 1), error);
  }
  if (!good) {
    select_destroy(s);
    return nullptr;
  }
  return s;
}

int64_t select_run(DeviceSelect* s, std::string* error) {
  size_t bytes = s->temp_bytes;
  if (!ok(cub::DeviceSelect::If(s->temp, bytes, thrust::counting_iterator<uint32_t>(0), s->out, s->selected, s->pts.n, s->pred), error)) return -1;
  int64_t count = 0;
  // The copy of one count is the synchronisation; the indices stay on the device.
  if (!ok(cudaMemcpy(&count, s->selected, sizeof count, cudaMemcpyDeviceToHost), error)) return -1;
  return count;
}

bool select_read(DeviceSelect* s, uint32_t* out, int64_t count, std::string* error) {
  return ok(cudaMemcpy(out, s->out, static_cast<size_t>(count) * 4, cudaMemcpyDeviceToHost), error);
}

void select_destroy(DeviceSelect* s) {
  if (s == nullptr) return;
  free_points(&s->pts);
  cudaFree(s->out);
  cudaFree(s->selected);
  cudaFree(s->temp);
  delete s;
}

}  // namespace cuda
}  // namespace benchgate
