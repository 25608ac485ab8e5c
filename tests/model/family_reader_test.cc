// FamilyReader: grouping as promtool groups, family boundaries, and streaming equivalence.
#include "promtool/family_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "promtool/numbers.h"

namespace promtool {
namespace {

// A canonical one-line-per-series rendering of everything a FamilyView carries.
std::string Dump(const FamilyView& f) {
  std::string out = std::string(f.name) + " type=" + std::string(MetricTypeName(f.type)) +
                    (f.has_help ? " help=" + std::string(f.help) : "") +
                    (f.continued ? " continued" : "") + "\n";
  for (const Series& s : f.series) {
    out += "  {";
    for (const Label& l : s.labels) out += std::string(l.name) + "=" + std::string(l.value) + ",";
    out += "}";
    if (f.type == MetricType::kHistogram || f.type == MetricType::kSummary) {
      for (const Bucket& b : s.buckets) {
        out += " b(";
        AppendFloat(b.upper_bound, &out);
        out += ")=";
        AppendFloat(b.cumulative_count, &out);
      }
      for (const Quantile& q : s.quantiles) {
        out += " q(";
        AppendFloat(q.quantile, &out);
        out += ")=";
        AppendFloat(q.value, &out);
      }
      if (s.has_sum) {
        out += " sum=";
        AppendFloat(s.sum, &out);
      }
      if (s.has_count) {
        out += " count=";
        AppendFloat(s.count, &out);
      }
    } else {
      out += " ";
      AppendFloat(s.value, &out);
    }
    if (s.has_timestamp) out += " @" + std::to_string(s.timestamp_ms);
    out += " lines=" + std::to_string(s.lines) + "\n";
  }
  return out;
}

std::string DumpAll(Source& src, std::string* error = nullptr) {
  TextParser parser(src);
  FamilyReader reader(parser);
  std::string out;
  while (const FamilyView* f = reader.Next()) out += Dump(*f);
  if (reader.error() != nullptr && error != nullptr) {
    *error = std::to_string(reader.error()->line) + ":" + std::to_string(reader.error()->column) +
             " " + reader.error()->message;
  }
  return out;
}

std::string DumpText(const std::string& text, std::string* error = nullptr) {
  auto src = MemorySource(text);
  return DumpAll(*src, error);
}

struct GroupCase {
  const char* name;
  const char* input;
  const char* expected;
};

class GroupingTest : public testing::TestWithParam<GroupCase> {};

TEST_P(GroupingTest, GroupsAsPromtoolDoes) {
  EXPECT_EQ(DumpText(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    FamilyReader, GroupingTest,
    testing::Values(
        GroupCase{"counter_series_stay_separate",
                  "# HELP c_total Requests.\n# TYPE c_total counter\nc_total{a=\"1\"} 1\n"
                  "c_total{a=\"2\"} 2 1700\n",
                  "c_total type=counter help=Requests.\n  {a=1,} 1 lines=1\n"
                  "  {a=2,} 2 @1700 lines=1\n"},
        GroupCase{
            "histogram_lines_merge_by_labels_without_le",
            "# TYPE h histogram\nh_bucket{x=\"a\",le=\"1\"} 1\nh_bucket{le=\"+Inf\",x=\"a\"} 2\n"
            "h_sum{x=\"a\"} 3.5\nh_count{x=\"a\"} 2\nh_bucket{x=\"b\",le=\"+Inf\"} 0\n"
            "h_sum{x=\"b\"} 0\nh_count{x=\"b\"} 0\n",
            "h type=histogram\n  {x=a,} b(1)=1 b(+Inf)=2 sum=3.5 count=2 lines=4\n"
            "  {x=b,} b(+Inf)=0 sum=0 count=0 lines=3\n"},
        GroupCase{"interleaved_histogram_series_are_regrouped",
                  "# TYPE h histogram\nh_bucket{x=\"a\",le=\"1\"} 1\nh_bucket{x=\"b\",le=\"1\"} 5\n"
                  "h_bucket{x=\"a\",le=\"+Inf\"} 2\nh_bucket{x=\"b\",le=\"+Inf\"} 6\n",
                  "h type=histogram\n  {x=a,} b(1)=1 b(+Inf)=2 lines=2\n"
                  "  {x=b,} b(1)=5 b(+Inf)=6 lines=2\n"},
        GroupCase{"summary_quantiles_sum_count",
                  "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.9\"} 2\ns_sum 10\n"
                  "s_count 4\n",
                  "s type=summary\n  {} q(0.5)=1 q(0.9)=2 sum=10 count=4 lines=4\n"},
        GroupCase{"summary_line_without_quantile_is_a_series_with_no_parts",
                  "# TYPE s summary\ns{a=\"x\"} 7\n", "s type=summary\n  {a=x,} lines=1\n"},
        GroupCase{"sum_without_typed_base_is_its_own_untyped_family", "foo_sum 1\nfoo_count 2\n",
                  "foo_sum type=untyped\n  {} 1 lines=1\nfoo_count type=untyped\n  {} 2 lines=1\n"},
        GroupCase{"help_only_family_is_returned_without_series", "# HELP a Only help.\nb 1\n",
                  "a type=untyped help=Only help.\nb type=untyped\n  {} 1 lines=1\n"},
        GroupCase{"family_split_by_another_is_marked_continued", "a 1\nb 2\na 3\n",
                  "a type=untyped\n  {} 1 lines=1\nb type=untyped\n  {} 2 lines=1\n"
                  "a type=untyped continued\n  {} 3 lines=1\n"},
        GroupCase{"help_for_sum_name_goes_to_summary_base",
                  "# TYPE s summary\n# HELP s_sum Total.\ns_sum 1\n",
                  "s type=summary help=Total.\n  {} sum=1 lines=1\n"},
        GroupCase{"comments_do_not_split_a_family",
                  "# TYPE g gauge\n# a comment\ng 1\n# another\ng{a=\"b\"} 2\n",
                  "g type=gauge\n  {} 1 lines=1\n  {a=b,} 2 lines=1\n"},
        GroupCase{"escaped_label_values_stay_raw", "g{a=\"x\\\"y\\\\z\\n\"} 1\n",
                  "g type=untyped\n  {a=x\\\"y\\\\z\\n,} 1 lines=1\n"}),
    [](const testing::TestParamInfo<GroupCase>& case_info) {
      return std::string(case_info.param.name);
    });

TEST(FamilyReader, StopsWithTheParseError) {
  std::string error;
  std::string families = DumpText("a 1\nb 2\nc{ 3\n", &error);
  // Families before the broken line are returned; the one being built when the error hits is not.
  EXPECT_EQ(families, "a type=untyped\n  {} 1 lines=1\n");
  EXPECT_EQ(error, "3:4 expected a label name ([a-zA-Z_]) or '}', found '3'");
}

// Writes `text` to a temp file and returns an fd opened for plain read() (not mmap).
int TempFd(const std::string& text) {
  char path[] = "/tmp/promtool-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  lseek(fd, 0, SEEK_SET);
  unlink(path);
  return fd;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class StreamingTest : public testing::TestWithParam<const char*> {};

// The chunked stdin path must give exactly what the in-memory path gives, whatever the chunk
// size, since families are pinned while the window moves underneath them.
TEST_P(StreamingTest, ChunkedStreamEqualsMemory) {
  std::string text = ReadFile(std::string(PROMTOOL_SOURCE_DIR) + "/" + GetParam());
  ASSERT_FALSE(text.empty());
  std::string expected = DumpText(text);
  for (size_t chunk : {1, 7, 64, 4096}) {
    int fd = TempFd(text);
    StreamOptions opts;
    opts.chunk_bytes = chunk;
    auto src = FdSource(fd, "<test>", opts);
    EXPECT_EQ(DumpAll(*src), expected) << "chunk " << chunk;
    close(fd);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, StreamingTest,
                         testing::Values("corpus/text/valid/drone-server.prom"));

TEST(Streaming, ErrorPositionIsExactAfterTheWindowMoved) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "metric_" + std::to_string(i) + "{a=\"b\"} 1\n";
  text += "broken{a=1} 2\n";
  auto mem = MemorySource(text);
  std::string mem_error, stream_error;
  DumpAll(*mem, &mem_error);
  int fd = TempFd(text);
  StreamOptions opts;
  opts.chunk_bytes = 100;
  auto src = FdSource(fd, "<test>", opts);
  DumpAll(*src, &stream_error);
  close(fd);
  EXPECT_EQ(mem_error.substr(0, 7), "2001:10");
  EXPECT_EQ(stream_error, mem_error);
}

TEST(Streaming, WindowStaysBoundedByTheLargestFamily) {
  // 20000 small families of one series each: the window must never hold much more than a
  // couple of chunks, however long the payload.
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "# HELP m" + std::to_string(i) + " Help.\nm" + std::to_string(i) + "{a=\"b\"} 1\n";
  }
  int fd = TempFd(text);
  StreamOptions opts;
  opts.chunk_bytes = 4096;
  auto src = FdSource(fd, "<test>", opts);
  TextParser parser(*src);
  FamilyReader reader(parser);
  size_t max_window = 0, families = 0;
  while (reader.Next() != nullptr) {
    ++families;
    max_window = std::max(max_window, src->window().size());
  }
  close(fd);
  EXPECT_EQ(families, 20000u);
  EXPECT_EQ(reader.error(), nullptr);
  EXPECT_LE(max_window, 3 * 4096u);
}

TEST(Source, LocateCountsLinesAcrossDroppedBytes) {
  std::string text = "a 1\n\n# c\nb 2\n";
  auto mem = MemorySource(text);
  LineCol lc = mem->Locate(text.find('b') + 2);
  EXPECT_EQ(lc.line, 4u);
  EXPECT_EQ(lc.column, 3u);
  EXPECT_EQ(mem->LineAt(text.find('b')), "b 2");
}

}  // namespace
}  // namespace promtool
