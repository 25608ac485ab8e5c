// Table-driven tests of the text 0.0.4 parser: every error code with its position and both
// messages (compat_message checked against promtool 2.42), accepted inputs, accessors, and the
// Go-compatible quoting and number helpers.
#include "promtool/text_parser.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "promtool/source.h"

namespace promtool {
namespace {

using E = ErrorCode;

struct ErrorRow {
  const char* name;
  std::string_view input;
  ErrorCode code;
  uint64_t line;
  uint64_t column;
  std::string_view message;
  std::string_view compat;
  std::string_view hint;
  NameScheme names = NameScheme::kLegacy;
};

void PrintTo(const ErrorRow& row, std::ostream* os) { *os << row.name; }

// Parses `input` to the end; returns the last entry (kEnd or kError).
Entry ParseAll(TextParser& parser) {
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd || e == Entry::kError) return e;
  }
}

// Inputs hold NULs, so every row's input is sized explicitly with sv literals.
using namespace std::string_view_literals;

// The compat column of every legacy row was compared with `promtool check metrics` output.
const ErrorRow kErrorRows[] = {
    {"EofNoFinalNewline", "a 1"sv, E::kUnexpectedEof, 1, 4,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofAfterName", "a"sv, E::kUnexpectedEof, 1, 2,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofInLabels", "a{b=\"c\""sv, E::kUnexpectedEof, 1, 8,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofInLabelValue", "a{b=\"c"sv, E::kUnexpectedEof, 1, 7,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofInComment", "# just a comment"sv, E::kUnexpectedEof, 1, 17,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofInHelp", "# HELP a help"sv, E::kUnexpectedEof, 1, 14,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofInType", "# TYPE a gauge"sv, E::kUnexpectedEof, 1, 15,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"EofAfterTimestamp", "a 1 2"sv, E::kUnexpectedEof, 1, 6,
     "unexpected end of input: the last line does not end with a newline",
     "unexpected end of input stream", ""},
    {"MetricNameDigit", "1a 1\n"sv, E::kMetricName, 1, 1,
     "expected a metric name ([a-zA-Z_:]) at the start of the line, found '1'",
     "invalid metric name", ""},
    {"MetricNameSecondLine", "a 1\n\n-b 2\n"sv, E::kMetricName, 3, 1,
     "expected a metric name ([a-zA-Z_:]) at the start of the line, found '-'",
     "invalid metric name", ""},
    {"MetricNameHtml", "<html>\n"sv, E::kMetricName, 1, 1,
     "expected a metric name ([a-zA-Z_:]) at the start of the line, found '<'",
     "invalid metric name",
     "the input looks like HTML or XML (an error or login page?), not metrics"},
    {"MetricNameBrace", "{} 1\n"sv, E::kQuotedName, 1, 1,
     "expected a metric name, found '{'; quoted UTF-8 names need --names=utf8",
     "invalid metric name", ""},
    {"CommentNameDigit", "# HELP 9foo x\n"sv, E::kCommentName, 1, 8,
     "expected a blank after the metric name in # HELP, found '9'",
     "invalid metric name in comment", ""},
    {"CommentNameDot", "# TYPE my.metric gauge\n"sv, E::kCommentName, 1, 10,
     "expected a blank after the metric name in # TYPE, found '.'",
     "invalid metric name in comment", ""},
    {"ValueDottedName", "my.metric 1\n"sv, E::kValue, 1, 3,
     "metric name \"my\" is followed by \".metric\"; legacy metric names allow only [a-zA-Z0-9_:]",
     "expected float as value, got \".metric\"",
     "write such names quoted ({\"my.metric\"} 1) and validate with --names=utf8"},
    {"ValueDashedName", "my-metric 1\n"sv, E::kValue, 1, 3,
     "metric name \"my\" is followed by \"-metric\"; legacy metric names allow only [a-zA-Z0-9_:]",
     "expected float as value, got \"-metric\"",
     "write such names quoted ({\"my.metric\"} 1) and validate with --names=utf8"},
    {"ValueCompositeIsOpenMetrics2", "h{a=\"1\"} {count:1,sum:1,bucket:[+Inf:1]}\n"sv, E::kValue, 1,
     10, "expected a float as sample value, found \"{count:1,sum:1,bucket:[+Inf:1]}\"",
     "expected float as value, got \"{count:1,sum:1,bucket:[+Inf:1]}\"",
     "this value is an OpenMetrics 2.0 CompositeValue; read the input with --format=openmetrics2"},
    {"ValueMissing", "a\n"sv, E::kValue, 1, 2,
     "expected a sample value after the metric name and labels, found the end of the line",
     "expected float as value, got \"\"", ""},
    {"ValueMissingAfterLabels", "a{b=\"c\"}\n"sv, E::kValue, 1, 9,
     "expected a sample value after the metric name and labels, found the end of the line",
     "expected float as value, got \"\"", ""},
    {"ValueComma", "a 1,5\n"sv, E::kValue, 1, 3, "expected a float as sample value, found \"1,5\"",
     "expected float as value, got \"1,5\"", ""},
    {"ValueHexNoExponent", "a 0x10\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"0x10\"", "expected float as value, got \"0x10\"",
     ""},
    {"ValueHexFloat", "a 0x1p3\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"0x1p3\"", "expected float as value, got \"0x1p3\"",
     ""},
    {"ValueUnderscore", "a 1_000\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"1_000\"", "expected float as value, got \"1_000\"",
     ""},
    {"ValueOverflow", "a 1e309\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"1e309\"", "expected float as value, got \"1e309\"",
     ""},
    {"ValueSignedNaN", "a +NaN\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"+NaN\"", "expected float as value, got \"+NaN\"",
     ""},
    {"ValueInfinit", "a infinit\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"infinit\"",
     "expected float as value, got \"infinit\"", ""},
    {"ValueDotOnly", "a .\n"sv, E::kValue, 1, 3, "expected a float as sample value, found \".\"",
     "expected float as value, got \".\"", ""},
    {"ValueExponentOnly", "a 1e\n"sv, E::kValue, 1, 3,
     "expected a float as sample value, found \"1e\"", "expected float as value, got \"1e\"", ""},
    {"TimestampFloat", "a 1 1.5\n"sv, E::kTimestamp, 1, 5,
     "expected an integer timestamp (milliseconds), found \"1.5\"",
     "expected integer as timestamp, got \"1.5\"",
     "text format 0.0.4 timestamps are integer milliseconds; OpenMetrics uses float seconds"},
    {"TimestampTrailingBlank", "a 1 \n"sv, E::kTimestamp, 1, 5,
     "unexpected blank at the end of the line after the sample value",
     "expected integer as timestamp, got \"\"",
     "remove trailing blanks; a blank after the value must be followed by a timestamp"},
    {"TimestampTrailingTab", "a 1\t\n"sv, E::kTimestamp, 1, 5,
     "unexpected blank at the end of the line after the sample value",
     "expected integer as timestamp, got \"\"",
     "remove trailing blanks; a blank after the value must be followed by a timestamp"},
    {"TimestampOverflow", "a 1 9223372036854775808\n"sv, E::kTimestamp, 1, 5,
     "expected an integer timestamp (milliseconds), found \"9223372036854775808\"",
     "expected integer as timestamp, got \"9223372036854775808\"", ""},
    {"TimestampExemplar", "a 1 # {t=\"x\"} 1\n"sv, E::kTimestamp, 1, 5,
     "found an OpenMetrics exemplar ('# {...}'), which text format 0.0.4 does not allow",
     "expected integer as timestamp, got \"#\"",
     "validate OpenMetrics payloads with --format=openmetrics"},
    {"AfterTimestamp", "a 1 2 extra\n"sv, E::kAfterTimestamp, 1, 6,
     "expected the end of the line after the timestamp, found \" extra\"",
     "spurious string after timestamp: \" extra\"", ""},
    {"AfterTimestampBlank", "a 1 2 \n"sv, E::kAfterTimestamp, 1, 6,
     "expected the end of the line after the timestamp, found \" \"",
     "spurious string after timestamp: \" \"", ""},
    {"AfterTimestampBackslash", "a 1 2 a\\b\n"sv, E::kAfterTimestamp, 1, 6,
     "expected the end of the line after the timestamp, found \" ab\"",
     "spurious string after timestamp: \" ab\"", ""},
    {"LabelNameDigit", "a{1b=\"c\"} 1\n"sv, E::kLabelName, 1, 3,
     "expected a label name ([a-zA-Z_]) or '}', found '1'", "invalid label name for metric \"a\"",
     ""},
    {"LabelNameComma", "a{,} 1\n"sv, E::kLabelName, 1, 3,
     "expected a label name ([a-zA-Z_]) or '}', found ','", "invalid label name for metric \"a\"",
     ""},
    {"LabelNameTwoCommas", "a{b=\"c\",,} 1\n"sv, E::kLabelName, 1, 9,
     "expected a label name ([a-zA-Z_]) or '}', found ','", "invalid label name for metric \"a\"",
     ""},
    {"LabelNameUtf8",
     "a{\xc3"
     "\xa9"
     "=\"c\"} 1\n"sv,
     E::kLabelName, 1, 3,
     "expected a label name ([a-zA-Z_]) or '}', found '\xc3"
     "\x83"
     "'",
     "invalid label name for metric \"a\"", ""},
    {"LabelReserved", "a{__name__=\"a\"} 1\n"sv, E::kLabelReserved, 1, 3,
     "label name \"__name__\" is reserved; the metric name goes before '{'",
     "label name \"__name__\" is reserved", ""},
    {"LabelEqualsColon", "a{b:\"c\"} 1\n"sv, E::kLabelEquals, 1, 4,
     "expected '=' after label name \"b\", found ':'", "expected '=' after label name, found ':'",
     ""},
    {"LabelEqualsMissing", "a{b} 1\n"sv, E::kLabelEquals, 1, 4,
     "expected '=' after label name \"b\", found '}'", "expected '=' after label name, found '}'",
     ""},
    {"LabelEqualsHighByte",
     "a{b\xff"
     "=\"c\"} 1\n"sv,
     E::kLabelEquals, 1, 4,
     "expected '=' after label name \"b\", found '\xc3"
     "\xbf"
     "'",
     "expected '=' after label name, found '\xc3"
     "\xbf"
     "'",
     ""},
    {"LabelDuplicate", "a{b=\"1\",b=\"2\"} 1\n"sv, E::kLabelDuplicate, 1, 9,
     "duplicate label name \"b\" for metric \"a\"", "duplicate label names for metric \"a\"", ""},
    {"LabelDuplicateHistogramLe", "# TYPE a histogram\na_bucket{le=\"1\",b=\"1\",b=\"2\"} 1\n"sv,
     E::kLabelDuplicate, 2, 23, "duplicate label name \"b\" for metric \"a\"",
     "duplicate label names for metric \"a\"", ""},
    // After a sample whose names the parser remembers: a repeated name, one past them, a
    // longer one, the reserved name; and le repeated, which a histogram allows but a gauge
    // after it does not.
    {"LabelDuplicateAfterKnownNames", "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",b=\"2\"} 1\n"sv,
     E::kLabelDuplicate, 2, 9, "duplicate label name \"b\" for metric \"a\"",
     "duplicate label names for metric \"a\"", ""},
    {"LabelDuplicatePastKnownNames", "a{b=\"1\",c=\"2\"} 1\na{b=\"1\",c=\"2\",b=\"3\"} 1\n"sv,
     E::kLabelDuplicate, 2, 15, "duplicate label name \"b\" for metric \"a\"",
     "duplicate label names for metric \"a\"", ""},
    {"LabelDuplicateLongerThanKnownName", "a{b=\"1\"} 1\na{bb=\"1\",bb=\"2\"} 1\n"sv,
     E::kLabelDuplicate, 2, 10, "duplicate label name \"bb\" for metric \"a\"",
     "duplicate label names for metric \"a\"", ""},
    {"LabelReservedAfterKnownNames", "a{b=\"1\"} 1\na{b=\"1\",__name__=\"a\"} 1\n"sv,
     E::kLabelReserved, 2, 9,
     "label name \"__name__\" is reserved; the metric name goes before '{'",
     "label name \"__name__\" is reserved", ""},
    {"LabelDuplicateLeInGaugeAfterHistogram",
     "# TYPE h histogram\nh_bucket{le=\"1\",le=\"2\"} 1\n# TYPE g gauge\ng{le=\"1\",le=\"2\"} 1\n"sv,
     E::kLabelDuplicate, 4, 10, "duplicate label name \"le\" for metric \"g\"",
     "duplicate label names for metric \"g\"", ""},
    {"LabelDuplicateLeAfterKnownNamesWithLe",
     "# TYPE h histogram\nh_bucket{le=\"2\",x=\"1\"} 1\n# TYPE g "
     "gauge\ng{le=\"1\",x=\"1\",le=\"2\"} "
     "1\n"sv,
     E::kLabelDuplicate, 4, 16, "duplicate label name \"le\" for metric \"g\"",
     "duplicate label names for metric \"g\"", ""},
    {"LabelQuoteDigit", "a{b=1} 1\n"sv, E::kLabelQuote, 1, 5,
     "expected '\"' at start of the value of label \"b\", found '1'",
     "expected '\"' at start of label value, found '1'", ""},
    {"LabelQuoteSingle", "a{b='c'} 1\n"sv, E::kLabelQuote, 1, 5,
     "expected '\"' at start of the value of label \"b\", found '\\''",
     "expected '\"' at start of label value, found '\\''", ""},
    {"LabelQuoteNewline", "a{b=\n"sv, E::kLabelQuote, 1, 5,
     "expected '\"' at start of the value of label \"b\", found '\\n'",
     "expected '\"' at start of label value, found '\\n'", ""},
    {"LabelUtf8Invalid",
     "a{b=\"\xff"
     "\"} 1\n"sv,
     E::kLabelUtf8, 1, 6, "label value is not valid UTF-8: \"\\xff\"",
     "invalid label value \"\\xff\"", ""},
    {"LabelUtf8Surrogate",
     "a{b=\"\xed"
     "\xa0"
     "\x80"
     "\"} 1\n"sv,
     E::kLabelUtf8, 1, 6, "label value is not valid UTF-8: \"\\xed\\xa0\\x80\"",
     "invalid label value \"\\xed\\xa0\\x80\"", ""},
    {"LabelEndUnassignedRune", "a{b=\"\xcd\xb8\" c} 1\n"sv, E::kLabelEnd, 1, 10,
     "expected ',' or '}' after the value of label \"b\", found 'c'",
     "unexpected end of label value \"\\u0378\"", ""},
    {"LabelUtf8Overlong",
     "a{b=\"\xc0"
     "\x80"
     "\"} 1\n"sv,
     E::kLabelUtf8, 1, 6, "label value is not valid UTF-8: \"\\xc0\\x80\"",
     "invalid label value \"\\xc0\\x80\"", ""},
    {"LabelEndBlank", "a{b=\"c\" d=\"e\"} 1\n"sv, E::kLabelEnd, 1, 9,
     "expected ',' or '}' after the value of label \"b\", found 'd'",
     "unexpected end of label value \"c\"", ""},
    {"LabelEndStrayQuote", "a{b=\"c\"\"} 1\n"sv, E::kLabelEnd, 1, 8,
     "expected ',' or '}' after the value of label \"b\", found '\"'",
     "unexpected end of label value \"c\"", ""},
    {"LabelEndMissingBrace", "a{b=\"c\" 1\n"sv, E::kLabelEnd, 1, 9,
     "expected ',' or '}' after the value of label \"b\", found '1'",
     "unexpected end of label value \"c\"", ""},
    {"LabelNewline", "a{b=\"c\nd\"} 1\n"sv, E::kLabelNewline, 1, 7,
     "label value \"c\" is not closed before the end of the line (a raw newline must be written as "
     "\\n)",
     "label value \"c\" contains unescaped new-line", ""},
    {"LabelNewlineEscaped", "a{b=\"x\\\\\nd\"} 1\n"sv, E::kLabelNewline, 1, 9,
     "label value \"x\\\\\" is not closed before the end of the line (a raw newline must be "
     "written as \\n)",
     "label value \"x\\\\\" contains unescaped new-line", ""},
    {"EscapeLabelT", "a{b=\"\\t\"} 1\n"sv, E::kEscape, 1, 6,
     "invalid escape sequence '\\t' in label value; only \\\\, \\\" and \\n are allowed",
     "invalid escape sequence '\\t'", ""},
    {"EscapeLabelBackslashNewline", "a{b=\"\\\n\"} 1\n"sv, E::kEscape, 1, 6,
     "invalid escape sequence: a backslash followed by '\\n' in label value; only \\\\, \\\" and "
     "\\n are allowed",
     "invalid escape sequence '\\\n'", ""},
    {"EscapeHelpQuote", "# HELP a say \\\"hi\\\"\n"sv, E::kEscape, 1, 14,
     "invalid escape sequence '\\\"' in HELP text; only \\\\ and \\n are allowed",
     "invalid escape sequence '\\\"'", ""},
    {"EscapeHelpTrailingBackslash", "# HELP a x\\\n"sv, E::kEscape, 1, 11,
     "invalid escape sequence: a backslash followed by '\\n' in HELP text; only \\\\ and \\n are "
     "allowed",
     "invalid escape sequence '\\\n'", ""},
    {"HelpDuplicate", "# HELP a one\n# HELP a two\n"sv, E::kHelpDuplicate, 2, 8,
     "second HELP line for metric \"a\"", "second HELP line for metric name \"a\"", ""},
    {"HelpDuplicateSummarySum", "# TYPE a summary\n# HELP a s\n# HELP a_sum s\n"sv,
     E::kHelpDuplicate, 3, 8, "second HELP line for metric \"a\"",
     "second HELP line for metric name \"a\"", ""},
    {"TypeDuplicate", "# TYPE a gauge\n# TYPE a gauge\n"sv, E::kTypeDuplicate, 2, 8,
     "second TYPE line for metric \"a\"",
     "second TYPE line for metric name \"a\", or TYPE reported after samples", ""},
    {"TypeAfterSamples", "a 1\n# TYPE a gauge\n"sv, E::kTypeDuplicate, 2, 8,
     "TYPE line for metric \"a\" comes after its samples; TYPE must come first",
     "second TYPE line for metric name \"a\", or TYPE reported after samples", ""},
    {"TypeHistogramCount", "# TYPE a histogram\n# TYPE a_count counter\n"sv, E::kTypeDuplicate, 2,
     8, "second TYPE line for metric \"a\"",
     "second TYPE line for metric name \"a\", or TYPE reported after samples", ""},
    {"TypeUnknownInfo", "# TYPE a info\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"info\"; expected counter, gauge, histogram, summary or untyped",
     "unknown metric type \"info\"", ""},
    {"TypeUnknownStateset", "# TYPE a stateset\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"stateset\"; expected counter, gauge, histogram, summary or untyped",
     "unknown metric type \"stateset\"", ""},
    {"TypeUnknownUnknown", "# TYPE a unknown\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"unknown\"; expected counter, gauge, histogram, summary or untyped",
     "unknown metric type \"unknown\"", ""},
    {"TypeTrailingBlank", "# TYPE a gauge \n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"gauge \"; expected counter, gauge, histogram, summary or untyped",
     "unknown metric type \"gauge \"", ""},
    {"TypeExtraWord", "# TYPE a counter extra\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"counter extra\"; expected counter, gauge, histogram, summary or "
     "untyped",
     "unknown metric type \"counter extra\"", ""},
    {"TypeBackslashN", "# TYPE a gauge\\n\n"sv, E::kTypeUnknown, 1, 10,
     "unknown metric type \"gaugen\"; expected counter, gauge, histogram, summary or untyped",
     "unknown metric type \"gaugen\"", ""},
    {"QuantileValue", "# TYPE a summary\na{quantile=\"p50\"} 1\n"sv, E::kQuantileValue, 2, 13,
     "expected a float as the value of the 'quantile' label, found \"p50\"",
     "expected float as value for 'quantile' label, got \"p50\"", ""},
    {"QuantileValueEscaped", "# TYPE a summary\na_sum{quantile=\"\\n\"} 1\n"sv, E::kQuantileValue,
     2, 17, "expected a float as the value of the 'quantile' label, found \"\\n\"",
     "expected float as value for 'quantile' label, got \"\\n\"", ""},
    {"BucketValue", "# TYPE a histogram\na_bucket{le=\"x\"} 1\n"sv, E::kBucketValue, 2, 14,
     "expected a float as the value of the 'le' label, found \"x\"",
     "expected float as value for 'le' label, got \"x\"", ""},
    {"BucketValueUnderscore", "# TYPE a histogram\na_bucket{le=\"1_0\"} 1\n"sv, E::kBucketValue, 2,
     14, "expected a float as the value of the 'le' label, found \"1_0\"",
     "expected float as value for 'le' label, got \"1_0\"", ""},
    {"QuotedNameLegacy", "{\"my.metric\"} 1\n"sv, E::kQuotedName, 1, 1,
     "expected a metric name, found '{'; quoted UTF-8 names need --names=utf8",
     "invalid metric name", ""},
    {"QuotedLabelNameLegacy", "a{\"label.x\"=\"v\"} 1\n"sv, E::kQuotedName, 1, 3,
     "expected a label name, found '\"'; quoted UTF-8 label names need --names=utf8",
     "invalid label name for metric \"a\"", ""},
    {"QuotedCommentNameLegacy", "# TYPE \"my.metric\" counter\n"sv, E::kQuotedName, 1, 8,
     "expected a metric name, found '\"'; quoted UTF-8 names need --names=utf8",
     "invalid metric name in comment", ""},
    {"ByteOrderMark",
     "\xef"
     "\xbb"
     "\xbf"
     "a 1\n"sv,
     E::kByteOrderMark, 1, 1, "input starts with a UTF-8 byte-order mark (EF BB BF)",
     "invalid metric name",
     "the text format is UTF-8 without a byte-order mark; remove the first 3 bytes"},
    {"CrlfValue", "a 1\r\n"sv, E::kCrlf, 1, 3,
     "line ends with CR LF (Windows line ending); expected a float as sample value, found \"1\\r\"",
     "expected float as value, got \"1\\r\"",
     "the text format ends lines with LF only; convert with dos2unix or tr -d '\\r'"},
    {"CrlfType", "# HELP a h\r\n# TYPE a gauge\r\n"sv, E::kCrlf, 2, 10,
     "line ends with CR LF (Windows line ending); unknown metric type \"gauge\\r\"; expected "
     "counter, gauge, histogram, summary or untyped",
     "unknown metric type \"gauge\\r\"",
     "the text format ends lines with LF only; convert with dos2unix or tr -d '\\r'"},
    {"CrlfTimestamp", "a 1 2\r\n"sv, E::kCrlf, 1, 5,
     "line ends with CR LF (Windows line ending); expected an integer timestamp (milliseconds), "
     "found \"2\\r\"",
     "expected integer as timestamp, got \"2\\r\"",
     "the text format ends lines with LF only; convert with dos2unix or tr -d '\\r'"},
    {"Utf16Bom",
     "\xff"
     "\xfe"
     "a\x00"
     " \x00"
     "1\x00"
     "\n\x00"sv,
     E::kUtf16, 1, 1, "input looks like UTF-16, not UTF-8", "invalid metric name",
     "convert it, e.g. iconv -f UTF-16 -t UTF-8"},
    {"Utf16NoBom",
     "#\x00"
     " \x00"
     "x\x00"
     "\n\x00"
     "a\x00"
     " \x00"
     "1\x00"
     "\n\x00"sv,
     E::kUtf16, 2, 1, "input looks like UTF-16, not UTF-8", "invalid metric name",
     "convert it, e.g. iconv -f UTF-16 -t UTF-8"},
    {"Gzip",
     "\x1f"
     "\x8b"
     "\x08"
     "\x00"
     "\x00"
     "\x00"
     "\x00"
     "\x00"
     "\n"sv,
     E::kGzip, 1, 1, "input is gzip-compressed (starts with bytes 1F 8B)", "invalid metric name",
     "decompress it first (gunzip, or curl --compressed)"},
    // Quoted names with --names=utf8.
    {"Utf8EmptyQuotedName", "{\"\"} 1\n"sv, E::kQuotedName, 1, 2,
     "expected a non-empty quoted name, found \"\"", "invalid metric name", "", NameScheme::kUtf8},
    {"Utf8NoQuoteAfterBrace", "{1} 1\n"sv, E::kQuotedName, 1, 2,
     "expected a quoted metric name after '{', found '1'", "invalid metric name", "",
     NameScheme::kUtf8},
    {"Utf8NoCommaAfterName", "{\"a\" b=\"c\"} 1\n"sv, E::kLabelEnd, 1, 6,
     "expected ',' or '}' after the quoted metric name, found 'b'", "invalid metric name", "",
     NameScheme::kUtf8},
    {"Utf8QuotedNameUnclosed", "{\"a\n"sv, E::kLabelNewline, 1, 4,
     "quoted name \"a\" is not closed before the end of the line (a raw newline must be written "
     "as \\n)",
     "label value \"a\" contains unescaped new-line", "", NameScheme::kUtf8},
    {"Utf8QuotedNameBadEscape", "{\"a\\t\"} 1\n"sv, E::kEscape, 1, 4,
     "invalid escape sequence '\\t' in quoted name; only \\\\, \\\" and \\n are allowed",
     "invalid escape sequence '\\t'", "", NameScheme::kUtf8},
    {"Utf8DuplicateQuotedLabel", "{\"m\",\"l.x\"=\"1\",\"l.x\"=\"2\"} 1\n"sv, E::kLabelDuplicate, 1,
     16, "duplicate label name \"l.x\" for metric \"m\"", "duplicate label names for metric \"m\"",
     "", NameScheme::kUtf8},
};

class ErrorTest : public testing::TestWithParam<ErrorRow> {};

TEST_P(ErrorTest, ReportsCodePositionAndMessages) {
  const ErrorRow& row = GetParam();
  auto source = MemorySource(row.input);
  TextOptions options;
  options.names = row.names;
  options.profile = PromtoolProfile::k2;  // the rows were checked against promtool 2.42
  TextParser parser(*source, options);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  const Error& err = parser.Error();
  EXPECT_EQ(ErrorCodeId(err.code), ErrorCodeId(row.code));
  EXPECT_EQ(err.line, row.line);
  EXPECT_EQ(err.column, row.column);
  EXPECT_EQ(err.message, row.message);
  EXPECT_EQ(err.compat_message, row.compat);
  EXPECT_EQ(err.hint, row.hint);
  // Sticky.
  EXPECT_EQ(parser.Next(), Entry::kError);
}

INSTANTIATE_TEST_SUITE_P(Text, ErrorTest, testing::ValuesIn(kErrorRows),
                         [](const testing::TestParamInfo<ErrorRow>& row) {
                           return std::string(row.param.name);
                         });

// Limits are opt-in; each one is reported with code kLimit.
TEST(TextParserLimits, ReportsEachLimit) {
  struct Row {
    TextOptions options;
    std::string_view input;
    uint64_t column;
    std::string_view message;
  };
  TextOptions labels, name, value;
  labels.max_labels_per_sample = 1;
  name.max_label_name_bytes = 2;
  value.max_label_value_bytes = 2;
  const Row rows[] = {
      {labels, "a{b=\"1\",c=\"2\"} 1\n", 9, "sample has more than 1 labels"},
      {name, "a{bcd=\"1\"} 1\n", 3, "label name is 3 bytes long, over the limit of 2"},
      {value, "a{b=\"123\"} 1\n", 6, "value of label \"b\" is 3 bytes long, over the limit of 2"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.input);
    auto source = MemorySource(row.input);
    TextParser parser(*source, row.options);
    ASSERT_EQ(ParseAll(parser), Entry::kError);
    EXPECT_EQ(parser.Error().code, ErrorCode::kLimit);
    EXPECT_EQ(parser.Error().line, 1u);
    EXPECT_EQ(parser.Error().column, row.column);
    EXPECT_EQ(parser.Error().message, row.message);
  }
}

struct AcceptRow {
  const char* name;
  std::string_view input;
  uint64_t samples;  // sample entries returned
  NameScheme names = NameScheme::kLegacy;
};

// Inputs promtool 2.42 accepts (exit 0 or 3), each showing one rule of the grammar.
const AcceptRow kAcceptRows[] = {
    {"Empty", ""sv, 0},
    {"OnlyBlankLines", "\n\n  \n\t\n"sv, 0},
    {"OnlyBlanksNoNewline", "   "sv, 0},
    {"LeadingBlanks", "  \ta 1\n"sv, 1},
    {"HelpWithoutBlank", "#HELP x y\nx 1\n"sv, 1},
    {"TabAfterHash", "#\tTYPE x gauge\nx 1\n"sv, 1},
    {"TypeUpperCase", "# TYPE x COUNTER\nx 1\n"sv, 1},
    {"TypeMixedCase", "# TYPE x HiStOgRaM\nx_count 1\n"sv, 1},
    {"TypeDotlessI", "# TYPE x h\xc4\xb1stogram\nx_count 1\n"sv, 1},
    {"TypeLongS", "# TYPE x \xc5\xbfummary\nx_sum 1\n"sv, 1},
    {"TypeBackslashesDropped", "# TYPE x gau\\ge\\\nx 1\n"sv, 1},
    {"TypeUntyped", "# TYPE x untyped\nx 1\n"sv, 1},
    {"TypeGaugeHistogram", "# TYPE x gauge_histogram\nx_bucket{le=\"1\"} 1\nx 2\n"sv, 2},
    {"EmptyLabelSet", "x{} 1\n"sv, 1},
    {"TrailingComma", "x{a=\"1\",} 1\n"sv, 1},
    {"BlanksAroundLabels", "x{ a = \"1\" , } 1\n"sv, 1},
    {"NoBlankBeforeValue", "x{a=\"1\"}1\n"sv, 1},
    {"BlanksBeforeBrace", "x {a=\"1\"} 1\n"sv, 1},
    {"TabsBetweenTokens", "x\t1\t2\n"sv, 1},
    {"ValueNaN", "x NaN\n"sv, 1},
    {"ValueNanLower", "x nan\n"sv, 1},
    {"ValuePlusInf", "x +Inf\n"sv, 1},
    {"ValueMinusInf", "x -Inf\n"sv, 1},
    {"ValueInfinity", "x infinity\n"sv, 1},
    {"ValueLeadingDot", "x .5\n"sv, 1},
    {"ValueTrailingDot", "x 5.\n"sv, 1},
    {"ValueNegativeZero", "x -0\n"sv, 1},
    {"ValueExponent", "x 1e-3\n"sv, 1},
    {"ValuePlusSign", "x +1\n"sv, 1},
    {"ValueUnderflow", "x 1e-400\n"sv, 1},
    {"NegativeTimestamp", "x 1 -1700000000000\n"sv, 1},
    {"MinTimestamp", "x 1 -9223372036854775808\n"sv, 1},
    {"PlusTimestamp", "x 1 +5\n"sv, 1},
    {"CrlfHelpLine", "# HELP x a help\r\nx 1\n"sv, 1},
    {"UnitAndEofAreComments", "# UNIT x seconds\nx 1\n# EOF\n"sv, 1},
    {"LowercaseHelpIsComment", "# help x y\n# type x nonsense\nx 1\n"sv, 1},
    {"HelpWithoutText", "# HELP x\n# HELP x \n# HELP x real\nx 1\n"sv, 1},
    {"TypeWithoutType", "# TYPE x\n# TYPE x gauge\nx 1\n"sv, 1},
    {"HelpAfterSamples", "x 1\n# HELP x late\n"sv, 1},
    {"HelpEscapes", "# HELP x a\\\\b\\nc \"quoted\"\nx 1\n"sv, 1},
    {"LabelEscapes", "x{a=\"\\\\ \\\" \\n\"} 1\n"sv, 1},
    {"LabelUtf8", "x{a=\"h\xc3\xa9llo \xf0\x9f\x98\x80\"} 1\n"sv, 1},
    {"BucketWithoutLe", "# TYPE x histogram\nx_bucket 1\nx_count 1\n"sv, 2},
    {"QuantileNaN", "# TYPE x summary\nx{quantile=\"NaN\"} 1\n"sv, 1},
    {"HistogramDuplicateLe", "# TYPE x histogram\nx_bucket{le=\"1\",le=\"2\"} 1\n"sv, 1},
    // le repeated after a line whose names (with one le) the parser remembers.
    {"HistogramDuplicateLeAfterKnownNames",
     "# TYPE x histogram\nx_bucket{le=\"1\",a=\"b\"} 1\nx_bucket{le=\"2\",a=\"b\",le=\"3\"} 1\n"sv,
     2},
    {"SummarySumTypeSeparately", "# TYPE x gauge\n# TYPE x_sum counter\nx_sum 1\n"sv, 1},
    {"ColonsInNames", "a:b:c 1\n# TYPE :x gauge\n:x 1\n"sv, 2},
    {"QuotedNameUtf8", "{\"my.metric\",\"label.x\"=\"v\"} 1\n"sv, 1, NameScheme::kUtf8},
    {"QuotedNameOnly", "{\"my.metric\"} 1\n"sv, 1, NameScheme::kUtf8},
    {"QuotedNameTrailingComma", "{\"my.metric\",} 1\n"sv, 1, NameScheme::kUtf8},
    {"QuotedTypeAndHelp", "# TYPE \"my.metric\" counter\n# HELP \"my.metric\" h\n"sv, 0,
     NameScheme::kUtf8},
    {"LegacyNamesInUtf8Mode", "x{a=\"1\"} 1\n"sv, 1, NameScheme::kUtf8},
};

void PrintTo(const AcceptRow& row, std::ostream* os) { *os << row.name; }

class AcceptTest : public testing::TestWithParam<AcceptRow> {};

TEST_P(AcceptTest, Parses) {
  const AcceptRow& row = GetParam();
  auto source = MemorySource(row.input);
  TextOptions options;
  options.names = row.names;
  TextParser parser(*source, options);
  uint64_t samples = 0;
  for (Entry e; (e = parser.Next()) != Entry::kEnd;) {
    ASSERT_NE(e, Entry::kError) << parser.Error().line << ":" << parser.Error().column << " "
                                << parser.Error().message;
    if (e == Entry::kSample) ++samples;
  }
  EXPECT_EQ(samples, row.samples);
  EXPECT_EQ(parser.Next(), Entry::kEnd);  // sticky
}

INSTANTIATE_TEST_SUITE_P(Text, AcceptTest, testing::ValuesIn(kAcceptRows),
                         [](const testing::TestParamInfo<AcceptRow>& row) {
                           return std::string(row.param.name);
                         });

// One sample entry as seen through the accessors.
struct SampleView {
  std::string name;
  std::string family;
  std::vector<std::pair<std::string, std::string>> labels;
  SampleRole role;
  double bound;
  double value;
  bool has_timestamp;
  int64_t timestamp;
};

std::vector<SampleView> Samples(std::string_view input, NameScheme names = NameScheme::kLegacy) {
  auto source = MemorySource(input);
  TextOptions options;
  options.names = names;
  TextParser parser(*source, options);
  std::vector<SampleView> out;
  for (Entry e; (e = parser.Next()) != Entry::kEnd;) {
    EXPECT_NE(e, Entry::kError) << parser.Error().message;
    if (e != Entry::kSample) continue;
    SampleView s{std::string(parser.MetricName()),
                 parser.Family().name,
                 {},
                 parser.Role(),
                 parser.Bound(),
                 parser.Value(),
                 parser.HasTimestamp(),
                 parser.TimestampMs()};
    for (const Label& l : parser.Labels()) s.labels.emplace_back(l.name, l.value);
    out.push_back(std::move(s));
  }
  return out;
}

TEST(TextParserAccessors, SummaryPartsBelongToTheBaseFamily) {
  auto s = Samples(
      "# TYPE foo summary\n"
      "foo{quantile=\"0.5\",a=\"x\"} 1.5\n"
      "foo_sum{a=\"x\"} 10 1700000000000\n"
      "foo_count{a=\"x\"} 3\n"
      "foo{a=\"x\"} 7\n"
      "foo{quantile=\"NaN\"} 2\n");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].name, "foo");
  EXPECT_EQ(s[0].family, "foo");
  EXPECT_EQ(s[0].role, SampleRole::kQuantile);
  EXPECT_EQ(s[0].bound, 0.5);
  EXPECT_EQ(s[0].value, 1.5);
  ASSERT_EQ(s[0].labels.size(), 2u);  // quantile stays in Labels()
  EXPECT_EQ(s[0].labels[0].first, "quantile");
  EXPECT_EQ(s[1].name, "foo_sum");
  EXPECT_EQ(s[1].family, "foo");
  EXPECT_EQ(s[1].role, SampleRole::kSum);
  EXPECT_TRUE(s[1].has_timestamp);
  EXPECT_EQ(s[1].timestamp, 1700000000000);
  EXPECT_EQ(s[2].family, "foo");
  EXPECT_EQ(s[2].role, SampleRole::kCount);
  EXPECT_FALSE(s[2].has_timestamp);
  EXPECT_EQ(s[3].role, SampleRole::kIgnored);
  EXPECT_EQ(s[4].role, SampleRole::kIgnored);
}

