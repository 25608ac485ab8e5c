// Table-driven tests of the OpenMetrics 1.0 parser: every error code with its position and
// message, the cases the conformance suite omits (decided by the specification), accessors, and
// the absence of per-sample allocations.
#include "promtool/openmetrics_parser.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <ostream>
#include <string>
#include <string_view>

#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/validate.h"
#include "support/alloc_counter.h"

namespace promtool {
namespace {

using E = ErrorCode;
using namespace std::string_view_literals;

struct ErrorRow {
  const char* name;
  std::string_view input;
  ErrorCode code;
  uint64_t line;
  uint64_t column;
  std::string_view message;
};

void PrintTo(const ErrorRow& row, std::ostream* os) { *os << row.name; }

Entry ParseAll(OpenMetricsParser& parser) {
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd || e == Entry::kError) return e;
  }
}

// 129 code points of exemplar labels with multi-byte UTF-8: name "a" plus 128 two-byte 'é'.
std::string Exemplar(size_t value_code_points) {
  std::string v;
  for (size_t i = 0; i < value_code_points; ++i) v += "\xC3\xA9";
  return "# TYPE a counter\na_total 1 # {a=\"" + v + "\"} 1\n# EOF\n";
}
const std::string kExemplar128 = Exemplar(127);
const std::string kExemplar129 = Exemplar(128);

