// Select: the global indices of points inside a box and value range, in ascending order. Plain C++.
#pragma once

#include <cstdint>

#include "cpu.h"
#include "points.h"

namespace benchgate {

// Half-open ranges: x in [x_min, x_max), y in [y_min, y_max), value in [v_min, v_max).
struct SelectBox {
  double x_min, x_max, y_min, y_max, v_min, v_max;
};

// Writes the selected indices of points [from, to) (ascending) to out, which has room for
// to − from entries; returns how many. `base` is the global index of the segment's first point.
using SelectSegment = int64_t (*)(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                                  const SelectBox& q, uint32_t* out, int64_t room);

int64_t select_segment_avx512(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                              const SelectBox& q, uint32_t* out, int64_t room);
int64_t select_segment_avx2(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                            const SelectBox& q, uint32_t* out, int64_t room);
int64_t select_segment_scalar(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                              const SelectBox& q, uint32_t* out, int64_t room);

// The whole call: `threads` contiguous point ranges, each compacted into its own slice of out
// (so one pass and no sharing), then the slices moved together. out must hold every point's index
// (capacity ≥ total points); returns the number selected.
int64_t select_points(SimdLevel level, int threads, const PointChunkView* chunks, int64_t nchunks, const SelectBox& q,
                      uint32_t* out);

}  // namespace benchgate
