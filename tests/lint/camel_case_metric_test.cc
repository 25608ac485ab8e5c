// camel-case-metric: a lower-case letter followed by an upper-case one in the metric name.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = " metric names should be written in 'snake_case' not 'camelCase'";

TEST(CamelCaseMetric, Table) {
  RunCases("camel-case-metric", {
                                    {"camel", "fooBar 1\n", {std::string("fooBar") + kText}},
                                    {"once", "fooBarBaz 1\n", {std::string("fooBarBaz") + kText}},
                                    {"upper snake", "HTTP_REQUESTS 1\n", {}},
                                    {"upper then lower", "Http_requests 1\n", {}},
                                    {"digit then upper", "a1B 1\n", {}},
                                    {"underscore then upper", "a_B 1\n", {}},
                                    {"snake", "http_requests 1\n", {}},
                                });
}

}  // namespace
}  // namespace promtool::lint::testing
