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
  // As text/tabwriter: a column's width is shared by a block of consecutive rows that all have a
  // cell in that column; a row without it ends the block.
  size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<std::vector<size_t>> width(rows.size());
  for (size_t c = 0; c < columns; ++c) {
    for (size_t r = 0; r < rows.size();) {
      if (rows[r].size() <= c) {
        ++r;
        continue;
      }
      const size_t begin = r;
      size_t w = kMinWidth;
      for (; r < rows.size() && rows[r].size() > c; ++r) {
        w = std::max(w, TabwriterCellWidth(rows[r][c]) + kPadding);
      }
      for (size_t k = begin; k < r; ++k) width[k].push_back(w);
    }
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i = 0; i < rows[r].size(); ++i) {
      out += rows[r][i];
      out.append(width[r][i] - TabwriterCellWidth(rows[r][i]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace promtool
