// The GitLab Code Quality report of `check metrics` (--report=codequality:FILE): a JSON array
// in the Code Climate issue subset GitLab reads.
#pragma once

#include <string>

#include "lint_output.h"

namespace promtool::cli {

// One issue per item: description, check_name (the rule id), fingerprint (stable across line
// moves: a hash of file, rule, family, message and its occurrence number), severity (error:
// critical, warning: major, info: info) and location.path (without a leading "./") /
// location.lines.begin (1 when the input has no lines, as protobuf).
std::string RenderCodeQuality(const LintReport& report);

}  // namespace promtool::cli
