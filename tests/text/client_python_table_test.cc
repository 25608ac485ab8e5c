// prometheus/client_python's OpenMetrics parser test table (tests/openmetrics/test_parser.py,
// commit d0b497ff) run through our strict OpenMetrics 1.0 parser: every input of
// test_invalid_input must be rejected, every text of the valid-input tests accepted, and the cases
// where the specification sides with us against client_python are kept apart with our verdict.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>

#include "promtool/error.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using E = ErrorCode;
using namespace std::string_view_literals;

struct AcceptRow {
  const char* name;  // upstream's test name (test_simple_counter -> SimpleCounter); loops numbered
  std::string_view input;
};

struct RejectRow {
  const char* name;  // upstream's comment above the case in test_invalid_input, numbered
  std::string_view input;
  ErrorCode code;
  uint64_t line;
  uint64_t column;
  std::string_view message;
};

// A case client_python decides one way and OpenMetrics 1.0 the other; we assert our verdict.
struct DisagreementRow {
  const char* name;
  std::string_view input;
  bool upstream_accepts;
  ErrorCode code;  // kOk: we accept
  uint64_t line;
  uint64_t column;
  std::string_view message;
};

void PrintTo(const AcceptRow& row, std::ostream* os) { *os << row.name; }
void PrintTo(const RejectRow& row, std::ostream* os) { *os << row.name; }
void PrintTo(const DisagreementRow& row, std::ostream* os) { *os << row.name; }

Entry ParseAll(OpenMetricsParser& parser) {
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd || e == Entry::kError) return e;
  }
}

