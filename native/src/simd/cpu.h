// CPU feature detection and the run-time SIMD level. Plain C++: no Node includes.
#pragma once

#include <string>

namespace benchgate {

// The SIMD levels the compute kernels are compiled for, widest last.
enum class SimdLevel { Scalar = 0, Avx2 = 1, Avx512 = 2 };

// What CPUID (and the OS's saved register state) says this CPU can run.
struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512dq = false;
  bool avx512vl = false;
  bool avx512bw = false;
};

CpuFeatures detect_cpu_features();

// The widest level the detected features allow.
SimdLevel widest_level(const CpuFeatures& f);

const char* level_name(SimdLevel level);

// Resolves the active level: the widest the CPU has, capped by `cap` (the BENCHGATE_SIMD value,
// or null/empty for no cap). A cap can only lower the level, never raise it past the CPU.
// Returns false and fills `error` when `cap` is not a known level name.
bool resolve_level(const CpuFeatures& f, const char* cap, SimdLevel* out, std::string* error);

}  // namespace benchgate
