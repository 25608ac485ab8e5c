// Small text helpers shared by the semantic lint rules.
#include "lint/rule_util.h"

#include <charconv>
#include <cmath>

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
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "?";
  return std::string(buf, end);
}

}  // namespace promtool::lint
