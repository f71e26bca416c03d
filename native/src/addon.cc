// N-API glue for benchgate_native: argument checks that throw JS errors naming the argument,
// conversions, and AsyncWorkers for the Promise variants. All compute is in simd/ and ref/.
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>
#include <algorithm>
#include <functional>
#include <sstream>
#include <string>

#include "ref/openblas.h"
#include "simd/cpu.h"
#include "simd/gemm.h"
#include "simd/gridding.h"
#include "simd/ode.h"
#include "simd/probe.h"
#include "simd/select.h"

namespace {

using benchgate::GemmArgs;
using benchgate::SimdLevel;

// Resolved once at load: the CPU does not change under a running process, and BENCHGATE_SIMD is
// read once so every call in a process uses the same level.
benchgate::CpuFeatures g_features;
SimdLevel g_level = SimdLevel::Scalar;
std::string g_level_error;  // non-empty when BENCHGATE_SIMD holds an unknown value

SimdLevel ActiveLevel(const Napi::Env& env) {
  if (!g_level_error.empty()) throw Napi::Error::New(env, g_level_error);
  return g_level;
}

std::string Num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

Napi::Value SimdLevelJs(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), benchgate::level_name(ActiveLevel(info.Env())));
}

Napi::Value CpuFeaturesJs(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("avx2", g_features.avx2);
  o.Set("fma", g_features.fma);
  o.Set("avx512f", g_features.avx512f);
  o.Set("avx512dq", g_features.avx512dq);
  o.Set("avx512vl", g_features.avx512vl);
  o.Set("avx512bw", g_features.avx512bw);
  o.Set("widest", benchgate::level_name(benchgate::widest_level(g_features)));
  return o;
}

// A checked matmul call: the three n×n operands and n. Holds references so the arrays outlive an
// async call even if the caller drops them.
struct MatmulCall {
  int64_t n = 0;
  const double* a = nullptr;
  const double* b = nullptr;
  double* c = nullptr;
  int threads = 0;
  Napi::ObjectReference refs[3];
};

Napi::Float64Array Float64Arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float64Array");
  }
  return info[index].As<Napi::Float64Array>();
}

bool Overlaps(const Napi::Float64Array& x, const Napi::Float64Array& y) {
  const char* x0 = reinterpret_cast<const char*>(x.Data());
  const char* y0 = reinterpret_cast<const char*>(y.Data());
  return x0 < y0 + y.ByteLength() && y0 < x0 + x.ByteLength();
}

// Parses (a, b, c, n[, threads]); `with_threads` enables the optional fifth argument.
MatmulCall ParseMatmul(const Napi::CallbackInfo& info, bool with_threads) {
  Napi::Env env = info.Env();
  Napi::Float64Array a = Float64Arg(info, 0, "a");
  Napi::Float64Array b = Float64Arg(info, 1, "b");
  Napi::Float64Array c = Float64Arg(info, 2, "c");
  if (info.Length() <= 3 || !info[3].IsNumber()) throw Napi::TypeError::New(env, "argument 'n' must be a number");
  const double nd = info[3].As<Napi::Number>().DoubleValue();
  if (!(nd >= 1 && nd <= 65536 && nd == static_cast<double>(static_cast<int64_t>(nd)))) {
    throw Napi::RangeError::New(env, "argument 'n' must be an integer in [1, 65536] but got " + Num(nd));
  }
  const int64_t n = static_cast<int64_t>(nd);
  const size_t want = static_cast<size_t>(n * n);
  const char* names[] = {"a", "b", "c"};
  const Napi::Float64Array* arrays[] = {&a, &b, &c};
  for (int i = 0; i < 3; i++) {
    if (arrays[i]->ElementLength() != want) {
      throw Napi::RangeError::New(env, std::string("argument '") + names[i] + "' must have n*n = " + std::to_string(want) +
                                           " elements but has " + std::to_string(arrays[i]->ElementLength()));
    }
  }
  if (Overlaps(c, a) || Overlaps(c, b)) {
    throw Napi::RangeError::New(env, "argument 'c' must not share memory with 'a' or 'b' (the product is written in blocks)");
  }
  MatmulCall call;
  call.n = n;
  call.a = a.Data();
  call.b = b.Data();
  call.c = c.Data();
  if (with_threads && info.Length() > 4 && !info[4].IsUndefined()) {
    if (!info[4].IsNumber()) throw Napi::TypeError::New(env, "argument 'threads' must be a number");
    const double t = info[4].As<Napi::Number>().DoubleValue();
    if (!(t >= 1 && t <= 1024 && t == static_cast<double>(static_cast<int>(t)))) {
      throw Napi::RangeError::New(env, "argument 'threads' must be an integer in [1, 1024] but got " + Num(t));
    }
    call.threads = static_cast<int>(t);
  }
  call.refs[0] = Napi::Persistent(a.As<Napi::Object>());
  call.refs[1] = Napi::Persistent(b.As<Napi::Object>());
  call.refs[2] = Napi::Persistent(c.As<Napi::Object>());
  return call;
}

