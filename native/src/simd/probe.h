// The machine's limits for the roofline: an FP64 FMA pass and a STREAM-triad pass, timed by the caller. Plain C++.
#pragma once

#include <cstdint>

#include "cpu.h"

namespace benchgate {

// One pass of independent FP64 FMA chains at `level` on `threads` threads; returns the flops done.
double fma_pass(SimdLevel level, int threads);

// One STREAM-triad pass a = b + s·c over `elements` doubles per array on `threads` threads, each
// thread a contiguous slice; returns the bytes counted as STREAM does (24 per element).
double triad_pass(SimdLevel level, int threads, double* a, const double* b, const double* c, double s, int64_t elements);

}  // namespace benchgate