// Inputs hold NULs and bytes split from following characters, so they are sized explicitly.
const AcceptRow kAccept[] = {
    {"SimpleCounter",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total 1\n"
     "# EOF\n"sv},
    {"Uint64Counter",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total 9223372036854775808\n"
     "# EOF\n"sv},
    {"SimpleGauge",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a 1\n"
     "# EOF\n"sv},
    {"FloatGauge",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a 1.2\n"
     "# EOF\n"sv},
    {"LeadingZerosSimpleGauge",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a 0000000000000000000000000000000000000000001\n"
     "# EOF\n"sv},
    {"LeadingZerosFloatGauge",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a 0000000000000000000000000000000000000000001.2e-1\n"
     "# EOF\n"sv},
    {"NanGauge",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a NaN\n"
     "# EOF\n"sv},
    {"UnitGauge",
     "# TYPE a_seconds gauge\n"
     "# UNIT a_seconds seconds\n"
     "# HELP a_seconds help\n"
     "a_seconds 1\n"
     "# EOF\n"sv},
    {"SimpleSummary",
     "# TYPE a summary\n"
     "# HELP a help\n"
     "a_count 1\n"
     "a_sum 2\n"
     "# EOF\n"sv},
    {"SummaryQuantiles",
     "# TYPE a summary\n"
     "# HELP a help\n"
     "a_count 1\n"
     "a_sum 2\n"
     "a{quantile=\"0.5\"} 0.7\n"
     "a{quantile=\"1\"} 0.8\n"
     "# EOF\n"sv},
    {"SimpleHistogram",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\"} 0\n"
     "a_bucket{le=\"+Inf\"} 3\n"
     "a_count 3\n"
     "a_sum 2\n"
     "# EOF\n"sv},
    {"SimpleHistogramFloatValues",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\"} 0.0\n"
     "a_bucket{le=\"+Inf\"} 3.0\n"
     "a_count 3.0\n"
     "a_sum 2.0\n"
     "# EOF\n"sv},
    {"HistogramNoncanonical",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"0\"} 0\n"
     "a_bucket{le=\"0.00000000001\"} 0\n"
     "a_bucket{le=\"0.0000000001\"} 0\n"
     "a_bucket{le=\"1e-04\"} 0\n"
     "a_bucket{le=\"1.1e-4\"} 0\n"
     "a_bucket{le=\"1.1e-3\"} 0\n"
     "a_bucket{le=\"1.1e-2\"} 0\n"
     "a_bucket{le=\"1\"} 0\n"
     "a_bucket{le=\"1e+05\"} 0\n"
     "a_bucket{le=\"10000000000\"} 0\n"
     "a_bucket{le=\"100000000000.0\"} 0\n"
     "a_bucket{le=\"+Inf\"} 3\n"
     "a_count 3\n"
     "a_sum 2\n"
     "# EOF\n"sv},
    {"NegativeBucketHistogram",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"-1.0\"} 0\n"
     "a_bucket{le=\"1.0\"} 1\n"
     "a_bucket{le=\"+Inf\"} 3\n"
     "# EOF\n"sv},
    {"HistogramExemplars",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\"} 0 # {a=\"b\"} 0.5\n"
     "a_bucket{le=\"2.0\"} 2 # {a=\"c\"} 0.5\n"
     "a_bucket{le=\"+Inf\"} 3 # {a=\"23456789012345678901234567890123456789012345"
     "678901234567890123456789012345678901234567890123456789012345678901234567"
     "89012345678\"} 4 123\n"
     "# EOF\n"sv},
    {"SimpleGaugehistogram",
     "# TYPE a gaugehistogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\"} 0\n"
     "a_bucket{le=\"+Inf\"} 3\n"
     "a_gcount 3\n"
     "a_gsum 2\n"
     "# EOF\n"sv},
    {"NegativeBucketGaugehistogram",
     "# TYPE a gaugehistogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"-1.0\"} 1\n"
     "a_bucket{le=\"1.0\"} 2\n"
     "a_bucket{le=\"+Inf\"} 3\n"
     "a_gcount 3\n"
     "a_gsum -5\n"
     "# EOF\n"sv},
    {"GaugehistogramExemplars",
     "# TYPE a gaugehistogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\"} 0 123 # {a=\"b\"} 0.5\n"
     "a_bucket{le=\"2.0\"} 2 123 # {a=\"c\"} 0.5\n"
     "a_bucket{le=\"+Inf\"} 3 123 # {a=\"d\"} 4 123\n"
     "# EOF\n"sv},
    {"CounterExemplars",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total 0 123 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv},
    {"CounterExemplarsEmptyBrackets",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{} 0 123 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv},
    {"SimpleInfo",
     "# TYPE a info\n"
     "# HELP a help\n"
     "a_info{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"InfoTimestamps",
     "# TYPE a info\n"
     "# HELP a help\n"
     "a_info{a=\"1\",foo=\"bar\"} 1 1\n"
     "a_info{a=\"2\",foo=\"bar\"} 1 0\n"
     "# EOF\n"sv},
    {"SimpleStateset",
     "# TYPE a stateset\n"
     "# HELP a help\n"
     "a{a=\"bar\"} 0\n"
     "a{a=\"foo\"} 1.0\n"
     "# EOF\n"sv},
    {"DuplicateTimestamps",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a{a=\"1\",foo=\"bar\"} 1 0.0000000000\n"
     "a{a=\"1\",foo=\"bar\"} 2 0.0000000001\n"
     "a{a=\"1\",foo=\"bar\"} 3 0.0000000010\n"
     "a{a=\"2\",foo=\"bar\"} 4 0.0000000000\n"
     "a{a=\"2\",foo=\"bar\"} 5 0.0000000001\n"
     "# EOF\n"sv},
    {"NoMetadata",
     "a 1\n"
     "# EOF\n"sv},
    {"EmptyMetadata",
     "# HELP a \n"
     "# UNIT a \n"
     "# EOF\n"sv},
    {"Untyped",
     "# HELP redis_connected_clients Redis connected clients\n"
     "# TYPE redis_connected_clients unknown\n"
     "redis_connected_clients{instance=\"rough-snowflake-web\",port=\"6380\"} 10.0"
     "\n"
     "redis_connected_clients{instance=\"rough-snowflake-web\",port=\"6381\"} 12.0"
     "\n"
     "# EOF\n"sv},
    {"TypeHelpSwitched",
     "# HELP a help\n"
     "# TYPE a counter\n"
     "a_total 1\n"
     "# EOF\n"sv},
    {"LabelsWithCurlyBraces",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"bar\",bar=\"b{a}z\"} 1\n"
     "# EOF\n"sv},
    {"EmptyHelp",
     "# TYPE a counter\n"
     "# HELP a \n"
     "a_total 1\n"
     "# EOF\n"sv},
    {"LabelsAndInfinite",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a{foo=\"bar\"} +Inf\n"
     "a{foo=\"baz\"} -Inf\n"
     "# EOF\n"sv},
    {"EmptyBrackets",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{} 1\n"
     "# EOF\n"sv},
    {"Nan",
     "a NaN\n"
     "# EOF\n"sv},
    {"NoNewlineAfterEof",
     "# TYPE a gauge\n"
     "# HELP a help\n"
     "a 1\n"
     "# EOF"sv},
    {"EmptyLabel",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"bar\"} 1\n"
     "a_total{foo=\"\"} 2\n"
     "# EOF\n"sv},
    {"LabelEscaping1",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"foo\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping2",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\foo\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping3",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\\foo\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping4",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"foo\\\\\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping5",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\\\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping6",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\n\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping7",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\\n\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping8",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\\\\n\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping9",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\"\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"LabelEscaping10",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"\\\\\\\"\",bar=\"baz\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping1",
     "# TYPE a counter\n"
     "# HELP a foo\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping2",
     "# TYPE a counter\n"
     "# HELP a \\foo\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping3",
     "# TYPE a counter\n"
     "# HELP a \\\\foo\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping4",
     "# TYPE a counter\n"
     "# HELP a foo\\\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping5",
     "# TYPE a counter\n"
     "# HELP a foo\\\\\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping6",
     "# TYPE a counter\n"
     "# HELP a \\n\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping7",
     "# TYPE a counter\n"
     "# HELP a \\\\n\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping8",
     "# TYPE a counter\n"
     "# HELP a \\\\\\n\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping9",
     "# TYPE a counter\n"
     "# HELP a \\\"\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping10",
     "# TYPE a counter\n"
     "# HELP a \\\\\"\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"HelpEscaping11",
     "# TYPE a counter\n"
     "# HELP a \\\\\\\"\n"
     "a_total{foo=\"bar\"} 1\n"
     "# EOF\n"sv},
    {"NullByte",
     "# TYPE a counter\n"
     "# HELP a he\0"
     "lp\n"
     "# EOF\n"sv},
    {"Timestamps",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"1\"} 1 000\n"
     "a_total{foo=\"2\"} 1 0.0\n"
     "a_total{foo=\"3\"} 1 1.1\n"
     "a_total{foo=\"4\"} 1 12345678901234567890.1234567890\n"
     "a_total{foo=\"5\"} 1 1.5e3\n"
     "# TYPE b counter\n"
     "# HELP b help\n"
     "b_total 2 1234567890\n"
     "# EOF\n"sv},
    {"HashInLabelValue",
     "# TYPE a counter\n"
     "# HELP a help\n"
     "a_total{foo=\"foo # bar\"} 1\n"
     "a_total{foo=\"} foo # bar # \"} 1\n"
     "# EOF\n"sv},
    {"ExemplarsWithHashInLabelValues",
     "# TYPE a histogram\n"
     "# HELP a help\n"
     "a_bucket{le=\"1.0\",foo=\"bar # \"} 0 # {a=\"b\",foo=\"bar # bar\"} 0.5\n"
     "a_bucket{le=\"2.0\",foo=\"bar # \"} 2 # {a=\"c\",foo=\"bar # bar\"} 0.5\n"
     "a_bucket{le=\"+Inf\",foo=\"bar # \"} 3 # {a=\"d\",foo=\"bar # bar\"} 4\n"
     "# EOF\n"sv},
};

// Rejected by both; code, position and message are ours.
const RejectRow kReject[] = {
    {"NoEOF1", ""sv, E::kOmEof, 1, 1,
     "expected '# EOF' as the last line, found the end of the input"},
    {"BlankLine1",
     "a 1\n"
     "\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 2, 1, "empty line; OpenMetrics has no blank lines"},
    {"TextAfterEOF1",
     "a 1\n"
     "# EOF\n"
     "blah"sv,
     E::kOmEof, 3, 1, "expected the end of the input after '# EOF', found more text"},
    {"TextAfterEOF2",
     "a 1\n"
     "# EOFblah"sv,
     E::kOmEof, 2, 6, "expected the end of the line after '# EOF', found 'b'"},
    {"MissingOrWrongQuotesOnLabelValue1",
     "a{a=1} 1\n"
     "# EOF\n"sv,
     E::kLabelQuote, 1, 5, "expected '\"' at the start of the value of label \"a\", found '1'"},
    {"MissingOrWrongQuotesOnLabelValue2",
     "a{a=\"1} 1\n"
     "# EOF\n"sv,
     E::kLabelNewline, 1, 5, "the value of label \"a\" is not closed before the end of the line"},
    {"MissingOrWrongQuotesOnLabelValue3",
     "a{a='1'} 1\n"
     "# EOF\n"sv,
     E::kLabelQuote, 1, 5, "expected '\"' at the start of the value of label \"a\", found '\\''"},
    {"MissingOrWrongQuotesOnLabelValue4",
     "\"a\" 1\n"
     "# EOF\n"sv,
     E::kQuotedName, 1, 1,
     "expected a metric name, found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"MissingEqualOrLabelValue1",
     "a{a} 1\n"
     "# EOF\n"sv,
     E::kLabelEquals, 1, 4, "expected '=' after label name \"a\", found '}'"},
    {"MissingEqualOrLabelValue2",
     "a{\"a} 1\n"
     "# EOF\n"sv,
     E::kQuotedName, 1, 3,
     "expected a label name, found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"MissingEqualOrLabelValue3",
     "a{a\"value\"} 1\n"
     "# EOF\n"sv,
     E::kLabelEquals, 1, 4, "expected '=' after label name \"a\", found '\"'"},
    {"MissingEqualOrLabelValue4",
     "a{a\"\"} 1\n"
     "# EOF\n"sv,
     E::kLabelEquals, 1, 4, "expected '=' after label name \"a\", found '\"'"},
    {"MissingEqualOrLabelValue5",
     "a{a=} 1\n"
     "# EOF\n"sv,
     E::kLabelQuote, 1, 5, "expected '\"' at the start of the value of label \"a\", found '}'"},
    {"MissingEqualOrLabelValue6",
     "a{a=\"} 1\n"
     "# EOF\n"sv,
     E::kLabelNewline, 1, 5, "the value of label \"a\" is not closed before the end of the line"},
    {"MissingDelimiters1",
     "a{a=\"1\"}1\n"
     "# EOF\n"sv,
     E::kMetricName, 1, 9,
     "unexpected '1' after metric name \"a\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"},
    {"MissingOrExtraCommas1",
     "a{a=\"1\"b=\"2\"} 1\n"
     "# EOF\n"sv,
     E::kLabelEnd, 1, 8, "expected ',' or '}' after the value of label \"a\", found 'b'"},
    {"MissingOrExtraCommas2",
     "a{a=\"1\",,b=\"2\"} 1\n"
     "# EOF\n"sv,
     E::kLabelName, 1, 9, "expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found ','"},
    {"MissingOrExtraCommas3",
     "a{a=\"1\",b=\"2\",} 1\n"
     "# EOF\n"sv,
     E::kLabelName, 1, 15,
     "expected a label name after ',', found '}'; OpenMetrics allows no trailing comma"},
    {"InvalidLabels1",
     "a{1=\"1\"} 1\n"
     "# EOF\n"sv,
     E::kLabelName, 1, 3, "expected a label name ([a-zA-Z_][a-zA-Z0-9_]*) or '}', found '1'"},
    {"InvalidLabels2",
     "a{1=\"1\"}1\n"
     "# EOF\n"sv,
     E::kLabelName, 1, 3, "expected a label name ([a-zA-Z_][a-zA-Z0-9_]*) or '}', found '1'"},
    {"InvalidLabels3",
     "a{a=\"1\",a=\"1\"} 1\n"
     "# EOF\n"sv,
     E::kLabelDuplicate, 1, 9, "duplicate label name \"a\" in one label set"},
    {"InvalidLabels4",
     "a{a=\"1\"b} 1\n"
     "# EOF\n"sv,
     E::kLabelEnd, 1, 8, "expected ',' or '}' after the value of label \"a\", found 'b'"},
    {"InvalidLabels5",
     "a{1=\" # \"} 1\n"
     "# EOF\n"sv,
     E::kLabelName, 1, 3, "expected a label name ([a-zA-Z_][a-zA-Z0-9_]*) or '}', found '1'"},
    {"InvalidLabels6",
     "a{a=\" # \",a=\" # \"} 1\n"
     "# EOF\n"sv,
     E::kLabelDuplicate, 1, 11, "duplicate label name \"a\" in one label set"},
    {"InvalidLabels7",
     "a{a=\" # \"}1\n"
     "# EOF\n"sv,
     E::kMetricName, 1, 11,
     "unexpected '1' after metric name \"a\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"},
    {"InvalidLabels8",
     "a{a=\" # \",b=}1\n"
     "# EOF\n"sv,
     E::kLabelQuote, 1, 13, "expected '\"' at the start of the value of label \"b\", found '}'"},
    {"InvalidLabels9",
     "a{a=\" # \"b}1\n"
     "# EOF\n"sv,
     E::kLabelEnd, 1, 10, "expected ',' or '}' after the value of label \"a\", found 'b'"},
    {"MissingValue1",
     "a\n"
     "# EOF\n"sv,
     E::kValue, 1, 2, "expected a space and a value after \"a\", found the end of the line"},
    {"MissingValue2",
     "a \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 3,
     "expected a value, found the end of the line; tokens are separated by exactly one space"},
    {"BadHELP1",
     "# HELP\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 7,
     "expected a space and a metric name after '# HELP', found the end of the line"},
    {"BadHELP2",
     "# HELP \n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 8, "expected a metric name after '# HELP ', found the end of the line"},
    {"BadHELP3",
     "# HELP a\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 9,
     "expected a space and the help text after '# HELP a', found the end of the line"},
    {"BadHELP4",
     "# HELP a\t\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 9, "found a tab; tokens are separated by exactly one space"},
    {"BadHELP5",
     " # HELP a meh\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 1, "line starts with a space; lines start with a metric name or '#'"},
    {"BadTYPE1",
     "# TYPE\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 7,
     "expected a space and a metric name after '# TYPE', found the end of the line"},
    {"BadTYPE2",
     "# TYPE \n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 8, "expected a metric name after '# TYPE ', found the end of the line"},
    {"BadTYPE3",
     "# TYPE a\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 9,
     "expected a space and a type after '# TYPE a', found the end of the line"},
    {"BadTYPE4",
     "# TYPE a\t\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 9, "found a tab; tokens are separated by exactly one space"},
    {"BadTYPE5",
     "# TYPE a meh\n"
     "# EOF\n"sv,
     E::kTypeUnknown, 1, 10,
     "unknown metric type \"meh\"; expected counter, gauge, histogram, gaugehistogram, summary, "
     "stateset, info or unknown"},
    {"BadTYPE6",
     "# TYPE a meh \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 13, "line ends with a space; tokens are separated by exactly one space"},
    {"BadTYPE7",
     "# TYPE a gauge \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 15, "line ends with a space; tokens are separated by exactly one space"},
    {"BadTYPE8",
     "# TYPE a untyped\n"
     "# EOF\n"sv,
     E::kTypeUnknown, 1, 10,
     "unknown metric type \"untyped\"; expected counter, gauge, histogram, gaugehistogram, "
     "summary, stateset, info or unknown"},
    {"BadUNIT1",
     "# UNIT\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 7,
     "expected a space and a metric name after '# UNIT', found the end of the line"},
    {"BadUNIT2",
     "# UNIT \n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 8, "expected a metric name after '# UNIT ', found the end of the line"},
    {"BadUNIT3",
     "# UNIT a\n"
     "# EOF\n"sv,
     E::kOmMetadata, 1, 9,
     "expected a space and a unit after '# UNIT a', found the end of the line"},
    {"BadUNIT4",
     "# UNIT a\t\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 9, "found a tab; tokens are separated by exactly one space"},
    {"BadUNIT5",
     "# UNIT a seconds\n"
     "# EOF\n"sv,
     E::kOmUnit, 1, 10,
     "unit \"seconds\" is not a suffix of the family name \"a\"; the name must end in "
     "\"_seconds\""},
    {"BadUNIT6",
     "# UNIT a_seconds seconds \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 25,
     "found a space in the unit; tokens are separated by exactly one space and lines have no "
     "trailing space"},
    {"BadUNIT7",
     "# TYPE x_u info\n"
     "# UNIT x_u u\n"
     "# EOF\n"sv,
     E::kOmUnit, 2, 1, "info family \"x_u\" has a UNIT; info metrics have no unit"},
    {"BadUNIT8",
     "# TYPE x_u stateset\n"
     "# UNIT x_u u\n"
     "# EOF\n"sv,
     E::kOmUnit, 2, 1, "stateset family \"x_u\" has a UNIT; stateset metrics have no unit"},
    {"MetadataInWrongPlace1",
     "# HELP a x\n"
     "a 1\n"
     "# TYPE a gauge\n"
     "# EOF\n"sv,
     E::kOmMetadataOrder, 3, 1,
     "# TYPE for family \"a\" comes after its samples; metadata must come first"},
    {"MetadataInWrongPlace2",
     "# TYPE a gauge\n"
     "a 1\n"
     "# HELP a gauge\n"
     "# EOF\n"sv,
     E::kOmMetadataOrder, 3, 1,
     "# HELP for family \"a\" comes after its samples; metadata must come first"},
    {"MetadataInWrongPlace3",
     "# TYPE a_s gauge\n"
     "a_s 1\n"
     "# UNIT a_s s\n"
     "# EOF\n"sv,
     E::kOmMetadataOrder, 3, 1,
     "# UNIT for family \"a_s\" comes after its samples; metadata must come first"},
    {"RepeatedMetadata1",
     "# HELP a \n"
     "# HELP a \n"
     "# EOF\n"sv,
     E::kOmMetadataDuplicate, 2, 1, "second # HELP line for family \"a\"; each may appear once"},
    {"RepeatedMetadata2",
     "# HELP a x\n"
     "# HELP a x\n"
     "# EOF\n"sv,
     E::kOmMetadataDuplicate, 2, 1, "second # HELP line for family \"a\"; each may appear once"},
    {"RepeatedMetadata3",
     "# TYPE a untyped\n"
     "# TYPE a untyped\n"
     "# EOF\n"sv,
     E::kTypeUnknown, 1, 10,
     "unknown metric type \"untyped\"; expected counter, gauge, histogram, gaugehistogram, "
     "summary, stateset, info or unknown"},
    {"RepeatedMetadata4",
     "# UNIT a_s s\n"
     "# UNIT a_s s\n"
     "# EOF\n"sv,
     E::kOmMetadataDuplicate, 2, 1, "second # UNIT line for family \"a_s\"; each may appear once"},
    {"BadMetadata1",
     "# FOO a x\n"
     "# EOF\n"sv,
     E::kOmComment, 1, 1,
     "expected '# HELP', '# TYPE', '# UNIT' or '# EOF', found \"# FOO a x\"; OpenMetrics has no "
     "other comments"},
    {"BadMetricNames1",
     "0a 1\n"
     "# EOF\n"sv,
     E::kMetricName, 1, 1,
     "expected a metric name ([a-zA-Z_:]) at the start of the line, found '0'"},
    {"BadMetricNames2",
     "a.b 1\n"
     "# EOF\n"sv,
     E::kMetricName, 1, 2,
     "unexpected '.' after metric name \"a\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"},
    {"BadMetricNames3",
     "a-b 1\n"
     "# EOF\n"sv,
     E::kMetricName, 1, 2,
     "unexpected '-' after metric name \"a\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"},
    {"BadValue1",
     "a a\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"a\"; OpenMetrics numbers are decimal, +Inf, -Inf "
     "or NaN"},
    {"BadValue2",
     "a  1\n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 3,
     "expected a value, found a space; tokens are separated by exactly one space"},
    {"BadValue3",
     "a 1\t\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"1\\t\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue4",
     "a 1 \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 1, 5, "line ends with a space; lines have no trailing space"},
    {"BadValue5",
     "a 1_2\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"1_2\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue6",
     "a 0x1p-3\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0x1p-3\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue7",
     "a 0x1P-3\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0x1P-3\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue8",
     "a 0b1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0b1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue9",
     "a 0B1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0B1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue10",
     "a 0x1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0x1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue11",
     "a 0X1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0X1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue12",
     "a 0o1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0o1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadValue13",
     "a 0O1\n"
     "# EOF\n"sv,
     E::kValue, 1, 3,
     "expected a number as sample value, found \"0O1\"; OpenMetrics numbers are decimal, +Inf, "
     "-Inf or NaN"},
    {"BadTimestamp1",
     "a 1 z\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"z\""},
    {"BadTimestamp2",
     "a 1 1z\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"1z\""},
    {"BadTimestamp3",
     "a 1 1_2\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"1_2\""},
    {"BadTimestamp4",
     "a 1 1.1.1\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"1.1.1\""},
    {"BadTimestamp5",
     "a 1 NaN\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"NaN\""},
    {"BadTimestamp6",
     "a 1 Inf\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"Inf\""},
    {"BadTimestamp7",
     "a 1 +Inf\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"+Inf\""},
    {"BadTimestamp8",
     "a 1 -Inf\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"-Inf\""},
    {"BadTimestamp9",
     "a 1 0x1p-3\n"
     "# EOF\n"sv,
     E::kTimestamp, 1, 5, "expected a timestamp (decimal seconds), found \"0x1p-3\""},
    {"BadExemplars1",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 #\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 24,
     "expected a space after '#' of the exemplar, found the end of the line"},
    {"BadExemplars2",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1# {} 1\n"
     "# EOF\n"sv,
     E::kValue, 2, 21,
     "expected a number as sample value, found \"1#\"; OpenMetrics numbers are decimal, +Inf, -Inf "
     "or NaN"},
    {"BadExemplars3",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 #{} 1\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 24, "expected a space after '#' of the exemplar, found '{'"},
    {"BadExemplars4",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {}1\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 27, "expected a space and a value after the exemplar's labels, found '1'"},
    {"BadExemplars5",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {} 1 \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 2, 30, "line ends with a space; lines have no trailing space"},
    {"BadExemplars6",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {} 1 1 \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 2, 31, "line ends with a space; lines have no trailing space"},
    {"BadExemplars7",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {a=\"23456789012345678901234567890123456789012345"
     "678901234567890123456789012345678901234567890123456789012345678901234567"
     "890123456789\"} 1 1\n"
     "# EOF\n"sv,
     E::kOmExemplarLength, 2, 25,
     "exemplar labels have 129 code points (names and values together); at most 128 are allowed"},
    {"BadExemplars8",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {} 0x1p-3\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 28, "expected a number as exemplar value, found \"0x1p-3\""},
    {"BadExemplars9",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 1 # {} 1 0x1p-3\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 30,
     "expected a timestamp (decimal seconds) for the exemplar, found \"0x1p-3\""},
    {"BadExemplars10",
     "# TYPE a counter\n"
     "a_total 1 1 # {id=\"a\"}  \n"
     "# EOF\n"sv,
     E::kOmWhitespace, 2, 24, "expected the exemplar value, found a space"},
    {"BadExemplars11",
     "# TYPE a counter\n"
     "a_total 1 1 # id=\"a\"} 1\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 15, "expected '{' to start the exemplar's labels, found 'i'"},
    {"BadExemplars12",
     "# TYPE a counter\n"
     "a_total 1 1 #id=\" # \"} 1\n"
     "# EOF\n"sv,
     E::kOmExemplar, 2, 14, "expected a space after '#' of the exemplar, found 'i'"},
    {"BadExemplars13",
     "# TYPE a counter\n"
     "a_total 1 1 id=\" # \"} 1\n"
     "# EOF\n"sv,
     E::kAfterTimestamp, 2, 13,
     "expected an exemplar (' # {...} value') or the end of the line after the timestamp, found "
     "'i'"},
    {"ExemplarsOnUnallowedSamples1",
     "# TYPE a histogram\n"
     "a_sum 1 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a_sum\" of histogram family has an exemplar; only counter _total and histogram "
     "_bucket samples may have one"},
    {"ExemplarsOnUnallowedSamples2",
     "# TYPE a gaugehistogram\n"
     "a_sum 1 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a_sum\" of unknown family has an exemplar; only counter _total and histogram "
     "_bucket samples may have one"},
    {"ExemplarsOnUnallowedSamples3",
     "# TYPE a_bucket gauge\n"
     "a_bucket 1 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a_bucket\" of gauge family has an exemplar; only counter _total and histogram "
     "_bucket samples may have one"},
    {"ExemplarsOnUnallowedSamples4",
     "# TYPE a counter\n"
     "a_created 1 # {a=\"b\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a_created\" of counter family has an exemplar; only counter _total and histogram "
     "_bucket samples may have one"},
    {"ExemplarsOnUnallowedMetricTypes1",
     "# TYPE a gauge\n"
     "a 1 # {a=\"b\"} 1\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a\" of gauge family has an exemplar; only counter _total and histogram _bucket "
     "samples may have one"},
    {"ExemplarsOnUnallowedMetricTypes2",
     "# TYPE a info\n"
     "a_info 1 # {a=\"b\"} 1\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a_info\" of info family has an exemplar; only counter _total and histogram _bucket "
     "samples may have one"},
    {"ExemplarsOnUnallowedMetricTypes3",
     "# TYPE a stateset\n"
     "a{a=\"b\"} 1 # {c=\"d\"} 1\n"
     "# EOF\n"sv,
     E::kOmExemplarPlacement, 2, 1,
     "sample \"a\" of stateset family has an exemplar; only counter _total and histogram _bucket "
     "samples may have one"},
    {"BadStatesetInfoValues1",
     "# TYPE a stateset\n"
     "a 2\n"
     "# EOF\n"sv,
     E::kOmStateSetValue, 2, 1,
     "stateset sample has no label named \"a\"; each stateset sample names its state in that "
     "label"},
    {"BadStatesetInfoValues2",
     "# TYPE a info\n"
     "a 2\n"
     "# EOF\n"sv,
     E::kOmSampleName, 2, 1,
     "sample \"a\" of info family \"a\" has no suffix; info samples are named \"a_info\""},
    {"BadStatesetInfoValues3",
     "# TYPE a stateset\n"
     "a 2.0\n"
     "# EOF\n"sv,
     E::kOmStateSetValue, 2, 1,
     "stateset sample has no label named \"a\"; each stateset sample names its state in that "
     "label"},
    {"BadStatesetInfoValues4",
     "# TYPE a info\n"
     "a 2.0\n"
     "# EOF\n"sv,
     E::kOmSampleName, 2, 1,
     "sample \"a\" of info family \"a\" has no suffix; info samples are named \"a_info\""},
    {"MissingOrInvalidLabelsForAType1",
     "# TYPE a summary\n"
     "a 0\n"
     "# EOF\n"sv,
     E::kOmQuantile, 2, 1, "summary sample \"a\" has no quantile label"},
    {"MissingOrInvalidLabelsForAType2",
     "# TYPE a summary\n"
     "a{quantile=\"-1\"} 0\n"
     "# EOF\n"sv,
     E::kOmQuantile, 2, 13, "quantile=\"-1\" is not a number in [0, 1]"},
    {"MissingOrInvalidLabelsForAType3",
     "# TYPE a summary\n"
     "a{quantile=\"foo\"} 0\n"
     "# EOF\n"sv,
     E::kOmQuantile, 2, 13, "quantile=\"foo\" is not a number in [0, 1]"},
    {"MissingOrInvalidLabelsForAType4",
     "# TYPE a summary\n"
     "a{quantile=\"1.01\"} 0\n"
     "# EOF\n"sv,
     E::kOmQuantile, 2, 13, "quantile=\"1.01\" is not a number in [0, 1]"},
    {"MissingOrInvalidLabelsForAType5",
     "# TYPE a summary\n"
     "a{quantile=\"NaN\"} 0\n"
     "# EOF\n"sv,
     E::kOmQuantile, 2, 13, "quantile=\"NaN\" is not a number in [0, 1]"},
    {"MissingOrInvalidLabelsForAType6",
     "# TYPE a histogram\n"
     "a_bucket 0\n"
     "# EOF\n"sv,
     E::kOmBucketLe, 2, 1, "bucket \"a_bucket\" has no le label"},
    {"MissingOrInvalidLabelsForAType7",
     "# TYPE a gaugehistogram\n"
     "a_bucket 0\n"
     "# EOF\n"sv,
     E::kOmBucketLe, 2, 1, "bucket \"a_bucket\" has no le label"},
    {"MissingOrInvalidLabelsForAType8",
     "# TYPE a stateset\n"
     "a 0\n"
     "# EOF\n"sv,
     E::kOmStateSetValue, 2, 1,
     "stateset sample has no label named \"a\"; each stateset sample names its state in that "
     "label"},
    {"BadCounterValues1",
     "# TYPE a counter\n"
     "a_total NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "counter sample \"a_total\" has value NaN; counters, bucket counts, counts, sums and quantile "
     "values must be non-negative numbers"},
    {"BadCounterValues2",
     "# TYPE a counter\n"
     "a_total -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "counter sample \"a_total\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues3",
     "# TYPE a histogram\n"
     "a_sum NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_sum\" has value NaN; counters, bucket counts, counts, sums and quantile "
     "values must be non-negative numbers"},
    {"BadCounterValues4",
     "# TYPE a histogram\n"
     "a_count NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_count\" has value NaN; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues5",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_bucket\" has value NaN; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues6",
     "# TYPE a histogram\n"
     "a_sum -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_sum\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues7",
     "# TYPE a histogram\n"
     "a_count -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_count\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues8",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "histogram sample \"a_bucket\" has a negative value; counters, bucket counts, counts, sums "
     "and quantile values must be non-negative numbers"},
    {"BadCounterValues9",
     "# TYPE a histogram\n"
     "a_bucket{le=\"-1.0\"} 1\n"
     "a_bucket{le=\"+Inf\"} 2\n"
     "a_sum -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 4, 1,
     "histogram sample \"a_sum\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues10",
     "# TYPE a histogram\n"
     "a_bucket{le=\"-1.0\"} 1\n"
     "a_bucket{le=\"+Inf\"} 2\n"
     "a_sum 1\n"
     "# EOF\n"sv,
     E::kOmSumNegative, 4, 1,
     "histogram a has a bucket with negative le and a _sum; _sum is only allowed when no le is "
     "negative"},
    {"BadCounterValues11",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmNotInteger, 2, 1,
     "histogram sample \"a_bucket\" has value 0.5; histogram bucket values must be integers "
     "(OpenMetrics 1.0)"},
    {"BadCounterValues12",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 0.5\n"
     "a_count 0.5\n"
     "a_sum 0\n"
     "# EOF\n"sv,
     E::kOmNotInteger, 2, 1,
     "histogram sample \"a_bucket\" has value 0.5; histogram bucket values must be integers "
     "(OpenMetrics 1.0)"},
    {"BadCounterValues13",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "gaugehistogram sample \"a_bucket\" has value NaN; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues14",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} -1\n"
     "a_gcount -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "gaugehistogram sample \"a_bucket\" has a negative value; counters, bucket counts, counts, "
     "sums and quantile values must be non-negative numbers"},
    {"BadCounterValues15",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "gaugehistogram sample \"a_bucket\" has a negative value; counters, bucket counts, counts, "
     "sums and quantile values must be non-negative numbers"},
    {"BadCounterValues16",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 1\n"
     "a_gsum -1\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "gaugehistogram a has _gsum but no _gcount; they must come together"},
    {"BadCounterValues17",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 1\n"
     "a_gsum NaN\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "gaugehistogram a has _gsum but no _gcount; they must come together"},
    {"BadCounterValues18",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 0.5\n"
     "# EOF\n"sv,
     E::kOmNotInteger, 2, 1,
     "gaugehistogram sample \"a_bucket\" has value 0.5; gaugehistogram bucket values must be "
     "integers (OpenMetrics 1.0)"},
    {"BadCounterValues19",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 0.5\n"
     "a_gsum 0.5\n"
     "a_gcount 0\n"
     "# EOF\n"sv,
     E::kOmNotInteger, 2, 1,
     "gaugehistogram sample \"a_bucket\" has value 0.5; gaugehistogram bucket values must be "
     "integers (OpenMetrics 1.0)"},
    {"BadCounterValues20",
     "# TYPE a summary\n"
     "a_sum NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "summary sample \"a_sum\" has value NaN; counters, bucket counts, counts, sums and quantile "
     "values must be non-negative numbers"},
    {"BadCounterValues21",
     "# TYPE a summary\n"
     "a_count NaN\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "summary sample \"a_count\" has value NaN; counters, bucket counts, counts, sums and quantile "
     "values must be non-negative numbers"},
    {"BadCounterValues22",
     "# TYPE a summary\n"
     "a_sum -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "summary sample \"a_sum\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues23",
     "# TYPE a summary\n"
     "a_count -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "summary sample \"a_count\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadCounterValues24",
     "# TYPE a summary\n"
     "a_count 0.5\n"
     "# EOF\n"sv,
     E::kOmNotInteger, 2, 1,
     "summary sample \"a_count\" has value 0.5; summary count values must be integers (OpenMetrics "
     "1.0)"},
    {"BadCounterValues25",
     "# TYPE a summary\n"
     "a{quantile=\"0.5\"} -1\n"
     "# EOF\n"sv,
     E::kOmNegativeValue, 2, 1,
     "summary sample \"a\" has a negative value; counters, bucket counts, counts, sums and "
     "quantile values must be non-negative numbers"},
    {"BadInfoAndStatesetValues1",
     "# TYPE a info\n"
     "a_info{foo=\"bar\"} 2\n"
     "# EOF\n"sv,
     E::kOmInfoValue, 2, 1, "info sample \"a_info\" has a value other than 1"},
    {"BadInfoAndStatesetValues2",
     "# TYPE a stateset\n"
     "a{a=\"bar\"} 2\n"
     "# EOF\n"sv,
     E::kOmStateSetValue, 2, 1, "stateset sample \"a\" has a value other than 0 or 1"},
    {"BadHistograms1",
     "# TYPE a histogram\n"
     "a_sum 1\n"
     "# EOF\n"sv,
     E::kOmBucketInf, 3, 1,
     "histogram a has no bucket with le=\"+Inf\"; every histogram needs one"},
    {"BadHistograms2",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_sum 0\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "histogram a has _sum but no _count; they must come together"},
    {"BadHistograms3",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_count 0\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "histogram a has _count but no _sum; they must come together"},
    {"BadHistograms4",
     "# TYPE a histogram\n"
     "a_bucket{le=\"-1\"} 0\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_sum 0\n"
     "a_count 0\n"
     "# EOF\n"sv,
     E::kOmSumNegative, 4, 1,
     "histogram a has a bucket with negative le and a _sum; _sum is only allowed when no le is "
     "negative"},
    {"BadHistograms5",
     "# TYPE a gaugehistogram\n"
     "a_gsum 1\n"
     "# EOF\n"sv,
     E::kOmBucketInf, 3, 1,
     "gaugehistogram a has no bucket with le=\"+Inf\"; every histogram needs one"},
    {"BadHistograms6",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_gsum 0\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "gaugehistogram a has _gsum but no _gcount; they must come together"},
    {"BadHistograms7",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_gcount 0\n"
     "# EOF\n"sv,
     E::kOmSumCount, 4, 1, "gaugehistogram a has _gcount but no _gsum; they must come together"},
    {"BadHistograms8",
     "# TYPE a gaugehistogram\n"
     "a_bucket{le=\"+Inf\"} 1\n"
     "a_gsum -1\n"
     "a_gcount 1\n"
     "# EOF\n"sv,
     E::kOmSumNegative, 5, 1,
     "gaugehistogram a has a negative _gsum but no negative bucket; _gsum may only be negative "
     "when some le is negative"},
    {"BadHistograms9",
     "# TYPE a histogram\n"
     "a_count 1\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "# EOF\n"sv,
     E::kOmCountMismatch, 3, 1,
     "histogram a has count 1 but its +Inf bucket is 0; they must be equal"},
    {"BadHistograms10",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "a_count 1\n"
     "# EOF\n"sv,
     E::kOmCountMismatch, 3, 1,
     "histogram a has count 1 but its +Inf bucket is 0; they must be equal"},
    {"BadHistograms11",
     "# TYPE a histogram\n"
     "a_bucket{le=\"+INF\"} 0\n"
     "# EOF\n"sv,
     E::kOmBucketLe, 2, 14,
     "le=\"+INF\" is not a number; le is a decimal number or exactly \"+Inf\""},
    {"BadHistograms12",
     "# TYPE a histogram\n"
     "a_bucket{le=\"2\"} 0\n"
     "a_bucket{le=\"1\"} 0\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "# EOF\n"sv,
     E::kOmBucketOrder, 3, 1,
     "histogram bucket le=\"1\" follows le=\"2\"; buckets must be in increasing order"},
    {"BadHistograms13",
     "# TYPE a histogram\n"
     "a_bucket{le=\"1\"} 1\n"
     "a_bucket{le=\"2\"} 1\n"
     "a_bucket{le=\"+Inf\"} 0\n"
     "# EOF\n"sv,
     E::kOmBucketCumulative, 4, 1,
     "histogram bucket le=\"+Inf\" of a has count 0, less than 1 of bucket le=\"2\"; buckets are "
     "cumulative"},
    {"BadHistograms14",
     "# TYPE a histogram\n"
     "a_bucket {} {}"sv,
     E::kValue, 2, 10,
     "expected a number as sample value, found \"{}\"; OpenMetrics numbers are decimal, +Inf, -Inf "
     "or NaN"},
    {"BadGroupingOrOrdering1",
     "# TYPE a histogram\n"
     "a_sum{a=\"1\"} 0\n"
     "a_sum{a=\"2\"} 0\n"
     "a_count{a=\"1\"} 0\n"
     "# EOF\n"sv,
     E::kOmSeriesOrder, 4, 1,
     "series a{a=\"1\"} appears again after other series of its family; a series' samples must be "
     "contiguous"},
    {"BadGroupingOrOrdering2",
     "# TYPE a histogram\n"
     "a_bucket{a=\"1\",le=\"1\"} 0\n"
     "a_bucket{a=\"2\",le=\"+Inf\"\"} 0\n"
     "a_bucket{a=\"1\",le=\"+Inf\"} 0\n"
     "# EOF\n"sv,
     E::kLabelEnd, 3, 25, "expected ',' or '}' after the value of label \"le\", found '\"'"},
    {"BadGroupingOrOrdering3",
     "# TYPE a gaugehistogram\n"
     "a_gsum{a=\"1\"} 0\n"
     "a_gsum{a=\"2\"} 0\n"
     "a_gcount{a=\"1\"} 0\n"
     "# EOF\n"sv,
     E::kOmSeriesOrder, 4, 1,
     "series a{a=\"1\"} appears again after other series of its family; a series' samples must be "
     "contiguous"},
    {"BadGroupingOrOrdering4",
     "# TYPE a summary\n"
     "quantile{quantile=\"0\"} 0\n"
     "a_sum{a=\"1\"} 0\n"
     "quantile{quantile=\"1\"} 0\n"
     "# EOF\n"sv,
     E::kOmFamilyOrder, 3, 1,
     "sample \"a_sum\" belongs to family \"a\", which ended before family \"quantile\"; a family's "
     "lines must be contiguous"},
    {"BadGroupingOrOrdering5",
     "# TYPE a gauge\n"
     "a 0 -1\n"
     "a 0 -2\n"
     "# EOF\n"sv,
     E::kOmTimestampOrder, 3, 1,
     "timestamp -2 of series a is smaller than its previous timestamp -1; timestamps must not "
     "decrease"},
    {"BadGroupingOrOrdering6",
     "# TYPE a gauge\n"
     "a 0 -1\n"
     "a 0 -1.1\n"
     "# EOF\n"sv,
     E::kOmTimestampOrder, 3, 1,
     "timestamp -1.1 of series a is smaller than its previous timestamp -1; timestamps must not "
     "decrease"},
    {"BadGroupingOrOrdering7",
     "# TYPE a gauge\n"
     "a 0 1\n"
     "a 0 -1\n"
     "# EOF\n"sv,
     E::kOmTimestampOrder, 3, 1,
     "timestamp -1 of series a is smaller than its previous timestamp 1; timestamps must not "
     "decrease"},
    {"BadGroupingOrOrdering8",
     "# TYPE a gauge\n"
     "a 0 1.1\n"
     "a 0 1\n"
     "# EOF\n"sv,
     E::kOmTimestampOrder, 3, 1,
     "timestamp 1 of series a is smaller than its previous timestamp 1.1; timestamps must not "
     "decrease"},
    {"BadGroupingOrOrdering9",
     "# TYPE a gauge\n"
     "a 0 1\n"
     "a 0 0\n"
     "# EOF\n"sv,
     E::kOmTimestampOrder, 3, 1,
     "timestamp 0 of series a is smaller than its previous timestamp 1; timestamps must not "
     "decrease"},
    {"BadGroupingOrOrdering10",
     "# TYPE a gauge\n"
     "a 0\n"
     "a 0 0\n"
     "# EOF\n"sv,
     E::kOmTimestampMixed, 3, 1,
     "series a has a timestamp here but not on its earlier samples; a series' samples all have "
     "timestamps or none do"},
    {"BadGroupingOrOrdering11",
     "# TYPE a gauge\n"
     "a 0 0\n"
     "a 0\n"
     "# EOF\n"sv,
     E::kOmTimestampMixed, 3, 1,
     "series a has no timestamp here but had one on earlier samples; a series' samples all have "
     "timestamps or none do"},
    {"ClashingNames1",
     "# TYPE a counter\n"
     "# TYPE a counter\n"
     "# EOF\n"sv,
     E::kOmMetadataDuplicate, 2, 1, "second # TYPE line for family \"a\"; each may appear once"},
    {"ClashingNames2",
     "# TYPE a info\n"
     "# TYPE a counter\n"
     "# EOF\n"sv,
     E::kOmMetadataDuplicate, 2, 1, "second # TYPE line for family \"a\"; each may appear once"},
    {"ClashingNames3",
     "# TYPE a_created gauge\n"
     "# TYPE a counter\n"
     "# EOF\n"sv,
     E::kOmNameClash, 2, 8,
     "counter \"a\" has samples named \"a_created\", which clashes with the family \"a_created\""},
    {"BadNativeHistograms1",
     "# TYPE nh histogram\n"
     "nh {count:24\n"
     "# EOF\n"sv,
     E::kValue, 2, 4,
     "expected a number as sample value, found \"{count:24\"; OpenMetrics numbers are decimal, "
     "+Inf, -Inf or NaN"},
    {"BadNativeHistograms2",
     "# TYPE nh histogram\n"
     "nh{} # {count:24\n"
     "# EOF\n"sv,
     E::kValue, 2, 6,
     "expected a number as sample value, found \"#\"; OpenMetrics numbers are decimal, +Inf, -Inf "
     "or NaN"},
};

const DisagreementRow kDisagreements[] = {
    // OM 1.0: metricname = metricname-initial-char 0*metricname-char and label-name likewise;
    // quoted (UTF-8) names are Prometheus 3.x text / the OM 2.0 draft, not OM 1.0. We reject.
    {"Utf8Counter",
     "# TYPE \"my.counter\" counter\n"
     "# HELP \"my.counter\" help\n"
     "{\"my.counter_total\"} 1\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"ComplexNameCounter",
     "# TYPE \"my.counter{} # = \\\" \\n\" counter\n"
     "# HELP \"my.counter{} # = \\\" \\n\" help\n"
     "{\"my.counter{} # = \\\" \\n_total\", \"awful. }}{{ # HELP EOF name\"=\"\\n yikes"
     " } \\\" value\"} 1\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"Utf8HistogramFloatValues",
     "# TYPE \"a.b\" histogram\n"
     "# HELP \"a.b\" help\n"
     "{\"a.b_bucket\", le=\"1.0\"} 0.0\n"
     "{\"a.b_bucket\", le=\"+Inf\"} 3.0\n"
     "{\"a.b_count\"} 3.0\n"
     "{\"a.b_sum\"} 2.0\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"CounterExemplarsUtf8",
     "# TYPE \"a.b\" counter\n"
     "# HELP \"a.b\" help\n"
     "{\"a.b_total\"} 0 123 # {\"c{}d\"=\"b\"} 0.5\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    // Upstream writes the sample names quoted ({"a_total", foo=...}); same reason as above.
    {"Escaping",
     "# TYPE a counter\n"
     "# HELP a he\\n\\\\l\\tp\n"
     "{\"a_total\", foo=\"b\\\"a\\nr\"} 1\n"
     "{\"a_total\", foo=\"b\\\\a\\z\"} 2\n"
     "{\"a_total\", foo=\"b\\\"a\\nr # \"} 3\n"
     "{\"a_total\", foo=\"b\\\\a\\z # \"} 4\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 3, 1,
     "expected a metric name, found '{'; OpenMetrics 1.0 has no quoted names"},
    // OM 1.0: sample = metricname [labels] SP number ...; number is a realnumber, inf or nan.
    // The composite {count:...,sum:...,...} native-histogram value is client_python's extension
    // (OM 2.0 draft), not OM 1.0. We reject.
    {"NativeHistogram",
     "# TYPE nativehistogram histogram\n"
     "# HELP nativehistogram Is a basic example of a native histogram\n"
     "nativehistogram {count:24,sum:100,schema:0,zero_threshold:0.001,zero_cou"
     "nt:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_deltas:["
     "2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "# EOF\n"sv,
     true, E::kValue, 3, 17,
     "expected a number as sample value, found "
     "\"{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,pos...\" (165 bytes); "
     "OpenMetrics numbers are decimal, +Inf, -Inf or NaN"},
    {"NativeHistogramThreePosSpansNoNegSpansOrDeltas",
     "# TYPE nhsp histogram\n"
     "# HELP nhsp Is a basic example of a native histogram with three spans\n"
     "nhsp {count:4,sum:6,schema:3,zero_threshold:2.938735877055719e-39,zero_c"
     "ount:1,positive_spans:[0:1,7:1,4:1],positive_deltas:[1,0,0]}\n"
     "# EOF\n"sv,
     true, E::kValue, 3, 6,
     "expected a number as sample value, found "
     "\"{count:4,sum:6,schema:3,zero_threshold:2.938735877055719e-39,zer...\" (127 bytes); "
     "OpenMetrics numbers are decimal, +Inf, -Inf or NaN"},
    {"NativeHistogramWithLabels",
     "# TYPE hist_w_labels histogram\n"
     "# HELP hist_w_labels Is a basic example of a native histogram with label"
     "s\n"
     "hist_w_labels{foo=\"bar\",baz=\"qux\"} {count:24,sum:100,schema:0,zero_thres"
     "hold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2"
     "],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "# EOF\n"sv,
     true, E::kValue, 3, 36,
     "expected a number as sample value, found "
     "\"{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,pos...\" (165 bytes); "
     "OpenMetrics numbers are decimal, +Inf, -Inf or NaN"},
    {"NativeHistogramWithClassicHistogram",
     "# TYPE hist_w_classic histogram\n"
     "# HELP hist_w_classic Is a basic example of a native histogram coexistin"
     "g with a classic histogram\n"
     "hist_w_classic{foo=\"bar\"} {count:24,sum:100,schema:0,zero_threshold:0.00"
     "1,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positiv"
     "e_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "hist_w_classic_bucket{foo=\"bar\",le=\"0.001\"} 4\n"
     "hist_w_classic_bucket{foo=\"bar\",le=\"+Inf\"} 24\n"
     "hist_w_classic_count{foo=\"bar\"} 24\n"
     "hist_w_classic_sum{foo=\"bar\"} 100\n"
     "# EOF\n"sv,
     true, E::kValue, 3, 27,
     "expected a number as sample value, found "
     "\"{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,pos...\" (165 bytes); "
     "OpenMetrics numbers are decimal, +Inf, -Inf or NaN"},
    {"NativePlusClassicHistogramTwoLabelsets",
     "# TYPE hist_w_classic_two_sets histogram\n"
     "# HELP hist_w_classic_two_sets Is an example of a native histogram plus "
     "a classic histogram with two label sets\n"
     "hist_w_classic_two_sets{foo=\"bar\"} {count:24,sum:100,schema:0,zero_thres"
     "hold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2"
     "],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "hist_w_classic_two_sets_bucket{foo=\"bar\",le=\"0.001\"} 4\n"
     "hist_w_classic_two_sets_bucket{foo=\"bar\",le=\"+Inf\"} 24\n"
     "hist_w_classic_two_sets_count{foo=\"bar\"} 24\n"
     "hist_w_classic_two_sets_sum{foo=\"bar\"} 100\n"
     "hist_w_classic_two_sets{foo=\"baz\"} {count:24,sum:100,schema:0,zero_thres"
     "hold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2"
     "],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "hist_w_classic_two_sets_bucket{foo=\"baz\",le=\"0.001\"} 4\n"
     "hist_w_classic_two_sets_bucket{foo=\"baz\",le=\"+Inf\"} 24\n"
     "hist_w_classic_two_sets_count{foo=\"baz\"} 24\n"
     "hist_w_classic_two_sets_sum{foo=\"baz\"} 100\n"
     "# EOF\n"sv,
     true, E::kValue, 3, 36,
     "expected a number as sample value, found "
     "\"{count:24,sum:100,schema:0,zero_threshold:0.001,zero_count:4,pos...\" (165 bytes); "
     "OpenMetrics numbers are decimal, +Inf, -Inf or NaN"},
    // OM 1.0 has neither quoted names (metricname = metricname-initial-char 0*metricname-char)
    // nor composite native-histogram values (number = realnumber / inf / nan). We reject at the
    // first: the quoted name in # TYPE.
    {"NativeHistogramUtf8",
     "# TYPE \"native{histogram\" histogram\n"
     "# HELP \"native{histogram\" Is a basic example of a native histogram\n"
     "{\"native{histogram\"} {count:24,sum:100,schema:0,zero_threshold:0.001,zer"
     "o_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2,1:2],positive_del"
     "tas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"NativeHistogramUtf8Stress",
     "# TYPE \"native{histogram\" histogram\n"
     "# HELP \"native{histogram\" Is a basic example of a native histogram\n"
     "{\"native{histogram\", \"xx{} # {}\"=\" EOF # {}}}\"} {count:24,sum:100,schema"
     ":0,zero_threshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_s"
     "pans:[0:2,1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
    {"NativeHistogramWithLabelsUtf8",
     "# TYPE \"hist.w.labels\" histogram\n"
     "# HELP \"hist.w.labels\" Is a basic example of a native histogram with lab"
     "els\n"
     "{\"hist.w.labels\", foo=\"bar\",baz=\"qux\"} {count:24,sum:100,schema:0,zero_t"
     "hreshold:0.001,zero_count:4,positive_spans:[0:2,1:2],negative_spans:[0:2"
     ",1:2],positive_deltas:[2,1,-3,3],negative_deltas:[2,1,-2,3]}\n"
     "# EOF\n"sv,
     true, E::kQuotedName, 1, 8,
     "expected a metric name after '# TYPE', found '\"'; OpenMetrics 1.0 has no quoted names"},
};

// Upstream's file has 73 valid texts (the label and HELP escaping loops expanded) and 172
// invalid inputs; each is in exactly one table.
TEST(ClientPythonTable, EveryUpstreamCaseIsInATable) {
  size_t accepted_upstream = std::size(kAccept);
  size_t rejected_upstream = std::size(kReject);
  for (const DisagreementRow& row : kDisagreements) {
    ++(row.upstream_accepts ? accepted_upstream : rejected_upstream);
  }
  EXPECT_EQ(accepted_upstream, 73u);
  EXPECT_EQ(rejected_upstream, 172u);
}

class ClientPythonAcceptTest : public testing::TestWithParam<AcceptRow> {};

TEST_P(ClientPythonAcceptTest, Accepts) {
  auto source = MemorySource(GetParam().input);
  OpenMetricsParser parser(*source);
  EXPECT_EQ(ParseAll(parser), Entry::kEnd)
      << parser.Error().line << ":" << parser.Error().column << ": " << parser.Error().message;
}

INSTANTIATE_TEST_SUITE_P(All, ClientPythonAcceptTest, testing::ValuesIn(kAccept),
                         [](const auto& p) { return std::string(p.param.name); });

class ClientPythonRejectTest : public testing::TestWithParam<RejectRow> {};

TEST_P(ClientPythonRejectTest, RejectsWithCodePositionAndMessage) {
  const RejectRow& row = GetParam();
  auto source = MemorySource(row.input);
  OpenMetricsParser parser(*source);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  const Error& err = parser.Error();
  EXPECT_EQ(ErrorCodeId(err.code), ErrorCodeId(row.code));
  EXPECT_EQ(err.line, row.line);
  EXPECT_EQ(err.column, row.column);
  EXPECT_EQ(err.message, row.message);
}

INSTANTIATE_TEST_SUITE_P(All, ClientPythonRejectTest, testing::ValuesIn(kReject),
                         [](const auto& p) { return std::string(p.param.name); });

class ClientPythonDisagreementTest : public testing::TestWithParam<DisagreementRow> {};

TEST_P(ClientPythonDisagreementTest, KeepsTheSpecificationsVerdict) {
  const DisagreementRow& row = GetParam();
  auto source = MemorySource(row.input);
  OpenMetricsParser parser(*source);
  const Entry e = ParseAll(parser);
  if (row.code == E::kOk) {
    EXPECT_EQ(e, Entry::kEnd) << parser.Error().message;
    return;
  }
  ASSERT_EQ(e, Entry::kError);
  const Error& err = parser.Error();
  EXPECT_EQ(ErrorCodeId(err.code), ErrorCodeId(row.code));
  EXPECT_EQ(err.line, row.line);
  EXPECT_EQ(err.column, row.column);
  EXPECT_EQ(err.message, row.message);
}

INSTANTIATE_TEST_SUITE_P(All, ClientPythonDisagreementTest, testing::ValuesIn(kDisagreements),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace promtool
