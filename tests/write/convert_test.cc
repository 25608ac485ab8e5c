// Round trips through Convert() on every corpus payload (text -> protobuf -> text,
// protobuf -> text -> protobuf), format detection, --strict, and fmt's canonical form.
#include "promtool/convert.h"

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "common/strcat.h"
#include "model/owned_family.h"
#include "promtool/fmt.h"
#include "promtool/output.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;

ConvertResult ConvertBytes(std::string_view input, InputFormat from, OutputFormat to,
                           std::string* out, bool strict = false) {
  auto src = MemorySource(input);
  ConvertOptions options;
  options.from = from;
  options.to = to;
  options.strict = strict;
  StringSink sink;
  ConvertResult r = Convert(*src, sink, options);
  *out = std::move(sink.data);
  return r;
}

// Every family of `input` read in `format`, as owned copies.
std::vector<OwnedFamily> ReadAll(std::string_view input, InputFormat format) {
  auto src = MemorySource(input);
  LossReport losses;
  std::unique_ptr<FamilyStream> reader;
  if (format == InputFormat::kProtobuf) {
    reader = NewProtobufFamilyStream(*src, ProtobufReadOptions{}, &losses);
  } else {
    reader = NewTextFamilyStream(*src, TextOptions{}, &losses);
  }
  std::vector<OwnedFamily> out;
  while (const OwnedFamily* f = reader->Next()) out.push_back(*f);
  EXPECT_EQ(reader->error(), nullptr) << reader->error()->message;
  return out;
}

// What text 0.0.4 carries of a family: no exemplars, created timestamps, native buckets or
// units; the +Inf bucket that client_golang leaves out of protobuf but writes in text dropped
// on both sides; an empty HELP is no HELP (text cannot tell them apart).
void ReduceToText(pb::MetricFamily* mf) {
  mf->clear_unit();
  if (mf->has_help() && mf->help().empty()) mf->clear_help();
  for (pb::Metric& m : *mf->mutable_metric()) {
    if (m.has_counter()) {
      m.mutable_counter()->clear_exemplar();
      m.mutable_counter()->clear_created_timestamp();
    }
    if (m.has_summary()) m.mutable_summary()->clear_created_timestamp();
    if (m.has_histogram()) {
      pb::Histogram* h = m.mutable_histogram();
      h->clear_created_timestamp();
      h->clear_schema();
      h->clear_zero_threshold();
      h->clear_zero_count();
      h->clear_zero_count_float();
      h->clear_negative_span();
      h->clear_negative_delta();
      h->clear_negative_count();
      h->clear_positive_span();
      h->clear_positive_delta();
      h->clear_positive_count();
      h->clear_exemplars();
      auto* buckets = h->mutable_bucket();
      for (pb::Bucket& b : *buckets) b.clear_exemplar();
      if (!buckets->empty() && std::isinf(buckets->rbegin()->upper_bound())) {
        buckets->RemoveLast();
      }
    }
  }
}

void ExpectSameFamilies(std::vector<OwnedFamily> a, std::vector<OwnedFamily> b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ReduceToText(&a[i].proto);
    ReduceToText(&b[i].proto);
    std::string diff;
    google::protobuf::util::DefaultFieldComparator nan_equal;
    nan_equal.set_treat_nan_as_equal(true);
    google::protobuf::util::MessageDifferencer d;
    d.set_field_comparator(&nan_equal);
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(a[i].proto, b[i].proto)) << a[i].proto.name() << ": " << diff;
    EXPECT_EQ(a[i].type, b[i].type) << a[i].proto.name();
  }
}

std::vector<std::string> CorpusFiles(const char* dir, const char* ext) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(std::string(PROMTOOL_SOURCE_DIR "/corpus/") + dir)) {
    if (e.path().extension() == ext) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ConvertRoundTrip, TextToProtobufToTextKeepsEveryFamily) {
  for (const std::string& path : CorpusFiles("text/valid", ".prom")) {
    SCOPED_TRACE(path);
    auto data = ReadFile(path);
    ASSERT_TRUE(data.ok());
    std::string pb_bytes, text;
    ConvertResult r1 = ConvertBytes(*data, InputFormat::kText, OutputFormat::kProtobuf, &pb_bytes);
    ASSERT_TRUE(r1.ok()) << r1.error.message;
    ConvertResult r2 = ConvertBytes(pb_bytes, InputFormat::kProtobuf, OutputFormat::kText, &text);
    ASSERT_TRUE(r2.ok()) << r2.error.message;
    // A family with HELP/TYPE and no samples has no protobuf record (a reported loss).
    std::vector<OwnedFamily> expected = ReadAll(*data, InputFormat::kText);
    std::erase_if(expected, [](const OwnedFamily& f) { return f.proto.metric_size() == 0; });
    ExpectSameFamilies(expected, ReadAll(text, InputFormat::kText));
  }
}

