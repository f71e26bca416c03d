// Views of the chunked survey-point columns shared by gridding and select. Plain C++.
#pragma once

#include <cstdint>

namespace benchgate {

// One chunk: three FP64 columns of n points.
struct PointChunkView {
  const double* x;
  const double* y;
  const double* value;
  int64_t n;
};

// Calls fn(chunk_index, begin, end, global_offset) for each chunk piece overlapping the global
// point range [from, to), so a thread can own any contiguous range of the cloud.
template <class Fn>
void for_each_piece(const PointChunkView* chunks, int64_t nchunks, int64_t from, int64_t to, Fn&& fn) {
  int64_t offset = 0;
  for (int64_t c = 0; c < nchunks && offset < to; c++) {
    const int64_t n = chunks[c].n;
    const int64_t b = from > offset ? from - offset : 0;
    const int64_t e = to - offset < n ? to - offset : n;
    if (b < e) fn(c, b, e, offset);
    offset += n;
  }
}

}  // namespace benchgate
