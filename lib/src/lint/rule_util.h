// Small text helpers shared by the semantic lint rules: a series' labels and numbers as
// problem messages show them.
#pragma once

#include <string>
#include <string_view>

#include "promtool/family.h"

namespace promtool::lint {

// `{a="1",b="2"}` (values as written in the input), or "" for a series without labels.
std::string LabelsText(const Series& series);

// The shortest text that reads back as `value`; "+Inf", "-Inf", "NaN" for the special values.
std::string FormatNumber(double value);

}  // namespace promtool::lint
