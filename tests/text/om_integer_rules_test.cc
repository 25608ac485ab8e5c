// OpenMetrics 1.0 integer rules ("Count and bucket values MUST be integers" for Histogram and
// Summary, "Bucket values MUST be integers" for GaugeHistogram) and the error reported for an
// interleaved histogram series (the series order, not a missing +Inf bucket).
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "promtool/error.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"

namespace promtool {
namespace {

struct Row {
  const char* name;
  std::string_view input;
  ErrorCode code;  // kOk: valid
  uint64_t line;
  uint64_t column;
  std::string_view message;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

Error FirstError(std::string_view input) {
  auto source = StringSource(std::string(input), "om");
  OpenMetricsParser parser(*source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return Error{};
    if (e == Entry::kError) return parser.Error();
  }
}

const Row kRows[] = {
    {"HistogramBucketFraction", "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0.5\n# EOF\n",
     ErrorCode::kOmNotInteger, 2, 1,
     "histogram sample \"a_bucket\" has value 0.5; histogram bucket values must be integers "
     "(OpenMetrics 1.0)"},
    {"HistogramCountFraction",
     "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 1.5\na_sum 2\n# EOF\n",
     ErrorCode::kOmNotInteger, 3, 1,
     "histogram sample \"a_count\" has value 1.5; histogram count values must be integers "
     "(OpenMetrics 1.0)"},
    {"GaugeHistogramBucketFraction", "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 0.5\n# EOF\n",
     ErrorCode::kOmNotInteger, 2, 1,
     "gaugehistogram sample \"a_bucket\" has value 0.5; gaugehistogram bucket values must be "
     "integers (OpenMetrics 1.0)"},
    {"SummaryCountFraction", "# TYPE a summary\na_count 0.5\na_sum 1\n# EOF\n",
     ErrorCode::kOmNotInteger, 2, 1,
     "summary sample \"a_count\" has value 0.5; summary count values must be integers "
     "(OpenMetrics 1.0)"},
    {"HistogramIntegersWithExponent",
     "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1e3\na_count 1000\na_sum 0.5\n# EOF\n",
     ErrorCode::kOk, 0, 0, ""},
    {"SummarySumAndQuantileMayBeFractions",
     "# TYPE a summary\na{quantile=\"0.5\"} 0.25\na_count 2\na_sum 0.5\n# EOF\n", ErrorCode::kOk, 0,
     0, ""},
    {"GaugeHistogramGsumMayBeFraction",
     "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 2\na_gcount 2\na_gsum 0.5\n# EOF\n",
     ErrorCode::kOk, 0, 0, ""},
    // Issue 13 item 22: the x="1" series comes back after x="2"; that is the error, not a
    // missing +Inf bucket.
    {"InterleavedSeriesIsASeriesOrderError",
     "# TYPE a histogram\na_bucket{x=\"1\",le=\"1\"} 0\na_bucket{x=\"2\",le=\"+Inf\"} 0\n"
     "a_bucket{x=\"1\",le=\"+Inf\"} 0\n# EOF\n",
     ErrorCode::kOmSeriesOrder, 4, 1,
     "series a{x=\"1\"} appears again after other series of its family; a series' samples must "
     "be contiguous"},
    {"MissingInfIsReportedWhenTheFamilyEnds",
     "# TYPE a histogram\na_bucket{x=\"1\",le=\"1\"} 0\na_bucket{x=\"2\",le=\"+Inf\"} 0\n# EOF\n",
     ErrorCode::kOmBucketInf, 3, 1,
     "histogram a{x=\"1\"} has no bucket with le=\"+Inf\"; every histogram needs one"},
};

class OmIntegerRulesTest : public testing::TestWithParam<Row> {};

TEST_P(OmIntegerRulesTest, Verdict) {
  const Row& row = GetParam();
  Error error = FirstError(row.input);
  if (row.code == ErrorCode::kOk) {
    EXPECT_TRUE(error.ok()) << error.message;
    return;
  }
  EXPECT_EQ(error.code, row.code) << error.message;
  EXPECT_EQ(error.line, row.line);
  EXPECT_EQ(error.column, row.column);
  EXPECT_EQ(error.message, row.message);
}

INSTANTIATE_TEST_SUITE_P(Om, OmIntegerRulesTest, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& p) { return p.param.name; });

}  // namespace
}  // namespace promtool