const ErrorRow kErrorRows[] = {
    {"EofMissing", "a 1\n"sv, E::kOmEof, 2, 1,
     "expected '# EOF' as the last line, found the end of the input"},
    {"EofMissingNoNewline", "a 1"sv, E::kOmEof, 1, 4,
     "expected '# EOF' as the last line, found the end of the input"},
    {"EofEmptyInput", ""sv, E::kOmEof, 1, 1,
     "expected '# EOF' as the last line, found the end of the input"},
    {"TextAfterEof", "# EOF\na 1\n"sv, E::kOmEof, 2, 1,
     "expected the end of the input after '# EOF', found more text"},
    // The ABNF allows one optional LF after "# EOF", not two.
    {"BlankAfterEof", "# EOF\n\n"sv, E::kOmEof, 2, 1,
     "expected the end of the input after '# EOF', found more text"},
    {"EofTrailingSpace", "# EOF \n"sv, E::kOmEof, 1, 6,
     "expected the end of the line after '# EOF', found a space"},
    {"DoubleSpace", "a  1\n# EOF\n"sv, E::kOmWhitespace, 1, 3,
     "expected a value, found a space; tokens are separated by exactly one space"},
    {"BlankLine", "a 1\n\n# EOF\n"sv, E::kOmWhitespace, 2, 1,
     "empty line; OpenMetrics has no blank lines"},
    {"LeadingSpace", " a 1\n# EOF\n"sv, E::kOmWhitespace, 1, 1,
     "line starts with a space; lines start with a metric name or '#'"},
    {"TrailingSpace", "a 1 \n# EOF\n"sv, E::kOmWhitespace, 1, 5,
     "line ends with a space; lines have no trailing space"},
    {"Tab", "a\t1\n# EOF\n"sv, E::kOmWhitespace, 1, 2,
     "found a tab; tokens are separated by exactly one space"},
    {"Comment", "# hello\n# EOF\n"sv, E::kOmComment, 1, 1,
     "expected '# HELP', '# TYPE', '# UNIT' or '# EOF', found \"# hello\"; OpenMetrics has no "
     "other comments"},
    {"HelpWithoutText", "# HELP a\n# EOF\n"sv, E::kOmMetadata, 1, 9,
     "expected a space and the help text after '# HELP a', found the end of the line"},
    {"TypeWithoutName", "# TYPE\n# EOF\n"sv, E::kOmMetadata, 1, 7,
     "expected a space and a metric name after '# TYPE', found the end of the line"},
    {"TypeUnknown", "# TYPE a untyped\n# EOF\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"untyped\"; expected counter, gauge, histogram, gaugehistogram, "
     "summary, stateset, info or unknown"},
    {"MetadataDuplicate", "# TYPE a gauge\n# TYPE a gauge\n# EOF\n"sv, E::kOmMetadataDuplicate, 2,
     1, "second # TYPE line for family \"a\"; each may appear once"},
    {"MetadataAfterSamples", "# TYPE a gauge\na 1\n# HELP a x\n# EOF\n"sv, E::kOmMetadataOrder, 3,
     1, "# HELP for family \"a\" comes after its samples; metadata must come first"},
    {"UnitNotSuffix", "# UNIT a seconds\n# EOF\n"sv, E::kOmUnit, 1, 10,
     "unit \"seconds\" is not a suffix of the family name \"a\"; the name must end in "
     "\"_seconds\""},
    {"UnitOnInfo", "# TYPE x_u info\n# UNIT x_u u\n# EOF\n"sv, E::kOmUnit, 2, 1,
     "info family \"x_u\" has a UNIT; info metrics have no unit"},
    {"NameClash", "# TYPE a_created gauge\n# TYPE a counter\n# EOF\n"sv, E::kOmNameClash, 2, 8,
     "counter \"a\" has samples named \"a_created\", which clashes with the family "
     "\"a_created\""},
    {"MetadataForSampleName", "# TYPE a counter\n# HELP a_total x\n# EOF\n"sv, E::kOmNameClash, 2,
     8,
     "metadata for \"a_total\", which is a sample name of the counter family \"a\"; family names "
     "must not clash"},
    {"FamilySplit", "a 1\nb 1\na 2\n# EOF\n"sv, E::kOmFamilyOrder, 3, 1,
     "sample \"a\" belongs to family \"a\", which ended before family \"b\"; a family's lines "
     "must be contiguous"},
    {"FamilyRedeclared", "# TYPE a gauge\n# TYPE b gauge\n# HELP a x\n# EOF\n"sv, E::kOmFamilyOrder,
     3, 8,
     "family \"a\" was already declared earlier; a family's lines must be contiguous and appear "
     "once"},
    {"InfoWithoutSuffix", "# TYPE a info\na 1\n# EOF\n"sv, E::kOmSampleName, 2, 1,
     "sample \"a\" of info family \"a\" has no suffix; info samples are named \"a_info\""},
    {"SeriesInterleaved", "a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n"sv, E::kOmSeriesOrder,
     3, 1,
     "series a{x=\"1\"} appears again after other series of its family; a series' samples must "
     "be contiguous"},
    // Not in the suite: a MetricPoint without a timestamp can appear once per series.
    {"DuplicateWithoutTimestamp", "a 1\na 2\n# EOF\n"sv, E::kOmDuplicateSample, 2, 1,
     "sample \"a\" of series a appears twice without timestamps; a series has one value per "
     "timestamp"},
    {"DuplicateLabelsReordered", "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n# EOF\n"sv,
     E::kOmDuplicateSample, 2, 1,
     "sample \"a\" of series a{x=\"1\",y=\"2\"} appears twice without timestamps; a series has "
     "one value per timestamp"},
    {"TimestampDecreasing", "a 1 2\na 1 1.5\n# EOF\n"sv, E::kOmTimestampOrder, 2, 1,
     "timestamp 1.5 of series a is smaller than its previous timestamp 2; timestamps must not "
     "decrease"},
    {"TimestampMixed", "a 1\na 1 1\n# EOF\n"sv, E::kOmTimestampMixed, 2, 1,
     "series a has a timestamp here but not on its earlier samples; a series' samples all have "
     "timestamps or none do"},
    {"ExemplarValue", "# TYPE a counter\na_total 1 # {} x\n# EOF\n"sv, E::kOmExemplar, 2, 16,
     "expected a number as exemplar value, found \"x\""},
    {"ExemplarNoBrace", "# TYPE a counter\na_total 1 # x\n# EOF\n"sv, E::kOmExemplar, 2, 13,
     "expected '{' to start the exemplar's labels, found 'x'"},
    // 128 code points pass (see Accepted); 129 (257 bytes) fail.
    {"ExemplarTooLong", kExemplar129, E::kOmExemplarLength, 2, 13,
     "exemplar labels have 129 code points (names and values together); at most 128 are "
     "allowed"},
    {"ExemplarOnGauge", "# TYPE a gauge\na 1 # {} 1\n# EOF\n"sv, E::kOmExemplarPlacement, 2, 1,
     "sample \"a\" of gauge family has an exemplar; only counter _total and histogram _bucket "
     "samples may have one"},
    {"NegativeCounter", "# TYPE a counter\na_total -1\n# EOF\n"sv, E::kOmNegativeValue, 2, 1,
     "counter sample \"a_total\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"InfoValue", "# TYPE a info\na_info 2\n# EOF\n"sv, E::kOmInfoValue, 2, 1,
     "info sample \"a_info\" has a value other than 1"},
    {"StateSetValue", "# TYPE a stateset\na{a=\"x\"} 2\n# EOF\n"sv, E::kOmStateSetValue, 2, 1,
     "stateset sample \"a\" has a value other than 0 or 1"},
    {"StateSetLabel", "# TYPE a stateset\na 1\n# EOF\n"sv, E::kOmStateSetValue, 2, 1,
     "stateset sample has no label named \"a\"; each stateset sample names its state in that "
     "label"},
    {"QuantileRange", "# TYPE a summary\na{quantile=\"2\"} 1\n# EOF\n"sv, E::kOmQuantile, 2, 13,
     "quantile=\"2\" is not a number in [0, 1]"},
    {"QuantileMissing", "# TYPE a summary\na 1\n# EOF\n"sv, E::kOmQuantile, 2, 1,
     "summary sample \"a\" has no quantile label"},
    {"BucketLeSpelling", "# TYPE a histogram\na_bucket{le=\"+INF\"} 1\n# EOF\n"sv, E::kOmBucketLe,
     2, 14, "le=\"+INF\" is not a number; le is a decimal number or exactly \"+Inf\""},
    {"BucketLeMissing", "# TYPE a histogram\na_bucket 1\n# EOF\n"sv, E::kOmBucketLe, 2, 1,
     "bucket \"a_bucket\" has no le label"},
    {"BucketOrder", "# TYPE a histogram\na_bucket{le=\"1\"} 1\na_bucket{le=\"0.5\"} 1\n# EOF\n"sv,
     E::kOmBucketOrder, 3, 1,
     "histogram bucket le=\"0.5\" follows le=\"1\"; buckets must be in increasing order"},
    {"BucketCumulative",
     "# TYPE a histogram\na_bucket{le=\"1\"} 2\na_bucket{le=\"+Inf\"} 1\n# EOF\n"sv,
     E::kOmBucketCumulative, 3, 1,
     "histogram bucket le=\"+Inf\" of a has count 1, less than 2 of bucket le=\"1\"; buckets "
     "are cumulative"},
    {"BucketInfMissing", "# TYPE a histogram\na_bucket{le=\"1\"} 1\n# EOF\n"sv, E::kOmBucketInf, 3,
     1, "histogram a has no bucket with le=\"+Inf\"; every histogram needs one"},
    {"CountMismatch", "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 2\na_sum 1\n# EOF\n"sv,
     E::kOmCountMismatch, 3, 1,
     "histogram a has count 2 but its +Inf bucket is 1; they must be equal"},
    {"CountWithoutSum", "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 1\n# EOF\n"sv,
     E::kOmSumCount, 4, 1, "histogram a has _count but no _sum; they must come together"},
    {"SumWithNegativeBucket",
     "# TYPE a histogram\na_bucket{le=\"-1\"} 1\na_bucket{le=\"+Inf\"} 1\na_count 1\na_sum 1\n"
     "# EOF\n"sv,
     E::kOmSumNegative, 5, 1,
     "histogram a has a bucket with negative le and a _sum; _sum is only allowed when no le is "
     "negative"},
    {"NegativeGsum",
     "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 1\na_gcount 1\na_gsum -1\n# EOF\n"sv,
     E::kOmSumNegative, 5, 1,
     "gaugehistogram a has a negative _gsum but no negative bucket; _gsum may only be negative "
     "when some le is negative"},
    // Reused codes, in the OpenMetrics wording.
    {"HexValue", "a 0x1\n# EOF\n"sv, E::kValue, 1, 3,
     "expected a number as sample value, found \"0x1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"TimestampNaN", "a 1 NaN\n# EOF\n"sv, E::kTimestamp, 1, 5,
     "expected a timestamp (decimal seconds), found \"NaN\""},
    {"TrailingComma", "a{x=\"1\",} 1\n# EOF\n"sv, E::kLabelName, 1, 9,
     "expected a label name after ',', found '}'; OpenMetrics allows no trailing comma"},
    {"DuplicateLabel", "a{x=\"1\",x=\"2\"} 1\n# EOF\n"sv, E::kLabelDuplicate, 1, 9,
     "duplicate label name \"x\" in one label set"},
    // After a sample whose names the parser remembers: a repeated name, one past them, and a
    // longer name than the remembered one.
    {"DuplicateLabelAfterKnownNames", "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",x=\"2\"} 1\n# EOF\n"sv,
     E::kLabelDuplicate, 2, 9, "duplicate label name \"x\" in one label set"},
    {"DuplicateLabelPastKnownNames",
     "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"2\",x=\"3\"} 1\n# EOF\n"sv, E::kLabelDuplicate, 2, 15,
     "duplicate label name \"x\" in one label set"},
    {"DuplicateLongerLabelThanKnown", "a{x=\"1\"} 1\na{xx=\"1\",xx=\"2\"} 1\n# EOF\n"sv,
     E::kLabelDuplicate, 2, 10, "duplicate label name \"xx\" in one label set"},
    {"ReservedNameLabelAfterKnownNames", "a{x=\"1\"} 1\na{x=\"1\",__name__=\"a\"} 1\n# EOF\n"sv,
     E::kLabelReserved, 2, 9,
     "label name \"__name__\" is reserved; the metric name goes before '{'"},
    {"ReservedNameLabel", "a{x=\"1\",__name__=\"a\"} 1\n# EOF\n"sv, E::kLabelReserved, 1, 9,
     "label name \"__name__\" is reserved; the metric name goes before '{'"},
    {"BadUtf8LabelValue", "a{x=\"\xff\"} 1\n# EOF\n"sv, E::kLabelUtf8, 1, 6,
     "the value of label \"x\" is not valid UTF-8"},
    // Not in the suite: CR LF, a byte-order mark and quoted names are not OpenMetrics 1.0.
    {"Crlf", "a 1\r\n# EOF\r\n"sv, E::kCrlf, 1, 4,
     "line ends with CR LF (Windows line ending); OpenMetrics lines end with LF"},
    {"ByteOrderMark",
     "\xEF\xBB\xBF"
     "a 1\n# EOF\n"sv,
     E::kByteOrderMark, 1, 1, "input starts with a UTF-8 byte-order mark (EF BB BF)"},
    {"Gzip", "\x1F\x8B\x08\x00"sv, E::kGzip, 1, 1,
     "input is gzip-compressed (starts with bytes 1F 8B)"},
    {"Utf16", "\xFF\xFE#\0 \0E\0O\0F\0\n\0"sv, E::kUtf16, 1, 1,
     "input looks like UTF-16, not UTF-8"},
    {"QuotedMetricName", "{\"a.b\"} 1\n# EOF\n"sv, E::kQuotedName, 1, 1,
     "expected a metric name, found '{'; OpenMetrics 1.0 has no quoted names"},
    {"QuotedLabelName", "a{\"x.y\"=\"1\"} 1\n# EOF\n"sv, E::kQuotedName, 1, 3,
     "expected a label name, found '\"'; OpenMetrics 1.0 has no quoted names"},
};