TEST(ConvertRoundTrip, ProtobufToTextToProtobufKeepsWhatTextCarries) {
  for (const std::string& path : CorpusFiles("protobuf/valid", ".pb")) {
    SCOPED_TRACE(path);
    auto data = ReadFile(path);
    ASSERT_TRUE(data.ok());
    std::string text, pb_bytes;
    ConvertResult r1 = ConvertBytes(*data, InputFormat::kProtobuf, OutputFormat::kText, &text);
    ASSERT_TRUE(r1.ok()) << r1.error.message;
    ConvertResult r2 = ConvertBytes(text, InputFormat::kText, OutputFormat::kProtobuf, &pb_bytes);
    ASSERT_TRUE(r2.ok()) << r2.error.message;
    ExpectSameFamilies(ReadAll(*data, InputFormat::kProtobuf),
                       ReadAll(pb_bytes, InputFormat::kProtobuf));
  }
}

TEST(ConvertRoundTrip, ProtobufToProtobufIsLossless) {
  for (const std::string& path : CorpusFiles("protobuf/valid", ".pb")) {
    SCOPED_TRACE(path);
    auto data = ReadFile(path);
    ASSERT_TRUE(data.ok());
    std::string out;
    ConvertResult r = ConvertBytes(*data, InputFormat::kProtobuf, OutputFormat::kProtobuf, &out);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.losses.empty());
    std::vector<OwnedFamily> a = ReadAll(*data, InputFormat::kProtobuf);
    std::vector<OwnedFamily> b = ReadAll(out, InputFormat::kProtobuf);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      google::protobuf::util::DefaultFieldComparator nan_equal;
      nan_equal.set_treat_nan_as_equal(true);
      google::protobuf::util::MessageDifferencer d;
      d.set_field_comparator(&nan_equal);
      EXPECT_TRUE(d.Compare(a[i].proto, b[i].proto)) << a[i].proto.name();
    }
  }
}

TEST(Convert, NativeHistogramsToTextWarnWhatIsDropped) {
  auto data = ReadFile(PROMTOOL_SOURCE_DIR "/corpus/protobuf/valid/native-histograms.pb");
  ASSERT_TRUE(data.ok());
  std::string text;
  ConvertResult r = ConvertBytes(*data, InputFormat::kAuto, OutputFormat::kText, &text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.format, InputFormat::kProtobuf);
  ASSERT_FALSE(r.losses.empty());
  bool native = false;
  for (const std::string& l : r.losses) {
    if (l.find("native histogram") != std::string::npos) native = true;
  }
  EXPECT_TRUE(native);
}

TEST(Convert, StrictRefusesTheFirstLoss) {
  auto data = ReadFile(PROMTOOL_SOURCE_DIR "/corpus/protobuf/valid/native-histograms.pb");
  ASSERT_TRUE(data.ok());
  std::string text;
  ConvertResult r = ConvertBytes(*data, InputFormat::kProtobuf, OutputFormat::kText, &text, true);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, ErrorCode::kStrict);
  EXPECT_FALSE(r.error.located());
  EXPECT_EQ(r.error.message.rfind("--strict: family \"", 0), 0u) << r.error.message;
}

TEST(Convert, InputErrorIsReportedWithPosition) {
  std::string out;
  ConvertResult r =
      ConvertBytes("a 1\nb{x=\"1\" 2\n", InputFormat::kText, OutputFormat::kJson, &out);
  EXPECT_EQ(r.error.code, ErrorCode::kLabelEnd);
  EXPECT_EQ(r.error.line, 2u);
  EXPECT_EQ(r.error.column, 9u);
  EXPECT_TRUE(r.error.located());
}

TEST(Convert, SplitFamilyCannotBecomeOpenMetrics) {
  std::string out;
  ConvertResult r = ConvertBytes("a{x=\"1\"} 1\nb 2\na{x=\"2\"} 3\n", InputFormat::kText,
                                 OutputFormat::kOpenMetrics, &out);
  EXPECT_EQ(r.error.code, ErrorCode::kOutputFormat);
  EXPECT_FALSE(r.error.located());
  EXPECT_EQ(r.error.message,
            "family \"a\" is split: it appears at line 1 and again at line 3, after other "
            "families; OpenMetrics forbids interleaved families; run `promtool-cpp fmt` on the "
            "input first to merge the parts");
}

