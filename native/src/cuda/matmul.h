// FP64 matrix product on a CUDA device, with operands resident in device memory. Plain C++
// interface (no CUDA or Node types), so the glue compiles with the host compiler alone.
#pragma once

#include <string>

namespace benchgate {
namespace cuda {

// Number of usable devices; on failure returns -1 and the runtime's error string (e.g. no driver,
// no device) in `error`.
int device_count(std::string* error);

// The device's marketing name, or empty with `error` set.
std::string device_name(int device, std::string* error);

// Device buffers for one n×n product, A and B uploaded once at creation.
struct DeviceMatmul;

DeviceMatmul* matmul_create(int n, const double* a, const double* b, std::string* error);
// Runs C = A·B on the device and waits for it: kernel time plus synchronisation, no transfers.
bool matmul_run(DeviceMatmul* m, std::string* error);
// Copies C back to the host (n*n doubles).
bool matmul_read(DeviceMatmul* m, double* c, std::string* error);
void matmul_destroy(DeviceMatmul* m);

}  // namespace cuda
}  // namespace benchgate
