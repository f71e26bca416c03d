// CPUID probing through the compiler's cpu-indicator, which also checks that the OS saves the
// wide registers (XGETBV), so a level reported here is one the process can really execute.
#include "cpu.h"

#include <cstring>

namespace benchgate {

CpuFeatures detect_cpu_features() {
  __builtin_cpu_init();
  CpuFeatures f;
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512dq = __builtin_cpu_supports("avx512dq");
  f.avx512vl = __builtin_cpu_supports("avx512vl");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  return f;
}

SimdLevel widest_level(const CpuFeatures& f) {
  if (f.avx512f && f.avx512dq && f.avx512vl && f.fma) return SimdLevel::Avx512;
  if (f.avx2 && f.fma) return SimdLevel::Avx2;
  return SimdLevel::Scalar;
}

const char* level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::Avx512: return "avx512";
    case SimdLevel::Avx2: return "avx2";
    case SimdLevel::Scalar: return "scalar";
  }
  return "scalar";
}

bool resolve_level(const CpuFeatures& f, const char* cap, SimdLevel* out, std::string* error) {
  SimdLevel widest = widest_level(f);
  if (cap == nullptr || cap[0] == '\0') {
    *out = widest;
    return true;
  }
  SimdLevel wanted;
  if (std::strcmp(cap, "avx512") == 0) {
    wanted = SimdLevel::Avx512;
  } else if (std::strcmp(cap, "avx2") == 0) {
    wanted = SimdLevel::Avx2;
  } else if (std::strcmp(cap, "scalar") == 0) {
    wanted = SimdLevel::Scalar;
  } else {
    *error = std::string("BENCHGATE_SIMD must be one of avx512, avx2, scalar (or unset) but got '") + cap + "'";
    return false;
  }
  *out = static_cast<int>(wanted) < static_cast<int>(widest) ? wanted : widest;
  return true;
}

}  // namespace benchgate
