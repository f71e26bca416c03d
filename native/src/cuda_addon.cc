// N-API glue for benchgate_cuda: device queries, and a CudaMatmul object owning the device
// buffers of one product (allocated at construction, freed by dispose()), so a benchmark's setup
// and teardown bracket the allocation and the timed call is only the kernel and its sync.
#include <napi.h>

#include <string>

#include "cuda/matmul.h"
#include "cuda/ode.h"
#include "cuda/points.h"

#include <vector>

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

// ---- gridding, select and ode-ensemble on the device (kernels branch) ------------------------

Napi::Float64Array F64Of(const Napi::Env& env, const Napi::Object& o, const std::string& owner, const char* field, size_t want) {
  Napi::Value v = o.Get(field);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, "'" + owner + "." + field + "' must be a Float64Array");
  }
  Napi::Float64Array a = v.As<Napi::Float64Array>();
  if (want != SIZE_MAX && a.ElementLength() != want) {
    throw Napi::RangeError::New(env, "'" + owner + "." + field + "' must have " + std::to_string(want) + " elements");
  }
  return a;
}

double NumOf(const Napi::Env& env, const Napi::Object& o, const std::string& owner, const char* field) {
  Napi::Value v = o.Get(field);
  if (!v.IsNumber()) throw Napi::TypeError::New(env, "'" + owner + "." + field + "' must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

Napi::Object ObjOf(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsObject()) throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be an object");
  return info[i].As<Napi::Object>();
}

// chunks: Array<{x, y, value}> of equal-length Float64Arrays, fewer than 2^32 points in all.
std::vector<bc::HostChunk> HostChunks(const Napi::CallbackInfo& info, size_t i) {
  Napi::Env env = info.Env();
  if (info.Length() <= i || !info[i].IsArray()) throw Napi::TypeError::New(env, "argument 'chunks' must be an array");
  Napi::Array arr = info[i].As<Napi::Array>();
  std::vector<bc::HostChunk> out;
  int64_t total = 0;
  for (uint32_t k = 0; k < arr.Length(); k++) {
    if (!arr.Get(k).IsObject()) throw Napi::TypeError::New(env, "'chunks[" + std::to_string(k) + "]' must be an object {x, y, value}");
    Napi::Object o = arr.Get(k).As<Napi::Object>();
    const std::string owner = "chunks[" + std::to_string(k) + "]";
    Napi::Float64Array x = F64Of(env, o, owner, "x", SIZE_MAX);
    out.push_back({x.Data(), F64Of(env, o, owner, "y", x.ElementLength()).Data(), F64Of(env, o, owner, "value", x.ElementLength()).Data(),
                   static_cast<int64_t>(x.ElementLength())});
    total += static_cast<int64_t>(x.ElementLength());
  }
  if (total >= (int64_t{1} << 32)) throw Napi::RangeError::New(env, "'chunks' hold 2^32 points or more (indices are 32-bit)");
  return out;
}

// new CudaGridding(chunks, grid {nx, ny, x0, y0, invCell}): uploads the points; run(); read(out).
class CudaGridding : public Napi::ObjectWrap<CudaGridding> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaGridding",
                       {InstanceMethod("run", &CudaGridding::Run), InstanceMethod("read", &CudaGridding::Read),
                        InstanceMethod("dispose", &CudaGridding::Dispose)});
  }
  explicit CudaGridding(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaGridding>(info) {
    Napi::Env env = info.Env();
    const auto chunks = HostChunks(info, 0);
    Napi::Object grid = ObjOf(info, 1, "grid");
    const double nx = NumOf(env, grid, "grid", "nx"), ny = NumOf(env, grid, "grid", "ny");
    if (!(nx >= 1 && ny >= 1 && nx == static_cast<int64_t>(nx) && ny == static_cast<int64_t>(ny) && nx * ny < 2147483648.0)) {
      throw Napi::RangeError::New(env, "'grid.nx' and 'grid.ny' must be positive integers with nx*ny < 2^31");
    }
    cells_ = static_cast<size_t>(nx * ny);
    std::string error;
    g_ = bc::gridding_create(chunks.data(), static_cast<int64_t>(chunks.size()), static_cast<int64_t>(nx), static_cast<int64_t>(ny),
                             NumOf(env, grid, "grid", "x0"), NumOf(env, grid, "grid", "y0"), NumOf(env, grid, "grid", "invCell"), &error);
    if (g_ == nullptr) throw Napi::Error::New(env, "CUDA allocation or upload failed: " + error);
  }
  ~CudaGridding() override { bc::gridding_destroy(g_); }

 private:
  bc::DeviceGridding* Live(const Napi::Env& env) {
    if (g_ == nullptr) throw Napi::Error::New(env, "CudaGridding was disposed");
    return g_;
  }
  Napi::Value Run(const Napi::CallbackInfo& info) {
    std::string error;
    if (!bc::gridding_run(Live(info.Env()), &error)) throw Napi::Error::New(info.Env(), "CUDA gridding failed: " + error);
    return info.Env().Undefined();
  }
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object out = ObjOf(info, 0, "out");
    Napi::Value count = out.Get("count");
    if (!count.IsTypedArray() || count.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
        count.As<Napi::TypedArray>().ElementLength() != cells_) {
      throw Napi::TypeError::New(env, "'out.count' must be a Uint32Array of nx*ny elements");
    }
    std::string error;
    if (!bc::gridding_read(Live(env), count.As<Napi::Uint32Array>().Data(), F64Of(env, out, "out", "mean", cells_).Data(),
                           F64Of(env, out, "out", "min", cells_).Data(), F64Of(env, out, "out", "max", cells_).Data(), &error)) {
      throw Napi::Error::New(env, "CUDA copy to host failed: " + error);
    }
    return info[0];
  }
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    bc::gridding_destroy(g_);
    g_ = nullptr;
    return info.Env().Undefined();
  }
  size_t cells_ = 0;
  bc::DeviceGridding* g_ = nullptr;
};

