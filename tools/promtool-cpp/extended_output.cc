// Renders the --extended cardinality report as promtool's table or as JSON, with the optional
// top label values per family.
#include "extended_output.h"

#include <algorithm>
#include <cstdio>

#include "promtool/escape.h"
#include "promtool/table.h"

namespace promtool::cli {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out, JsonStyle::kPlain);
  return out;
}

std::string Percent(double fraction) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", fraction * 100);
  return buf;
}

const lint::FamilyLabels* FindLabels(const ExtendedInput& in, const std::string& family) {
  auto it = std::lower_bound(
      in.labels.begin(), in.labels.end(), family,
      [](const lint::FamilyLabels& f, const std::string& name) { return f.family < name; });
  return it != in.labels.end() && it->family == family ? &*it : nullptr;
}

}  // namespace

std::string RenderExtended(bool json, size_t top, const std::vector<ExtendedInput>& inputs) {
  std::string out;
  if (json) {
    out = "{\"inputs\": [";
    for (size_t i = 0; i < inputs.size(); ++i) {
      const ExtendedInput& in = inputs[i];
      out += i ? ",\n  " : "\n  ";
      out += "{\"input\": " + Json(in.name) + ", \"total\": " + std::to_string(in.total) +
             ", \"families\": [";
      for (size_t r = 0; r < in.rows.size(); ++r) {
        const lint::CardinalityRow& row = in.rows[r];
        out += r ? ",\n    " : "\n    ";
        out += "{\"name\": " + Json(row.family) +
               ", \"cardinality\": " + std::to_string(row.cardinality) +
               ", \"percentage\": " + Percent(row.fraction);
        if (top > 0) {
          out += ", \"labels\": [";
          if (const lint::FamilyLabels* f = FindLabels(in, row.family)) {
            for (size_t l = 0; l < f->labels.size(); ++l) {
              const lint::LabelBreakdown& b = f->labels[l];
              out += l ? ", " : "";
              out += "{\"name\": " + Json(b.name) +
                     ", \"distinct\": " + std::to_string(b.distinct) + ", \"top\": [";
              for (size_t v = 0; v < b.top.size(); ++v) {
                out += v ? ", " : "";
                out += "{\"value\": " + Json(b.top[v].first) +
                       ", \"series\": " + std::to_string(b.top[v].second) + "}";
              }
              out += "]}";
            }
          }
          out += "]";
        }
        out += "}";
      }
      out += in.rows.empty() ? "]}" : "\n  ]}";
    }
    out += inputs.empty() ? "]}\n" : "\n]}\n";
    return out;
  }
  for (const ExtendedInput& in : inputs) {
    if (inputs.size() > 1) out += in.name + ":\n";
    std::vector<std::vector<std::string>> cells;
    cells.push_back({"Metric", "Cardinality", "Percentage"});
    for (const lint::CardinalityRow& row : in.rows) {
      cells.push_back({row.family, std::to_string(row.cardinality), Percent(row.fraction) + "%"});
    }
    cells.push_back({"Total", std::to_string(in.total), "100%"});
    out += TabwriterTable(cells);
    if (top == 0) continue;
    std::vector<std::vector<std::string>> label_cells;
    label_cells.push_back({"Metric", "Label", "Values", "Top " + std::to_string(top)});
    for (const lint::CardinalityRow& row : in.rows) {
      const lint::FamilyLabels* f = FindLabels(in, row.family);
      if (f == nullptr) continue;
      for (const lint::LabelBreakdown& b : f->labels) {
        std::string values;
        for (const auto& [value, series] : b.top) {
          values += (values.empty() ? "\"" : ", \"") + value + "\" " + std::to_string(series);
        }
        label_cells.push_back({row.family, b.name, std::to_string(b.distinct), values});
      }
    }
    out += "\n" + TabwriterTable(label_cells);
  }
  return out;
}

}  // namespace promtool::cli
