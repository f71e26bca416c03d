// The packed (GotoBLAS/BLIS-style) product driver, shared by every micro-kernel shape.
//
// Loop order, outermost first: mc rows of A are packed once per kc-deep slice (the packed block
// sits in L3); for each nb-wide block of B (packed, sits in L2) every MR-row panel of packed A
// (in L1, reused across the block) meets every NR-column panel of packed B streamed from L2.
// With mc covering all rows, each of A and B is packed exactly once per call.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <thread>
#include <vector>

#include "gemm.h"
#include "gemm_kernels.h"

namespace benchgate {
namespace {

// 64-byte aligned scratch, so panel loads never straddle cache lines. Buffers are leased from a
// process-wide pool and returned, because allocating megabytes per call costs page faults that
// show at n=512 (a product there takes about a millisecond); the pool holds at most a few
// buffers per concurrent caller.
class ScratchPool {
 public:
  double* acquire(size_t count, size_t* capacity) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < free_.size(); i++) {
      if (free_[i].second >= count) {
        double* p = free_[i].first;
        *capacity = free_[i].second;
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
        return p;
      }
    }
    const size_t bytes = (count * sizeof(double) + 63) / 64 * 64;
    *capacity = bytes / sizeof(double);
    void* p = std::aligned_alloc(64, bytes == 0 ? 64 : bytes);
    if (p == nullptr) throw std::bad_alloc();  // reaches JS as an Error through the glue
    return static_cast<double*>(p);
  }
  void release(double* p, size_t capacity) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() >= kMaxKept) {
      // Keep the larger buffers: they are the expensive ones to fault in again.
      auto smallest = std::min_element(free_.begin(), free_.end(),
                                       [](const auto& x, const auto& y) { return x.second < y.second; });
      if (smallest->second >= capacity) {
        std::free(p);
        return;
      }
      std::free(smallest->first);
      free_.erase(smallest);
    }
    free_.emplace_back(p, capacity);
  }

 private:
  static constexpr size_t kMaxKept = 16;
  std::mutex mutex_;
  std::vector<std::pair<double*, size_t>> free_;
};

ScratchPool& scratch_pool() {
  static ScratchPool* pool = new ScratchPool;  // never destroyed: worker threads may outlive statics
  return *pool;
}

struct AlignedBuffer {
  double* data = nullptr;
  size_t capacity = 0;
  explicit AlignedBuffer(size_t count) { data = scratch_pool().acquire(count, &capacity); }
  ~AlignedBuffer() { scratch_pool().release(data, capacity); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
};

KernelShape shape_for(SimdLevel level) {
  switch (level) {
    case SimdLevel::Avx512: return avx512_kernel();
    case SimdLevel::Avx2: return avx2_kernel();
    case SimdLevel::Scalar: return generic_kernel();
  }
  return generic_kernel();
}

// Packs rows [0, mc) × depth [0, kc) of A into MR-row panels, k-major, zero-padding the last panel
// so the micro-kernel never branches on a ragged edge.
void pack_a(const double* a, int64_t lda, int64_t mc, int64_t kc, int mr, double* out) {
  for (int64_t i0 = 0; i0 < mc; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i0);
    for (int64_t p = 0; p < kc; p++) {
      int64_t r = 0;
      for (; r < rows; r++) out[r] = a[(i0 + r) * lda + p];
      for (; r < mr; r++) out[r] = 0.0;
      out += mr;
    }
  }
}

// Packs depth [0, kc) × columns [0, nb) of B into NR-column panels, k-major, zero-padded.
void pack_b(const double* b, int64_t ldb, int64_t kc, int64_t nb, int nr, double* out) {
  for (int64_t j0 = 0; j0 < nb; j0 += nr) {
    const int64_t cols = std::min<int64_t>(nr, nb - j0);
    const double* src = b + j0;
    if (cols == nr) {
      for (int64_t p = 0; p < kc; p++) {
        std::memcpy(out, src + p * ldb, sizeof(double) * nr);
        out += nr;
      }
    } else {
      for (int64_t p = 0; p < kc; p++) {
        int64_t j = 0;
        for (; j < cols; j++) out[j] = src[p * ldb + j];
        for (; j < nr; j++) out[j] = 0.0;
        out += nr;
      }
    }
  }
}

