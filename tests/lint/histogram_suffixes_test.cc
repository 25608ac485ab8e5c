// histogram-suffixes: "_bucket" only on histograms, "_count"/"_sum" only on histograms and
// summaries; untyped families are exempt.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kBucket = "non-histogram metrics should not have \"_bucket\" suffix";
constexpr const char* kCount =
    "non-histogram and non-summary metrics should not have \"_count\" suffix";
constexpr const char* kSum =
    "non-histogram and non-summary metrics should not have \"_sum\" suffix";

std::string Line(const char* family, const char* text) { return std::string(family) + " " + text; }

TEST(HistogramSuffixes, Table) {
  RunCases(
      "histogram-suffixes",
      {
          {"gauge _bucket", "# TYPE a_bucket gauge\na_bucket 1\n", {Line("a_bucket", kBucket)}},
          {"summary _bucket",
           "# TYPE a_bucket summary\na_bucket_sum 1\n",
           {Line("a_bucket", kBucket)}},
          {"histogram _bucket", "# TYPE a_bucket histogram\na_bucket_sum 1\n", {}},
          {"gauge _count", "# TYPE a_count gauge\na_count 1\n", {Line("a_count", kCount)}},
          {"counter _count", "# TYPE a_count counter\na_count 1\n", {Line("a_count", kCount)}},
          {"summary _count", "# TYPE a_count summary\na_count_sum 1\n", {}},
          {"gauge _sum", "# TYPE a_sum gauge\na_sum 1\n", {Line("a_sum", kSum)}},
          {"gauge_histogram _sum",
           "# TYPE a_sum gauge_histogram\na_sum 1\n",
           {Line("a_sum", kSum)}},
          {"histogram _sum", "# TYPE a_sum histogram\na_sum_sum 1\n", {}},
          {"untyped", "a_bucket 1\na_count 1\na_sum 1\n", {}},
          {"plain gauge", "# TYPE a gauge\na 1\n", {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
