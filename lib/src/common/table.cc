// TabwriterTable(): Go's text/tabwriter layout for promtool's tables.
#include "promtool/table.h"

#include <algorithm>

namespace promtool {

size_t TabwriterCellWidth(std::string_view cell) {
  size_t n = 0;
  for (unsigned char c : cell) n += (c & 0xC0) != 0x80;
  return n;
}

std::string TabwriterTable(const std::vector<std::vector<std::string>>& rows) {
  constexpr size_t kMinWidth = 4, kPadding = 4;
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), kMinWidth);
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], TabwriterCellWidth(row[i]) + kPadding);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      out.append(width[i] - TabwriterCellWidth(row[i]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace promtool
