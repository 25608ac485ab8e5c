// Placeholder replaced by the table-driven parser tests.
#include <gtest/gtest.h>

#include "promtool/text_parser.h"

TEST(Smoke, ParsesOneSample) {
  auto src = promtool::MemorySource("a 1\n");
  promtool::TextParser p(*src);
  EXPECT_EQ(p.Next(), promtool::Entry::kSample);
  EXPECT_EQ(p.Next(), promtool::Entry::kEnd);
}
