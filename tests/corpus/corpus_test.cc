// Runs the text parser over corpus/text: every valid payload must parse, every invalid one must
// fail with exactly the `LINE:COL CODE` in its .expected file, whether mapped or streamed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "text";

std::vector<std::string> Payloads(const char* sub) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kCorpus / sub)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.ends_with(".expected")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Parses to the end; returns "OK" or "LINE:COL CODE".
std::string Verdict(Source& source) {
  TextParser parser(source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return "OK";
    if (e == Entry::kError) {
      const ParseError& err = parser.Error();
      std::ostringstream out;
      out << err.line << ":" << err.column << " " << ErrorCodeId(err.code);
      return out.str();
    }
  }
}

std::string Mapped(const fs::path& path) {
  auto source = OpenSource(path.string());
  if (!source.ok()) return std::string(source.status().message());
  return Verdict(**source);
}

// The same input read through a stream source with a tiny chunk, so the window moves.
std::string Streamed(const fs::path& path, size_t chunk) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return "cannot open " + path.string();
  StreamOptions options;
  options.chunk_bytes = chunk;
  auto source = FdSource(fd, path.string(), options);
  std::string verdict = Verdict(*source);
  ::close(fd);
  return verdict;
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class ValidCorpus : public testing::TestWithParam<std::string> {};

TEST_P(ValidCorpus, Parses) {
  const fs::path path = kCorpus / "valid" / GetParam();
  EXPECT_EQ(Mapped(path), "OK");
  EXPECT_EQ(Streamed(path, 7), "OK");
}

INSTANTIATE_TEST_SUITE_P(Text, ValidCorpus, testing::ValuesIn(Payloads("valid")), TestName);

class InvalidCorpus : public testing::TestWithParam<std::string> {};

TEST_P(InvalidCorpus, FailsWhereExpected) {
  const fs::path path = kCorpus / "invalid" / GetParam();
  std::ifstream in(path.string() + ".expected");
  ASSERT_TRUE(in) << "missing " << path.string() << ".expected";
  std::string expected;
  std::getline(in, expected);
  EXPECT_EQ(Mapped(path), expected);
  EXPECT_EQ(Streamed(path, 7), expected);
}

INSTANTIATE_TEST_SUITE_P(Text, InvalidCorpus, testing::ValuesIn(Payloads("invalid")), TestName);

TEST(Corpus, HasEveryParserErrorCode) {
  std::vector<std::string> seen;
  for (const std::string& name : Payloads("invalid")) {
    std::ifstream in((kCorpus / "invalid" / (name + ".expected")).string());
    std::string pos, code;
    in >> pos >> code;
    seen.push_back(code);
  }
  // kLimit needs non-default options; kIo and kUnsupported never come from the text parser.
  for (int c = static_cast<int>(ErrorCode::kUnexpectedEof); c <= static_cast<int>(ErrorCode::kGzip);
       ++c) {
    std::string id(ErrorCodeId(static_cast<ErrorCode>(c)));
    EXPECT_NE(std::find(seen.begin(), seen.end(), id), seen.end()) << "no corpus file for " << id;
  }
}

}  // namespace
}  // namespace promtool
