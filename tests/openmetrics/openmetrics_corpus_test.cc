// Runs the OpenMetrics parser over corpus/openmetrics (memory and 7-byte streamed) and over
// truncated and byte-mutated conformance cases, which must end in kEnd or kError, never crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "openmetrics";
const fs::path kSuite =
    fs::path(PROMTOOL_SOURCE_DIR) / ".." / "shared" / "conformance" / "openmetrics" / "cases";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "OK" or "line:col id".
std::string Outcome(Source& source) {
  OpenMetricsParser parser(source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return "OK";
    if (e == Entry::kError) {
      const ParseError& err = parser.Error();
      return std::to_string(err.line) + ":" + std::to_string(err.column) + " " +
             std::string(ErrorCodeId(err.code));
    }
  }
}

std::vector<std::string> Payloads(const char* dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kCorpus / dir)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".om.txt")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string TestName(const testing::TestParamInfo<std::string>& p) {
  std::string n;
  for (char c : p.param) n.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return n;
}

std::string ParseBytes(const std::string& bytes, size_t chunk) {
  auto source = chunk == 0
                    ? MemorySource(bytes, "corpus")
                    : ChunkedMemorySource(bytes, "corpus", StreamOptions{.chunk_bytes = chunk});
  return Outcome(*source);
}

class OmValidCorpus : public testing::TestWithParam<std::string> {};
TEST_P(OmValidCorpus, Parses) {
  std::string bytes = ReadFile(kCorpus / "valid" / GetParam());
  EXPECT_EQ(ParseBytes(bytes, 0), "OK");
  EXPECT_EQ(ParseBytes(bytes, 7), "OK");
}
INSTANTIATE_TEST_SUITE_P(Om, OmValidCorpus, testing::ValuesIn(Payloads("valid")), TestName);

class OmInvalidCorpus : public testing::TestWithParam<std::string> {};
TEST_P(OmInvalidCorpus, FailsWhereExpected) {
  const fs::path path = kCorpus / "invalid" / GetParam();
  std::string expected = ReadFile(path.string() + ".expected");
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  std::string bytes = ReadFile(path);
  EXPECT_EQ(ParseBytes(bytes, 0), expected);
  EXPECT_EQ(ParseBytes(bytes, 7), expected);
}
INSTANTIATE_TEST_SUITE_P(Om, OmInvalidCorpus, testing::ValuesIn(Payloads("invalid")), TestName);

TEST(OmRobustness, TruncatedAndMutatedSuiteCasesTerminate) {
  if (!fs::exists(kSuite)) GTEST_SKIP() << "no conformance suite at " << kSuite;
  const std::string kBytes = std::string(
      "\n \t#{}\",=\\\0\r\xC3"
      "0+-.eE_",
      17);
  size_t runs = 0;
  for (const auto& entry : fs::directory_iterator(kSuite)) {
    std::string bytes = ReadFile(entry.path() / "metrics");
    for (size_t cut = 0; cut <= bytes.size(); ++cut) {
      std::string o = ParseBytes(bytes.substr(0, cut), 0);
      ASSERT_FALSE(o.empty());
      ++runs;
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string m = bytes;
      m[i] = kBytes[(i * 7 + bytes.size()) % kBytes.size()];
      ASSERT_FALSE(ParseBytes(m, 0).empty());
      ASSERT_EQ(ParseBytes(m, 0), ParseBytes(m, 3)) << entry.path() << " byte " << i;
      ++runs;
    }
  }
  EXPECT_GT(runs, 1000u);
}

}  // namespace
}  // namespace promtool
