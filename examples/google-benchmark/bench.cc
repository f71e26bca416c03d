// A few quick Google Benchmark benchmarks, one of each shape benchgate's adapter reads:
// an argument, threads, bytes processed, a user counter and one that fails.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

// Sums the integers below n: one benchmark per argument (`BM_Sum/8`, `BM_Sum/64`).
static void BM_Sum(benchmark::State& state) {
  const auto n = state.range(0);
  for (auto _ : state) {
    std::int64_t total = 0;
    for (std::int64_t i = 0; i < n; ++i) benchmark::DoNotOptimize(total += i);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_Sum)->Arg(8)->Arg(64);

// Builds a short string on two threads at once (`BM_StringAppend/threads:2`).
static void BM_StringAppend(benchmark::State& state) {
  for (auto _ : state) {
    std::string s;
    for (int i = 0; i < 16; ++i) s += 'x';
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_StringAppend)->Threads(2);

// Copies a 4 KiB buffer and reports bytes per second (its time in microseconds).
static void BM_Copy(benchmark::State& state) {
  std::vector<char> src(4096, 'a'), dst(4096);
  for (auto _ : state) {
    std::copy(src.begin(), src.end(), dst.begin());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(src.size()));
}
BENCHMARK(BM_Copy)->Unit(benchmark::kMicrosecond);

// Counts the even numbers among 32 and reports them as a user counter.
static void BM_CountEven(benchmark::State& state) {
  std::vector<int> v(32);
  std::iota(v.begin(), v.end(), 0);
  int evens = 0;
  for (auto _ : state) {
    evens = 0;
    for (int x : v) evens += (x % 2 == 0);
    benchmark::DoNotOptimize(evens);
  }
  state.counters["evens"] = evens;
}
BENCHMARK(BM_CountEven);

// Fails before timing anything, as a benchmark whose setup breaks would.
static void BM_Broken(benchmark::State& state) {
  state.SkipWithError("fixture file missing");
  for (auto _ : state) {
  }
}
BENCHMARK(BM_Broken);

BENCHMARK_MAIN();
