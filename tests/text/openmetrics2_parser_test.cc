// Table-driven tests of the OpenMetrics 2.0.0-rc0 parser: an error row per om2-* code (code,
// line, column, message), the accessors (composite values, start timestamps, exemplars, quoted
// names), dropped exemplars as notes, and the same verdict when the input is streamed.
#include "promtool/openmetrics2_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/validate.h"

namespace promtool {
namespace {

using E = ErrorCode;
using namespace std::string_view_literals;
using namespace std::string_literals;

struct ErrorRow {
  const char* name;
  std::string_view input;
  ErrorCode code;
  uint64_t line;
  uint64_t column;
  std::string_view message;
};

void PrintTo(const ErrorRow& row, std::ostream* os) { *os << row.name; }

Entry ParseAll(OpenMetrics2Parser& parser) {
  for (;;) {
    const Entry e = parser.Next();
    if (e == Entry::kEnd || e == Entry::kError) return e;
  }
}

const ErrorRow kErrorRows[] = {
    {"BucketCumulative",
     "# TYPE foo histogram\nfoo {count:3,sum:6.0,bucket:[1:2,2:1,+Inf:3]}\n# EOF\n"sv,
     E::kOm2BucketCumulative, 2, 34,
     "bucket 2 has 1, less than the previous bucket's 2; classic buckets are cumulative"},
    {"BucketOrderDuplicateThreshold",
     "# TYPE foo histogram\nfoo {count:3,sum:6.0,bucket:[1:2,1.0:2,+Inf:3]}\n# EOF\n"sv,
     E::kOm2BucketOrder, 2, 34,
     "bucket threshold \"1.0\" is not greater than the previous one; buckets are sorted in "
     "increasing order, each once"},
    {"BucketOrderInfFirst",
     "# TYPE foo histogram\nfoo {count:3,sum:6.0,bucket:[+Inf:3,0.1:1,1.0:2]}\n# EOF\n"sv,
     E::kOm2BucketOrder, 2, 37, "the +Inf bucket is the last bucket"},
    {"BucketValueNegativeClassic",
     "# TYPE foo histogram\nfoo {count:0,sum:0,bucket:[1:-1,+Inf:0]}\n# EOF\n"sv,
     E::kOm2BucketValue, 2, 28, "bucket value -1 is negative; histogram buckets are not"},
    {"CommentHashOnly", "#\na 1\n# EOF\n"sv, E::kOm2Comment, 1, 1,
     "expected '# TYPE', '# HELP', '# UNIT' or '# EOF'; OpenMetrics has no other lines starting "
     "with '#'"},
    {"CompositeBucketsWithoutSpans",
     "# TYPE foo histogram\nfoo {count:1,sum:1,schema:0,zero_threshold:0,zero_count:0,positive_buckets:[1]}\n# EOF\n"sv,
     E::kOm2Composite, 2, 59,
     "field 'positive_buckets' is out of order; after zero_count come negative_spans, "
     "negative_buckets, positive_spans, positive_buckets, then bucket"},
    {"CompositeInfLowercase",
     "# TYPE foo histogram\nfoo {count:1,sum:1,bucket:[+inf:1]}\n# EOF\n"sv, E::kOm2Number, 2, 28,
     "expected a bucket threshold (a decimal number, +Inf or -Inf), found \"+inf\""},
    {"CompositeMissingBuckets", "# TYPE foo histogram\nfoo {count:1,sum:2.0}\n# EOF\n"sv,
     E::kOm2Composite, 2, 21,
     "expected ',' after sum, found '}'; 'quantile', 'bucket' or 'schema' is required"},
    {"CountHistogramNegative",
     "# TYPE foo histogram\nfoo {count:-1,sum:0,bucket:[+Inf:-1]}\n# EOF\n"sv, E::kOm2Count, 2, 12,
     "histogram count -1 is negative; it must not be"},
    {"CountMismatchClassic",
     "# TYPE foo histogram\nfoo {count:4,sum:6.0,bucket:[1:2,+Inf:3]}\n# EOF\n"sv,
     E::kOm2CountMismatch, 2, 12, "count 4 differs from the +Inf bucket 3; they must be equal"},
    {"CountMismatchNative",
     "# TYPE foo histogram\nfoo {count:5,sum:6.0,schema:0,zero_threshold:0,zero_count:1,positive_spans:[0:1],positive_buckets:[1]}\n# EOF\n"sv,
     E::kOm2CountMismatch, 2, 12,
     "count 5 differs from the native buckets' total 2 (zero_count plus every bucket); only NaN "
     "observations (with a NaN sum) may make the count larger"},
    {"CounterValueNan", "# TYPE foo_total counter\nfoo_total NaN\n# EOF\n"sv, E::kOm2CounterValue,
     2, 11, "counter value NaN is NaN; counters are non-NaN and start from 0"},
    {"EofBlankLineAfter", "# EOF\n\n"sv, E::kOm2Eof, 2, 1,
     "expected the end of the input after '# EOF', found more text"},
    {"EofTextAfter", "# EOF\na 1\n"sv, E::kOm2Eof, 2, 1,
     "expected the end of the input after '# EOF', found more text"},
    {"EscapeRawQuoteInHelp", "# HELP a say \"hi\"\na 1\n# EOF\n"sv, E::kOm2Escape, 1, 14,
     "found '\"' in the help text; it is written \\\""},
    {"FamilyOrderDuplicateFamily",
     "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n# EOF\n"sv, E::kOm2FamilyOrder, 5,
     8,
     "family \"a\" appeared earlier; family names are unique and a family's lines are contiguous"},
    {"InfoNameWithoutSuffix", "# TYPE foo info\nfoo 1\n# EOF\n"sv, E::kOm2InfoName, 1, 8,
     "info family \"foo\" does not end in \"_info\"; info family names must"},
    {"InfoValueTwo", "# TYPE foo_info info\nfoo_info 2\n# EOF\n"sv, E::kOm2InfoValue, 2, 10,
     "info samples have the value 1"},
    {"LabelDoubleComma", "a{b=\"1\",,c=\"2\"} 1\n# EOF\n"sv, E::kOm2Label, 1, 9,
     "expected a label name ([a-zA-Z_][a-zA-Z0-9_]* or a quoted string), found ','"},
    {"LabelDuplicate", "a{b=\"1\",b=\"2\"} 1\n# EOF\n"sv, E::kOm2LabelDuplicate, 1, 9,
     "duplicate label name \"b\" in one label set"},
    {"LabelDuplicateQuoted", "a{b=\"1\",\"b\"=\"2\"} 1\n# EOF\n"sv, E::kOm2LabelDuplicate, 1, 9,
     "duplicate label name \"b\" in one label set"},
    // After a sample whose names the parser remembers (text_internal::LabelShape): the same
    // names, then a repeated one, an extra repeated one, a reserved one, a longer one.
    {"LabelDuplicateAfterKnownNames", "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",b=\"2\"} 1\n# EOF\n"sv,
     E::kOm2LabelDuplicate, 2, 9, "duplicate label name \"b\" in one label set"},
    {"LabelDuplicatePastKnownNames",
     "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",c=\"2\",b=\"3\"} 1\n# EOF\n"sv, E::kOm2LabelDuplicate, 2, 15,
     "duplicate label name \"b\" in one label set"},
    {"LabelDuplicateQuotedAfterKnownNames",
     "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",\"b\"=\"2\"} 1\n# EOF\n"sv, E::kOm2LabelDuplicate, 2, 9,
     "duplicate label name \"b\" in one label set"},
    {"LabelReservedAfterKnownNames", "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",_c=\"2\"} 1\n# EOF\n"sv,
     E::kOm2ReservedName, 2, 9,
     "label name \"_c\" starts with '_'; such names are reserved (only __type__ and __unit__ "
     "are specified)"},
    {"LabelLongerThanKnownName", "a{b=\"1\"} 1\na{bb=\"1\",bb=\"2\"} 1\n# EOF\n"sv,
     E::kOm2LabelDuplicate, 2, 10, "duplicate label name \"bb\" in one label set"},
    {"LineEndingCrlf", "a 1\r\n# EOF\r\n"sv, E::kOm2LineEnding, 1, 4,
     "line ends with CR LF; OpenMetrics lines end with LF and contain no carriage return"},
    {"MetadataAfterSamples", "a 1\n# HELP a help\n# EOF\n"sv, E::kOm2MetadataOrder, 2, 1,
     "# HELP for family \"a\" comes after its samples; metadata comes first"},
    {"MetadataDuplicateHelp", "# HELP a x\n# HELP a y\na 1\n# EOF\n"sv, E::kOm2MetadataDuplicate, 2,
     1, "second # HELP line for family \"a\"; each may appear once"},
    {"MetadataHelpMissingSpace", "# HELP a\na 1\n# EOF\n"sv, E::kOm2Metadata, 1, 9,
     "expected a space and the help text after '# HELP a', found the end of the line"},
    {"NameDash", "a-b 1\n# EOF\n"sv, E::kOm2Name, 1, 2,
     "unexpected '-' after metric name \"a\"; names other than [a-zA-Z_:][a-zA-Z0-9_:]* are "
     "written in double quotes inside the braces"},
    {"NameNotFirstInBraces", "{a=\"b\",\"m.n\"} 1\n# EOF\n"sv, E::kOm2Name, 1, 2,
     "expected the quoted metric name as the first item after '{', found 'a'; a sample starting "
     "with '{' names its metric first"},
    {"NameUtf8InvalidQuoted",
     "{\"a\xff"
     "b\"} 1\n# EOF\n"sv,
     E::kOm2Utf8, 1, 3, "the quoted metric name is not valid UTF-8"},
    {"NumberMissingValue", "a\n# EOF\n"sv, E::kOm2Value, 1, 2,
     "expected a space and a value after \"a\", found the end of the line"},
    {"QuantileAboveOne", "# TYPE foo summary\nfoo {count:1,sum:1,quantile:[1.01:1]}\n# EOF\n"sv,
     E::kOm2Quantile, 2, 30, "quantile 1.01 is outside [0, 1]"},
    {"ReservedLabelName", "a{_x=\"1\"} 1\n# EOF\n"sv, E::kOm2ReservedName, 1, 3,
     "label name \"_x\" starts with '_'; such names are reserved (only __type__ and __unit__ are "
     "specified)"},
    {"SchemaDecimalPoint",
     "# TYPE foo histogram\nfoo {count:1,sum:1.0,schema:1.0,zero_threshold:0,zero_count:1}\n# EOF\n"sv,
     E::kOm2Schema, 2, 29, "expected an integer schema, found \"1.0\""},
    {"SeriesOrderInterleaved",
     "# TYPE a gauge\na{x=\"1\"} 1 1\na{x=\"2\"} 1 1\na{x=\"1\"} 2 2\n# EOF\n"sv,
     E::kOm2SeriesOrder, 4, 1,
     "this metric (label set) appeared earlier in the family, before another one; metrics must not "
     "be interleaved"},
    {"SeriesOrderLabelOrderIrrelevant",
     "# TYPE a gauge\na{x=\"1\",y=\"1\"} 1\na{x=\"2\",y=\"1\"} 1\na{y=\"1\",x=\"1\"} 2\n# EOF\n"sv,
     E::kOm2SeriesOrder, 4, 1,
     "this metric (label set) appeared earlier in the family, before another one; metrics must not "
     "be interleaved"},
    {"SeriesOrderQuotedNameIsThePlainName",
     "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{\"x\"=\"1\"} 2\n# EOF\n"sv, E::kOm2SeriesOrder,
     4, 1,
     "this metric (label set) appeared earlier in the family, before another one; metrics must not "
     "be interleaved"},
    {"SeriesOrderBesideAnEscapedValue",
     "# TYPE a gauge\na{x=\"1\",y=\"q\\\"q\"} 1\na{x=\"2\",y=\"q\\\"q\"} 1\n"
     "a{y=\"q\\\"q\",x=\"1\"} 2\n# EOF\n"sv,
     E::kOm2SeriesOrder, 4, 1,
     "this metric (label set) appeared earlier in the family, before another one; metrics must not "
     "be interleaved"},
    // Classic thresholds written as in the previous sample are taken from a memo; a threshold
    // that only starts like the remembered one, or moved to another index, is parsed.
    {"BucketThresholdMovedAfterRepeatedOnes",
     "# TYPE foo histogram\nfoo{a=\"1\"} "
     "{count:3,sum:6.0,bucket:[0.1:1,0.30000000000000004:2,+Inf:3]}\n"
     "foo{a=\"2\"} {count:3,sum:6.0,bucket:[0.1:1,0.3:2,0.30000000000000004:1,+Inf:3]}\n# EOF\n"sv,
     E::kOm2BucketCumulative, 3, 49,
     "bucket 0.30000000000000004 has 1, less than the previous bucket's 2; classic buckets are "
     "cumulative"},
    {"BucketThresholdLongerThanTheRemembered",
     "# TYPE foo histogram\nfoo{a=\"1\"} {count:1,sum:6.0,bucket:[0.1:1,+Inf:1]}\n"
     "foo{a=\"2\"} {count:1,sum:6.0,bucket:[0.15:1,0.1:1,+Inf:1]}\n# EOF\n"sv,
     E::kOm2BucketOrder, 3, 44,
     "bucket threshold \"0.1\" is not greater than the previous one; buckets are sorted in "
     "increasing order, each once"},
    {"BucketThresholdsRepeatedExactly",
     "# TYPE foo histogram\nfoo{a=\"1\"} {count:1,sum:6.0,bucket:[0.30000000000000004:1,+Inf:1]}\n"
     "foo{a=\"2\"} {count:1,sum:6.0,bucket:[0.30000000000000004:2,+Inf:1]}\n# EOF\n"sv,
     E::kOm2BucketCumulative, 3, 59,
     "bucket +Inf has 1, less than the previous bucket's 2; classic buckets are cumulative"},
    {"SpansBeyondOverflowBucket",
     "# TYPE foo histogram\nfoo {count:1,sum:+Inf,schema:0,zero_threshold:0,zero_count:0,positive_spans:[1026:1],positive_buckets:[1]}\n# EOF\n"sv,
     E::kOm2Spans, 2, 77,
     "positive bucket index 1026 is beyond the overflow bucket 1025 of schema 0"},
    {"StartTimestampAfterExemplar",
     "# TYPE foo_total counter\nfoo_total 1 # {a=\"b\"} 1 1 st@1\n# EOF\n"sv, E::kOm2StartTimestamp,
     2, 27, "found st@ after an exemplar; the start timestamp comes before the exemplars"},
    {"StartTimestampUppercase", "# TYPE foo_total counter\nfoo_total 1 ST@1\n# EOF\n"sv,
     E::kOm2Timestamp, 2, 13,
     "expected a timestamp (decimal seconds) or st@<timestamp>, found \"ST@1\""},
    {"StatesetMissingStateLabel", "# TYPE ss stateset\nss{other=\"foo\"} 1\n# EOF\n"sv,
     E::kOm2StateSet, 2, 1,
     "stateset sample has no label named \"ss\"; each state's metric has a label named after the "
     "family"},
    // The same metric with its labels in another order than the remembered names.
    {"TimestampOrderSameLabelsReordered",
     "# TYPE a gauge\na{b=\"1\",c=\"2\"} 1\na{c=\"2\",b=\"1\"} 1\n# EOF\n"sv, E::kOm2TimestampOrder,
     3, 1,
     "second sample of the same metric without timestamps on both; a metric's samples have "
     "increasing timestamps"},
    {"TimestampOrderDecreasing", "# TYPE a gauge\na 1 2\na 1 1\n# EOF\n"sv, E::kOm2TimestampOrder,
     3, 1,
     "timestamp 1 is before the metric's previous one 2; a metric's samples have increasing "
     "timestamps"},
    {"TimestampTwice", "a 1 1 2\n# EOF\n"sv, E::kOm2Sample, 1, 7,
     "found \"2\" after the timestamp; expected st@<timestamp>, ' # ' and an exemplar, or the end "
     "of the line"},
    {"TypeLabelLeOnClassicGaugehistogram",
     "# TYPE foo gaugehistogram\nfoo{le=\"1\"} {gcount:0,gsum:0,bucket:[+Inf:0]}\n# EOF\n"sv,
     E::kOm2TypeLabel, 2, 5,
     "gaugehistogram metric with classic buckets has a label named \"le\"; it must not"},
    {"TypeTrailingSpace", "# TYPE a gauge \na 1\n# EOF\n"sv, E::kOm2Whitespace, 1, 15,
     "line ends with a space; tokens are separated by exactly one space"},
    {"TypeUnknownWord", "# TYPE a meh\na 1\n# EOF\n"sv, E::kOm2Type, 1, 10,
     "unknown metric type \"meh\"; expected counter, gauge, histogram, gaugehistogram, summary, "
     "stateset, info or unknown"},
    {"UnitCharacters", "# UNIT a_s se-conds\na_s 1\n# EOF\n"sv, E::kOm2Unit, 1, 14,
     "unexpected '-' in the unit; units match [a-zA-Z0-9_:]*"},
    {"WhitespaceInComposite", "# TYPE h histogram\nh {count:1, sum:1,bucket:[+Inf:1]}\n# EOF\n"sv,
     E::kOm2Whitespace, 2, 12,
     "expected a field name and ':' in the CompositeValue, found a space; there is no whitespace "
     "inside a CompositeValue"},
    {"ZeroThresholdInf",
     "# TYPE foo histogram\nfoo {count:1,sum:1.0,schema:0,zero_threshold:+Inf,zero_count:1}\n# EOF\n"sv,
     E::kOm2ZeroThreshold, 2, 46,
     "expected a non-negative decimal number as zero_threshold, found \"+Inf\""},
    {"EofMissing", "a 1\n"sv, E::kOm2Eof, 2, 1,
     "expected '# EOF' as the last line, found the end of the input"},
    {"ByteOrderMark",
     "\xEF\xBB\xBF"
     "a 1\n# EOF\n"sv,
     E::kOm2Utf8, 1, 1,
     "input starts with a UTF-8 byte-order mark (EF BB BF); byte order marks must not be used"},
};

class Om2Error : public testing::TestWithParam<ErrorRow> {};

TEST_P(Om2Error, ReportsCodePositionAndMessage) {
  const ErrorRow& row = GetParam();
  auto source = MemorySource(row.input);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  EXPECT_EQ(ErrorCodeId(parser.Error().code), ErrorCodeId(row.code));
  EXPECT_EQ(parser.Error().line, row.line);
  EXPECT_EQ(parser.Error().column, row.column);
  EXPECT_EQ(parser.Error().message, row.message);
}

// A window that moves every few bytes gives the same error at the same place.
TEST_P(Om2Error, SameErrorWhenStreamed) {
  const ErrorRow& row = GetParam();
  auto source = ChunkedMemorySource(row.input, "chunked", StreamOptions{.chunk_bytes = 3});
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  EXPECT_EQ(parser.Error().code, row.code);
  EXPECT_EQ(parser.Error().line, row.line);
  EXPECT_EQ(parser.Error().column, row.column);
}

INSTANTIATE_TEST_SUITE_P(Rows, Om2Error, testing::ValuesIn(kErrorRows),
                         [](const testing::TestParamInfo<ErrorRow>& i) { return i.param.name; });

// Reads entries up to the first sample and returns it (the parser stays on it).
Entry FirstSample(OpenMetrics2Parser& parser) {
  for (;;) {
    const Entry e = parser.Next();
    if (e == Entry::kSample || e == Entry::kEnd || e == Entry::kError) return e;
  }
}

TEST(Om2Parser, NativeAndClassicHistogramFields) {
  auto source = MemorySource(
      "# TYPE h histogram\n"
      "h{a=\"1\"} {count:9,sum:1.5,schema:3,zero_threshold:1e-4,zero_count:1,"
      "negative_spans:[-2:1],negative_buckets:[2],positive_spans:[0:2,3:1],"
      "positive_buckets:[1,2,3],bucket:[0.5:4,+Inf:9]} 10.5 st@1.25\n# EOF\n"sv);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(FirstSample(parser), Entry::kSample) << parser.Error().message;
  ASSERT_TRUE(parser.IsComposite());
  const Om2Composite& c = parser.Composite();
  EXPECT_EQ(c.kind, Om2CompositeKind::kHistogram);
  EXPECT_EQ(c.count, 9);
  EXPECT_EQ(c.sum, 1.5);
  EXPECT_TRUE(c.native);
  EXPECT_EQ(c.schema, 3);
  EXPECT_EQ(c.zero_threshold, 1e-4);
  EXPECT_EQ(c.zero_count, 1);
  ASSERT_EQ(c.negative_spans.size(), 1u);
  EXPECT_EQ(c.negative_spans[0].offset, -2);
  EXPECT_EQ(c.negative_spans[0].length, 1u);
  ASSERT_EQ(c.positive_spans.size(), 2u);
  EXPECT_EQ(c.positive_spans[1].offset, 3);
  EXPECT_EQ(c.positive_buckets, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(c.negative_buckets, (std::vector<double>{2}));
  ASSERT_TRUE(c.classic);
  ASSERT_EQ(c.buckets.size(), 2u);
  EXPECT_EQ(c.buckets[0].key, 0.5);
  EXPECT_TRUE(std::isinf(c.buckets[1].key));
  EXPECT_EQ(c.buckets[1].value, 9);
  EXPECT_TRUE(parser.HasTimestamp());
  EXPECT_EQ(parser.Timestamp(), 10.5);
  EXPECT_TRUE(parser.HasStartTimestamp());
  EXPECT_EQ(parser.StartTimestamp(), 1.25);
  EXPECT_EQ(parser.Family().type, MetricType::kHistogram);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd);
}

TEST(Om2Parser, SummaryAndGaugeHistogramKinds) {
  auto source = MemorySource(
      "# TYPE s summary\ns {count:3,sum:6,quantile:[0.5:1,0.9:2]}\n"
      "# TYPE g gaugehistogram\ng {gcount:-1.5,gsum:2,bucket:[1:-2,+Inf:-1.5]}\n# EOF\n"sv);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(FirstSample(parser), Entry::kSample);
  EXPECT_EQ(parser.Composite().kind, Om2CompositeKind::kSummary);
  ASSERT_EQ(parser.Composite().quantiles.size(), 2u);
  EXPECT_EQ(parser.Composite().quantiles[1].key, 0.9);
  EXPECT_EQ(parser.Composite().quantiles[1].value, 2);
  ASSERT_EQ(FirstSample(parser), Entry::kSample) << parser.Error().message;
  EXPECT_EQ(parser.Composite().kind, Om2CompositeKind::kGaugeHistogram);
  EXPECT_EQ(parser.Composite().count, -1.5);
  EXPECT_FALSE(parser.Composite().native);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd);
}

TEST(Om2Parser, QuotedNamesAreUnescapedAndLabelsKeptRaw) {
  auto source =
      MemorySource("# TYPE \"a.b\" gauge\n{\"a.b\",\"c\\\"d\"=\"x\\ny\",e=\"1\"} 2\n# EOF\n"sv);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kType);
  EXPECT_EQ(parser.MetricName(), "a.b");
  ASSERT_EQ(parser.Next(), Entry::kSample) << parser.Error().message;
  EXPECT_EQ(parser.MetricName(), "a.b");
  EXPECT_EQ(parser.Family().type, MetricType::kGauge);
  ASSERT_EQ(parser.Labels().size(), 2u);
  EXPECT_EQ(parser.Labels()[0].name, "c\\\"d");
  EXPECT_TRUE(parser.Labels()[0].name_quoted);
  EXPECT_EQ(parser.Labels()[0].value, "x\\ny");
  EXPECT_FALSE(parser.Labels()[1].name_quoted);
  EXPECT_FALSE(parser.IsComposite());
  EXPECT_EQ(parser.Value(), 2);
}