// A text family in two parts (dnsdist writes them): every output but text needs it in one
// piece, so a streaming conversion refuses it, naming both lines (and the families before it
// are written, as for any error).
struct SplitCase {
  const char* name;
  OutputFormat to;
  const char* why;
};

class SplitFamily : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitFamily, IsRefusedNamingBothLines) {
  std::string out;
  ConvertResult r =
      ConvertBytes("# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n",
                   InputFormat::kText, GetParam().to, &out);
  EXPECT_EQ(r.error.code, ErrorCode::kOutputFormat);
  EXPECT_FALSE(r.error.located());
  EXPECT_EQ(
      r.error.message,
      StrCat("family \"a\" is split: it appears at line 1 and again at line 5, after other "
             "families; ",
             GetParam().why, "; run `promtool-cpp fmt` on the input first to merge the parts"));
  EXPECT_EQ(r.families, 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Convert, SplitFamily,
    testing::Values(
        SplitCase{"protobuf", OutputFormat::kProtobuf,
                  "protobuf needs one record per family (readers such as the Pushgateway keep "
                  "only the last)"},
        SplitCase{"protobuf_text", OutputFormat::kProtobufText,
                  "protobuf needs one record per family (readers such as the Pushgateway keep "
                  "only the last)"},
        SplitCase{"json", OutputFormat::kJson, "JSON has one object per family"},
        SplitCase{"openmetrics", OutputFormat::kOpenMetrics,
                  "OpenMetrics forbids interleaved families"}),
    [](const testing::TestParamInfo<SplitCase>& i) { return std::string(i.param.name); });

TEST(Convert, SplitFamilyToTextKeepsBothParts) {
  std::string out;
  ConvertResult r =
      ConvertBytes("# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n",
                   InputFormat::kText, OutputFormat::kText, &out);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(out, "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n");
}

// Metadata first, samples after another family (gitlab-runner writes every HELP first): the
// metadata-only part is held back until its samples come, so the family is written once.
TEST(Convert, MetadataFirstFamilyIsMergedWhileStreaming) {
  std::string out;
  ConvertResult r = ConvertBytes("# HELP a A.\n# TYPE b gauge\nb 1\n# TYPE a gauge\na 1\n",
                                 InputFormat::kText, OutputFormat::kOpenMetrics, &out);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(out, "# TYPE b gauge\nb 1\n# TYPE a gauge\n# HELP a A.\na 1\n# EOF\n");
}

// Metadata after the family's samples (and after another family) is a split part: named as
// such, not as a clash of the family with itself.
TEST(Convert, MetadataAfterSamplesIsReportedAsSplit) {
  std::string out;
  ConvertResult r =
      ConvertBytes("a 1\nb 1\n# HELP a x\n", InputFormat::kText, OutputFormat::kOpenMetrics, &out);
  EXPECT_EQ(r.error.message,
            "family \"a\" is split: it appears at line 1 and again at line 3, after other "
            "families; OpenMetrics forbids interleaved families; run `promtool-cpp fmt` on the "
            "input first to merge the parts");
}

// Two protobuf records of one family: positions are byte offsets.
TEST(Convert, RepeatedProtobufRecordIsRefusedWithByteOffsets) {
  std::string once;
  ASSERT_TRUE(ConvertBytes("a 1\n", InputFormat::kText, OutputFormat::kProtobuf, &once).ok());
  std::string out;
  ConvertResult r =
      ConvertBytes(once + once, InputFormat::kProtobuf, OutputFormat::kProtobuf, &out);
  EXPECT_EQ(r.error.message,
            StrCat("family \"a\" is split: it appears at byte 0 and again at byte ", once.size(),
                   ", after other families; protobuf needs one record per family (readers such "
                   "as the Pushgateway keep only the last); run `promtool-cpp fmt` on the input "
                   "first to merge the parts"));
}

// Output streams: a conversion that fails late has written the complete families before the
// failing one (but not the format's end, so the output is visibly cut).
TEST(Convert, LateFailureKeepsTheFamiliesBeforeIt) {
  std::string out;
  ConvertResult r = ConvertBytes("a 1\nb{x=\"1\"} 1\nc 1\nb{x=\"2\"} 2\n", InputFormat::kText,
                                 OutputFormat::kOpenMetrics, &out);
  EXPECT_FALSE(r.error.message.empty());
  EXPECT_EQ(out, "# TYPE a unknown\na 1\n# TYPE b unknown\nb{x=\"1\"} 1\n# TYPE c unknown\nc 1\n");
}

// Under --strict the family with the loss is not written; the ones before it are.
TEST(Convert, StrictStopsBeforeTheLossyFamily) {
  std::string out;
  ConvertResult r = ConvertBytes("# TYPE a gauge\na 1\n# TYPE s summary\ns{quantile=\"50\"} 1\n",
                                 InputFormat::kText, OutputFormat::kOpenMetrics, &out,
                                 /*strict=*/true);
  EXPECT_EQ(r.error.code, ErrorCode::kStrict);
  EXPECT_EQ(r.error.message.rfind("--strict: family \"s\": not written (", 0), 0u)
      << r.error.message;
  EXPECT_EQ(out, "# TYPE a gauge\na 1\n");
}

// A family with HELP/TYPE and no samples: no protobuf record (expfmt refuses one), reported.
TEST(Convert, MetadataOnlyFamilyIsNoProtobufRecord) {
  std::string out;
  ConvertResult r = ConvertBytes("# HELP a x\n# TYPE a gauge\n# TYPE b gauge\nb 1\n",
                                 InputFormat::kText, OutputFormat::kProtobuf, &out);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.losses, std::vector<std::string>{
                          "family \"a\": not written (it has no samples, and protobuf readers "
                          "refuse a MetricFamily without metrics)"});
  std::vector<OwnedFamily> back = ReadAll(out, InputFormat::kProtobuf);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].proto.name(), "b");
}

