// Gridding: bins scattered points onto a regular grid (count, mean, min, max per cell). Plain C++.
#pragma once

#include <cstdint>

#include "cpu.h"
#include "points.h"

namespace benchgate {

// Cell (ix, iy) = (floor((x − x0)·inv_cell), floor((y − y0)·inv_cell)) when inside nx × ny.
struct GridGeometry {
  int64_t nx, ny;
  double x0, y0, inv_cell;
};

// Per-cell results, nx·ny entries each; empty cells get count 0 and NaN statistics.
struct GridOutput {
  uint32_t* count;
  double* mean;
  double* min;
  double* max;
};

// One cell's running statistics (32 bytes, one accumulator grid per thread).
struct CellAcc {
  double sum, min, max;
  uint64_t count;
};

// Accumulates points [from, to) of the cloud into acc, at the given SIMD level.
void grid_range(SimdLevel level, const PointChunkView* chunks, int64_t nchunks, int64_t from, int64_t to,
                const GridGeometry& g, CellAcc* acc);

// The whole call: `threads` private accumulator grids over contiguous point ranges, merged into out.
// Returns the bytes of accumulator memory it allocated (reported as the kernel's extra memory).
int64_t grid_points(SimdLevel level, int threads, const PointChunkView* chunks, int64_t nchunks, const GridGeometry& g,
                    const GridOutput& out);

// Frees the accumulator grids kept between calls (a benchmark's teardown, so the next one's
// extra memory is measured from scratch). Returns false when a call is using them.
bool grid_release_pool();

// Per-level entry points (gridding_avx512.cc, gridding_avx2.cc, gridding.cc).
void grid_segment_avx512(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc);
void grid_segment_avx2(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc);
void grid_segment_scalar(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc);

}  // namespace benchgate
