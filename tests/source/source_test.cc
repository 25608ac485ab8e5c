// Sources (promtool/source.h): what each kind shows in its window, how a stream source moves and
// bounds its window, line/column location across dropped bytes, and OpenSource's errors.
#include "promtool/source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace promtool {
namespace {

namespace fs = std::filesystem;

TEST(MemorySource, ShowsEverythingAtOnceAndNeverRefills) {
  const std::string bytes = "a 1\nb 2\n";
  auto source = MemorySource(bytes, "mem");
  EXPECT_EQ(source->window(), bytes);
  EXPECT_EQ(source->window_offset(), 0u);
  EXPECT_TRUE(source->at_eof());
  EXPECT_EQ(source->name(), "mem");
  EXPECT_FALSE(source->Refill(0));
  EXPECT_EQ(source->error(), "");
}

TEST(ChunkedMemorySource, RevealsOneChunkPerRefillAndDropsBeforeKeepFrom) {
  const std::string bytes = "abcdefghij";
  auto source = ChunkedMemorySource(bytes, "chunks", StreamOptions{.chunk_bytes = 4});
  EXPECT_EQ(source->window(), "");
  ASSERT_TRUE(source->Refill(0));
  EXPECT_EQ(source->window(), "abcd");
  ASSERT_TRUE(source->Refill(0));
  EXPECT_EQ(source->window(), "abcdefgh");
  ASSERT_TRUE(source->Refill(6));
  EXPECT_EQ(source->window_offset(), 6u);
  EXPECT_EQ(source->window(), "ghij");
  EXPECT_FALSE(source->Refill(6));
  EXPECT_TRUE(source->at_eof());
  EXPECT_EQ(source->error(), "");
}

TEST(ChunkedMemorySource, RefusesToHoldMoreThanMaxWindowBytes) {
  const std::string bytes(300, 'x');
  auto source =
      ChunkedMemorySource(bytes, "big", StreamOptions{.chunk_bytes = 64, .max_window_bytes = 100});
  ASSERT_TRUE(source->Refill(0));
  ASSERT_TRUE(source->Refill(0));
  EXPECT_EQ(source->window().size(), 128u);
  EXPECT_FALSE(source->Refill(0));
  EXPECT_FALSE(source->at_eof());
  EXPECT_EQ(source->error(),
            "more than 100 bytes would have to be held at once: one line or family is larger "
            "than the stream window (split the family, or pass the input as a regular file, "
            "which is memory-mapped with no window limit)");
}

TEST(Source, LocatesLinesAndColumnsAcrossDroppedBytes) {
  const std::string bytes = "a\nbb\nccc\ndddd\n";
  auto source = ChunkedMemorySource(bytes, "lines", StreamOptions{.chunk_bytes = 3});
  // Keep only the last line: the bytes of the first three lines are dropped on the way.
  const uint64_t last_line = bytes.find("dddd");
  while (source->Refill(last_line)) {
  }
  ASSERT_TRUE(source->at_eof());
  EXPECT_EQ(source->window_offset(), last_line);
  EXPECT_EQ(source->window(), "dddd\n");
  const uint64_t last_d = last_line + 3;
  EXPECT_EQ(source->Locate(last_d).line, 4u);
  EXPECT_EQ(source->Locate(last_d).column, 4u);
}

TEST(Source, LocateOfAMemorySource) {
  auto source = MemorySource("first\nsecond\nthird", "mem");
  const LineCol at = source->Locate(8);  // the 'c' of "second"
  EXPECT_EQ(at.line, 2u);
  EXPECT_EQ(at.column, 3u);
}

TEST(Source, LineAtReturnsTheWholeLineWithoutItsNewline) {
  auto source = MemorySource("first\nsecond\nthird", "mem");
  EXPECT_EQ(source->LineAt(8), "second");
  EXPECT_EQ(source->LineAt(0), "first");
  EXPECT_EQ(source->LineAt(15), "third");
}

TEST(OpenSource, MapsARegularFileWhole) {
  const fs::path path = fs::temp_directory_path() / ("source_test." + std::to_string(getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    out << "x 1\n";
  }
  auto source = OpenSource(path.string());
  ASSERT_TRUE(source.ok()) << source.status();
  // Read into the window like a stream (pread), and mapped for Whole().
  EXPECT_EQ((*source)->window(), "");
  EXPECT_TRUE((*source)->Refill(0));
  EXPECT_EQ((*source)->window(), "x 1\n");
  EXPECT_FALSE((*source)->Refill(0));
  EXPECT_TRUE((*source)->at_eof());
  EXPECT_EQ((*source)->name(), path.string());
  ASSERT_TRUE((*source)->Whole().has_value());
  EXPECT_EQ(*(*source)->Whole(), "x 1\n");
  EXPECT_NE(MappedFileAt((*source)->Whole()->data()), nullptr);
  // window_over_mapping: the window is the mapping itself.
  StreamOptions over;
  over.window_over_mapping = true;
  auto mapped = OpenSource(path.string(), over);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  EXPECT_EQ((*mapped)->window(), "x 1\n");
  EXPECT_TRUE((*mapped)->at_eof());
  EXPECT_NE(MappedFileAt((*mapped)->window().data()), nullptr);
  source->reset();
  mapped->reset();
  fs::remove(path);
}

// A temporary file of numbered lines ("<prefix><i> 1") of at least `min_bytes`, and its bytes.
struct LinesFile {
  fs::path path;
  std::string bytes;
};
LinesFile WriteLinesFile(const std::string& tag, const std::string& prefix, size_t min_bytes) {
  LinesFile f;
  f.path = fs::temp_directory_path() / ("source_test_" + tag + "." + std::to_string(getpid()));
  for (int i = 0; f.bytes.size() < min_bytes; ++i) {
    f.bytes += prefix + std::to_string(i) + " 1\n";
  }
  std::ofstream out(f.path, std::ios::binary);
  out << f.bytes;
  return f;
}

// With window_over_mapping, a mapped file larger than one step moves its window as a stream
// does: 1 MiB at first, more per Refill, the bytes before keep_from dropped (lines still
// counted), and Whole() the file.
TEST(OpenSource, MapsALargeFileAsAMovingWindow) {
  const LinesFile file = WriteLinesFile("large", "line_", size_t{5} << 20);
  const fs::path& path = file.path;
  const std::string& bytes = file.bytes;
  StreamOptions over;
  over.window_over_mapping = true;
  auto opened = OpenSource(path.string(), over);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Source& source = **opened;
  EXPECT_EQ(source.window().size(), size_t{1} << 20);
  EXPECT_FALSE(source.at_eof());
  ASSERT_TRUE(source.Whole().has_value());
  EXPECT_EQ(*source.Whole(), bytes);
  // Keep only from the last line on; every byte seen in order equals the file's.
  const uint64_t last_line = bytes.rfind('\n', bytes.size() - 2) + 1;
  std::string seen(source.window());
  while (source.Refill(last_line)) {
    const uint64_t end = source.window_offset() + source.window().size();
    ASSERT_LE(end, bytes.size());
    seen.append(source.window().substr(seen.size() - source.window_offset()));
  }
  EXPECT_EQ(seen, bytes);
  EXPECT_TRUE(source.at_eof());
  EXPECT_EQ(source.window_offset(), last_line);
  EXPECT_EQ(source.window(), std::string_view(bytes).substr(last_line));
  const LineCol at = source.Locate(last_line + 2);
  EXPECT_EQ(at.line, static_cast<uint64_t>(std::count(bytes.begin(), bytes.end(), '\n')));
  EXPECT_EQ(at.column, 3u);
  opened->reset();
  fs::remove(path);
}

// A regular file read into the window (the default): chunk by chunk, no window limit (a file's
// family may be as large as the file), every byte in order, lines located across dropped bytes.
TEST(OpenSource, ReadsALargeFileIntoTheWindow) {
  const LinesFile file = WriteLinesFile("read", "line_", size_t{3} << 20);
  const fs::path& path = file.path;
  const std::string& bytes = file.bytes;
  StreamOptions options;
  options.chunk_bytes = 4096;
  options.max_window_bytes = 8192;  // for pipes only: a file has no window limit
  auto opened = OpenSource(path.string(), options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Source& source = **opened;
  // Keep everything past the pipe window limit (as a reader of one large family would), then
  // keep from a line start on to the end.
  while (source.window().size() < (size_t{1} << 20) && source.Refill(0)) {
  }
  EXPECT_TRUE(source.error().empty()) << source.error();
  ASSERT_GE(source.window().size(), size_t{1} << 20);
  EXPECT_TRUE(source.window() == std::string_view(bytes).substr(0, source.window().size()));
  const uint64_t keep = bytes.find('\n', size_t{1} << 20) + 1;
  while (source.Refill(keep)) {
  }
  EXPECT_TRUE(source.error().empty()) << source.error();
  EXPECT_TRUE(source.at_eof());
  EXPECT_EQ(source.window_offset(), keep);
  EXPECT_TRUE(source.window() == std::string_view(bytes).substr(keep));
  EXPECT_EQ(source.Locate(keep).line,
            static_cast<uint64_t>(std::count(bytes.begin(), bytes.begin() + keep, '\n')) + 1);
  opened->reset();
  fs::remove(path);
}

// Slices of a mapped file, read at once by two threads (--jobs): each sees exactly its bytes,
// with offsets from its start, through its own moving window that hands pages back behind it,
// also when a slice starts and ends inside a page.
TEST(OpenSource, SlicesOfAMappedFileReadTheirBytes) {
  const LinesFile file = WriteLinesFile("slices", "series_", size_t{7} << 20);
  const fs::path& path = file.path;
  const std::string& bytes = file.bytes;
  auto opened = OpenSource(path.string());
  ASSERT_TRUE(opened.ok()) << opened.status();
  const std::vector<uint64_t> bounds = {0, 4097, (uint64_t{3} << 20) + 5, bytes.size()};
  std::vector<std::string> seen(bounds.size() - 1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    std::unique_ptr<Source> slice = (*opened)->Slice(bounds[i], bounds[i + 1], "part");
    ASSERT_NE(slice, nullptr);
    threads.emplace_back([s = std::move(slice), out = &seen[i]]() mutable {
      out->assign(s->window());
      while (s->Refill(s->window_offset() + s->window().size())) out->append(s->window());
      out->insert(0, std::to_string(s->window_offset() + s->window().size()) + ":");
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    const uint64_t n = bounds[i + 1] - bounds[i];
    EXPECT_EQ(seen[i], std::to_string(n) + ":" + bytes.substr(bounds[i], n)) << "slice " << i;
  }
  // A memory source's slice views its bytes; a stream has none.
  auto memory = MemorySource(bytes);
  EXPECT_EQ(memory->Slice(10, 20, "m")->window(), std::string_view(bytes).substr(10, 10));
  opened->reset();
  fs::remove(path);
}

TEST(OpenSource, MissingFileIsNotFoundWithThePath) {
  auto source = OpenSource("/nonexistent/dir/metrics.prom");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(source.status().message(),
            "open /nonexistent/dir/metrics.prom: No such file or directory");
}

TEST(OpenSource, DirectoryIsAnInvalidArgument) {
  const std::string dir = fs::temp_directory_path().string();
  auto source = OpenSource(dir);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(source.status().message(), dir + " is a directory");
}

}  // namespace
}  // namespace promtool
