// camel-case-label: once per series per camelCase label name.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = " label names should be written in 'snake_case' not 'camelCase'";

TEST(CamelCaseLabel, Table) {
  const std::string a = std::string("a") + kText;
  RunCases("camel-case-label",
           {
               {"one", "a{fooBar=\"1\"} 1\n", {a}},
               {"two labels", "a{fooBar=\"1\",bazQux=\"2\"} 1\n", {a, a}},
               {"per series", "a{fooBar=\"1\"} 1\na{fooBar=\"2\"} 1\n", {a, a}},
               {"histogram lines grouped",
                "# TYPE a histogram\na_bucket{fooBar=\"1\",le=\"1\"} 1\na_sum{fooBar=\"1\"} 1\n"
                "a_count{fooBar=\"1\"} 1\n",
                {a}},
               {"upper snake", "a{HTTP_CODE=\"1\"} 1\n", {}},
               {"snake", "a{foo_bar=\"1\"} 1\n", {}},
               {"value ignored", "a{x=\"fooBar\"} 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing
