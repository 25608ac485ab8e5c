// DetectFormat() and the format names for OpenMetrics 2.0: a sample whose value is a
// CompositeValue makes an `# EOF` payload OpenMetrics 2.0; the same bytes in a label value, a
// HELP text or a quoted name do not.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "promtool/input_format.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using namespace std::string_view_literals;

struct DetectRow {
  const char* name;
  std::string_view payload;
  InputFormat format;
};

const DetectRow kRows[] = {
    {"Histogram", "# TYPE h histogram\nh {count:1,sum:1,bucket:[+Inf:1]}\n# EOF\n"sv,
     InputFormat::kOpenMetrics2},
    {"GaugeHistogramWithLabels", "g{a=\"1\"} {gcount:1,gsum:1,bucket:[+Inf:1]}\n# EOF\n"sv,
     InputFormat::kOpenMetrics2},
    {"QuotedNameWithBraces", "{\"a.b\",\"c}\"=\"{\"} {count:0,sum:0,quantile:[]}\n# EOF"sv,
     InputFormat::kOpenMetrics2},
    {"CompositeAfterTheFirstLines", "a 1\nb 2\nh {count:0,sum:0,bucket:[+Inf:0]}\n# EOF\n"sv,
     InputFormat::kOpenMetrics2},
    {"CountersOnlyIsOneZero", "# TYPE a counter\na_total 1 st@1\n# EOF\n"sv,
     InputFormat::kOpenMetrics},
    {"InLabelValue", "a{b=\"x {count:1\"} 1\n# EOF\n"sv, InputFormat::kOpenMetrics},
    {"InEscapedLabelValue", "a{b=\"\\\" {count:1\"} 1\n# EOF\n"sv, InputFormat::kOpenMetrics},
    {"InHelp", "# HELP a like {count:1,sum:2}\na 1\n# EOF\n"sv, InputFormat::kOpenMetrics},
    {"InExemplarAfterValue", "a_total 1 # {a=\"b\"} {count:1\n# EOF\n"sv,
     InputFormat::kOpenMetrics},
    {"WithoutEofIsText", "h {count:1,sum:1,bucket:[+Inf:1]}\n"sv, InputFormat::kText},
};

class DetectOm2 : public testing::TestWithParam<DetectRow> {};

TEST_P(DetectOm2, ByCompositeValue) {
  auto source = MemorySource(GetParam().payload);
  EXPECT_EQ(InputFormatName(DetectFormat(*source)), InputFormatName(GetParam().format));
}

INSTANTIATE_TEST_SUITE_P(Rows, DetectOm2, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<DetectRow>& i) { return i.param.name; });

// A stream longer than the 1 MiB look-ahead: its "# EOF" is not in view.
std::string LongStream(std::string_view head) {
  std::string s(head);
  while (s.size() < (size_t{3} << 20)) s += "g{pod=\"web-0123456789\",namespace=\"default\"} 1\n";
  return s + "# EOF\n";
}

std::unique_ptr<Source> Piped(const std::string& payload) {
  return ChunkedMemorySource(payload, "<stdin>", StreamOptions{.chunk_bytes = 64 * 1024});
}

TEST(DetectOm2Stream, CompositeSampleBeforeTheEndIsInViewMakesOm2) {
  const std::string payload = LongStream("h {count:1,sum:1,bucket:[+Inf:1]}\n");
  EXPECT_EQ(InputFormatName(DetectFormat(*Piped(payload))), "openmetrics2");
}

TEST(DetectOm2Stream, CompositeOnlyInALabelValueStaysText) {
  const std::string payload = LongStream("a{b=\"x {count:1\"} 1\n");
  EXPECT_EQ(InputFormatName(DetectFormat(*Piped(payload))), "text");
}

TEST(DetectOm2Stream, NoCompositeInTheFirstMebibyteStaysText) {
  std::string payload = LongStream("");
  payload.insert(payload.size() - 6, "h {count:1,sum:1,bucket:[+Inf:1]}\n");
  EXPECT_EQ(InputFormatName(DetectFormat(*Piped(payload))), "text");
  // The same bytes as a whole source are judged whole.
  EXPECT_EQ(InputFormatName(DetectFormat(*MemorySource(payload))), "openmetrics2");
}

// A regular file is judged whole, copied out a MiB at a time: a composite sample anywhere is
// found, including one whose " {" straddles the boundary of two blocks.
// A file of more than 3 MiB ending with "# EOF" whose line `composite` starts at byte `at`.
std::string FileWith(std::string_view composite, size_t at) {
  const std::string line = "g{pod=\"web-0123456789\",namespace=\"default\"} 1\n";
  std::string body;
  while (at - body.size() >= line.size() + 2) body += line;
  body += "#";  // a comment line pads to `at`
  body.append(at - body.size() - 1, 'x');
  body += "\n";
  body += composite;
  while (body.size() < (size_t{3} << 20)) body += line;
  return body + "# EOF\n";
}

std::string DetectFile(const std::string& payload) {
  // One file per test: ctest runs the tests of this file side by side.
  const std::string path = testing::TempDir() + "/om2_detect_" +
                           testing::UnitTest::GetInstance()->current_test_info()->name() + ".om";
  {
    std::ofstream out(path, std::ios::binary);
    out << payload;
  }
  auto source = OpenSource(path);
  EXPECT_TRUE(source.ok()) << source.status();
  if (!source.ok()) return "";
  return std::string(InputFormatName(DetectFormat(**source)));
}

TEST(DetectOm2File, CompositeSampleLateInALargeFileMakesOm2) {
  EXPECT_EQ(DetectFile(FileWith("h {count:1,sum:1,bucket:[+Inf:1]}\n", 2500000)), "openmetrics2");
}

TEST(DetectOm2File, CompositeAcrossABlockBoundaryMakesOm2) {
  // Three bytes "h" " " "{" with the blank the last byte of the first MiB.
  constexpr size_t kMiB = size_t{1} << 20;
  for (const size_t blank : {kMiB - 1, kMiB - 2, kMiB}) {
    const std::string payload = FileWith("h {count:1,sum:1,bucket:[+Inf:1]}\n", blank - 1);
    ASSERT_EQ(payload.substr(blank, 2), " {");
    EXPECT_EQ(DetectFile(payload), "openmetrics2") << blank;
  }
}

TEST(DetectOm2File, NoCompositeSampleIsOpenMetrics) {
  EXPECT_EQ(DetectFile(FileWith("a{b=\"x {count:1\"} 1\n", 2500000)), "openmetrics");
}

TEST(InputFormatNames, OpenMetrics2RoundTrips) {
  ASSERT_TRUE(ParseInputFormat("openmetrics2").has_value());
  EXPECT_EQ(*ParseInputFormat("openmetrics2"), InputFormat::kOpenMetrics2);
  EXPECT_EQ(InputFormatName(InputFormat::kOpenMetrics2), "openmetrics2");
  EXPECT_FALSE(ParseInputFormat("openmetrics-2").has_value());
}

}  // namespace
}  // namespace promtool
