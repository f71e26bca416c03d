// Select: the scalar level (branch-free: write the index, advance by the predicate), dispatch by
// SIMD level, and the threaded call.
#include "select.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace benchgate {

int64_t select_segment_scalar(const double* x, const double* y, const double* v, int64_t n, uint32_t base,
                              const SelectBox& q, uint32_t* out, int64_t) {
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++) {
    // k ≤ i here, so the write stays inside the segment's own room even when nothing passes.
    out[k] = base + static_cast<uint32_t>(i);
    k += (x[i] >= q.x_min) & (x[i] < q.x_max) & (y[i] >= q.y_min) & (y[i] < q.y_max) & (v[i] >= q.v_min) & (v[i] < q.v_max);
  }
  return k;
}

int64_t select_points(SimdLevel level, int threads, const PointChunkView* chunks, int64_t nchunks, const SelectBox& q,
                      uint32_t* out) {
  const SelectSegment segment =
      level == SimdLevel::Avx512 ? select_segment_avx512 : level == SimdLevel::Avx2 ? select_segment_avx2 : select_segment_scalar;
  int64_t total = 0;
  for (int64_t c = 0; c < nchunks; c++) total += chunks[c].n;
  const int used = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads < 1 ? 1 : threads, std::max<int64_t>(1, total / 65536))));
  std::vector<int64_t> counts(static_cast<size_t>(used), 0);
  auto work = [&](int t) {
    const int64_t from = total * t / used, to = total * (t + 1) / used;
    // This range's indices go to out[from, to): its own slice, whatever the others select.
    int64_t k = 0;
    for_each_piece(chunks, nchunks, from, to, [&](int64_t c, int64_t b, int64_t e, int64_t offset) {
      const PointChunkView& ch = chunks[c];
      k += segment(ch.x + b, ch.y + b, ch.value + b, e - b, static_cast<uint32_t>(offset + b), q, out + from + k, to - from - k);
    });
    counts[t] = k;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < used; t++) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  int64_t k = counts[0];
  for (int t = 1; t < used; t++) {
    std::memmove(out + k, out + total * t / used, static_cast<size_t>(counts[t]) * sizeof(uint32_t));
    k += counts[t];
  }
  return k;
}

}  // namespace benchgate
