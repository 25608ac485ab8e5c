// Unit tests of net::LineLimitScanner: the sample and label limits checked on the lines of a
// text or OpenMetrics body as its bytes arrive, fed whole and byte by byte.
#include <gtest/gtest.h>

#include <string>

#include "net/limits.h"
#include "promtool/scrape.h"

namespace promtool {
namespace {

struct LineCase {
  std::string name;
  uint64_t sample_limit = 0, label_limit = 0, name_limit = 0, value_limit = 0;
  std::string body;
  size_t want_at;  // offset of the first line over a limit, npos: none
  std::string want_error;
};

constexpr size_t kNone = std::string_view::npos;

class LineLimitTest : public testing::TestWithParam<LineCase> {
 protected:
  ScrapeOptions Options() const {
    ScrapeOptions o;
    o.sample_limit = GetParam().sample_limit;
    o.label_limit = GetParam().label_limit;
    o.label_name_length_limit = GetParam().name_limit;
    o.label_value_length_limit = GetParam().value_limit;
    return o;
  }
};

TEST_P(LineLimitTest, Whole) {
  net::LineLimitScanner scanner(Options());
  EXPECT_EQ(scanner.Scan(GetParam().body), GetParam().want_at);
  EXPECT_EQ(scanner.error(), GetParam().want_error);
}

TEST_P(LineLimitTest, ByteByByte) {
  net::LineLimitScanner scanner(Options());
  size_t at = kNone;
  for (size_t i = 0; i < GetParam().body.size() && at == kNone; ++i) {
    if (scanner.Scan(std::string_view(GetParam().body).substr(i, 1)) != kNone) at = i;
  }
  EXPECT_EQ(scanner.error(), GetParam().want_error);
  EXPECT_EQ(at == kNone, GetParam().want_at == kNone);
}

INSTANTIATE_TEST_SUITE_P(
    Limits, LineLimitTest,
    testing::Values(
        LineCase{"WithinLimits", 3, 3, 5, 10,
                 "# HELP a x\n# TYPE a gauge\na{b=\"c\"} 1\na{b=\"d\"} 2 # {t=\"x\"} 1\n", kNone,
                 ""},
        LineCase{"SampleLimit", 2, 0, 0, 0, "# TYPE a gauge\na 1\na{x=\"1\"} 2\na{x=\"2\"} 3\n", 30,
                 "sample_limit 2 exceeded: line 4 brings the scrape to 3 samples"},
        LineCase{"LabelLimitCountsName", 0, 2, 0, 0, "a{x=\"1\"} 1\na{x=\"1\",y=\"2\"} 1\n", 11,
                 "label_limit 2 exceeded: line 2 (\"a\") has a sample with more than 2 labels "
                 "(__name__ included)"},
        LineCase{"ExemplarLabelsAreNotLabels", 0, 2, 0, 0,
                 "a_total{x=\"1\"} 1 # {trace_id=\"abc\",span=\"d\"} 1\n", kNone, ""},
        LineCase{"QuotedCommaAndEqualsInValue", 0, 2, 0, 0, "a{x=\"1,y=2\\\"z\"} 1\n", kNone, ""},
        LineCase{"LabelNameLength", 0, 0, 3, 0, "a{abc=\"1\"} 1\na{abcd=\"1\"} 1\n", 13,
                 "label_name_length_limit 3 exceeded: line 2 (\"a\") has label name \"abcd\" of "
                 "4 bytes"},
        LineCase{"ValueLengthUnescaped", 0, 0, 0, 3, "a{x=\"a\\\\b\"} 1\na{x=\"abcd\"} 1\n", 14,
                 "label_value_length_limit 3 exceeded: line 2 (\"a\") has a label value of 4 "
                 "bytes (\"abcd\")"},
        LineCase{"MetricNameIsNameValue", 0, 0, 0, 4, "abcd 1\nabcde 1\n", 7,
                 "label_value_length_limit 4 exceeded: line 2 has metric name (label __name__) "
                 "\"abcde\" of 5 bytes"},
        LineCase{"QuotedUtf8Name", 0, 2, 0, 0, "{\"a.b\",x=\"1\"} 1\n{\"a.b\",x=\"1\",y=\"2\"} 1\n",
                 16,
                 "label_limit 2 exceeded: line 2 (\"a.b\") has a sample with more than 2 labels "
                 "(__name__ included)"},
        LineCase{"ControlCharactersEscaped", 0, 0, 0, 2, "a{x=\"\x1b[2J\"} 1\n", 0,
                 "label_value_length_limit 2 exceeded: line 1 (\"a\") has a label value of 4 "
                 "bytes (\"\\x1b[2J\")"}),
    [](const testing::TestParamInfo<LineCase>& p) { return p.param.name; });

}  // namespace
}  // namespace promtool
