// openmetrics-legacy-lines: OpenMetrics 1.0 sample lines in an OpenMetrics 2.0 exposition, and the
// lint rules on 2.0 input (native histograms included); nothing reported for 1.0 input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lint_run_util.h"

namespace promtool::lint::testing {
namespace {

struct Row {
  const char* name;
  const char* payload;
  InputFormat format;
  const char* rules;
  std::vector<std::string> want;
};

class Om2LintTest : public ::testing::TestWithParam<Row> {};

TEST_P(Om2LintTest, Reports) {
  const Row& r = GetParam();
  SourceLintResult result;
  EXPECT_EQ(RunLines(r.payload, r.format, r.rules, &result), r.want);
  EXPECT_TRUE(result.error.ok()) << result.error.message;
}

const Row kRows[] = {
    {"CreatedSample",
     "# TYPE foo_total counter\nfoo_total 1\nfoo_created 17\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "openmetrics-legacy-lines",
     {"foo_created a _created sample of foo; OpenMetrics 2.0 writes the start time as "
      "st@<timestamp> on the sample itself"}},
    {"ExpandedHistogram",
     "# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_count 2\n"
     "lat_sum 1.5\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "openmetrics-legacy-lines",
     {"lat_bucket expanded histogram bucket lines (lat_bucket{le=...}); OpenMetrics 2.0 writes "
      "the buckets inside one sample lat with a CompositeValue",
      "lat_count a separate _count sample of lat; OpenMetrics 2.0 writes count and sum inside the "
      "CompositeValue",
      "lat_sum a separate _sum sample of lat; OpenMetrics 2.0 writes count and sum inside the "
      "CompositeValue"}},
    {"GaugeHistogramParts",
     "g_gcount 2\ng_gsum 1\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "openmetrics-legacy-lines",
     {"g_gcount a separate _gcount sample of g; OpenMetrics 2.0 writes a gauge histogram as one "
      "sample {gcount:...,gsum:...}",
      "g_gsum a separate _gsum sample of g; OpenMetrics 2.0 writes a gauge histogram as one sample "
      "{gcount:...,gsum:...}"}},
    {"TypedFamiliesAndCompositeValuesAreFine",
     "# TYPE a_created gauge\na_created 1\n# TYPE h histogram\n"
     "h {count:1,sum:1,bucket:[+Inf:1]} st@1\nx_count 3\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "openmetrics-legacy-lines",
     {}},
    {"NotOnOpenMetrics1",
     "# TYPE foo gauge\nfoo_created 1\n# EOF\n",
     InputFormat::kOpenMetrics,
     "openmetrics-legacy-lines",
     {}},
    {"PromlintRulesOn2Input",
     "# TYPE rpc_seconds histogram\nrpc_seconds {count:1,sum:1,schema:0,zero_threshold:0,"
     "zero_count:1}\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "default",
     {"rpc_seconds no help text"}},
    {"NativeHistogramRuleOn2Input",
     "# TYPE rpc_seconds histogram\n# HELP rpc_seconds x\nrpc_seconds {count:2,sum:1,schema:0,"
     "zero_threshold:0,zero_count:0,positive_spans:[0:1],positive_buckets:[2]}\n# EOF\n",
     InputFormat::kOpenMetrics2,
     "native-histogram",
     {}},
};

INSTANTIATE_TEST_SUITE_P(Rows, Om2LintTest, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& p) { return p.param.name; });

}  // namespace
}  // namespace promtool::lint::testing