class OmErrorTest : public testing::TestWithParam<ErrorRow> {};

TEST_P(OmErrorTest, ReportsCodePositionAndMessage) {
  const ErrorRow& row = GetParam();
  auto source = MemorySource(row.input);
  OpenMetricsParser parser(*source);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  const Error& err = parser.Error();
  EXPECT_EQ(ErrorCodeId(err.code), ErrorCodeId(row.code));
  EXPECT_EQ(err.line, row.line);
  EXPECT_EQ(err.column, row.column);
  EXPECT_EQ(err.message, row.message);
  EXPECT_EQ(parser.Next(), Entry::kError);  // sticky
}

INSTANTIATE_TEST_SUITE_P(All, OmErrorTest, testing::ValuesIn(kErrorRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(OmErrorIds, EveryOpenMetricsCodeIsInTheTable) {
  for (int c = static_cast<int>(E::kOmEof); c <= static_cast<int>(E::kOmSumNegative); ++c) {
    bool found = false;
    for (const ErrorRow& row : kErrorRows) found |= static_cast<int>(row.code) == c;
    EXPECT_TRUE(found) << ErrorCodeId(static_cast<ErrorCode>(c));
  }
}

TEST(OmErrorIds, EveryOpenMetricsCodeHasAnOmId) {
  for (int c = static_cast<int>(E::kOmEof); c <= static_cast<int>(E::kOmSumNegative); ++c) {
    std::string_view id = ErrorCodeId(static_cast<ErrorCode>(c));
    EXPECT_EQ(id.substr(0, 3), "om-") << c;
  }
}

struct ValidRow {
  const char* name;
  std::string_view input;
};

void PrintTo(const ValidRow& row, std::ostream* os) { *os << row.name; }

const ValidRow kValidRows[] = {
    {"Minimal", "# EOF"sv},
    {"MinimalNewline", "# EOF\n"sv},
    // The ABNF escaped-string takes any UTF-8 character, NUL and CR included.
    {"NulInLabelValue", "a{x=\"a\0b\"} 1\n# EOF\n"sv},
    {"CrInsideLabelValue", "a{x=\"a\rb\"} 1\n# EOF\n"sv},
    {"BackslashOther", "a{x=\"\\z\"} 1\n# EOF\n"sv},
    {"EqualTimestamps", "a 1 0\na 2 0\n# EOF\n"sv},
    {"HistogramPointsWithTimestamps",
     "# TYPE a histogram\na_bucket{le=\"1\"} 1 1\na_bucket{le=\"+Inf\"} 1 1\n"
     "a_bucket{le=\"1\"} 2 2\na_bucket{le=\"+Inf\"} 2 2\n# EOF\n"sv},
    {"FullHistogram",
     "# TYPE a_seconds histogram\n# UNIT a_seconds seconds\n# HELP a_seconds h\n"
     "a_seconds_bucket{le=\"0.5\"} 1 # {id=\"x\"} 0.3 12.5\na_seconds_bucket{le=\"+Inf\"} 2\n"
     "a_seconds_count 2\na_seconds_sum 1.5\na_seconds_created 1e9\n# EOF\n"sv},
    {"MetadataOnly", "# TYPE a counter\n# HELP a x\n# EOF\n"sv},
    {"InfinityValues",
     "a{x=\"1\"} +Inf\na{x=\"2\"} -inf\na{x=\"3\"} nan\na{x=\"4\"} 5.\n# EOF\n"sv},
};

class OmValidTest : public testing::TestWithParam<ValidRow> {};

TEST_P(OmValidTest, Accepts) {
  auto source = MemorySource(GetParam().input);
  OpenMetricsParser parser(*source);
  Entry e = ParseAll(parser);
  EXPECT_EQ(e, Entry::kEnd) << parser.Error().message << " at " << parser.Error().line << ":"
                            << parser.Error().column;
}

INSTANTIATE_TEST_SUITE_P(All, OmValidTest, testing::ValuesIn(kValidRows),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(OmParser, ExemplarOf128MultiByteCodePointsIsAccepted) {
  // "a" plus 127 two-byte characters: 128 code points in 255 bytes.
  auto source = MemorySource(kExemplar128);
  OpenMetricsParser parser(*source);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd) << parser.Error().message;
}

TEST(OmParser, ExemplarLengthCountsEscapesOnce) {
  // 'a' plus 127 escaped quotes (254 bytes) is 128 characters once unescaped.
  std::string v;
  for (int i = 0; i < 127; ++i) v += "\\\"";
  auto source = StringSource("# TYPE a counter\na_total 1 # {a=\"" + v + "\"} 1\n# EOF\n");
  OpenMetricsParser parser(*source);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd) << parser.Error().message;
}

TEST(OmParser, VeryLongLineIsAccepted) {
  // The specification sets no line length limit; 4 MiB label values parse, also streamed.
  std::string input = "a{x=\"" + std::string(4 << 20, 'v') + "\"} 1\n# EOF\n";
  auto source = ChunkedMemorySource(input, "<chunked>", StreamOptions{.chunk_bytes = 4096});
  OpenMetricsParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.Labels()[0].value.size(), size_t{4} << 20);
  EXPECT_EQ(parser.Next(), Entry::kEof);
  EXPECT_EQ(parser.Next(), Entry::kEnd);
}

