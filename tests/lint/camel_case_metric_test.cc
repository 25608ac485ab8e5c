// camel-case-metric: a lower-case letter followed by an upper-case one in the metric name.
#include <string>
#include <string_view>

#include "lint/rule.h"
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

// IsCamelCase (eight bytes at a time) against the regexp [a-z][A-Z] taken byte by byte: the
// pair at every position of names up to 24 bytes (within a word, across words, in the tail),
// with bytes >= 0x80 and the bytes next to the letters' ranges around it.
TEST(IsCamelCase, AgreesWithBytewiseDefinition) {
  auto bytewise = [](std::string_view name) {
    for (size_t i = 1; i < name.size(); ++i) {
      if (name[i - 1] >= 'a' && name[i - 1] <= 'z' && name[i] >= 'A' && name[i] <= 'Z') {
        return true;
      }
    }
    return false;
  };
  const char kFill[] = {'_', '0', '@', '[', '`', '{', 'A', 'z', '\xc3'};
  const std::string kPairs[] = {"aB", "zZ", "aA", "zA", "Ba", "a@", "a[", "`B", "{B", "aa", "BB"};
  size_t camel = 0;
  for (size_t len = 2; len <= 24; ++len) {
    for (const char fill : kFill) {
      for (const std::string& pair : kPairs) {
        for (size_t at = 0; at + 2 <= len; ++at) {
          std::string name(len, fill);
          name.replace(at, 2, pair);
          EXPECT_EQ(IsCamelCase(name), bytewise(name))
              << "length " << len << " at " << at << ": " << name;
          camel += bytewise(name);
        }
      }
    }
  }
  EXPECT_GT(camel, 1000u);  // the table has both answers
  EXPECT_FALSE(IsCamelCase(""));
  EXPECT_FALSE(IsCamelCase("a"));
}

}  // namespace
}  // namespace promtool::lint::testing
