// The FitzHugh–Nagumo RK4 sweep on a CUDA device, one thread per system. Plain C++ interface.
#pragma once

#include <cstdint>
#include <string>

namespace benchgate {
namespace cuda {

struct DeviceOde;
// Uploads the six columns (a, b, eps, current, v0, w0; n entries each).
DeviceOde* ode_create(int64_t n, const double* const columns[6], int64_t steps, double dt, std::string* error);
bool ode_run(DeviceOde* o, std::string* error);
bool ode_read(DeviceOde* o, double* v, double* w, std::string* error);
void ode_destroy(DeviceOde* o);

}  // namespace cuda
}  // namespace benchgate