GemmArgs ToGemm(const MatmulCall& m) { return {m.n, m.n, m.n, m.a, m.n, m.b, m.n, m.c, m.n}; }

// The compute behind one export, given its checked arguments and the process's SIMD level.
using Compute = std::function<void(const MatmulCall&, SimdLevel)>;

void ComputeScalar(const MatmulCall& m, SimdLevel) { benchgate::gemm_blocked_scalar(ToGemm(m)); }
void ComputeSimd(const MatmulCall& m, SimdLevel level) { benchgate::gemm_packed(level, ToGemm(m)); }
void ComputeParallel(const MatmulCall& m, SimdLevel level) {
  benchgate::gemm_packed_parallel(level, m.threads, ToGemm(m));
}

bool g_openblas_loaded = false;
void ComputeOpenblas(const MatmulCall& m, SimdLevel) {
  benchgate::openblas_dgemm(static_cast<int>(m.n), m.a, m.b, m.c);
}

void RequireOpenblas(const Napi::Env& env, const MatmulCall& m) {
  if (!g_openblas_loaded) throw Napi::Error::New(env, "OpenBLAS is not loaded: call openblasLoad() first");
  if (m.n > 46340) throw Napi::RangeError::New(env, "argument 'n' is too large for OpenBLAS's 32-bit indices");
}

// Runs the product on libuv's thread pool and settles a Promise, so the event loop stays live.
class MatmulWorker : public Napi::AsyncWorker {
 public:
  MatmulWorker(Napi::Env env, MatmulCall call, SimdLevel level, Compute compute)
      : Napi::AsyncWorker(env), call_(std::move(call)), level_(level), compute_(std::move(compute)),
        deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override { compute_(call_, level_); }
  void OnOK() override { deferred_.Resolve(call_.refs[2].Value()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  MatmulCall call_;
  SimdLevel level_;
  Compute compute_;
  Napi::Promise::Deferred deferred_;
};

// Makes the sync export (returns c) and the async one (returns Promise<c>) for one compute.
template <bool kThreads, bool kOpenblas>
Napi::Value RunSync(const Napi::CallbackInfo& info, const Compute& compute) {
  MatmulCall call = ParseMatmul(info, kThreads);
  SimdLevel level = ActiveLevel(info.Env());
  if (kOpenblas) RequireOpenblas(info.Env(), call);
  compute(call, level);
  return info[2];
}

template <bool kThreads, bool kOpenblas>
Napi::Value RunAsync(const Napi::CallbackInfo& info, const Compute& compute) {
  MatmulCall call = ParseMatmul(info, kThreads);
  SimdLevel level = ActiveLevel(info.Env());
  if (kOpenblas) RequireOpenblas(info.Env(), call);
  auto* worker = new MatmulWorker(info.Env(), std::move(call), level, compute);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value OpenblasLoadJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string coretype;
  if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "argument 'coretype' must be a string or null");
    coretype = info[0].As<Napi::String>().Utf8Value();
  }
  int threads = 0;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    const double t = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : -1;
    if (!(t >= 1 && t <= 1024 && t == static_cast<double>(static_cast<int>(t)))) {
      throw Napi::RangeError::New(env, "argument 'threads' must be an integer in [1, 1024]");
    }
    threads = static_cast<int>(t);
  }
  const benchgate::OpenBlasStatus s = benchgate::openblas_load(coretype, threads);
  g_openblas_loaded = s.loaded;
  Napi::Object o = Napi::Object::New(env);
  o.Set("loaded", s.loaded);
  o.Set("path", s.path);
  o.Set("error", s.error);
  o.Set("corename", s.corename);
  o.Set("config", s.config);
  return o;
}

