// dlopen/dlsym binding to cblas_dgemm. Only the symbols' C signatures are assumed (the LP64
// interface with 32-bit ints that Debian's libopenblas0 exports), not any header.
#include "openblas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace benchgate {
namespace {

constexpr int kRowMajor = 101;  // CblasRowMajor
constexpr int kNoTrans = 111;   // CblasNoTrans

using DgemmFn = void (*)(int, int, int, int, int, int, double, const double*, int, const double*, int, double,
                         double*, int);
using SetThreadsFn = void (*)(int);
using StringFn = char* (*)();

std::mutex load_mutex;
bool attempted = false;
OpenBlasStatus status;
DgemmFn dgemm = nullptr;
SetThreadsFn set_threads = nullptr;

}  // namespace

OpenBlasStatus openblas_load(const std::string& coretype, int threads) {
  std::lock_guard<std::mutex> lock(load_mutex);
  if (attempted) {
    if (status.loaded && threads > 0 && set_threads != nullptr) set_threads(threads);
    return status;
  }
  attempted = true;
  // The caller (src/addon/openblas.ts) decided the core type, inherited values included.
  if (!coretype.empty()) setenv("OPENBLAS_CORETYPE", coretype.c_str(), 1);
  if (threads > 0) setenv("OPENBLAS_NUM_THREADS", std::to_string(threads).c_str(), 1);

  const char* candidates[] = {"libopenblas.so.0", "libopenblas.so"};
  std::string errors;
  void* handle = nullptr;
  for (const char* name : candidates) {
    handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) {
      status.path = name;
      break;
    }
    const char* e = dlerror();
    errors += std::string(errors.empty() ? "" : "; ") + name + ": " + (e != nullptr ? e : "not found");
  }
  if (handle == nullptr) {
    status.error = "libopenblas not found (" + errors + "); install it, e.g. apt-get install libopenblas-dev";
    return status;
  }
  dgemm = reinterpret_cast<DgemmFn>(dlsym(handle, "cblas_dgemm"));
  if (dgemm == nullptr) {
    status.error = status.path + " has no cblas_dgemm symbol";
    return status;
  }
  set_threads = reinterpret_cast<SetThreadsFn>(dlsym(handle, "openblas_set_num_threads"));
  if (auto corename = reinterpret_cast<StringFn>(dlsym(handle, "openblas_get_corename"))) status.corename = corename();
  if (auto config = reinterpret_cast<StringFn>(dlsym(handle, "openblas_get_config"))) status.config = config();
  if (threads > 0 && set_threads != nullptr) set_threads(threads);
  status.loaded = true;
  return status;
}

void openblas_dgemm(int n, const double* a, const double* b, double* c) {
  dgemm(kRowMajor, kNoTrans, kNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
}

}  // namespace benchgate
