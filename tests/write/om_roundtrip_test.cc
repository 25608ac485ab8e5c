// OpenMetrics round trip: for every valid conformance case and corpus payload, read -> model A,
// write OpenMetrics (which the strict parser must accept), read -> model B, and A == B.
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/owned_family.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"
#include "write/writer.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "openmetrics" / "valid";
const fs::path kSuite =
    fs::path(PROMTOOL_SOURCE_DIR) / ".." / "shared" / "conformance" / "openmetrics" / "cases";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Model {
  std::vector<OwnedFamily> families;
  std::string error;
  std::vector<std::string> losses;
};

Model Read(const std::string& text) {
  auto source = MemorySource(text);
  LossReport losses;
  auto stream = NewOpenMetricsFamilyStream(*source, &losses);
  Model m;
  while (const OwnedFamily* f = stream->Next()) m.families.push_back(*f);
  if (const Error* e = stream->error()) {
    m.error = std::to_string(e->line) + ":" + std::to_string(e->column) + " " +
              std::string(ErrorCodeId(e->code)) + " " + e->message;
  }
  m.losses = losses.Lines();
  return m;
}

std::string Write(const Model& m, std::vector<std::string>* losses = nullptr) {
  LossReport report;
  auto writer = NewOpenMetricsWriter(WriteOptions{}, &report);
  std::string out;
  for (const OwnedFamily& f : m.families) {
    absl::Status s = writer->Write(f, &out);
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_TRUE(writer->Finish(&out).ok());
  if (losses != nullptr) *losses = report.Lines();
  return out;
}

// "OK" or where and why the strict parser refuses `text`.
std::string Verdict(const std::string& text) {
  auto source = MemorySource(text);
  OpenMetricsParser parser(*source);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return "OK";
    if (e == Entry::kError) {
      const Error& err = parser.Error();
      return std::to_string(err.line) + ":" + std::to_string(err.column) + " " +
             std::string(ErrorCodeId(err.code)) + " " + err.message;
    }
  }
}

// Model equality: same number of families, and per family the same full type and the same
// proto. NaN equals NaN (a NaN gauge or quantile is a value, and exact comparison would call
// every NaN a difference).
void ExpectSameModel(const Model& a, const Model& b) {
  ASSERT_EQ(a.families.size(), b.families.size());
  google::protobuf::util::DefaultFieldComparator cmp;
  cmp.set_treat_nan_as_equal(true);
  for (size_t i = 0; i < a.families.size(); ++i) {
    google::protobuf::util::MessageDifferencer d;
    d.set_field_comparator(&cmp);
    std::string diff;
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(a.families[i].proto, b.families[i].proto))
        << "family " << i << " (" << a.families[i].proto.name() << "): " << diff;
    EXPECT_EQ(a.families[i].type, b.families[i].type) << "family " << i;
  }
}

// The whole criterion for one input: valid, model A; output valid; model B == A; and writing B
// gives the same bytes again.
void ExpectRoundTrip(const std::string& input) {
  Model a = Read(input);
  ASSERT_EQ(a.error, "") << "input is not valid OpenMetrics";
  std::vector<std::string> write_losses;
  const std::string out = Write(a, &write_losses);
  EXPECT_TRUE(write_losses.empty()) << write_losses.front();
  ASSERT_EQ(Verdict(out), "OK") << "output:\n" << out;
  Model b = Read(out);
  ASSERT_EQ(b.error, "");
  ExpectSameModel(a, b);
  EXPECT_TRUE(b.losses.empty()) << "re-reading the output lost " << b.losses.front();
  EXPECT_EQ(Write(b), out);
}

bool ShouldParse(const fs::path& dir) {
  const std::string json = ReadFile(dir / "test.json");
  const size_t k = json.find("\"shouldParse\"");
  if (k == std::string::npos) return !dir.filename().string().starts_with("bad_");
  const size_t colon = json.find(':', k);
  size_t v = colon + 1;
  while (v < json.size() && std::isspace(static_cast<unsigned char>(json[v]))) ++v;
  return json.compare(v, 4, "true") == 0;
}

