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
  // Go's blocks: column c's width is shared by a maximal run of consecutive rows that have a
  // cell in column c; a shorter row ends the run.
  std::vector<std::vector<size_t>> width(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) width[r].assign(rows[r].size(), 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (width[r][c] != 0) continue;  // already sized as part of an earlier row's block
      size_t end = r, block = kMinWidth;
      while (end < rows.size() && rows[end].size() > c) {
        block = std::max(block, TabwriterCellWidth(rows[end][c]) + kPadding);
        ++end;
      }
      for (size_t k = r; k < end; ++k) width[k][c] = block;
    }
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      out += rows[r][c];
      out.append(width[r][c] - TabwriterCellWidth(rows[r][c]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace promtool
