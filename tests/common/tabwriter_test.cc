// The Go tabwriter layout (promtool/table.h) with promtool's settings (minwidth 4, padding 4, a
// tab after every cell): column widths per block of consecutive rows, code-point cell widths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "promtool/table.h"

namespace promtool {
namespace {

TEST(Tabwriter, CellWidthCountsCodePoints) {
  EXPECT_EQ(TabwriterCellWidth(""), 0u);
  EXPECT_EQ(TabwriterCellWidth("abc"), 3u);
  EXPECT_EQ(TabwriterCellWidth("\xc3\xa9t\xc3\xa9"), 3u);  // "été"
  EXPECT_EQ(TabwriterCellWidth("\xf0\x9f\x98\x80"), 1u);   // one emoji
}

TEST(Tabwriter, PadsEachColumnToItsWidestCellPlusFour) {
  EXPECT_EQ(TabwriterTable({{"a", "bb"}, {"ccc", "d"}}),
            "a      bb    \n"
            "ccc    d     \n");
}

TEST(Tabwriter, EmptyCellsTakeTheMinimumWidth) {
  EXPECT_EQ(TabwriterTable({{"", ""}}), "        \n");
}

TEST(Tabwriter, MultibyteCellsArePaddedByCodePoints) {
  EXPECT_EQ(TabwriterTable({{"\xc3\xa9t\xc3\xa9", "x"}, {"abcd", "y"}}),
            "\xc3\xa9t\xc3\xa9     x    \n"
            "abcd    y    \n");
}

// A column's width is shared only by consecutive rows that have that column.
TEST(Tabwriter, ShorterRowEndsAColumnBlock) {
  EXPECT_EQ(TabwriterTable({{"a", "b"}, {"ccc"}, {"d", "eeeee"}}),
            "a      b    \n"
            "ccc    \n"
            "d      eeeee    \n");
}

TEST(Tabwriter, NoRowsIsEmpty) { EXPECT_EQ(TabwriterTable({}), ""); }

}  // namespace
}  // namespace promtool
