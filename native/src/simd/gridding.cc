// Gridding: the scalar level, dispatch by SIMD level, and the threaded call with private
// accumulator grids merged at the end (no atomics, no sharing while binning).
#include "gridding.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace benchgate {
namespace grid_scalar {

struct Lanes {
  static constexpr int W = 1;
  struct Acc {
    double sum, min, max;
  };
  static inline void start(Acc& a, const double* v) { a.sum = a.min = a.max = *v; }
  static inline void accumulate(Acc& a, const double* v) {
    a.sum += *v;
    a.min = *v < a.min ? *v : a.min;
    a.max = *v > a.max ? *v : a.max;
  }
  static inline void reduce(const Acc& a, double* sum, double* min, double* max) { *sum = a.sum, *min = a.min, *max = a.max; }
  static inline bool cells(const double* x, const double* y, const GridGeometry& g, int32_t* out);
};

#include "gridding_body.inc"

inline bool Lanes::cells(const double* x, const double* y, const GridGeometry& g, int32_t* out) {
  out[0] = static_cast<int32_t>(scalar_cell(*x, *y, g));
  return out[0] >= 0;
}

}  // namespace grid_scalar

void grid_segment_scalar(const double* x, const double* y, const double* v, int64_t n, const GridGeometry& g, CellAcc* acc) {
  grid_scalar::segment(x, y, v, n, g, acc);
}

void grid_range(SimdLevel level, const PointChunkView* chunks, int64_t nchunks, int64_t from, int64_t to,
                const GridGeometry& g, CellAcc* acc) {
  auto segment = level == SimdLevel::Avx512 ? grid_segment_avx512 : level == SimdLevel::Avx2 ? grid_segment_avx2 : grid_segment_scalar;
  for_each_piece(chunks, nchunks, from, to, [&](int64_t c, int64_t b, int64_t e, int64_t) {
    const PointChunkView& ch = chunks[c];
    segment(ch.x + b, ch.y + b, ch.value + b, e - b, g, acc);
  });
}

namespace {

// Accumulator grids kept between calls: allocating and faulting in 8 MB per thread per call cost
// several percent of a 40 ms call. A call that finds the pool busy (another thread is gridding)
// allocates its own instead of waiting.
std::mutex g_pool_mutex;
std::vector<std::vector<CellAcc>> g_pool;

template <class Fn>
void on_threads(int used, Fn&& fn) {
  std::vector<std::thread> pool;
  for (int t = 1; t < used; t++) pool.emplace_back(fn, t);
  fn(0);
  for (auto& th : pool) th.join();
}

}  // namespace

bool grid_release_pool() {
  std::unique_lock<std::mutex> pooled(g_pool_mutex, std::try_to_lock);
  if (!pooled.owns_lock()) return false;
  std::vector<std::vector<CellAcc>>().swap(g_pool);
  return true;
}

int64_t grid_points(SimdLevel level, int threads, const PointChunkView* chunks, int64_t nchunks, const GridGeometry& g,
                    const GridOutput& out) {
  const int64_t cells = g.nx * g.ny;
  int64_t total = 0;
  for (int64_t c = 0; c < nchunks; c++) total += chunks[c].n;
  const int used = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads < 1 ? 1 : threads, std::max<int64_t>(1, total / 65536))));
  const CellAcc empty{0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 0};
  std::unique_lock<std::mutex> pooled(g_pool_mutex, std::try_to_lock);
  std::vector<std::vector<CellAcc>> local;
  std::vector<std::vector<CellAcc>>& accs = pooled.owns_lock() ? g_pool : local;
  if (accs.size() < static_cast<size_t>(used)) accs.resize(static_cast<size_t>(used));
  on_threads(used, [&](int t) {
    // Each thread resets and fills its own grid, so its pages stay near its core.
    accs[t].assign(static_cast<size_t>(cells), empty);
    grid_range(level, chunks, nchunks, total * t / used, total * (t + 1) / used, g, accs[t].data());
  });
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // The merge is split by cells over the same threads.
  on_threads(used, [&](int t) {
    for (int64_t k = cells * t / used; k < cells * (t + 1) / used; k++) {
      CellAcc m = accs[0][k];
      for (int u = 1; u < used; u++) {
        const CellAcc& a = accs[u][k];
        m.sum += a.sum;
        m.min = a.min < m.min ? a.min : m.min;
        m.max = a.max > m.max ? a.max : m.max;
        m.count += a.count;
      }
      out.count[k] = static_cast<uint32_t>(m.count);
      out.mean[k] = m.count > 0 ? m.sum / static_cast<double>(m.count) : nan;
      out.min[k] = m.count > 0 ? m.min : nan;
      out.max[k] = m.count > 0 ? m.max : nan;
    }
  });
  return static_cast<int64_t>(used) * cells * static_cast<int64_t>(sizeof(CellAcc));
}

}  // namespace benchgate
