// The machine's limits for the roofline: FP64 FMA peak and STREAM-triad bandwidth. Plain C++.
#pragma once

#include <cstdint>

#include "cpu.h"

namespace benchgate {

// FP64 GFLOP/s of independent FMA chains at `level` on `threads` threads (best of `reps`).
double fma_peak_gflops(SimdLevel level, int threads, int reps);

// STREAM triad a = b + s·c over `elements` doubles per array on `threads` threads: GB/s counted as
// STREAM does (24 bytes per element: two reads, one write), best of `reps`.
double triad_gbps(SimdLevel level, int threads, int64_t elements, int reps);

}  // namespace benchgate
