// Helpers for the table-driven lint rule tests: lint a payload with a chosen set of rules.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "promtool/lint.h"
#include "promtool/source.h"

namespace promtool::lint::testing {

// One table row: a payload and the exact problem lines ("<family> <text>") it must give,
// in promtool's order.
struct Case {
  std::string name;
  std::string input;
  std::vector<std::string> want;
};

// Lints `text` with the rules selected by `rules` and returns "<family> <text>" lines; fails
// the test on a parse error or when a problem names a rule outside `only_rule` (if given).
inline std::vector<std::string> LintLines(std::string_view text, std::string_view rules,
                                          std::string_view only_rule = {}) {
  auto source = MemorySource(text);
  CheckOptions options;
  options.lint_options.rules = std::string(rules);
  CheckResult result = Check(*source, options);
  EXPECT_TRUE(result.error.ok()) << result.error.compat_message;
  std::vector<std::string> lines;
  for (const Problem& p : result.problems) {
    if (!only_rule.empty()) {
      EXPECT_EQ(p.rule, only_rule) << p.message;
    }
    lines.push_back(p.family + " " + p.message);
  }
  return lines;
}

// Runs every case with only `rule` enabled.
inline void RunCases(std::string_view rule, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(LintLines(c.input, rule, rule), c.want);
  }
}

}  // namespace promtool::lint::testing
