// The ODE sweep on the GPU: one thread per system, state in registers for all steps, the same
// 66-flop RK4 step as kernels/ode-ensemble/rk4.ts with multiply–add pairs fused.
#include <cuda_runtime.h>

#include "ode.h"

namespace benchgate {
namespace cuda {

struct DeviceOde {
  int64_t n, steps;
  double dt;
  double* col[6] = {};
  double *v = nullptr, *w = nullptr;
};

namespace {

__device__ __forceinline__ void rhs(double v, double w, double a, double b, double eps, double cur, double* fv, double* fw) {
  const double cube = v * v * v;
  *fv = (fma(-cube, 1.0 / 3.0, v) - w) + cur;
  *fw = eps * fma(-b, w, v + a);
}

__global__ void sweep(int64_t n, int64_t steps, double dt, const double* __restrict__ a, const double* __restrict__ b,
                      const double* __restrict__ eps, const double* __restrict__ cur, const double* __restrict__ v0,
                      const double* __restrict__ w0, double* vout, double* wout) {
  const int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const double ai = a[i], bi = b[i], ei = eps[i], ci = cur[i];
  const double h2 = dt * 0.5, h6 = dt / 6;
  double v = v0[i], w = w0[i];
  for (int64_t s = 0; s < steps; s++) {
    double k1v, k1w, k2v, k2w, k3v, k3w, k4v, k4w;
    rhs(v, w, ai, bi, ei, ci, &k1v, &k1w);
    rhs(fma(h2, k1v, v), fma(h2, k1w, w), ai, bi, ei, ci, &k2v, &k2w);
    rhs(fma(h2, k2v, v), fma(h2, k2w, w), ai, bi, ei, ci, &k3v, &k3w);
    rhs(fma(dt, k3v, v), fma(dt, k3w, w), ai, bi, ei, ci, &k4v, &k4w);
    v = fma(h6, fma(2.0, k3v, fma(2.0, k2v, k1v)) + k4v, v);
    w = fma(h6, fma(2.0, k3w, fma(2.0, k2w, k1w)) + k4w, w);
  }
  vout[i] = v;
  wout[i] = w;
}

bool ok(cudaError_t e, std::string* error) {
  if (e != cudaSuccess) *error = cudaGetErrorString(e);
  return e == cudaSuccess;
}

}  // namespace

DeviceOde* ode_create(int64_t n, const double* const columns[6], int64_t steps, double dt, std::string* error) {
  auto* o = new DeviceOde{};
  o->n = n, o->steps = steps, o->dt = dt;
  const size_t bytes = static_cast<size_t>(n > 0 ? n : 1) * 8;
  bool good = true;
  for (int c = 0; c < 6 && good; c++) {
    good = ok(cudaMalloc(&o->col[c], bytes), error) &&
           ok(cudaMemcpy(o->col[c], columns[c], static_cast<size_t>(n) * 8, cudaMemcpyHostToDevice), error);
  }
  good = good && ok(cudaMalloc(&o->v, bytes), error) && ok(cudaMalloc(&o->w, bytes), error);
  if (!good) {
    ode_destroy(o);
    return nullptr;
  }
  return o;
}

bool ode_run(DeviceOde* o, std::string* error) {
  const int block = 128;
  if (o->n > 0) {
    sweep<<<static_cast<unsigned>((o->n + block - 1) / block), block>>>(o->n, o->steps, o->dt, o->col[0], o->col[1], o->col[2],
                                                                          o->col[3], o->col[4], o->col[5], o->v, o->w);
  }
  return ok(cudaGetLastError(), error) && ok(cudaDeviceSynchronize(), error);
}

bool ode_read(DeviceOde* o, double* v, double* w, std::string* error) {
  return ok(cudaMemcpy(v, o->v, static_cast<size_t>(o->n) * 8, cudaMemcpyDeviceToHost), error) &&
         ok(cudaMemcpy(w, o->w, static_cast<size_t>(o->n) * 8, cudaMemcpyDeviceToHost), error);
}

void ode_destroy(DeviceOde* o) {
  if (o == nullptr) return;
  for (double* c : o->col) cudaFree(c);
  cudaFree(o->v);
  cudaFree(o->w);
  delete o;
}

}  // namespace cuda
}  // namespace benchgate