TEST(TextParserAccessors, HistogramPartsBelongToTheBaseFamily) {
  auto s = Samples(
      "# TYPE h histogram\n"
      "h_bucket{le=\"0.1\"} 1\n"
      "h_bucket{le=\"+Inf\"} 2\n"
      "h_bucket 3\n"
      "h_sum 4\n"
      "h_count 2\n");
  ASSERT_EQ(s.size(), 5u);
  for (const auto& v : s) EXPECT_EQ(v.family, "h");
  EXPECT_EQ(s[0].role, SampleRole::kBucket);
  EXPECT_EQ(s[0].bound, 0.1);
  EXPECT_EQ(s[1].bound, std::numeric_limits<double>::infinity());
  EXPECT_EQ(s[2].role, SampleRole::kIgnored);
  EXPECT_EQ(s[3].role, SampleRole::kSum);
  EXPECT_EQ(s[4].role, SampleRole::kCount);
}

TEST(TextParserAccessors, SuffixesOfOtherTypesAreTheirOwnFamilies) {
  auto s = Samples(
      "# TYPE g gauge\n"
      "g_sum 1\n"
      "# TYPE s summary\n"
      "s_bucket 1\n"
      "untyped_count 1\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].family, "g_sum");
  EXPECT_EQ(s[0].role, SampleRole::kValue);
  EXPECT_EQ(s[1].family, "s_bucket");
  EXPECT_EQ(s[2].family, "untyped_count");
}

TEST(TextParserAccessors, LabelsAreRawEscapedViews) {
  auto s = Samples("x{a=\"q\\\"x\\\\y\\nz\",b=\"\"} -Inf -5\n");
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].labels.size(), 2u);
  EXPECT_EQ(s[0].labels[0].second, "q\\\"x\\\\y\\nz");
  EXPECT_EQ(s[0].labels[1].second, "");
  std::string scratch;
  EXPECT_EQ(Unescape(s[0].labels[0].second, &scratch), "q\"x\\y\nz");
  EXPECT_EQ(s[0].value, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(s[0].timestamp, -5);
  EXPECT_EQ(s[0].role, SampleRole::kValue);
}