// The product restricted to columns [j_begin, j_end) of B and C.
void gemm_columns(const KernelShape& s, const GemmArgs& g, int64_t j_begin, int64_t j_end) {
  const int64_t mc_max = std::min<int64_t>(s.mc, (g.m + s.mr - 1) / s.mr * s.mr);
  const int64_t kc_max = std::min<int64_t>(s.kc, g.k);
  const int64_t nb_max = std::min<int64_t>(s.nb, (j_end - j_begin + s.nr - 1) / s.nr * s.nr);
  AlignedBuffer packed_a(static_cast<size_t>(mc_max * kc_max));
  AlignedBuffer packed_b(static_cast<size_t>(kc_max * nb_max));
  // Ragged tiles are computed here in full (panels are zero-padded) and the valid part copied.
  alignas(64) double edge[16 * 32];

  for (int64_t ic = 0; ic < g.m; ic += s.mc) {
    const int64_t mc = std::min<int64_t>(s.mc, g.m - ic);
    for (int64_t pc = 0; pc < g.k; pc += s.kc) {
      const int64_t kc = std::min<int64_t>(s.kc, g.k - pc);
      const bool accumulate = pc > 0;  // the first slice overwrites C, so C needs no zeroing
      pack_a(g.a + ic * g.lda + pc, g.lda, mc, kc, s.mr, packed_a.data);
      for (int64_t jc = j_begin; jc < j_end; jc += s.nb) {
        const int64_t nb = std::min<int64_t>(s.nb, j_end - jc);
        pack_b(g.b + pc * g.ldb + jc, g.ldb, kc, nb, s.nr, packed_b.data);
        for (int64_t ir = 0; ir < mc; ir += s.mr) {
          const int64_t rows = std::min<int64_t>(s.mr, mc - ir);
          const double* a_panel = packed_a.data + ir * kc;
          for (int64_t jr = 0; jr < nb; jr += s.nr) {
            const int64_t cols = std::min<int64_t>(s.nr, nb - jr);
            const double* b_panel = packed_b.data + jr * kc;
            double* c_tile = g.c + (ic + ir) * g.ldc + jc + jr;
            if (rows == s.mr && cols == s.nr) {
              s.kernel(kc, a_panel, b_panel, c_tile, g.ldc, accumulate);
            } else {
              s.kernel(kc, a_panel, b_panel, edge, s.nr, false);
              for (int64_t r = 0; r < rows; r++) {
                for (int64_t j = 0; j < cols; j++) {
                  const double v = edge[r * s.nr + j];
                  c_tile[r * g.ldc + j] = accumulate ? c_tile[r * g.ldc + j] + v : v;
                }
              }
            }
          }
        }
      }
    }
  }
}

void zero_c(const GemmArgs& g) {
  for (int64_t i = 0; i < g.m; i++) std::memset(g.c + i * g.ldc, 0, sizeof(double) * g.n);
}

}  // namespace

int default_thread_count() {
  const unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

void gemm_packed(SimdLevel level, const GemmArgs& g) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) return zero_c(g);
  gemm_columns(shape_for(level), g, 0, g.n);
}

void gemm_packed_parallel(SimdLevel level, int threads, const GemmArgs& g) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) return zero_c(g);
  const KernelShape s = shape_for(level);
  if (threads <= 0) threads = default_thread_count();
  // Column ranges in whole micro-panels, so only the last range has a ragged edge.
  const int64_t panels = (g.n + s.nr - 1) / s.nr;
  const int64_t used = std::max<int64_t>(1, std::min<int64_t>(threads, panels));
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(used - 1));
  for (int64_t t = 0; t < used; t++) {
    const int64_t begin = std::min<int64_t>(g.n, panels * t / used * s.nr);
    const int64_t end = std::min<int64_t>(g.n, panels * (t + 1) / used * s.nr);
    if (t + 1 < used) {
      workers.emplace_back([&s, &g, begin, end] { gemm_columns(s, g, begin, end); });
    } else {
      gemm_columns(s, g, begin, end);  // the calling thread takes the last share
    }
  }
  for (auto& w : workers) w.join();
}

}  // namespace benchgate
