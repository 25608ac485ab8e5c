// One table-driven corpus test for every format: each payload under corpus/text, corpus/openmetrics
// and corpus/protobuf is validated as its format, mapped and streamed; valid ones must pass and be
// detected as their format, invalid ones must fail with exactly the `LINE:COL CODE` of their
// .expected file. Also: the text corpus covers every text error code, and truncated or mutated
// OpenMetrics conformance cases always end in a verdict.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(PROMTOOL_SOURCE_DIR) / "corpus";
const fs::path kSuite =
    fs::path(PROMTOOL_SOURCE_DIR) / ".." / "shared" / "conformance" / "openmetrics" / "cases";

// The formats of the corpus: the folder under corpus/ and how its payloads are read.
struct CorpusFormat {
  const char* dir;
  InputFormat format;
};
constexpr CorpusFormat kFormats[] = {
    {"text", InputFormat::kText},
    {"openmetrics", InputFormat::kOpenMetrics},
    {"protobuf", InputFormat::kProtobuf},
};

// One payload of the table: its format and its path relative to corpus/<dir>/.
struct Payload {
  CorpusFormat format;
  std::string sub;   // "valid" or "invalid"
  std::string name;  // file name
  fs::path path() const { return kCorpus / format.dir / sub / name; }
};

std::ostream& operator<<(std::ostream& out, const Payload& p) {
  return out << p.format.dir << "/" << p.sub << "/" << p.name;
}

std::vector<Payload> Payloads(const char* sub) {
  std::vector<Payload> out;
  for (const CorpusFormat& format : kFormats) {
    const fs::path dir = kCorpus / format.dir / sub;
    if (!fs::exists(dir)) continue;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && !name.ends_with(".expected") && !name.ends_with(".md")) {
        names.push_back(name);
      }
    }
    std::sort(names.begin(), names.end());
    for (std::string& name : names) out.push_back(Payload{format, sub, std::move(name)});
  }
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Validates to the end as `format`; returns "OK" or "LINE:COL CODE".
std::string Verdict(Source& source, InputFormat format) {
  ValidateOptions options;
  options.format = format;
  ValidateResult result = Validate(source, options);
  if (result.error.ok()) return "OK";
  std::ostringstream out;
  out << result.error.line << ":" << result.error.column << " " << ErrorCodeId(result.error.code);
  return out.str();
}

std::string Mapped(const Payload& p) {
  auto source = OpenSource(p.path().string());
  if (!source.ok()) return std::string(source.status().message());
  return Verdict(**source, p.format.format);
}

// The same input read through a stream source with a tiny chunk, so the window moves.
std::string Streamed(const Payload& p, size_t chunk) {
  int fd = ::open(p.path().c_str(), O_RDONLY);
  if (fd < 0) return "cannot open " + p.path().string();
  StreamOptions options;
  options.chunk_bytes = chunk;
  auto source = FdSource(fd, p.path().string(), options);
  std::string verdict = Verdict(*source, p.format.format);
  ::close(fd);
  return verdict;
}

std::string TestName(const testing::TestParamInfo<Payload>& info) {
  std::string name = std::string(info.param.format.dir) + "_" + info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class ValidCorpus : public testing::TestWithParam<Payload> {};

TEST_P(ValidCorpus, Parses) {
  EXPECT_EQ(Mapped(GetParam()), "OK");
  EXPECT_EQ(Streamed(GetParam(), 7), "OK");
}

TEST_P(ValidCorpus, IsDetectedAsItsFormat) {
  auto source = OpenSource(GetParam().path().string());
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(InputFormatName(DetectFormat(**source)), InputFormatName(GetParam().format.format));
}

INSTANTIATE_TEST_SUITE_P(All, ValidCorpus, testing::ValuesIn(Payloads("valid")), TestName);

class InvalidCorpus : public testing::TestWithParam<Payload> {};

TEST_P(InvalidCorpus, FailsWhereExpected) {
  const fs::path expected_path = GetParam().path().string() + ".expected";
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
  std::string expected = ReadFile(expected_path);
  expected = expected.substr(0, expected.find('\n'));
  EXPECT_EQ(Mapped(GetParam()), expected);
  EXPECT_EQ(Streamed(GetParam(), 7), expected);
}

INSTANTIATE_TEST_SUITE_P(All, InvalidCorpus, testing::ValuesIn(Payloads("invalid")), TestName);

TEST(Corpus, EveryFormatHasValidPayloads) {
  for (const CorpusFormat& format : kFormats) {
    const std::vector<Payload> valid = Payloads("valid");
    EXPECT_TRUE(std::any_of(valid.begin(), valid.end(),
                            [&](const Payload& p) { return p.format.dir == format.dir; }))
        << "no valid payload in corpus/" << format.dir;
  }
}

TEST(Corpus, HasEveryTextParserErrorCode) {
  std::vector<std::string> seen;
  for (const Payload& p : Payloads("invalid")) {
    if (p.format.format != InputFormat::kText) continue;
    std::ifstream in(p.path().string() + ".expected");
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

// "OK" or "line:col id" of the OpenMetrics parser on `bytes`, read whole or in chunks.
std::string OmOutcome(const std::string& bytes, size_t chunk) {
  auto source = chunk == 0
                    ? MemorySource(bytes, "corpus")
                    : ChunkedMemorySource(bytes, "corpus", StreamOptions{.chunk_bytes = chunk});
  return Verdict(*source, InputFormat::kOpenMetrics);
}

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
      std::string o = OmOutcome(bytes.substr(0, cut), 0);
      ASSERT_FALSE(o.empty());
      ++runs;
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string m = bytes;
      m[i] = kBytes[(i * 7 + bytes.size()) % kBytes.size()];
      ASSERT_FALSE(OmOutcome(m, 0).empty());
      ASSERT_EQ(OmOutcome(m, 0), OmOutcome(m, 3)) << entry.path() << " byte " << i;
      ++runs;
    }
  }
  EXPECT_GT(runs, 1000u);
}

}  // namespace
}  // namespace promtool