TEST(TextParserAccessors, HelpTypeAndComments) {
  auto source = MemorySource(
      "# a comment\n"
      "# HELP foo Some \\\\ help\\n.\n"
      "# TYPE foo counter\n"
      "foo 1\n"
      "# HELP foo_count not the family\n");
  TextParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kComment);
  EXPECT_EQ(parser.Comment(), " a comment");
  ASSERT_EQ(parser.Next(), Entry::kHelp);
  EXPECT_EQ(parser.MetricName(), "foo");
  EXPECT_EQ(parser.HelpRaw(), "Some \\\\ help\\n.");
  EXPECT_EQ(parser.Family().help, "Some \\ help\n.");
  EXPECT_TRUE(parser.Family().has_help);
  ASSERT_EQ(parser.Next(), Entry::kType);
  EXPECT_EQ(parser.Type(), MetricType::kCounter);
  EXPECT_TRUE(parser.Family().declared_type);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.Family().samples, 1u);
  ASSERT_EQ(parser.Next(), Entry::kHelp);
  EXPECT_EQ(parser.Family().name, "foo_count");
  EXPECT_EQ(parser.Next(), Entry::kEnd);
  ASSERT_EQ(parser.families().size(), 2u);
  EXPECT_EQ(parser.families()[0]->name, "foo");
  EXPECT_EQ(parser.families()[1]->id, 1u);
}