// ---- gridding, select, ode-ensemble and the roofline probes (kernels branch) -----------------

Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsObject()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be an object");
  }
  return info[index].As<Napi::Object>();
}

Napi::TypedArray TypedField(const Napi::Env& env, const Napi::Object& o, const char* owner, const char* field,
                            napi_typedarray_type type, const char* type_name) {
  Napi::Value v = o.Get(field);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(env, std::string("'") + owner + "." + field + "' must be a " + type_name);
  }
  return v.As<Napi::TypedArray>();
}

const double* F64Field(const Napi::Env& env, const Napi::Object& o, const char* owner, const char* field, size_t want) {
  Napi::TypedArray t = TypedField(env, o, owner, field, napi_float64_array, "Float64Array");
  if (want != SIZE_MAX && t.ElementLength() != want) {
    throw Napi::RangeError::New(env, std::string("'") + owner + "." + field + "' must have " + std::to_string(want) +
                                         " elements but has " + std::to_string(t.ElementLength()));
  }
  return t.As<Napi::Float64Array>().Data();
}

double NumberField(const Napi::Env& env, const Napi::Object& o, const char* owner, const char* field) {
  Napi::Value v = o.Get(field);
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) {
    throw Napi::TypeError::New(env, std::string("'") + owner + "." + field + "' must be a finite number");
  }
  return v.As<Napi::Number>().DoubleValue();
}

int ThreadsArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return 1;
  const double t = info[index].IsNumber() ? info[index].As<Napi::Number>().DoubleValue() : -1;
  if (!(t >= 1 && t <= 1024 && t == static_cast<double>(static_cast<int>(t)))) {
    throw Napi::RangeError::New(info.Env(), "argument 'threads' must be an integer in [1, 1024]");
  }
  return static_cast<int>(t);
}

// chunks: Array<{x, y, value}> of equal-length Float64Array columns; total below 2^32 points.
std::vector<benchgate::PointChunkView> ChunksArg(const Napi::CallbackInfo& info, size_t index, int64_t* total) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsArray()) throw Napi::TypeError::New(env, "argument 'chunks' must be an array");
  Napi::Array arr = info[index].As<Napi::Array>();
  std::vector<benchgate::PointChunkView> chunks;
  *total = 0;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value item = arr.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "'chunks[" + std::to_string(i) + "]' must be an object {x, y, value}");
    Napi::Object o = item.As<Napi::Object>();
    const std::string owner = "chunks[" + std::to_string(i) + "]";
    const size_t n = TypedField(env, o, owner.c_str(), "x", napi_float64_array, "Float64Array").ElementLength();
    chunks.push_back({F64Field(env, o, owner.c_str(), "x", n), F64Field(env, o, owner.c_str(), "y", n),
                      F64Field(env, o, owner.c_str(), "value", n), static_cast<int64_t>(n)});
    *total += static_cast<int64_t>(n);
  }
  if (*total >= (int64_t{1} << 32)) throw Napi::RangeError::New(env, "'chunks' hold 2^32 points or more (indices are 32-bit)");
  return chunks;
}

