// A probe of the FP64 FMA peak at the active SIMD level: the roof that FMA-bound kernels (matmul,
// the ODE ensemble) are measured against, taken on the machine in the same run.
#pragma once

#include <cstdint>

#include "cpu.h"

namespace benchgate {

struct FmaPeak {
  double flops;    // floating-point operations done (an FMA counts as two)
  double seconds;  // wall time from the first thread's start to the last thread's end
};

// Runs `iterations` rounds of independent FMA chains on each of `threads` threads (<= 0 means
// hardware concurrency); enough chains to cover the FMA latency on two pipes.
FmaPeak fma_peak(SimdLevel level, int threads, int64_t iterations);

}  // namespace benchgate
