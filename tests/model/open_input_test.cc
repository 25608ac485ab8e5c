// OpenInput() of the core (files, stdin, pipes): the source, its detected format, its size, and
// the errors of inputs that cannot be opened.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "promtool/input.h"

namespace promtool {
namespace {

class TempDir {
 public:
  TempDir() {
    char dir[] = "/tmp/open_input_XXXXXX";
    dir_ = mkdtemp(dir);
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
};

struct FormatCase {
  const char* name;
  const char* bytes;
  InputFormat given;
  InputFormat want;
};

class Formats : public testing::TestWithParam<FormatCase> {};

TEST_P(Formats, AreDetectedUnlessGiven) {
  TempDir dir;
  const std::string path = dir.Write("in", GetParam().bytes);
  ReadOptions options;
  options.format = GetParam().given;
  Input in = OpenInput(path, options);
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_EQ(in.format, GetParam().want);
  EXPECT_EQ(in.options.format, GetParam().want);
  EXPECT_EQ(in.name, path);
  EXPECT_EQ(in.size, static_cast<int64_t>(std::string(GetParam().bytes).size()));
  EXPECT_FALSE(in.url);
  ASSERT_NE(in.source, nullptr);
  EXPECT_EQ(in.source->name(), path);
}

const FormatCase kFormats[] = {
    {"text", "a 1\n", InputFormat::kAuto, InputFormat::kText},
    {"openmetrics", "a 1\n# EOF\n", InputFormat::kAuto, InputFormat::kOpenMetrics},
    {"given_wins", "a 1\n# EOF\n", InputFormat::kText, InputFormat::kText},
};

INSTANTIATE_TEST_SUITE_P(Table, Formats, testing::ValuesIn(kFormats),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(OpenInput, MappedFileIsWholeInTheWindow) {
  TempDir dir;
  const std::string path = dir.Write("in", "a 1\nb 2\n");
  ReadOptions options;
  options.whole = true;  // the window is the mapping: nothing is copied
  Input in = OpenInput(path, options);
  ASSERT_TRUE(in.ok()) << in.error.message;
  EXPECT_TRUE(in.source->at_eof());
  EXPECT_EQ(in.source->window(), "a 1\nb 2\n");
  EXPECT_EQ(in.source->window().data(), in.source->Whole()->data());
  Input read = OpenInput(path);  // otherwise read into the window as it goes
  ASSERT_TRUE(read.ok()) << read.error.message;
  EXPECT_EQ(*read.source->Whole(), "a 1\nb 2\n");
  EXPECT_EQ(read.source->window(), "");
}

TEST(OpenInput, UnmappedFileIsStreamedAndWholeReadsItToTheEnd) {
  TempDir dir;
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += "metric_" + std::to_string(i) + " 1\n";
  const std::string path = dir.Write("in", bytes);
  ReadOptions options;
  options.format = InputFormat::kText;  // no detection, which reads a stream ahead
  options.map_files = false;
  options.stream.chunk_bytes = 64;
  Input streamed = OpenInput(path, options);
  ASSERT_TRUE(streamed.ok()) << streamed.error.message;
  EXPECT_EQ(streamed.size, static_cast<int64_t>(bytes.size()));
  EXPECT_LT(streamed.source->window().size(), bytes.size());
  options.whole = true;
  Input whole = OpenInput(path, options);
  ASSERT_TRUE(whole.ok()) << whole.error.message;
  EXPECT_TRUE(whole.source->at_eof());
  EXPECT_EQ(whole.source->window_offset(), 0u);
  EXPECT_EQ(whole.source->window(), bytes);
}

TEST(OpenInput, WholeInputLargerThanTheWindowIsALimit) {
  TempDir dir;
  const std::string path = dir.Write("in", std::string(10000, '#') + "\n");
  ReadOptions options;
  options.map_files = false;
  options.whole = true;
  options.stream.chunk_bytes = 1024;
  options.stream.max_window_bytes = 4096;
  Input in = OpenInput(path, options);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error.code, ErrorCode::kLimit);
  EXPECT_FALSE(in.error.located());
  EXPECT_NE(in.error.message.find("more than 4096 bytes would have to be held at once"),
            std::string::npos)
      << in.error.message;
  EXPECT_EQ(in.source, nullptr);
}

struct ErrorCase {
  const char* name;
  const char* input;  // relative to a temporary directory holding a subdirectory "dir"
  ErrorCode code;
  const char* message;  // with {} for the temporary directory
};

class Errors : public testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, AreNotLocatedAndNameTheInput) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() + "/dir");
  const std::string input = GetParam().input[0] == '/' || GetParam().input[0] == 'h'
                                ? GetParam().input
                                : dir.path() + "/" + GetParam().input;
  Input in = OpenInput(input);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error.code, GetParam().code);
  EXPECT_FALSE(in.error.located());
  std::string want = GetParam().message;
  if (size_t at = want.find("{}"); at != std::string::npos) want.replace(at, 2, dir.path());
  EXPECT_EQ(in.error.message, want);
  EXPECT_EQ(in.source, nullptr);
}

const ErrorCase kErrors[] = {
    {"missing", "missing.prom", ErrorCode::kIo, "open {}/missing.prom: No such file or directory"},
    {"directory", "dir", ErrorCode::kIo, "{}/dir is a directory"},
    {"url_needs_the_operations_layer", "http://127.0.0.1:1/metrics", ErrorCode::kOption,
     "URL inputs are opened by the operations layer (promtool/open.h)"},
};

INSTANTIATE_TEST_SUITE_P(Table, Errors, testing::ValuesIn(kErrors),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(IsUrl, HttpAndHttpsInAnyCase) {
  EXPECT_TRUE(IsUrl("http://a/metrics"));
  EXPECT_TRUE(IsUrl("HTTPS://a/metrics"));
  EXPECT_FALSE(IsUrl("ftp://a"));
  EXPECT_FALSE(IsUrl("http:/a"));
  EXPECT_FALSE(IsUrl("-"));
  EXPECT_FALSE(IsUrl("metrics.prom"));
}

}  // namespace
}  // namespace promtool