std::vector<std::string> ValidSuiteCases() {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(kSuite, ec)) return out;
  for (const auto& entry : fs::directory_iterator(kSuite)) {
    if (!fs::exists(entry.path() / "metrics") || !fs::exists(entry.path() / "test.json")) {
      continue;
    }
    if (ShouldParse(entry.path())) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.is_regular_file()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string TestName(const testing::TestParamInfo<std::string>& p) {
  std::string n;
  for (char c : p.param) n.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return n;
}

class SuiteRoundTrip : public testing::TestWithParam<std::string> {};

TEST_P(SuiteRoundTrip, ModelSurvivesWriteAndRead) {
  ExpectRoundTrip(ReadFile(kSuite / GetParam() / "metrics"));
}

INSTANTIATE_TEST_SUITE_P(Conformance, SuiteRoundTrip, testing::ValuesIn(ValidSuiteCases()),
                         TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SuiteRoundTrip);

TEST(SuiteRoundTripCoverage, EveryValidCaseIsExercised) {
  std::error_code ec;
  if (!fs::is_directory(kSuite, ec)) GTEST_SKIP() << "conformance suite not found at " << kSuite;
  // 211 cases, of which these are valid; a change in the suite shows up here.
  EXPECT_EQ(ValidSuiteCases().size(), 44u);
}

class CorpusRoundTrip : public testing::TestWithParam<std::string> {};

TEST_P(CorpusRoundTrip, ModelSurvivesWriteAndRead) {
  ExpectRoundTrip(ReadFile(kCorpus / GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusRoundTrip, testing::ValuesIn(CorpusFiles()), TestName);

// The suite's `timestamps` case has 12345678901234567890.1234567890 s, which no int64 count of
// milliseconds holds: the reader saturates it to INT64_MAX ms (reported as a timestamp loss),
// the writer writes that as 9223372036854775.807 s, and reading that saturates to the same
// value, so the model still round-trips. This pins down that behaviour.
TEST(SuiteRoundTripCoverage, TimestampBeyondInt64MillisecondsSaturatesStably) {
  std::error_code ec;
  if (!fs::is_directory(kSuite, ec)) GTEST_SKIP() << "conformance suite not found at " << kSuite;
  Model a = Read(ReadFile(kSuite / "timestamps" / "metrics"));
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.families.size(), 2u);
  ASSERT_EQ(a.families[0].proto.metric_size(), 5);
  EXPECT_EQ(a.families[0].proto.metric(3).timestamp_ms(), INT64_MAX);
  EXPECT_EQ(a.families[0].proto.metric(4).timestamp_ms(), 1500000);
  EXPECT_EQ(a.losses,
            std::vector<std::string>{"family \"a\": 1 timestamp rounded to the millisecond (or "
                                     "clamped to the int64 millisecond range)"});
  const std::string out = Write(a);
  EXPECT_NE(out.find("a_total{foo=\"4\"} 1 9223372036854775.807\n"), std::string::npos) << out;
}

// The suite's `duplicate_timestamps_0` case has timestamps 1e-10 s apart: they all round to
// 0 ms (reported), so the written series repeats timestamp 0, which is still valid (equal
// timestamps are allowed) and reads back to the same model.
TEST(SuiteRoundTripCoverage, SubMillisecondTimestampsCollapseToEqualOnes) {
  std::error_code ec;
  if (!fs::is_directory(kSuite, ec)) GTEST_SKIP() << "conformance suite not found at " << kSuite;
  Model a = Read(ReadFile(kSuite / "duplicate_timestamps_0" / "metrics"));
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.families.size(), 1u);
  for (const pb::Metric& m : a.families[0].proto.metric()) EXPECT_EQ(m.timestamp_ms(), 0);
  EXPECT_EQ(a.losses,
            std::vector<std::string>{"family \"a\": 3 timestamps rounded to the millisecond (or "
                                     "clamped to the int64 millisecond range)"});
}

// Inputs the suite does not cover: several points per series, exemplar timestamps with
// nanoseconds, float bucket counts, created timestamps everywhere, escapes and UTF-8.
const char* const kExtraInputs[] = {
    "# TYPE c counter\n# HELP c h\\\\\\n\"x\"\nc_total{a=\"\\\\\\\"\\n\"} 1 1 # {t=\"1\"} 2 "
    "1700000000.123456789\nc_created{a=\"\\\\\\\"\\n\"} 0.5 1\nc_total{a=\"\\\\\\\"\\n\"} 2 2\n"
    "c_created{a=\"\\\\\\\"\\n\"} 0.5 2\n# EOF\n",
    "# TYPE g_bytes gaugehistogram\n# UNIT g_bytes bytes\ng_bytes_bucket{le=\"-0.5\"} "
    "1\ng_bytes_bucket{le=\"+Inf\"} "
    "3\ng_bytes_gcount 3\ng_bytes_gsum -1e-300\n# EOF\n",
    "# TYPE h_seconds histogram\n# UNIT h_seconds seconds\n"
    "h_seconds_bucket{le=\"0.001\"} 0 5.001 # {} 0.0005\nh_seconds_bucket{le=\"+Inf\"} 2 5.001\n"
    "h_seconds_count 2 5.001\nh_seconds_sum 1e+300 5.001\nh_seconds_created 4 5.001\n"
    "h_seconds_bucket{le=\"0.001\"} 1 6\nh_seconds_bucket{le=\"+Inf\"} 3 6\nh_seconds_count 3 6\n"
    "h_seconds_sum 2 6\nh_seconds_created 4 6\n# EOF\n",
    "# TYPE s summary\ns{quantile=\"0\"} 0\ns{quantile=\"0.999\"} NaN\ns_count "
    "10000000000000000000\n"
    "s_sum +Inf\ns_created -5.25\n# TYPE st stateset\nst{st=\"a\",z=\"ü\"} 1\nst{st=\"b\",z=\"ü\"} "
    "0\n"
    "# TYPE i info\ni_info{v=\"日本\"} 1 -0.001\n# TYPE u unknown\n# UNIT u \nu 1e-7\n"
    "# HELP only text\n# EOF\n",
};

class ExtraRoundTrip : public testing::TestWithParam<const char*> {};

TEST_P(ExtraRoundTrip, ModelSurvivesWriteAndRead) { ExpectRoundTrip(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Extra, ExtraRoundTrip, testing::ValuesIn(kExtraInputs));

// Text and protobuf payloads converted to OpenMetrics: whenever the writer accepts every
// family, the strict parser accepts the output. The writer refuses (InvalidArgument) only
// names it cannot write, e.g. client_python's gauge `x_created` next to its counter `x_total`.
class TextToOpenMetrics : public testing::TestWithParam<std::string> {};

TEST_P(TextToOpenMetrics, OutputIsValidOrTheWriterRefusesAClash) {
  const std::string input =
      ReadFile(fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "text" / "valid" / GetParam());
  auto source = MemorySource(input);
  LossReport losses;
  auto stream = NewTextFamilyStream(*source, TextOptions{}, &losses);
  auto writer = NewOpenMetricsWriter(WriteOptions{.escaping = Escaping::kUnderscores}, &losses);
  std::string out;
  absl::Status status;
  while (const OwnedFamily* f = stream->Next()) {
    status = writer->Write(*f, &out);
    if (!status.ok()) break;
  }
  ASSERT_EQ(stream->error(), nullptr);
  if (!status.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("would clash"), std::string::npos) << status;
    return;
  }
  ASSERT_TRUE(writer->Finish(&out).ok());
  EXPECT_EQ(Verdict(out), "OK") << out;
}

std::vector<std::string> TextCorpusFiles() {
  std::vector<std::string> out;
  const fs::path dir = fs::path(PROMTOOL_SOURCE_DIR) / "corpus" / "text" / "valid";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, TextToOpenMetrics, testing::ValuesIn(TextCorpusFiles()), TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TextToOpenMetrics);

}  // namespace
}  // namespace promtool
