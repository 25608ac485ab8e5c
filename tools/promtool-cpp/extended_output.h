// The `check metrics --extended` report beyond promtool's table: JSON, and the top label values
// per family (--top=N).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "promtool/lint.h"
#include "promtool/lint_run.h"

namespace promtool::cli {

struct ExtendedInput {
  std::string name;
  std::vector<lint::CardinalityRow> rows;
  uint64_t total = 0;
  std::vector<lint::FamilyLabels> labels;  // empty unless --top
};

// promtool's table (padded as Go's tabwriter), preceded by `<input>:` when there are several
// inputs, then with top > 0 a second table of label values; or one JSON document for all.
std::string RenderExtended(bool json, size_t top, const std::vector<ExtendedInput>& inputs);

}  // namespace promtool::cli
