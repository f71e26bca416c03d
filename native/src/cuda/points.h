// Survey points resident on a CUDA device, for the gridding and select kernels. Plain C++
// interface (no CUDA or Node types), so the glue compiles with the host compiler alone.
#pragma once

#include <cstdint>
#include <string>

namespace benchgate {
namespace cuda {

// Host chunks as the addon sees them: three FP64 columns of n points each.
struct HostChunk {
  const double* x;
  const double* y;
  const double* value;
  int64_t n;
};

// Gridding: count, mean, min, max per cell of an nx × ny grid (same cell rule as the CPU code).
struct DeviceGridding;
DeviceGridding* gridding_create(const HostChunk* chunks, int64_t nchunks, int64_t nx, int64_t ny, double x0, double y0,
                                double inv_cell, std::string* error);
bool gridding_run(DeviceGridding* g, std::string* error);
bool gridding_read(DeviceGridding* g, uint32_t* count, double* mean, double* min, double* max, std::string* error);
void gridding_destroy(DeviceGridding* g);

// Select: ascending global indices of the points inside the box and value range.
struct DeviceSelect;
DeviceSelect* select_create(const HostChunk* chunks, int64_t nchunks, const double box[6], std::string* error);
// Returns the number selected, or −1 with `error` set.
int64_t select_run(DeviceSelect* s, std::string* error);
bool select_read(DeviceSelect* s, uint32_t* out, int64_t count, std::string* error);
void select_destroy(DeviceSelect* s);

}  // namespace cuda
}  // namespace benchgate
