// Memory bounds of Convert() on large families: heap in use, sampled at every output flush,
// stays bounded by a constant whatever the family's size when the output streams series.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "peak_sink.h"
#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using promtool_test::HeapInUse;
using promtool_test::PeakSink;

// One family of `series` series with two labels each, as text.
std::string OneFamily(std::string_view type, int series) {
  std::string text = "# HELP big A large family.\n# TYPE big ";
  text.append(type);
  text.push_back('\n');
  for (int i = 0; i < series; ++i) {
    text += "big{pod=\"pod-" + std::to_string(i) + "\",namespace=\"default\"} " +
            std::to_string(i) + "\n";
  }
  return text;
}

struct Case {
  const char* name;
  const char* type;
  OutputFormat to;
};

class LargeFamilyMemoryTest : public testing::TestWithParam<Case> {};

// 400k series (about 20 MB of text, ~35x that as an owned family) read like a pipe: the heap in
// use while writing stays within 16 MiB of what it was before the conversion (the window, one
// part of 4096 series, the output buffer).
TEST_P(LargeFamilyMemoryTest, HeapStaysBoundedWhileWriting) {
  const Case& c = GetParam();
  const std::string text = OneFamily(c.type, 400000);
  StreamOptions so;
  so.chunk_bytes = 64 * 1024;
  std::unique_ptr<Source> source = ChunkedMemorySource(text, "big.prom", so);
  ConvertOptions options;
  options.from = InputFormat::kText;
  options.to = c.to;
  PeakSink sink;
  const uint64_t before = HeapInUse();
  ConvertResult result = Convert(*source, sink, options);
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_EQ(result.families, 1u);  // a family read in parts is still one family
  EXPECT_GT(sink.bytes(), text.size() / 2);
  const uint64_t growth = sink.peak() > before ? sink.peak() - before : 0;
  EXPECT_LT(growth, uint64_t{16} << 20) << "heap grew by " << growth << " bytes";
}

INSTANTIATE_TEST_SUITE_P(
    Outputs, LargeFamilyMemoryTest,
    testing::Values(Case{"GaugeToJson", "gauge", OutputFormat::kJson},
                    Case{"CounterToJson", "counter", OutputFormat::kJson},
                    Case{"UntypedToText", "untyped", OutputFormat::kText},
                    Case{"GaugeToText", "gauge", OutputFormat::kText},
                    Case{"GaugeToOpenMetrics", "gauge", OutputFormat::kOpenMetrics},
                    Case{"CounterToOpenMetrics", "counter", OutputFormat::kOpenMetrics}),
    [](const testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

// The parts are invisible in the output: a family of more series than one part converts to the
// same bytes as when it is read whole (from memory, where the window is the whole input).
TEST(LargeFamilyOutputTest, PartsWriteTheSameJsonAsOneFamily) {
  const std::string text = OneFamily("gauge", 10000) + "# TYPE after gauge\nafter 1\n";
  ConvertOptions options;
  options.from = InputFormat::kText;
  options.to = OutputFormat::kJson;
  StringSink streamed;
  StreamOptions so;
  so.chunk_bytes = 4096;
  std::unique_ptr<Source> pipe = ChunkedMemorySource(text, "big.prom", so);
  ConvertResult r1 = Convert(*pipe, streamed, options);
  ASSERT_TRUE(r1.ok()) << r1.error.message;
  EXPECT_EQ(r1.families, 2u);
  // The expected JSON, built independently: one object per family, metrics in input order.
  std::string want =
      "[{\"name\":\"big\",\"help\":\"A large family.\",\"type\":\"GAUGE\",\"metrics\":[";
  for (int i = 0; i < 10000; ++i) {
    if (i > 0) want += ",";
    want += "{\"labels\":{\"namespace\":\"default\",\"pod\":\"pod-" + std::to_string(i) +
            "\"},\"value\":\"" + std::to_string(i) + "\"}";
  }
  want +=
      "]},{\"name\":\"after\",\"help\":\"\",\"type\":\"GAUGE\",\"metrics\":[{\"value\":\"1\"}]}]"
      "\n";
  EXPECT_EQ(streamed.data, want);
}

}  // namespace
}  // namespace promtool