// Label sets whose text runs together the same way are still different metrics: each is read
// to the end without an ordering error.
TEST(Om2Parser, LabelSetsAlikeAsTextAreDistinctMetrics) {
  const std::string_view inputs[] = {
      // A quoted name holding '="' against a value holding it.
      "# TYPE a gauge\na{\"x=\\\"y\"=\"z\"} 1\na{x=\"y=\\\"z\"} 1\n# EOF\n"sv,
      // One label split differently between name and value.
      "# TYPE a gauge\na{ab=\"c\"} 1\na{a=\"bc\"} 1\n# EOF\n"sv,
      // An escaped quote against the same bytes unescaped elsewhere.
      "# TYPE a gauge\na{x=\"\\\\\"} 1\na{x=\"\\\"\"} 1\n# EOF\n"sv,
      // Labels swapped between name and value.
      "# TYPE a gauge\na{x=\"y\",y=\"x\"} 1\na{x=\"x\",y=\"y\"} 1\n# EOF\n"sv,
  };
  for (std::string_view input : inputs) {
    auto source = MemorySource(input);
    OpenMetrics2Parser parser(*source);
    EXPECT_EQ(ParseAll(parser), Entry::kEnd) << input << "\n" << parser.Error().message;
  }
}

TEST(Om2Parser, SeveralExemplarsEachWithTimestamp) {
  auto source = MemorySource(
      "# TYPE c_total counter\nc_total{x=\"1\"} 5 st@1 # {t=\"a\"} 1 2 # {} 3 4.5\n# EOF\n"sv);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(FirstSample(parser), Entry::kSample) << parser.Error().message;
  ASSERT_EQ(parser.ExemplarCount(), 2u);
  const Om2Exemplar first = parser.Exemplar(0);
  ASSERT_EQ(first.labels.size(), 1u);
  EXPECT_EQ(first.labels[0].name, "t");
  EXPECT_EQ(first.value, 1);
  EXPECT_EQ(first.timestamp, 2);
  EXPECT_EQ(parser.Exemplar(1).labels.size(), 0u);
  EXPECT_EQ(parser.Exemplar(1).timestamp, 4.5);
  ASSERT_EQ(parser.Labels().size(), 1u);  // the sample's labels are not the exemplars'
  EXPECT_EQ(parser.Labels()[0].name, "x");
  EXPECT_TRUE(parser.notes().empty());
}

