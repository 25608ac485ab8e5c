// Tables laid out as Go's text/tabwriter lays them out with promtool's settings (the one
// implementation the CLI's tables use).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace promtool {

// The width of a cell as text/tabwriter counts it: UTF-8 code points (continuation bytes do
// not count).
size_t TabwriterCellWidth(std::string_view cell);

// `rows` as tabwriter.NewWriter(w, 4, 0, 4, ' ', 0) writes them with a tab after every cell:
// each cell padded with blanks to its column's widest cell plus 4 (at least 4), each row ending
// in its padding and a newline. Rows may have different lengths: as tabwriter, a column's width
// is shared only by consecutive rows that have a cell in it (a column block).
std::string TabwriterTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace promtool
