// N-API glue for benchgate_cuda: device queries, and a CudaMatmul object owning the device
// buffers of one product (allocated at construction, freed by dispose()), so a benchmark's setup
// and teardown bracket the allocation and the timed call is only the kernel and its sync.
#include <napi.h>

#include <string>

#include "cuda/matmul.h"

namespace {

namespace bc = benchgate::cuda;

Napi::Value DeviceCount(const Napi::CallbackInfo& info) {
  std::string error;
  const int count = bc::device_count(&error);
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("count", count < 0 ? 0 : count);
  o.Set("error", error);
  return o;
}

Napi::Value DeviceName(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "argument 'device' must be a number");
  std::string error;
  const std::string name = bc::device_name(info[0].As<Napi::Number>().Int32Value(), &error);
  if (!error.empty()) throw Napi::Error::New(info.Env(), "cudaGetDeviceProperties: " + error);
  return Napi::String::New(info.Env(), name);
}

class CudaMatmul : public Napi::ObjectWrap<CudaMatmul> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaMatmul",
                       {InstanceMethod("run", &CudaMatmul::Run), InstanceMethod("read", &CudaMatmul::Read),
                        InstanceMethod("dispose", &CudaMatmul::Dispose)});
  }

  // new CudaMatmul(a: Float64Array, b: Float64Array, n: number): uploads A and B.
  explicit CudaMatmul(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaMatmul>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[2].IsNumber()) throw Napi::TypeError::New(env, "argument 'n' must be a number");
    const double nd = info[2].As<Napi::Number>().DoubleValue();
    if (!(nd >= 1 && nd <= 46340 && nd == static_cast<double>(static_cast<int>(nd)))) {
      throw Napi::RangeError::New(env, "argument 'n' must be an integer in [1, 46340]");
    }
    n_ = static_cast<int>(nd);
    const Napi::Float64Array a = Operand(info, 0, "a"), b = Operand(info, 1, "b");
    std::string error;
    m_ = bc::matmul_create(n_, a.Data(), b.Data(), &error);
    if (m_ == nullptr) throw Napi::Error::New(env, "CUDA allocation or upload failed: " + error);
  }
  ~CudaMatmul() override { bc::matmul_destroy(m_); }

 private:
  Napi::Float64Array Operand(const Napi::CallbackInfo& info, size_t i, const char* name) {
    if (info.Length() <= i || !info[i].IsTypedArray() ||
        info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float64Array");
    }
    Napi::Float64Array arr = info[i].As<Napi::Float64Array>();
    if (arr.ElementLength() != static_cast<size_t>(n_) * n_) {
      throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' must have n*n elements");
    }
    return arr;
  }

  bc::DeviceMatmul* Live(const Napi::Env& env) {
    if (m_ == nullptr) throw Napi::Error::New(env, "CudaMatmul was disposed");
    return m_;
  }

  Napi::Value Run(const Napi::CallbackInfo& info) {
    std::string error;
    if (!bc::matmul_run(Live(info.Env()), &error)) throw Napi::Error::New(info.Env(), "CUDA matmul failed: " + error);
    return info.Env().Undefined();
  }

  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Float64Array c = Operand(info, 0, "c");
    std::string error;
    if (!bc::matmul_read(Live(info.Env()), c.Data(), &error)) {
      throw Napi::Error::New(info.Env(), "CUDA copy to host failed: " + error);
    }
    return info[0];
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    bc::matmul_destroy(m_);
    m_ = nullptr;
    return info.Env().Undefined();
  }

  int n_ = 0;
  bc::DeviceMatmul* m_ = nullptr;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("deviceCount", Napi::Function::New(env, DeviceCount, "deviceCount"));
  exports.Set("deviceName", Napi::Function::New(env, DeviceName, "deviceName"));
  exports.Set("CudaMatmul", CudaMatmul::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(benchgate_cuda, Init)