struct NoteRow {
  const char* name;
  std::string_view input;
  size_t kept;  // exemplars left on the sample
  ErrorCode code;
  uint64_t column;
  std::string_view message;
};

void PrintTo(const NoteRow& row, std::ostream* os) { *os << row.name; }

const NoteRow kNoteRows[] = {
    {"MissingTimestamp", "# TYPE c counter\nc 1 # {a=\"b\"} 1 # {a=\"c\"} 2 3\n# EOF\n"sv, 1,
     E::kOm2ExemplarTimestamp, 16,
     "exemplar without a timestamp dropped; every exemplar has a timestamp in OpenMetrics 2.0"},
    {"BadValue", "# TYPE c counter\nc 1 # {a=\"b\"} x 1\n# EOF\n"sv, 0, E::kOm2Exemplar, 15,
     "expected a number as exemplar value, found \"x\"; the exemplar is dropped, with the rest "
     "of the line from its '#' (13 bytes)"},
    {"DuplicateLabel", "# TYPE c counter\nc 1 # {a=\"b\",a=\"c\"} 1 1\n# EOF\n"sv, 0,
     E::kOm2Exemplar, 14,
     "duplicate label name \"a\" in one label set; the exemplar is dropped, with the rest of the "
     "line from its '#' (19 bytes)"},
    {"OnGauge", "# TYPE g gauge\ng 1 # {a=\"b\"} 1 1\n# EOF\n"sv, 0, E::kOm2ExemplarPlacement, 5,
     "1 exemplar dropped: gauge samples have no exemplars (only counter, histogram, "
     "gaugehistogram and unknown)"},
};

