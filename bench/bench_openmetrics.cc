// Google Benchmark of OpenMetrics 1.0 validation (the strict parser driven to the end) over the
// generated kube-state-metrics-like payload converted to OpenMetrics once, reporting bytes/s and
// heap allocations per sample (tests/support/alloc_counter.cc counts them).
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <string_view>

#include "alloc_counter.h"
#include "generator.h"
#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool::bench {
namespace {

// The generated text payload of `mib` MiB as OpenMetrics (converted once, outside the timing).
const std::string& OpenMetricsPayload(int64_t mib) {
  static auto* cache = new std::map<int64_t, std::string>();
  auto it = cache->find(mib);
  if (it == cache->end()) {
    auto src = MemorySource(CachedPayload(mib));
    StringSink sink;
    ConvertOptions convert;
    convert.from = InputFormat::kText;
    convert.to = OutputFormat::kOpenMetrics;
    ConvertResult r = Convert(*src, sink, convert);
    if (!r.ok()) sink.data.clear();
    it = cache->emplace(mib, std::move(sink.data)).first;
  }
  return it->second;
}

void BM_OpenMetricsValidate_Memory(benchmark::State& state) {
  const std::string& payload = OpenMetricsPayload(state.range(0));
  if (payload.empty()) {
    state.SkipWithError("the generated payload did not convert to OpenMetrics");
    return;
  }
  ValidateOptions options;
  options.format = InputFormat::kOpenMetrics;
  uint64_t samples = 0, allocations = 0;
  for (auto _ : state) {
    auto src = MemorySource(payload);
    const uint64_t before = promtool_test::AllocationCount();
    ValidateResult r = Validate(*src, options);
    allocations += promtool_test::AllocationCount() - before;
    if (!r.error.ok()) {
      state.SkipWithError(r.error.message.c_str());
      return;
    }
    samples += r.samples;
  }
  state.SetBytesProcessed(static_cast<int64_t>(payload.size()) * state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(samples));
  state.counters["allocs_per_sample"] =
      samples == 0 ? 0 : static_cast<double>(allocations) / static_cast<double>(samples);
  state.counters["MiB"] = static_cast<double>(payload.size()) / (1 << 20);
}

BENCHMARK(BM_OpenMetricsValidate_Memory)
    ->Arg(10)
    ->Arg(100)
    ->ArgName("MiB")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace promtool::bench

BENCHMARK_MAIN();
