// N-API glue for benchgate_native: argument checks that throw JS errors naming the argument,
// conversions, and AsyncWorkers for the Promise variants. All compute is in simd/ and ref/.
#include <napi.h>

#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>

#include "ref/openblas.h"
#include "simd/cpu.h"
#include "simd/fma_peak.h"
#include "simd/gemm.h"

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

// fmaPeak(threads?, iterations?) -> { gflops, flops, seconds, level, threads }
Napi::Value FmaPeakJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const SimdLevel level = ActiveLevel(env);
  int threads = benchgate::default_thread_count();
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    const double t = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
    if (!(t >= 1 && t <= 1024 && t == static_cast<double>(static_cast<int>(t)))) {
      throw Napi::RangeError::New(env, "argument 'threads' must be an integer in [1, 1024]");
    }
    threads = static_cast<int>(t);
  }
  double iterations = 50'000'000;  // about 0.1 s per thread at AVX-512 rates
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    iterations = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : -1;
    if (!(iterations >= 1 && iterations <= 1e12 && iterations == static_cast<double>(static_cast<int64_t>(iterations)))) {
      throw Napi::RangeError::New(env, "argument 'iterations' must be an integer in [1, 1e12]");
    }
  }
  const benchgate::FmaPeak p = benchgate::fma_peak(level, threads, static_cast<int64_t>(iterations));
  Napi::Object o = Napi::Object::New(env);
  o.Set("gflops", p.flops / p.seconds / 1e9);
  o.Set("flops", p.flops);
  o.Set("seconds", p.seconds);
  o.Set("level", benchgate::level_name(level));
  o.Set("threads", threads);
  return o;
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
  def("fmaPeak", FmaPeakJs);
  return exports;
}

}  // namespace

NODE_API_MODULE(benchgate_native, Init)