TEST(TextParserAccessors, SampleFixesTheTypeToUntyped) {
  auto source = MemorySource("x 1\n");
  TextParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_TRUE(parser.Family().has_type);
  EXPECT_FALSE(parser.Family().declared_type);
  EXPECT_EQ(parser.Family().type, MetricType::kUntyped);
}

TEST(TextParserAccessors, EntryAndLineOffsets) {
  auto source = MemorySource("a 1\n\n  b 2\n");
  TextParser parser(*source);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.EntryOffset(), 0u);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.LineOffset(), 5u);
  EXPECT_EQ(parser.EntryOffset(), 7u);
}

TEST(TextParserUtf8Names, QuotedNamesAndLabels) {
  auto source = MemorySource(
      "# TYPE \"my.metric\" counter\n"
      "{\"my.metric\",\"label.x\"=\"v\",plain=\"w\"} 1\n");
  TextOptions options;
  options.names = NameScheme::kUtf8;
  TextParser parser(*source, options);
  ASSERT_EQ(parser.Next(), Entry::kType);
  EXPECT_EQ(parser.MetricName(), "my.metric");
  EXPECT_EQ(parser.Type(), MetricType::kCounter);
  ASSERT_EQ(parser.Next(), Entry::kSample);
  EXPECT_EQ(parser.MetricName(), "my.metric");
  EXPECT_EQ(parser.Family().name, "my.metric");
  EXPECT_EQ(parser.Family().type, MetricType::kCounter);
  ASSERT_EQ(parser.Labels().size(), 2u);
  EXPECT_EQ(parser.Labels()[0].name, "label.x");
  EXPECT_TRUE(parser.Labels()[0].name_quoted);
  EXPECT_EQ(parser.Labels()[0].value, "v");
  EXPECT_EQ(parser.Labels()[1].name, "plain");
  EXPECT_FALSE(parser.Labels()[1].name_quoted);
  EXPECT_EQ(parser.Next(), Entry::kEnd);
}

