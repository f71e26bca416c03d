// OpenBLAS as a reference, loaded at run time with dlopen so that nothing about it is needed at
// build time. Plain C++: no Node includes.
#pragma once

#include <string>

namespace benchgate {

struct OpenBlasStatus {
  bool loaded = false;
  std::string path;      // the name dlopen accepted
  std::string error;     // why nothing loaded, naming every candidate tried
  std::string corename;  // the kernel family OpenBLAS chose (openblas_get_corename), if it says
  std::string config;    // openblas_get_config(), e.g. threading model and version
};

// Loads the library once per process. Before the first load, sets OPENBLAS_CORETYPE to `coretype`
// (unless the environment already has it, or coretype is empty) and OPENBLAS_NUM_THREADS to
// `threads` (> 0), because OpenBLAS reads both only when it initialises. Later calls return the
// first result and only adjust the thread count.
OpenBlasStatus openblas_load(const std::string& coretype, int threads);

// C = A·B for n×n row-major matrices through cblas_dgemm; the library must be loaded.
void openblas_dgemm(int n, const double* a, const double* b, double* c);

}  // namespace benchgate