TEST(Convert, MetadataOnlyFamilyHasEmptyMetricsInJson) {
  std::string out;
  ConvertResult r =
      ConvertBytes("# HELP a x\n# TYPE a gauge\n", InputFormat::kText, OutputFormat::kJson, &out);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_TRUE(r.losses.empty());
  EXPECT_EQ(out, "[{\"name\":\"a\",\"help\":\"x\",\"type\":\"GAUGE\",\"metrics\":[]}]\n");
}

// Validate counts families with metadata and no sample apart from the families with samples
// (issue 13.5: they were not counted at all).
struct MetadataOnlyCase {
  const char* name;
  InputFormat format;
  std::string input;
};

std::string DelimitedNameOnlyRecordThenSample() {
  pb::MetricFamily empty, full;
  empty.set_name("a");
  empty.set_help("x");
  full.set_name("b");
  full.set_type(pb::GAUGE);
  full.add_metric()->mutable_gauge()->set_value(1);
  std::string out;
  for (const pb::MetricFamily* mf : {&empty, &full}) {
    const std::string bytes = mf->SerializeAsString();
    out.push_back(static_cast<char>(bytes.size()));  // < 128: a one-byte varint
    out.append(bytes);
  }
  return out;
}

class ValidateMetadataOnly : public testing::TestWithParam<MetadataOnlyCase> {};

TEST_P(ValidateMetadataOnly, CountsThemApart) {
  auto src = MemorySource(GetParam().input);
  ValidateOptions options;
  options.format = GetParam().format;
  ValidateResult r = Validate(*src, options);
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.families, 1u);
  EXPECT_EQ(r.metadata_only_families, 1u);
  EXPECT_EQ(r.samples, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Validate, ValidateMetadataOnly,
    testing::Values(
        MetadataOnlyCase{"text", InputFormat::kText, "# HELP a x\n# TYPE a gauge\nb 1\n"},
        MetadataOnlyCase{"openmetrics", InputFormat::kOpenMetrics,
                         "# TYPE a gauge\n# HELP a x\n# TYPE b gauge\nb 1\n# EOF\n"},
        MetadataOnlyCase{"protobuf", InputFormat::kProtobuf, DelimitedNameOnlyRecordThenSample()}),
    [](const testing::TestParamInfo<MetadataOnlyCase>& i) { return std::string(i.param.name); });

struct DetectRow {
  const char* name;
  std::string_view input;
  InputFormat format;
};

class Detect : public ::testing::TestWithParam<DetectRow> {};

