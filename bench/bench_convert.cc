// Google Benchmark of Convert() over generated payloads held in memory: text -> protobuf,
// protobuf -> text, text -> text, text -> OpenMetrics and text -> JSON, reporting input bytes/s
// and heap allocations per family (tests/support/alloc_counter.cc counts them).
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <string_view>

#include "alloc_counter.h"
#include "generator.h"
#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/source.h"

namespace promtool::bench {
namespace {

// Counts what it is given and throws it away.
class NullSink final : public Sink {
 public:
  absl::Status Write(std::string_view bytes) override {
    written += bytes.size();
    return absl::OkStatus();
  }
  uint64_t written = 0;
};

// The same payload as delimited protobuf (converted once, outside the timing).
const std::string& ProtobufPayload(int64_t mib) {
  static auto* cache = new std::map<int64_t, std::string>();
  auto it = cache->find(mib);
  if (it == cache->end()) {
    auto src = MemorySource(CachedPayload(mib));
    StringSink sink;
    ConvertOptions options;
    options.from = InputFormat::kText;
    options.to = OutputFormat::kProtobuf;
    (void)Convert(*src, sink, options);
    it = cache->emplace(mib, std::move(sink.data)).first;
  }
  return it->second;
}

void Run(benchmark::State& state, const std::string& input, InputFormat from, OutputFormat to) {
  ConvertOptions options;
  options.from = from;
  options.to = to;
  uint64_t families = 0, allocations = 0, written = 0;
  for (auto _ : state) {
    auto src = MemorySource(input);
    NullSink sink;
    const uint64_t before = promtool_test::AllocationCount();
    ConvertResult r = Convert(*src, sink, options);
    allocations += promtool_test::AllocationCount() - before;
    if (!r.ok()) {
      state.SkipWithError(r.error.message.c_str());
      return;
    }
    families += r.families;
    written = sink.written;
  }
  state.SetBytesProcessed(static_cast<int64_t>(input.size()) * state.iterations());
  state.counters["families"] = static_cast<double>(families) / state.iterations();
  state.counters["allocs_per_family"] =
      families == 0 ? 0 : static_cast<double>(allocations) / static_cast<double>(families);
  state.counters["output_MiB"] = static_cast<double>(written) / (1 << 20);
}

void BM_TextToProtobuf(benchmark::State& state) {
  Run(state, CachedPayload(state.range(0)), InputFormat::kText, OutputFormat::kProtobuf);
}
void BM_ProtobufToText(benchmark::State& state) {
  Run(state, ProtobufPayload(state.range(0)), InputFormat::kProtobuf, OutputFormat::kText);
}
void BM_TextToText(benchmark::State& state) {
  Run(state, CachedPayload(state.range(0)), InputFormat::kText, OutputFormat::kText);
}
void BM_TextToOpenMetrics(benchmark::State& state) {
  Run(state, CachedPayload(state.range(0)), InputFormat::kText, OutputFormat::kOpenMetrics);
}
void BM_TextToJson(benchmark::State& state) {
  Run(state, CachedPayload(state.range(0)), InputFormat::kText, OutputFormat::kJson);
}

BENCHMARK(BM_TextToProtobuf)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ProtobufToText)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextToText)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextToOpenMetrics)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextToJson)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace promtool::bench

BENCHMARK_MAIN();