TEST(TextParserStreaming, SameVerdictWithATinyWindow) {
  // A source that hands out the input a few bytes at a time through a pipe.
  const std::string input = "# HELP a x\n# TYPE a gauge\na{b=\"c\"} 1\na{b=\"d\" 2\n";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(fds[1]);
  StreamOptions so;
  so.chunk_bytes = 3;
  auto source = FdSource(fds[0], "<pipe>", so);
  TextParser parser(*source);
  ASSERT_EQ(ParseAll(parser), Entry::kError);
  EXPECT_EQ(parser.Error().code, ErrorCode::kLabelEnd);
  EXPECT_EQ(parser.Error().line, 4u);
  EXPECT_EQ(parser.Error().column, 9u);
  close(fds[0]);
}

// ---- Go-compatible helpers ----

TEST(GoQuote, MatchesStrconvQuote) {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"", "\"\""},
      {"abc", "\"abc\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {"\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\""},
      {"\x01\x1f\x7f"sv, "\"\\x01\\x1f\\x7f\""},
      {"\0"sv, "\"\\x00\""},
      {"\xff", "\"\\xff\""},
      {"\xc3\xa9", "\"\xc3\xa9\""},                  // é is printable
      {"\xc2\x80", "\"\\u0080\""},                   // C1 control
      {"\xc2\xa0", "\"\\u00a0\""},                   // no-break space
      {"\xc2\xad", "\"\\u00ad\""},                   // soft hyphen
      {"\xe2\x80\xa8", "\"\\u2028\""},               // line separator
      {"\xef\xbb\xbf", "\"\\ufeff\""},               // BOM
      {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},  // emoji
      {"\xed\xa0\x80", "\"\\xed\\xa0\\x80\""},       // surrogate: bytes
      {"\xc0\x80", "\"\\xc0\\x80\""},                // overlong: bytes
      {"'", "\"'\""},
      // Found by the differential test: unassigned code points are not printable, and the
      // printable set is Go 1.19's (Unicode 13.0.0), so U+1FAE0 (Unicode 14) is escaped.
      {"\xcd\xb8", "\"\\u0378\""},
      {"\xf0\x9f\xab\xa0", "\"\\U0001fae0\""},
      {"\xef\xbf\xbd", "\"\xef\xbf\xbd\""},  // U+FFFD is printable
      {"\xee\x80\x80", "\"\\ue000\""},       // private use
  };
  for (const auto& [in, want] : rows) EXPECT_EQ(GoQuote(in), want) << GoQuote(in);
}

