// Example consumer of the installed library: converts a text payload to prom2json JSON and
// validates it, printing what it got (the package test compares that output).
#include <cstdio>
#include <string>
#include <string_view>

#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/source.h"
#include "promtool/validate.h"

int main() {
  constexpr std::string_view kPayload =
      "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{queue=\"a\"} 3\n";
  auto source = promtool::MemorySource(kPayload);
  promtool::ConvertOptions options;
  options.to = promtool::OutputFormat::kJson;
  promtool::StringSink sink;
  promtool::ConvertResult result = promtool::Convert(*source, sink, options);
  if (!result.ok()) {
    std::fprintf(stderr, "convert failed: %s\n", result.error.message.c_str());
    return 1;
  }
  auto again = promtool::MemorySource(kPayload);
  promtool::ValidateResult valid = promtool::Validate(*again, {});
  std::printf("%s%llu samples\n", sink.data.c_str(),
              static_cast<unsigned long long>(valid.samples));
  return valid.error.ok() ? 0 : 1;
}
