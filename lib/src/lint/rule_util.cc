// Small text helpers shared by the semantic lint rules.
#include "lint/rule_util.h"

#include "promtool/numbers.h"

namespace promtool::lint {

std::string LabelsText(const Series& series) {
  if (series.labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < series.labels.size(); ++i) {
    if (i > 0) out += ',';
    out += series.labels[i].name;
    out += "=\"";
    out += series.labels[i].value;
    out += '"';
  }
  out += '}';
  return out;
}

std::string FormatNumber(double value) {
  // The one number form of the project (Go's shortest %g, +Inf/-Inf/NaN), as in every message.
  std::string out;
  AppendFloat(value, &out);
  return out;
}

}  // namespace promtool::lint