TEST(GoQuoteByte, MatchesPercentQOfAByte) {
  const std::pair<unsigned char, std::string_view> rows[] = {
      {'a', "'a'"},         {'\'', "'\\''"},      {'"', "'\"'"},       {'\\', "'\\\\'"},
      {'\n', "'\\n'"},      {'\r', "'\\r'"},      {'\t', "'\\t'"},     {0, "'\\x00'"},
      {0x7f, "'\\x7f'"},    {0x80, "'\\u0080'"},  {0xa0, "'\\u00a0'"}, {0xad, "'\\u00ad'"},
      {0xff, "'\xc3\xbf'"}, {0xe9, "'\xc3\xa9'"}, {'}', "'}'"},
  };
  for (const auto& [in, want] : rows) EXPECT_EQ(GoQuoteByte(in), want) << int{in};
}

TEST(ParseGoFloat, AcceptsWhatStrconvAccepts) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::pair<std::string_view, double> rows[] = {
      {"0", 0},
      {"1", 1},
      {"-1", -1},
      {"+1", 1},
      {".5", 0.5},
      {"5.", 5},
      {"-0", -0.0},
      {"1e-3", 1e-3},
      {"1E3", 1000},
      {"1e+3", 1000},
      {"+Inf", inf},
      {"-Inf", -inf},
      {"inf", inf},
      {"INF", inf},
      {"infinity", inf},
      {"-Infinity", -inf},
      {"1e-400", 0},
      {"00012", 12},
      {"4.9e-324", 4.9e-324},
      {"1.7976931348623157e308", 1.7976931348623157e308},
      {"123456789012345678901234567890", 123456789012345678901234567890.0},
  };
  for (const auto& [in, want] : rows) {
    double got = 42;
    EXPECT_TRUE(ParseGoFloat(in, &got)) << in;
    EXPECT_EQ(got, want) << in;
  }
  double nan = 0;
  EXPECT_TRUE(ParseGoFloat("NaN", &nan));
  EXPECT_TRUE(std::isnan(nan));
  EXPECT_TRUE(ParseGoFloat("nan", &nan));
  double neg_zero = 1;
  ASSERT_TRUE(ParseGoFloat("-0", &neg_zero));
  EXPECT_TRUE(std::signbit(neg_zero));
}

