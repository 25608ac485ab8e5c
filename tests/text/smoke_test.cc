// Minimal parser check; the table-driven suites live beside it.
#include <gtest/gtest.h>

#include "promtool/text_parser.h"

TEST(TextParserSmoke, ParsesOneSample) {
  auto src = promtool::MemorySource("a 1\n");
  promtool::TextParser p(*src);
  EXPECT_EQ(p.Next(), promtool::Entry::kSample);
  EXPECT_EQ(p.Next(), promtool::Entry::kEnd);
}