TEST(OmParser, Accessors) {
  auto source = MemorySource(
      "# TYPE a counter\n# HELP a some \\\"help\\\"\na_total{x=\"1\"} 3 1.5 # {id=\"q\"} 2 1.25\n"
      "a_created{x=\"1\"} 1e3 1.5\n# EOF\n");
  OpenMetricsParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kType);
  EXPECT_EQ(parser.Type(), MetricType::kCounter);
  ASSERT_EQ(parser.Next(), Entry::kHelp);
  EXPECT_EQ(parser.HelpRaw(), "some \\\"help\\\"");
  EXPECT_EQ(parser.Family().help, "some \"help\"");
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.MetricName(), "a_total");
  EXPECT_EQ(parser.Family().name, "a");
  EXPECT_EQ(parser.Role(), OmRole::kTotal);
  ASSERT_EQ(parser.Labels().size(), 1u);
  EXPECT_EQ(parser.Labels()[0].name, "x");
  EXPECT_EQ(parser.Value(), 3);
  ASSERT_TRUE(parser.HasTimestamp());
  EXPECT_EQ(parser.Timestamp(), 1.5);
  ASSERT_TRUE(parser.HasExemplar());
  OmExemplar ex = parser.Exemplar();
  ASSERT_EQ(ex.labels.size(), 1u);
  EXPECT_EQ(ex.labels[0].value, "q");
  EXPECT_EQ(ex.value, 2);
  EXPECT_TRUE(ex.has_timestamp);
  EXPECT_EQ(ex.timestamp, 1.25);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.Role(), OmRole::kCreated);
  EXPECT_FALSE(parser.HasExemplar());
  ASSERT_EQ(parser.Next(), Entry::kEof);
  EXPECT_EQ(parser.Next(), Entry::kEnd);
  EXPECT_EQ(parser.Next(), Entry::kEnd);
}

