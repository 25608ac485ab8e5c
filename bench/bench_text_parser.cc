// Google Benchmark of the text parser, Validate() and FamilyReader over generated payloads,
// reporting bytes/s, samples/s and heap allocations per sample (counted by replacing global
// operator new/delete through tests/support/alloc_counter.cc).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <thread>

#include "alloc_counter.h"
#include "generator.h"
#include "promtool/family_reader.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "promtool/validate.h"

// Heap allocations are counted by tests/support/alloc_counter.cc, which replaces the global
// operator new/delete of this binary.
namespace {
uint64_t Allocations() { return promtool_test::AllocationCount(); }
}  // namespace

namespace promtool::bench {
namespace {

// ---- payloads -------------------------------------------------------------------------------

// An unlinked temporary file holding the payload of `mib` MiB; the descriptor stays open.
int PayloadFile(int64_t mib) {
  static auto* files = new std::map<int64_t, int>();
  auto it = files->find(mib);
  if (it != files->end()) return it->second;
  const char* dir = std::getenv("TMPDIR");
  std::string path =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/promtool-bench-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return -1;
  unlink(path.c_str());
  const std::string& payload = CachedPayload(mib);
  size_t done = 0;
  while (done < payload.size()) {
    ssize_t n = write(fd, payload.data() + done, payload.size() - done);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  files->emplace(mib, fd);
  return fd;
}

// ---- one pass over the input ----------------------------------------------------------------

struct Pass {
  uint64_t samples = 0;
  bool ok = true;
  std::string error;  // filled only when !ok
};

// Pulls every entry to the end. When `sample_allocs` is set (the untimed warm-up only), counts
// the allocations made inside Next() calls that returned a sample: the parser's hot path.
Pass ParseAll(Source& source, uint64_t* sample_allocs = nullptr) {
  Pass pass;
  TextParser parser(source);
  for (;;) {
    const uint64_t before = sample_allocs != nullptr ? Allocations() : 0;
    const Entry e = parser.Next();
    if (e == Entry::kSample) {
      ++pass.samples;
      if (sample_allocs != nullptr) *sample_allocs += Allocations() - before;
      continue;
    }
    if (e == Entry::kEnd) break;
    if (e == Entry::kError) {
      pass.ok = false;
      pass.error = parser.Error().message;
      break;
    }
  }
  return pass;
}

Pass ValidateAll(Source& source) {
  ValidateOptions options;
  options.format = InputFormat::kText;
  ValidateResult result = Validate(source, options);
  Pass pass;
  pass.samples = result.samples;
  pass.ok = result.error.ok();
  if (!pass.ok) pass.error = result.error.message;
  return pass;
}

Pass ReadFamilies(Source& source) {
  Pass pass;
  TextParser parser(source);
  FamilyReader reader(parser);
  while (const FamilyView* family = reader.Next()) {
    for (const Series& s : family->series) pass.samples += s.lines;
  }
  if (const Error* error = reader.error()) {
    pass.ok = false;
    pass.error = error->message;
  }
  return pass;
}

// ---- the measuring harness ------------------------------------------------------------------

// Runs `pass` once untimed (warm-up and sample count), then in the timed loop. Allocations are
// counted from just before the timed loop to just after it, so the warm-up, the payload and
// the benchmark library's setup are not counted; everything the timed passes allocate is.
template <typename PassFn>
void Measure(benchmark::State& state, uint64_t bytes, PassFn pass_fn,
             uint64_t warmup_sample_allocs = UINT64_MAX) {
  Pass warm = pass_fn();
  if (!warm.ok || warm.samples == 0) {
    state.SkipWithError(warm.ok ? "no samples" : warm.error.c_str());
    return;
  }
  const uint64_t before = Allocations();
  for (auto _ : state) {
    Pass p = pass_fn();
    benchmark::DoNotOptimize(p.samples);
  }
  const uint64_t allocs = Allocations() - before;
  const double iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(warm.samples));
  state.counters["samples"] = static_cast<double>(warm.samples);
  state.counters["allocs_per_iter"] = static_cast<double>(allocs) / iterations;
  state.counters["allocs_per_sample"] =
      static_cast<double>(allocs) / (iterations * static_cast<double>(warm.samples));
  if (warmup_sample_allocs != UINT64_MAX) {
    // Allocations inside Next() calls returning kSample (measured in the warm-up pass).
    state.counters["sample_entry_allocs"] = static_cast<double>(warmup_sample_allocs);
  }
}

void BM_TextParser_Memory(benchmark::State& state) {
  const std::string& payload = CachedPayload(state.range(0));
  // A first untimed pass to attribute allocations to sample entries.
  uint64_t sample_allocs = 0;
  {
    auto source = MemorySource(payload);
    ParseAll(*source);  // warm caches and lazily sized buffers first
    auto again = MemorySource(payload);
    ParseAll(*again, &sample_allocs);
  }
  Measure(
      state, payload.size(),
      [&] {
        auto source = MemorySource(payload);
        return ParseAll(*source);
      },
      sample_allocs);
}

void BM_Validate_Memory(benchmark::State& state) {
  const std::string& payload = CachedPayload(state.range(0));
  Measure(state, payload.size(), [&] {
    auto source = MemorySource(payload);
    return ValidateAll(*source);
  });
}

void BM_FamilyReader_Memory(benchmark::State& state) {
  const std::string& payload = CachedPayload(state.range(0));
  Measure(state, payload.size(), [&] {
    auto source = MemorySource(payload);
    return ReadFamilies(*source);
  });
}

// The stream path: FdSource read()ing an (unlinked, page-cached) temporary file.
template <Pass (*kPassFn)(Source&)>
void BM_Stream_File(benchmark::State& state) {
  const std::string& payload = CachedPayload(state.range(0));
  const int fd = PayloadFile(state.range(0));
  if (fd < 0) {
    state.SkipWithError("cannot write the temporary payload file");
    return;
  }
  Measure(state, payload.size(), [&] {
    if (lseek(fd, 0, SEEK_SET) != 0) return Pass{0, false, "lseek failed"};
    auto source = FdSource(fd, "<bench-file>");
    return kPassFn(*source);
  });
}

Pass ParseAllNoAttribution(Source& source) { return ParseAll(source); }

// The stream path over a pipe, as `cat file | promtool-cpp validate -`: a thread writes the
// payload into the pipe (default pipe buffer size) while the parser reads it.
void BM_TextParser_StreamPipe(benchmark::State& state) {
  const std::string& payload = CachedPayload(state.range(0));
  Measure(state, payload.size(), [&] {
    int fds[2];
    if (pipe(fds) != 0) return Pass{0, false, "pipe failed"};
    std::thread writer([&payload, wfd = fds[1]] {
      size_t done = 0;
      while (done < payload.size()) {
        ssize_t n = write(wfd, payload.data() + done, payload.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      close(wfd);
    });
    Pass pass;
    {
      auto source = FdSource(fds[0], "<bench-pipe>");
      pass = ParseAll(*source);
    }
    close(fds[0]);
    writer.join();
    return pass;
  });
}

BENCHMARK(BM_TextParser_Memory)->Arg(10)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate_Memory)->Arg(10)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FamilyReader_Memory)->Arg(10)->Arg(100)->ArgName("MiB")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Stream_File, ParseAllNoAttribution)
    ->Name("BM_TextParser_StreamFile")
    ->Arg(100)
    ->ArgName("MiB")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_Stream_File, ReadFamilies)
    ->Name("BM_FamilyReader_StreamFile")
    ->Arg(100)
    ->ArgName("MiB")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_TextParser_StreamPipe)
    ->Arg(100)
    ->ArgName("MiB")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace promtool::bench

BENCHMARK_MAIN();
