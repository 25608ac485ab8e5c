// The HTML report of `check metrics` (--report=html:FILE): one self-contained page (inline CSS
// and JS, no network) with the findings and a cardinality view, kept by CI as an artifact.
#pragma once

#include <string>
#include <vector>

#include "extended_output.h"
#include "lint_output.h"

namespace promtool::cli {

// The findings of `report` (by position), each with its source line and a link to its rule in
// docs/lint-rules.md, and per input of `cardinality` a bar chart of the samples per family and,
// per family, the distinct values of each label with the most frequent values (numbers on
// hover). At most kHtmlMaxFindings findings and kHtmlMaxFamilies families per input are drawn;
// the page says how many more there are.
std::string RenderHtmlReport(const LintReport& report,
                             const std::vector<ExtendedInput>& cardinality);

inline constexpr size_t kHtmlMaxFindings = 5000;
inline constexpr size_t kHtmlMaxFamilies = 300;
// Values per label listed when --top is not given.
inline constexpr size_t kHtmlTopValues = 5;

}  // namespace promtool::cli