TEST(ParseGoFloat, RejectsWhatTheTextParserRejects) {
  const std::string_view rows[] = {"",        ".",
                                   "e1",      "1e",
                                   "1e+",     "+",
                                   "-",       "+NaN",
                                   "-nan",    "infin",
                                   "infinit", "infinityy",
                                   "0x10",    "0x1p3",
                                   "1p3",     "1_000",
                                   "1,5",     " 1",
                                   "1 ",      "1e309",
                                   "-1e309",  "1.7976931348623159e308",
                                   "1\r",     "--1",
                                   "1.2.3",   "0b1"};
  for (std::string_view in : rows) {
    double got;
    EXPECT_FALSE(ParseGoFloat(in, &got)) << in;
  }
}

TEST(ParseGoInt64, MatchesParseIntBase10) {
  const std::pair<std::string_view, int64_t> ok[] = {
      {"0", 0},
      {"-0", 0},
      {"+5", 5},
      {"-1700000000000", -1700000000000},
      {"9223372036854775807", std::numeric_limits<int64_t>::max()},
      {"-9223372036854775808", std::numeric_limits<int64_t>::min()},
      {"007", 7},
  };
  for (const auto& [in, want] : ok) {
    int64_t got = 42;
    EXPECT_TRUE(ParseGoInt64(in, &got)) << in;
    EXPECT_EQ(got, want) << in;
  }
  const std::string_view bad[] = {"",
                                  "+",
                                  "-",
                                  "1.5",
                                  "1e3",
                                  "0x10",
                                  "1_000",
                                  " 1",
                                  "1 ",
                                  "#",
                                  "9223372036854775808",
                                  "-9223372036854775809",
                                  "99999999999999999999"};
  for (std::string_view in : bad) {
    int64_t got;
    EXPECT_FALSE(ParseGoInt64(in, &got)) << in;
  }
}

TEST(AppendFloat, MatchesFormatFloatG) {
  const std::pair<double, std::string_view> rows[] = {
      {0, "0"},
      {-0.0, "-0"},
      {1, "1"},
      {-1.5, "-1.5"},
      {1e6, "1e+06"},
      {123456, "123456"},
      {1234567, "1.234567e+06"},
      {1e-5, "1e-05"},
      {0.0001, "0.0001"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {100, "100"},
      {1e21, "1e+21"},
      {1.5e300, "1.5e+300"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {2.965504e+06, "2.965504e+06"},
      {-1.5e-7, "-1.5e-07"},
      {-2.5e-300, "-2.5e-300"},
      {123.456, "123.456"},
      {-0.000123, "-0.000123"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (const auto& [in, want] : rows) {
    std::string out;
    AppendFloat(in, &out);
    EXPECT_EQ(out, want);
  }
}

}  // namespace
}  // namespace promtool