class Om2Note : public testing::TestWithParam<NoteRow> {};

TEST_P(Om2Note, DropsTheExemplarAndKeepsTheSample) {
  const NoteRow& row = GetParam();
  auto source = MemorySource(row.input);
  OpenMetrics2Parser parser(*source);
  ASSERT_EQ(FirstSample(parser), Entry::kSample) << parser.Error().message;
  EXPECT_EQ(parser.ExemplarCount(), row.kept);
  ASSERT_EQ(parser.notes().size(), 1u);
  const Error& note = parser.notes()[0];
  EXPECT_EQ(ErrorCodeId(note.code), ErrorCodeId(row.code));
  EXPECT_EQ(note.line, 2u);
  EXPECT_EQ(note.column, row.column);
  EXPECT_EQ(note.message, row.message);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd);
  EXPECT_EQ(parser.notes_total(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Rows, Om2Note, testing::ValuesIn(kNoteRows),
                         [](const testing::TestParamInfo<NoteRow>& i) { return i.param.name; });

TEST(Om2Parser, NotesAreCappedAndCounted) {
  std::string input = "# TYPE g gauge\n";
  for (int i = 0; i < 150; ++i) input += "g{i=\"" + std::to_string(i) + "\"} 1 # {} 1 1\n";
  input += "# EOF\n";
  auto source = MemorySource(input);
  ValidateOptions options;
  options.format = InputFormat::kOpenMetrics2;
  const ValidateResult r = Validate(*source, options);
  EXPECT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.notes.size(), OpenMetrics2Parser::kMaxNotes);
  EXPECT_EQ(r.notes_total, 150u);
  EXPECT_EQ(r.samples, 150u);
  EXPECT_EQ(r.families, 1u);
}

TEST(Om2Parser, ValidateCountsFamiliesAndMetadataOnlyFamilies) {
  auto source = MemorySource("# TYPE a counter\na_total 1\nb 2\nb{x=\"y\"} 3\n# EOF\n"sv);
  ValidateOptions options;
  options.format = InputFormat::kOpenMetrics2;
  const ValidateResult r = Validate(*source, options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.format, InputFormat::kOpenMetrics2);
  EXPECT_EQ(r.families, 2u);                // a_total and b
  EXPECT_EQ(r.metadata_only_families, 1u);  // a
  EXPECT_EQ(r.samples, 3u);
}

TEST(Om2Parser, RevisionIsRc0) { EXPECT_EQ(kOpenMetrics2Revision, "2.0.0-rc0"); }

}  // namespace
}  // namespace promtool