// new CudaSelect(chunks, query {xMin, xMax, yMin, yMax, vMin, vMax}); run() → count; read(out, count).
class CudaSelect : public Napi::ObjectWrap<CudaSelect> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaSelect",
                       {InstanceMethod("run", &CudaSelect::Run), InstanceMethod("read", &CudaSelect::Read),
                        InstanceMethod("dispose", &CudaSelect::Dispose)});
  }
  explicit CudaSelect(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaSelect>(info) {
    Napi::Env env = info.Env();
    const auto chunks = HostChunks(info, 0);
    Napi::Object q = ObjOf(info, 1, "query");
    const double box[6] = {NumOf(env, q, "query", "xMin"), NumOf(env, q, "query", "xMax"), NumOf(env, q, "query", "yMin"),
                           NumOf(env, q, "query", "yMax"), NumOf(env, q, "query", "vMin"), NumOf(env, q, "query", "vMax")};
    std::string error;
    s_ = bc::select_create(chunks.data(), static_cast<int64_t>(chunks.size()), box, &error);
    if (s_ == nullptr) throw Napi::Error::New(env, "CUDA allocation or upload failed: " + error);
  }
  ~CudaSelect() override { bc::select_destroy(s_); }

 private:
  bc::DeviceSelect* Live(const Napi::Env& env) {
    if (s_ == nullptr) throw Napi::Error::New(env, "CudaSelect was disposed");
    return s_;
  }
  Napi::Value Run(const Napi::CallbackInfo& info) {
    std::string error;
    const int64_t k = bc::select_run(Live(info.Env()), &error);
    if (k < 0) throw Napi::Error::New(info.Env(), "CUDA select failed: " + error);
    count_ = k;
    return Napi::Number::New(info.Env(), static_cast<double>(k));
  }
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array ||
        static_cast<int64_t>(info[0].As<Napi::TypedArray>().ElementLength()) < count_) {
      throw Napi::TypeError::New(env, "argument 'out' must be a Uint32Array with room for the last run's count");
    }
    std::string error;
    if (!bc::select_read(Live(env), info[0].As<Napi::Uint32Array>().Data(), count_, &error)) {
      throw Napi::Error::New(env, "CUDA copy to host failed: " + error);
    }
    return Napi::Number::New(env, static_cast<double>(count_));
  }
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    bc::select_destroy(s_);
    s_ = nullptr;
    return info.Env().Undefined();
  }
  int64_t count_ = 0;
  bc::DeviceSelect* s_ = nullptr;
};