TEST(OmParser, NoAllocationPerSample) {
  std::string input = "# TYPE a histogram\n";
  for (int i = 0; i < 2000; ++i) {
    std::string ts = std::to_string(i);
    input += "a_bucket{x=\"1\",le=\"1\"} 1 " + ts + " # {id=\"e\"} 1\n";
    input += "a_bucket{x=\"1\",le=\"+Inf\"} 2 " + ts + "\n";
    input += "a_count{x=\"1\"} 2 " + ts + "\na_sum{x=\"1\"} 3 " + ts + "\n";
  }
  input += "# EOF\n";
  auto source = MemorySource(input);
  OpenMetricsParser parser(*source);
  for (int i = 0; i < 400; ++i) ASSERT_EQ(parser.Next(), i == 0 ? Entry::kType : Entry::kSample);
  uint64_t before = ::promtool_test::AllocationCount();
  for (int i = 0; i < 6000; ++i) ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(::promtool_test::AllocationCount() - before, 0u);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd);
}

TEST(OmParser, NoAllocationPerNewSeries) {
  // Every sample is a new series: only the series hash set grows (doubling), so 20000 samples
  // cost a handful of allocations, not one each.
  std::string input = "# TYPE a gauge\n";
  for (int i = 0; i < 20000; ++i) input += "a{id=\"" + std::to_string(i) + "\",x=\"y\"} 1\n";
  input += "# EOF\n";
  auto source = MemorySource(input);
  OpenMetricsParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kType);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  uint64_t before = ::promtool_test::AllocationCount();
  for (int i = 1; i < 20000; ++i) ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_LT(::promtool_test::AllocationCount() - before, 20u);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd);
}

TEST(OmValidate, DispatchesOpenMetrics) {
  auto source = MemorySource("# TYPE a gauge\na 1\n# EOF\n");
  ValidateOptions options;
  options.format = InputFormat::kOpenMetrics;
  ValidateResult result = Validate(*source, options);
  EXPECT_TRUE(result.error.ok()) << result.error.message;
  EXPECT_EQ(result.samples, 1u);
  EXPECT_EQ(result.families, 1u);
}

}  // namespace
}  // namespace promtool