TEST_P(Detect, JudgesTheFormat) {
  auto src = MemorySource(GetParam().input);
  EXPECT_EQ(DetectFormat(*src), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, Detect,
    ::testing::Values(DetectRow{"text", "a 1\n", InputFormat::kText},
                      DetectRow{"empty", "", InputFormat::kText},
                      DetectRow{"openmetrics", "a 1\n# EOF\n", InputFormat::kOpenMetrics},
                      DetectRow{"openmetrics_no_final_newline", "# EOF", InputFormat::kOpenMetrics},
                      DetectRow{"eof_inside_a_line_is_text", "a 1\nx# EOF\n", InputFormat::kText},
                      DetectRow{"protobuf",
                                std::string_view("\x05\x0a\x03"
                                                 "abc",
                                                 6),
                                InputFormat::kProtobuf}),
    [](const auto& row) { return std::string(row.param.name); });

// ---- fmt ------------------------------------------------------------------------------------

FmtResult Fmt(std::string_view input) {
  auto src = MemorySource(input);
  return Fmt(*src, FmtOptions{});
}

TEST(Format, SortsFamiliesSeriesAndLabelsAndMergesSplitFamilies) {
  FmtResult r =
      Fmt("# TYPE z gauge\nz{b=\"2\",a=\"1\"} 1\nz{a=\"0\"} 2\n# HELP a A.\na 1\n"
          "z{a=\"1\",b=\"1\"} 3\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output,
            "# HELP a A.\n# TYPE a untyped\na 1\n# TYPE z gauge\nz{a=\"0\"} 2\n"
            "z{a=\"1\",b=\"1\"} 3\nz{a=\"1\",b=\"2\"} 1\n");
}

TEST(Format, SortsBucketsAndQuantiles) {
  FmtResult r =
      Fmt("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"1\"} 1\nh_count 3\n"
          "# TYPE s summary\ns{quantile=\"0.9\"} 2\ns{quantile=\"0.1\"} 1\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output,
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n"
            "# TYPE s summary\ns{quantile=\"0.1\"} 1\ns{quantile=\"0.9\"} 2\n");
}

// The two parts of a split summary series become one series (as reading the output back would
// make them), with its quantiles sorted; found by fuzz_fmt.
TEST(Format, JoinsTheSeriesOfASplitSummary) {
  FmtResult r =
      Fmt("# TYPE s summary\ns{quantile=\"55\"} 0\ng 2\ns{quantile=\"1\"} .7\ns_count 3\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output,
            "# TYPE g untyped\ng 2\n# TYPE s summary\ns{quantile=\"1\"} 0.7\n"
            "s{quantile=\"55\"} 0\ns_count 3\n");
  EXPECT_EQ(Fmt(r.output).output, r.output);
}

TEST(Format, IsIdempotentOnEveryCorpusPayload) {
  for (const std::string& path : CorpusFiles("text/valid", ".prom")) {
    SCOPED_TRACE(path);
    auto data = ReadFile(path);
    ASSERT_TRUE(data.ok());
    FmtResult once = Fmt(*data);
    ASSERT_TRUE(once.ok()) << once.error.message;
    FmtResult twice = Fmt(once.output);
    ASSERT_TRUE(twice.ok());
    EXPECT_EQ(once.output, twice.output);
  }
}

TEST(Format, LeavesClientGolangOutputUnchanged) {
  for (const char* name : {"node.prom", "prometheus.prom"}) {
    SCOPED_TRACE(name);
    auto data = ReadFile(std::string(PROMTOOL_SOURCE_DIR "/corpus/text/valid/") + name);
    ASSERT_TRUE(data.ok());
    FmtResult r = Fmt(*data);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.output, *data);
  }
}

TEST(Format, ReportsTheInputError) {
  FmtResult r = Fmt("a 1\na{b=\"1\",b=\"2\"} 1\n");
  EXPECT_EQ(r.error.code, ErrorCode::kLabelDuplicate);
  EXPECT_EQ(r.error.line, 2u);
  EXPECT_EQ(r.output, "");
}

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("a\n", "a\n", "x", "y"), ""); }

TEST(UnifiedDiff, OneChangedLineWithContext) {
  EXPECT_EQ(UnifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, InsertionIntoEmpty) {
  EXPECT_EQ(UnifiedDiff("", "a\n", "a/f", "b/f"), "--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+a\n");
}

TEST(UnifiedDiff, TwoDistantChangesGiveTwoHunks) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(UnifiedDiff(a, b, "a", "b"),
            "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n"
            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n");
}

}  // namespace
}  // namespace promtool