// new CudaOde({a, b, eps, current, v0, w0}, steps, dt); run(); read(v, w).
class CudaOde : public Napi::ObjectWrap<CudaOde> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaOde",
                       {InstanceMethod("run", &CudaOde::Run), InstanceMethod("read", &CudaOde::Read),
                        InstanceMethod("dispose", &CudaOde::Dispose)});
  }
  explicit CudaOde(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaOde>(info) {
    Napi::Env env = info.Env();
    Napi::Object cols = ObjOf(info, 0, "columns");
    n_ = F64Of(env, cols, "columns", "a", SIZE_MAX).ElementLength();
    const char* names[6] = {"a", "b", "eps", "current", "v0", "w0"};
    const double* columns[6];
    for (int c = 0; c < 6; c++) columns[c] = F64Of(env, cols, "columns", names[c], n_).Data();
    if (info.Length() < 3 || !info[1].IsNumber() || !info[2].IsNumber()) throw Napi::TypeError::New(env, "arguments 'steps' and 'dt' must be numbers");
    const double steps = info[1].As<Napi::Number>().DoubleValue();
    if (!(steps >= 0 && steps <= 1e9 && steps == static_cast<double>(static_cast<int64_t>(steps)))) {
      throw Napi::RangeError::New(env, "argument 'steps' must be an integer in [0, 1e9]");
    }
    std::string error;
    o_ = bc::ode_create(static_cast<int64_t>(n_), columns, static_cast<int64_t>(steps), info[2].As<Napi::Number>().DoubleValue(), &error);
    if (o_ == nullptr) throw Napi::Error::New(env, "CUDA allocation or upload failed: " + error);
  }
  ~CudaOde() override { bc::ode_destroy(o_); }

 private:
  bc::DeviceOde* Live(const Napi::Env& env) {
    if (o_ == nullptr) throw Napi::Error::New(env, "CudaOde was disposed");
    return o_;
  }
  Napi::Value Run(const Napi::CallbackInfo& info) {
    std::string error;
    if (!bc::ode_run(Live(info.Env()), &error)) throw Napi::Error::New(info.Env(), "CUDA ode sweep failed: " + error);
    return info.Env().Undefined();
  }
  Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    for (size_t i = 0; i < 2; i++) {
      if (info.Length() <= i || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
          info[i].As<Napi::TypedArray>().ElementLength() != n_) {
        throw Napi::TypeError::New(env, std::string("argument '") + (i == 0 ? "v" : "w") + "' must be a Float64Array with one entry per system");
      }
    }
    std::string error;
    if (!bc::ode_read(Live(env), info[0].As<Napi::Float64Array>().Data(), info[1].As<Napi::Float64Array>().Data(), &error)) {
      throw Napi::Error::New(env, "CUDA copy to host failed: " + error);
    }
    return env.Undefined();
  }
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    bc::ode_destroy(o_);
    o_ = nullptr;
    return info.Env().Undefined();
  }
  size_t n_ = 0;
  bc::DeviceOde* o_ = nullptr;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("deviceCount", Napi::Function::New(env, DeviceCount, "deviceCount"));
  exports.Set("deviceName", Napi::Function::New(env, DeviceName, "deviceName"));
  exports.Set("CudaMatmul", CudaMatmul::Define(env));
  exports.Set("CudaGridding", CudaGridding::Define(env));
  exports.Set("CudaSelect", CudaSelect::Define(env));
  exports.Set("CudaOde", CudaOde::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(benchgate_cuda, Init)