// griddingRun(chunks, grid {nx, ny, x0, y0, invCell}, out {count, mean, min, max}, threads?) →
// bytes of accumulator memory used.
Napi::Value GriddingRunJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t total = 0;
  const auto chunks = ChunksArg(info, 0, &total);
  Napi::Object grid = ObjectArg(info, 1, "grid");
  benchgate::GridGeometry g{};
  const double nx = NumberField(env, grid, "grid", "nx"), ny = NumberField(env, grid, "grid", "ny");
  if (!(nx >= 1 && ny >= 1 && nx == static_cast<int64_t>(nx) && ny == static_cast<int64_t>(ny) && nx * ny < 2147483648.0)) {
    throw Napi::RangeError::New(env, "'grid.nx' and 'grid.ny' must be positive integers with nx*ny < 2^31");
  }
  g.nx = static_cast<int64_t>(nx);
  g.ny = static_cast<int64_t>(ny);
  g.x0 = NumberField(env, grid, "grid", "x0");
  g.y0 = NumberField(env, grid, "grid", "y0");
  g.inv_cell = NumberField(env, grid, "grid", "invCell");
  Napi::Object out = ObjectArg(info, 2, "out");
  const size_t cells = static_cast<size_t>(g.nx * g.ny);
  Napi::TypedArray count = TypedField(env, out, "out", "count", napi_uint32_array, "Uint32Array");
  if (count.ElementLength() != cells) throw Napi::RangeError::New(env, "'out.count' must have nx*ny = " + std::to_string(cells) + " elements");
  benchgate::GridOutput o{count.As<Napi::Uint32Array>().Data(), const_cast<double*>(F64Field(env, out, "out", "mean", cells)),
                          const_cast<double*>(F64Field(env, out, "out", "min", cells)),
                          const_cast<double*>(F64Field(env, out, "out", "max", cells))};
  const int threads = ThreadsArg(info, 3);
  const int64_t used = benchgate::grid_points(ActiveLevel(env), threads, chunks.data(), static_cast<int64_t>(chunks.size()), g, o);
  return Napi::Number::New(env, static_cast<double>(used));
}

// selectRun(chunks, query {xMin, xMax, yMin, yMax, vMin, vMax}, out: Uint32Array, threads?) → count.
Napi::Value SelectRunJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t total = 0;
  const auto chunks = ChunksArg(info, 0, &total);
  Napi::Object q = ObjectArg(info, 1, "query");
  const benchgate::SelectBox box{NumberField(env, q, "query", "xMin"), NumberField(env, q, "query", "xMax"),
                                 NumberField(env, q, "query", "yMin"), NumberField(env, q, "query", "yMax"),
                                 NumberField(env, q, "query", "vMin"), NumberField(env, q, "query", "vMax")};
  if (info.Length() <= 2 || !info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throw Napi::TypeError::New(env, "argument 'out' must be a Uint32Array");
  }
  Napi::Uint32Array out = info[2].As<Napi::Uint32Array>();
  if (static_cast<int64_t>(out.ElementLength()) < total) {
    throw Napi::RangeError::New(env, "argument 'out' must have room for every point (" + std::to_string(total) + ") but has " +
                                         std::to_string(out.ElementLength()));
  }
  const int threads = ThreadsArg(info, 3);
  const int64_t k = benchgate::select_points(ActiveLevel(env), threads, chunks.data(), static_cast<int64_t>(chunks.size()), box, out.Data());
  return Napi::Number::New(env, static_cast<double>(k));
}

// odeRun({a, b, eps, current, v0, w0}, steps, dt, v, w, threads?): final states into v and w.
Napi::Value OdeRunJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object cols = ObjectArg(info, 0, "columns");
  const size_t n = TypedField(env, cols, "columns", "a", napi_float64_array, "Float64Array").ElementLength();
  if (info.Length() <= 2 || !info[1].IsNumber() || !info[2].IsNumber()) throw Napi::TypeError::New(env, "arguments 'steps' and 'dt' must be numbers");
  const double steps = info[1].As<Napi::Number>().DoubleValue();
  const double dt = info[2].As<Napi::Number>().DoubleValue();
  if (!(steps >= 0 && steps <= 1e9 && steps == static_cast<double>(static_cast<int64_t>(steps)))) {
    throw Napi::RangeError::New(env, "argument 'steps' must be an integer in [0, 1e9] but got " + Num(steps));
  }
  if (!std::isfinite(dt)) throw Napi::RangeError::New(env, "argument 'dt' must be finite");
  Napi::Float64Array v = Float64Arg(info, 3, "v");
  Napi::Float64Array w = Float64Arg(info, 4, "w");
  if (v.ElementLength() != n || w.ElementLength() != n) {
    throw Napi::RangeError::New(env, "arguments 'v' and 'w' must have one entry per system (" + std::to_string(n) + ")");
  }
  benchgate::OdeColumns c{F64Field(env, cols, "columns", "a", n), F64Field(env, cols, "columns", "b", n),
                          F64Field(env, cols, "columns", "eps", n), F64Field(env, cols, "columns", "current", n),
                          F64Field(env, cols, "columns", "v0", n), F64Field(env, cols, "columns", "w0", n), v.Data(), w.Data()};
  benchgate::ode_fhn_rk4(ActiveLevel(env), ThreadsArg(info, 5), c, static_cast<int64_t>(n), static_cast<int64_t>(steps), dt);
  return info.Env().Undefined();
}

