// prometheus/common's expfmt text parser test table (expfmt/text_parse_test.go at v0.70) as the
// spec of the default profile (promtool 3.x): every parse scenario with the families it yields,
// and every error scenario with expfmt's message prefix and line, under both name schemes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/strcat.h"
#include "promtool/family_reader.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace promtool {
namespace {

struct WantFamily {
  std::string_view name;
  MetricType type;
  size_t metrics;  // dto.Metric messages: series, histogram/summary lines merged per label set
  std::optional<std::string_view> help;
};

struct AcceptRow {
  int number;  // the scenario's index in upstream's table
  const char* title;
  std::string_view input;
  std::vector<WantFamily> families;  // families with at least one metric, any order
};

void PrintTo(const AcceptRow& row, std::ostream* os) { *os << row.number << ": " << row.title; }

// Inputs hold NULs and bytes >= 0x80 split from following hex digits, so they are sized
// explicitly.
const AcceptRow kAcceptRows[] = {
    {0, "Empty lines as input", "\n\n", {}},
    {1,
     "Minimal case",
     "\nminimal_metric 1.234\nanother_metric -3e3 103948\n# Even that:\nno_labels{} 3\n# HELP line "
     "for non-existing metric will be ignored.\n",
     {{"minimal_metric", MetricType::kUntyped, 1, std::nullopt},
      {"another_metric", MetricType::kUntyped, 1, std::nullopt},
      {"no_labels", MetricType::kUntyped, 1, std::nullopt}}},
    {2,
     "Counters & gauges, docstrings, various whitespace, escape sequences",
     "\n# A normal comment.\n#\n# TYPE name "
     "counter\nname{labelname=\"val1\",basename=\"basevalue\"} NaN\nname "
     "{labelname=\"val2\",basename=\"base\\\"v\\\\al\\nue\"} 0.23 1234567890\n# HELP name "
     "two-line\\n doc  str\\\\ing\n\n # HELP  name2  \tdoc str\"ing 2\n  #    TYPE    name2 "
     "gauge\nname2{labelname=\"val2\"\t,basename   =   \"basevalue2\"\t\t} +Inf 54321\nname2{ "
     "labelname = \"val1\" , }-Inf\n",
     {{"name", MetricType::kCounter, 2, "two-line\n doc  str\\ing"},
      {"name2", MetricType::kGauge, 2, "doc str\"ing 2"}}},
    {3,
     "The evil summary, mixed with other types and funny comments",
     "\n# TYPE my_summary summary\nmy_summary{n1=\"val1\",quantile=\"0.5\"} 110\ndecoy -1 "
     "-2\nmy_summary{n1=\"val1\",quantile=\"0.9\"} 140 1\nmy_summary_count{n1=\"val1\"} 42\n# "
     "Latest timestamp wins in case of a summary.\nmy_summary_sum{n1=\"val1\"} 4711 "
     "2\nfake_sum{n1=\"val1\"} 2001\n# TYPE another_summary "
     "summary\nanother_summary_count{n2=\"val2\",n1=\"val1\"} "
     "20\nmy_summary_count{n2=\"val2\",n1=\"val1\"} 5 "
     "5\nanother_summary{n1=\"val1\",n2=\"val2\",quantile=\".3\"} "
     "-1.2\nmy_summary_sum{n1=\"val2\"} 08 15\nmy_summary{n1=\"val3\", quantile=\"0.2\"} 4711\n  "
     "my_summary{n1=\"val1\",n2=\"val2\",quantile=\"-12.34\",} NaN\n# some\n# funny comments\n# "
     "HELP\n# HELP\n# HELP my_summary\n# HELP my_summary\n",
     {{"fake_sum", MetricType::kUntyped, 1, std::nullopt},
      {"decoy", MetricType::kUntyped, 1, std::nullopt},
      {"my_summary", MetricType::kSummary, 4, std::nullopt},
      {"another_summary", MetricType::kSummary, 1, std::nullopt}}},
    {4,
     "The histogram",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     {{"request_duration_microseconds", MetricType::kHistogram, 1, "The response latency."}}},
    {5,
     "Quoted metric name and quoted label name with dots",
     "\n# HELP \"my.noncompliant.metric\" help text\n# TYPE \"my.noncompliant.metric\" "
     "counter\n{\"my.noncompliant.metric\",\"label.name\"=\"value\"} 1\n",
     {{"my.noncompliant.metric", MetricType::kCounter, 1, "help text"}}},
    {6,
     "Metric family with dots in name",
     "\n# HELP \"name.with.dots\" boring help\n# TYPE \"name.with.dots\" "
     "counter\n{\"name.with.dots\",labelname=\"val1\",basename=\"basevalue\"} "
     "42.0\n{\"name.with.dots\",labelname=\"val2\",basename=\"basevalue\"} 0.23 1234567890\n",
     {{"name.with.dots", MetricType::kCounter, 2, "boring help"}}},
    {7,
     "Metric family with dots in name, no labels",
     "\n\t\t\t\t# HELP \"name.with.dots\" boring help\n\t\t\t\t# TYPE \"name.with.dots\" "
     "counter\n\t\t\t\t{\"name.with.dots\"} 42.0\n\t\t\t\t{\"name.with.dots\"} 0.23 "
     "1234567890\n\t\t\t\t",
     {{"name.with.dots", MetricType::kCounter, 2, "boring help"}}},
    {8,
     "Quoted metric name and quoted label names with dots and asterisks, special characters in "
     "label values",
     "# HELP \"gauge.name\" gauge\\ndoc\\nstr\\\"ing\n# TYPE \"gauge.name\" "
     "gauge\n{\"gauge.name\",\"name.1\"=\"val with\\nnew line\",\"name*2\"=\"val with "
     "\\\\backslash and \\\"quotes\\\"\"} +Inf\n{\"gauge.name\",\"name.1\"=\"Bj\xc3"
     "\xb6"
     "rn\",\"name*2\"=\"\xe4"
     "\xbd"
     "\x96"
     "\xe4"
     "\xbd"
     "\xa5"
     "\"} 3.14e+42\n",
     {{"gauge.name", MetricType::kGauge, 2, "gauge\ndoc\nstr\"ing"}}},
    {9,
     "Various escaped special characters in metric and label names",
     "\n# HELP \"my\\\"noncompliant\\nmetric\\\\\" help text\n# TYPE "
     "\"my\\\"noncompliant\\nmetric\\\\\" "
     "counter\n{\"my\\\"noncompliant\\nmetric\\\\\",\"label\\\"name\\n\"=\"value\"} 1\n",
     {{"my\"noncompliant\nmetric\\", MetricType::kCounter, 1, "help text"}}},
    {10,
     "Quoted metric name, not the first element in the label set",
     "\n# HELP \"my.noncompliant.metric\" help text\n# TYPE \"my.noncompliant.metric\" "
     "counter\n{labelname=\"value\", \"my.noncompliant.metric\"} 1\n",
     {{"my.noncompliant.metric", MetricType::kCounter, 1, "help text"}}},
    {11,
     "Multiple minimal metrics with quoted metric names",
     "\n{\"name.1\"} 1\n{\"name.2\"} 1\n{\"name.3\"} 1\n",
     {{"name.1", MetricType::kUntyped, 1, std::nullopt},
      {"name.2", MetricType::kUntyped, 1, std::nullopt},
      {"name.3", MetricType::kUntyped, 1, std::nullopt}}},
    {12,
     "A full float histogram",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123.5\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412.6\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592.7\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524.8\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693.9\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693.9\n",
     {{"request_duration_microseconds", MetricType::kHistogram, 1, "The response latency."}}},
    {13,
     "A float histogram where only the count is really a float",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693.9\n",
     {{"request_duration_microseconds", MetricType::kHistogram, 1, "The response latency."}}},
    {14,
     "A float histogram where only one of the buckets is really a float",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524.8\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     {{"request_duration_microseconds", MetricType::kHistogram, 1, "The response latency."}}},
    {15,
     "A gauge histogram",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds "
     "gaugehistogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     {{"request_duration_microseconds", MetricType::kGaugeHistogram, 1, "The response latency."}}},
    {16,
     "A gauge histogram with alternative spelling",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds "
     "gauge_histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     {{"request_duration_microseconds", MetricType::kGaugeHistogram, 1, "The response latency."}}},
    {17,
     "A float gauge histogram where only one of the buckets is really a float and with alternative "
     "spelling",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds "
     "gauge_histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524.8\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     {{"request_duration_microseconds", MetricType::kGaugeHistogram, 1, "The response latency."}}},
};

struct GotFamily {
  MetricType type = MetricType::kUntyped;
  size_t metrics = 0;
  std::optional<std::string> help;
  // Histograms and summaries: expfmt merges the lines of one label set (in any order) across
  // the whole input into one metric, so they are counted by label set.
  std::set<std::vector<std::string>> label_sets;
};

// Parses `input` as expfmt does (profile k3, the scheme given) into families by name.
std::map<std::string, GotFamily> ReadFamilies(std::string_view input, NameScheme names,
                                              Error* error) {
  auto source = StringSource(std::string(input), "table");
  TextOptions options;
  options.profile = PromtoolProfile::k3;
  options.names = names;
  TextParser parser(*source, options);
  FamilyReader reader(parser);
  std::map<std::string, GotFamily> out;
  while (const FamilyView* view = reader.Next()) {
    if (view->series.empty()) continue;  // expfmt drops families without metrics
    GotFamily& f = out[std::string(view->name)];
    f.type = view->type;
    const bool grouped = view->type == MetricType::kSummary ||
                         view->type == MetricType::kHistogram ||
                         view->type == MetricType::kGaugeHistogram;
    for (const Series& series : view->series) {
      if (!grouped) {
        ++f.metrics;
        continue;
      }
      std::vector<std::string> set;
      for (const Label& l : series.labels) set.push_back(StrCat(l.name, "=", l.value));
      std::sort(set.begin(), set.end());
      if (f.label_sets.insert(set).second) ++f.metrics;
    }
    if (view->has_help) f.help = std::string(view->help);
  }
  if (reader.error() != nullptr) *error = *reader.error();
  return out;
}

class ExpfmtAcceptTest : public testing::TestWithParam<AcceptRow> {};

TEST_P(ExpfmtAcceptTest, YieldsTheFamiliesOfExpfmt) {
  const AcceptRow& row = GetParam();
  Error error;
  auto got = ReadFamilies(row.input, NameScheme::kUtf8, &error);
  ASSERT_TRUE(error.ok()) << "line " << error.line << ": " << error.message;
  EXPECT_EQ(got.size(), row.families.size());
  for (const WantFamily& want : row.families) {
    auto it = got.find(std::string(want.name));
    ASSERT_NE(it, got.end()) << "no family " << want.name;
    EXPECT_EQ(it->second.type, want.type) << want.name;
    EXPECT_EQ(it->second.metrics, want.metrics) << want.name;
    if (want.help) {
      ASSERT_TRUE(it->second.help.has_value()) << want.name;
      EXPECT_EQ(*it->second.help, *want.help) << want.name;
    } else {
      EXPECT_FALSE(it->second.help.has_value()) << want.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Expfmt, ExpfmtAcceptTest, testing::ValuesIn(kAcceptRows),
                         [](const testing::TestParamInfo<AcceptRow>& p) {
                           return "Scenario" + std::to_string(p.param.number);
                         });

struct ErrorRow {
  int number;
  const char* title;
  std::string_view input;
  // UTF-8 scheme: line 0 means the input is valid; else expfmt's line and message prefix.
  uint64_t utf8_line;
  std::string_view utf8_message;
  // Legacy scheme (what `promtool check metrics` parses with).
  uint64_t legacy_line;
  std::string_view legacy_message;
};

void PrintTo(const ErrorRow& row, std::ostream* os) { *os << row.number << ": " << row.title; }

const ErrorRow kErrorRows[] = {
    {0, "No new-line at end of input", "\nbla 3.14\nblubber 42", 3,
     "unexpected end of input stream", 3, "unexpected end of input stream"},
    {1, "Invalid escape sequence in label value", "metric{label=\"\\t\"} 3.14", 1,
     "invalid escape sequence", 1, "invalid escape sequence"},
    {2, "Newline in label value", "\nmetric{label=\"new\nline\"} 3.14\n", 2,
     "label value \"new\" contains unescaped new-line", 2,
     "label value \"new\" contains unescaped new-line"},
    {3, "", "metric{@=\"bla\"} 3.14", 1, "invalid label name for metric", 1,
     "invalid label name for metric"},
    {4, "", "metric{__name__=\"bla\"} 3.14", 1, "label name \"__name__\" is reserved", 1,
     "label name \"__name__\" is reserved"},
    {5, "", "metric{label+=\"bla\"} 3.14", 1, "expected '=' after label name", 1,
     "expected '=' after label name"},
    {6, "", "metric{label=bla} 3.14", 1, "expected '\"' at start of label value", 1,
     "expected '\"' at start of label value"},
    {7, "", "\n# TYPE metric summary\nmetric{quantile=\"bla\"} 3.14\n", 3,
     "expected float as value for 'quantile' label", 3,
     "expected float as value for 'quantile' label"},
    {8, "", "metric{label=\"bla\"+} 3.14", 1, "unexpected end of label value", 1,
     "unexpected end of label value"},
    {9, "", "metric{label=\"bla\"} 3.14 2.72\n", 1, "expected integer as timestamp", 1,
     "expected integer as timestamp"},
    {10, "", "metric{label=\"bla\"} 3.14 2 3\n", 1, "spurious string after timestamp", 1,
     "spurious string after timestamp"},
    {11, "", "metric{label=\"bla\"} blubb\n", 1, "expected float as value", 1,
     "expected float as value"},
    {12, "", "\n# HELP metric one\n# HELP metric two\n", 3, "second HELP line for metric name", 3,
     "second HELP line for metric name"},
    {13, "", "\n# TYPE metric counter\n# TYPE metric untyped\n", 3,
     "second TYPE line for metric name \"metric\", or TYPE reported after samples", 3,
     "second TYPE line for metric name \"metric\", or TYPE reported after samples"},
    {14, "", "\nmetric 4.12\n# TYPE metric counter\n", 3,
     "second TYPE line for metric name \"metric\", or TYPE reported after samples", 3,
     "second TYPE line for metric name \"metric\", or TYPE reported after samples"},
    {15, "", "\n# TYPE metric bla\n", 2, "unknown metric type", 2, "unknown metric type"},
    {16, "", "\n# TYPE met-ric\n", 2, "invalid metric name in comment", 2,
     "invalid metric name in comment"},
    {17, "", "@invalidmetric{label=\"bla\"} 3.14 2", 1, "invalid metric name", 1,
     "invalid metric name"},
    {18, "", "{label=\"bla\"} 3.14 2", 1, "invalid metric name", 1, "invalid metric name"},
    {19, "", "\n# TYPE metric histogram\nmetric_bucket{le=\"bla\"} 3.14\n", 3,
     "expected float as value for 'le' label", 3, "expected float as value for 'le' label"},
    {20, "Invalid UTF-8 in label value",
     "metric{l=\"\xbd"
     "\"} 3.14\n",
     1, "invalid label value \"\\xbd\"", 1, "invalid label value \"\\xbd\""},
    {21, "Go 1.13 sometimes allows underscores in numbers", "foo 1_2\n", 1,
     "expected float as value", 1, "expected float as value"},
    {22, "Go 1.13 supports hex floating point", "foo 0x1p-3\n", 1, "expected float as value", 1,
     "expected float as value"},
    {23, "Check for various other literals variants, just in case", "foo 0x1P-3\n", 1,
     "expected float as value", 1, "expected float as value"},
    {24, "", "foo 0B1\n", 1, "expected float as value", 1, "expected float as value"},
    {25, "", "foo 0O1\n", 1, "expected float as value", 1, "expected float as value"},
    {26, "", "foo 0X1\n", 1, "expected float as value", 1, "expected float as value"},
    {27, "", "foo 0x1\n", 1, "expected float as value", 1, "expected float as value"},
    {28, "", "foo 0b1\n", 1, "expected float as value", 1, "expected float as value"},
    {29, "", "foo 0o1\n", 1, "expected float as value", 1, "expected float as value"},
    {30, "", "foo 0x1\n", 1, "expected float as value", 1, "expected float as value"},
    {31, "", "foo 0x1\n", 1, "expected float as value", 1, "expected float as value"},
    {32, "Check histogram label", "\n# TYPE metric histogram\nmetric_bucket{le=\"0x1p-3\"} 3.14\n",
     3, "expected float as value for 'le' label", 3, "expected float as value for 'le' label"},
    {33, "Check quantile label", "\n# TYPE metric summary\nmetric{quantile=\"0x1p-3\"} 3.14\n", 3,
     "expected float as value for 'quantile' label", 3,
     "expected float as value for 'quantile' label"},
    {34, "Check duplicate label", "metric{label=\"bla\",label=\"bla\"} 3.14", 1,
     "duplicate label names for metric", 1, "duplicate label names for metric"},
    {35, "Multiple quoted metric names", "{\"one.name\",\"another.name\"} 3.14", 1,
     "multiple metric names", 1, "invalid metric name \"one.name\""},
    {36, "Invalid escape sequence in quoted metric name", "{\"a\\xc5z\",label=\"bla\"} 3.14", 1,
     "invalid escape sequence", 1, "invalid escape sequence"},
    {37, "Unexpected end of quoted metric name", "{\"metric.name\".label=\"bla\"} 3.14", 1,
     "unexpected end of metric name", 1, "unexpected end of metric name"},
    {38, "Invalid escape sequence in quoted metric name",
     "\n# TYPE \"metric.name\\t\" counter\n{\"metric.name\\t\",label=\"bla\"} 3.14\n", 2,
     "invalid escape sequence", 2, "invalid escape sequence"},
    {39, "Newline in quoted metric name",
     "\n# TYPE \"metric\nname\" counter\n{\"metric\nname\",label=\"bla\"} 3.14\n", 2,
     "metric name \"metric\" contains unescaped new-line", 2,
     "metric name \"metric\" contains unescaped new-line"},
    {40, "Newline in quoted label name", "\n{\"metric.name\",\"new\nline\"=\"bla\"} 3.14\n", 2,
     "label name \"new\" contains unescaped new-line", 2, "invalid metric name \"metric.name\""},
    {41, "Dotted metric name fails legacy validation", "{\"metric.name\",foo=\"bla\"} 3.14\n", 0,
     "", 1, "invalid metric name \"metric.name\""},
    {42, "Dotted label name fails legacy validation",
     "metric_name{\"foo\"=\"bar\", \"dotted.label\"=\"bla\"} 3.14\n", 0, "", 1,
     "invalid label name \"dotted.label\""},
    {43, "Histogram with negative count",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "-2693\n",
     10, "negative count for histogram \"request_duration_microseconds\"", 10,
     "negative count for histogram \"request_duration_microseconds\""},
    {44, "Histogram with negative bucket",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "-412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     5, "negative bucket population for histogram \"request_duration_microseconds\"", 5,
     "negative bucket population for histogram \"request_duration_microseconds\""},
    {45, "Histogram with negative float count",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "412\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "-2693.123\n",
     10, "negative count for histogram \"request_duration_microseconds\"", 10,
     "negative count for histogram \"request_duration_microseconds\""},
    {46, "Histogram with negative float bucket",
     "\n# HELP request_duration_microseconds The response latency.\n# TYPE "
     "request_duration_microseconds histogram\nrequest_duration_microseconds_bucket{le=\"100\"} "
     "123\nrequest_duration_microseconds_bucket{le=\"120\"} "
     "-412.456\nrequest_duration_microseconds_bucket{le=\"144\"} "
     "592\nrequest_duration_microseconds_bucket{le=\"172.8\"} "
     "1524\nrequest_duration_microseconds_bucket{le=\"+Inf\"} "
     "2693\nrequest_duration_microseconds_sum 1.7560473e+06\nrequest_duration_microseconds_count "
     "2693\n",
     5, "negative bucket population for histogram \"request_duration_microseconds\"", 5,
     "negative bucket population for histogram \"request_duration_microseconds\""},
    {47, "Empty braces with no metric name (regression test for a nil", "{} 3.14", 1,
     "invalid metric name", 1, "invalid metric name"},
};

// The first error of `input` under profile k3 and `names`, or an ok() error.
Error FirstError(std::string_view input, NameScheme names) {
  auto source = StringSource(std::string(input), "table");
  TextOptions options;
  options.profile = PromtoolProfile::k3;
  options.names = names;
  TextParser parser(*source, options);
  for (;;) {
    Entry e = parser.Next();
    if (e == Entry::kEnd) return Error{};
    if (e == Entry::kError) return parser.Error();
  }
}

class ExpfmtErrorTest : public testing::TestWithParam<ErrorRow> {};

TEST_P(ExpfmtErrorTest, Utf8SchemeGivesExpfmtsVerdict) {
  const ErrorRow& row = GetParam();
  Error error = FirstError(row.input, NameScheme::kUtf8);
  if (row.utf8_line == 0) {
    EXPECT_TRUE(error.ok()) << error.compat_message;
    return;
  }
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.line, row.utf8_line) << error.compat_message;
  EXPECT_TRUE(error.compat_message.starts_with(row.utf8_message))
      << "got \"" << error.compat_message << "\", want a message starting with \""
      << row.utf8_message << "\"";
  EXPECT_FALSE(error.message.empty());
}

TEST_P(ExpfmtErrorTest, LegacySchemeGivesExpfmtsVerdict) {
  const ErrorRow& row = GetParam();
  Error error = FirstError(row.input, NameScheme::kLegacy);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.line, row.legacy_line) << error.compat_message;
  EXPECT_TRUE(error.compat_message.starts_with(row.legacy_message))
      << "got \"" << error.compat_message << "\", want a message starting with \""
      << row.legacy_message << "\"";
}

INSTANTIATE_TEST_SUITE_P(Expfmt, ExpfmtErrorTest, testing::ValuesIn(kErrorRows),
                         [](const testing::TestParamInfo<ErrorRow>& p) {
                           return "Scenario" + std::to_string(p.param.number);
                         });

}  // namespace
}  // namespace promtool
