// TailKeeper (source/tail_keeper.h): the last 16 bytes of a stream whatever its chunking, the
// inner source's window and errors passed through, and line numbers kept across refills.
#include "source/tail_keeper.h"

#include <gtest/gtest.h>

#include <string>

#include "promtool/source.h"

namespace promtool {
namespace {

// Reads `source` to the end keeping nothing behind the window's last line start, as a
// line-by-line parser does.
void Drain(Source& source) {
  for (;;) {
    const std::string_view w = source.window();
    const size_t nl = w.rfind('\n');
    const uint64_t keep =
        nl == std::string_view::npos ? source.window_offset() : source.window_offset() + nl + 1;
    if (!source.Refill(keep)) return;
  }
}

struct TailCase {
  const char* name;
  std::string body;
  size_t chunk_bytes;
  std::string tail;
};

std::string Lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "metric_" + std::to_string(i) + " 1\n";
  return s;
}

class TailKeeperTailTest : public testing::TestWithParam<TailCase> {};

TEST_P(TailKeeperTailTest, KeepsTheLastSixteenBytes) {
  const TailCase& c = GetParam();
  auto inner = ChunkedMemorySource(c.body, "body", StreamOptions{.chunk_bytes = c.chunk_bytes});
  TailKeeper body(*inner);
  Drain(body);
  EXPECT_TRUE(body.at_eof());
  EXPECT_EQ(body.tail(), c.tail);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TailKeeperTailTest,
    testing::Values(TailCase{"Empty", "", 4, ""},
                    TailCase{"ShorterThanSixteen", "a 1\n# EOF\n", 3, "a 1\n# EOF\n"},
                    TailCase{"OneByteChunks", Lines(50) + "# EOF\n", 1, "tric_49 1\n# EOF\n"},
                    TailCase{"ChunksOfSeven", Lines(50) + "# EOF\n", 7, "tric_49 1\n# EOF\n"},
                    TailCase{"OneChunk", Lines(50) + "# EOF\n", 1 << 20, "tric_49 1\n# EOF\n"},
                    TailCase{"NoFinalNewline", Lines(3) + "# EOF", 5, "metric_2 1\n# EOF"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(TailKeeper, LocatesLinesAcrossDroppedBytes) {
  const std::string body = Lines(1000);
  auto inner = ChunkedMemorySource(body, "body", StreamOptions{.chunk_bytes = 64});
  TailKeeper kept(*inner);
  // Keep only the last line: the bytes of the 999 lines before it are dropped on the way.
  const uint64_t last = body.rfind("metric_999");
  while (kept.Refill(last)) {
  }
  ASSERT_TRUE(kept.at_eof());
  EXPECT_EQ(kept.window_offset(), last);
  EXPECT_EQ(kept.Locate(last).line, 1000u);
  EXPECT_EQ(kept.Locate(last + 7).column, 8u);
}

TEST(TailKeeper, PassesTheInnerErrorThrough) {
  const std::string body(300, 'x');  // one line longer than the window may hold
  auto inner =
      ChunkedMemorySource(body, "body", StreamOptions{.chunk_bytes = 64, .max_window_bytes = 100});
  TailKeeper kept(*inner);
  Drain(kept);
  EXPECT_FALSE(kept.at_eof());
  EXPECT_EQ(kept.error_code(), inner->error_code());
  EXPECT_EQ(kept.error(), inner->error());
  EXPECT_NE(kept.error(), "");
}

}  // namespace
}  // namespace promtool