// fmaPass(threads) → flops done; triadPass(threads, a, b, c) → bytes counted (24 per element).
// The caller times them, so that a pass can alternate with a kernel's calls.
int RequiredThreadsArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) throw Napi::TypeError::New(info.Env(), "argument 'threads' must be a number");
  return ThreadsArg(info, index);
}

Napi::Value FmaPassJs(const Napi::CallbackInfo& info) {
  const int threads = RequiredThreadsArg(info, 0);
  return Napi::Number::New(info.Env(), benchgate::fma_pass(ActiveLevel(info.Env()), threads));
}

Napi::Value TriadPassJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int threads = RequiredThreadsArg(info, 0);
  Napi::Float64Array a = Float64Arg(info, 1, "a");
  Napi::Float64Array b = Float64Arg(info, 2, "b");
  Napi::Float64Array c = Float64Arg(info, 3, "c");
  const size_t n = a.ElementLength();
  if (n == 0) throw Napi::RangeError::New(env, "argument 'a' must not be empty");
  if (b.ElementLength() != n || c.ElementLength() != n) {
    throw Napi::RangeError::New(env, "arguments 'b' and 'c' must have as many elements as 'a' (" + std::to_string(n) + ")");
  }
  if (Overlaps(a, b) || Overlaps(a, c)) throw Napi::RangeError::New(env, "argument 'a' must not share memory with 'b' or 'c'");
  const double bytes = benchgate::triad_pass(ActiveLevel(env), threads, a.Data(), b.Data(), c.Data(), 3.0, static_cast<int64_t>(n));
  return Napi::Number::New(env, bytes);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  g_features = benchgate::detect_cpu_features();
  if (!benchgate::resolve_level(g_features, std::getenv("BENCHGATE_SIMD"), &g_level, &g_level_error)) {
    g_level = SimdLevel::Scalar;
  }
  auto def = [&](const char* name, Napi::Function::Callback fn) { exports.Set(name, Napi::Function::New(env, fn, name)); };
  def("simdLevel", SimdLevelJs);
  def("cpuFeatures", CpuFeaturesJs);
  def("defaultThreads", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Number::New(info.Env(), benchgate::default_thread_count());
  });
  def("matmulScalar", [](const Napi::CallbackInfo& i) { return RunSync<false, false>(i, ComputeScalar); });
  def("matmulSimd", [](const Napi::CallbackInfo& i) { return RunSync<false, false>(i, ComputeSimd); });
  def("matmulParallel", [](const Napi::CallbackInfo& i) { return RunSync<true, false>(i, ComputeParallel); });
  def("matmulOpenblas", [](const Napi::CallbackInfo& i) { return RunSync<false, true>(i, ComputeOpenblas); });
  def("matmulScalarAsync", [](const Napi::CallbackInfo& i) { return RunAsync<false, false>(i, ComputeScalar); });
  def("matmulSimdAsync", [](const Napi::CallbackInfo& i) { return RunAsync<false, false>(i, ComputeSimd); });
  def("matmulParallelAsync", [](const Napi::CallbackInfo& i) { return RunAsync<true, false>(i, ComputeParallel); });
  def("matmulOpenblasAsync", [](const Napi::CallbackInfo& i) { return RunAsync<false, true>(i, ComputeOpenblas); });
  def("openblasLoad", OpenblasLoadJs);
  def("griddingRun", GriddingRunJs);
  def("griddingReleasePool", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Boolean::New(info.Env(), benchgate::grid_release_pool());
  });
  def("selectRun", SelectRunJs);
  def("odeRun", OdeRunJs);
  def("fmaPass", FmaPassJs);
  def("triadPass", TriadPassJs);
  return exports;
}

}  // namespace

NODE_API_MODULE(benchgate_native, Init)
