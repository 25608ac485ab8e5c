// non-counter-total-suffix: typed non-counters must not end in "_total"; untyped is exempt.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = "non-counter metrics should not have \"_total\" suffix";

TEST(NonCounterTotalSuffix, Table) {
  RunCases(
      "non-counter-total-suffix",
      {
          {"gauge", "# TYPE a_total gauge\na_total 1\n", {std::string("a_total ") + kText}},
          {"summary", "# TYPE a_total summary\na_total_sum 1\n", {std::string("a_total ") + kText}},
          {"histogram",
           "# TYPE a_total histogram\na_total_count 1\n",
           {std::string("a_total ") + kText}},
          {"gauge_histogram",
           "# TYPE a_total gauge_histogram\na_total 1\n",
           {std::string("a_total ") + kText}},
          {"counter", "# TYPE a_total counter\na_total 1\n", {}},
          {"untyped", "a_total 1\n", {}},
          {"declared untyped", "# TYPE a_total untyped\na_total 1\n", {}},
          {"gauge without", "# TYPE a gauge\na 1\n", {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
