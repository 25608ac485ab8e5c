// client_golang's promlint test table (prometheus/testutil/promlint/promlint_test.go, v1.24)
// as the spec of the default lint profile (promtool 3.x): each input with exactly the problems
// promlint reports for it, in its order. (TestCustomValidations is left out: it tests an API
// promtool does not use.)
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "promtool/lint.h"
#include "promtool/source.h"

namespace promtool::lint {
namespace {

struct Row {
  const char* test;  // upstream's test function
  const char* name;  // upstream's case name
  std::string_view input;
  std::vector<std::pair<std::string_view, std::string_view>> problems;  // metric, text
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.test << "/" << row.name; }

const Row kRows[] = {
    {"TestLintNoHelpText",
     "no help",
     "\n# TYPE go_goroutines gauge\ngo_goroutines 24\n",
     {{"go_goroutines", "no help text"}}},
    {"TestLintNoHelpText",
     "empty help",
     "\n# HELP go_goroutines\n# TYPE go_goroutines gauge\ngo_goroutines 24\n",
     {{"go_goroutines", "no help text"}}},
    {"TestLintNoHelpText",
     "no help and empty help",
     "\n# HELP go_goroutines\n# TYPE go_goroutines gauge\ngo_goroutines 24\n# TYPE go_threads "
     "gauge\ngo_threads 10\n",
     {{"go_goroutines", "no help text"}, {"go_threads", "no help text"}}},
    {"TestLintNoHelpText",
     "OK",
     "\n# HELP go_goroutines Number of goroutines that currently exist.\n# TYPE go_goroutines "
     "gauge\ngo_goroutines 24\n",
     {}},
    {"TestLintMetricUnits",
     "amperes",
     "\n# HELP x_amperes Test metric.\n# TYPE x_amperes untyped\nx_amperes 10\n",
     {}},
    {"TestLintMetricUnits",
     "bytes",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes untyped\nx_bytes 10\n",
     {}},
    {"TestLintMetricUnits",
     "grams",
     "\n# HELP x_grams Test metric.\n# TYPE x_grams untyped\nx_grams 10\n",
     {}},
    {"TestLintMetricUnits",
     "celsius",
     "\n# HELP x_celsius Test metric.\n# TYPE x_celsius untyped\nx_celsius 10\n",
     {}},
    {"TestLintMetricUnits",
     "meters",
     "\n# HELP x_meters Test metric.\n# TYPE x_meters untyped\nx_meters 10\n",
     {}},
    {"TestLintMetricUnits",
     "metres",
     "\n# HELP x_metres Test metric.\n# TYPE x_metres untyped\nx_metres 10\n",
     {}},
    {"TestLintMetricUnits",
     "moles",
     "\n# HELP x_moles Test metric.\n# TYPE x_moles untyped\nx_moles 10\n",
     {}},
    {"TestLintMetricUnits",
     "seconds",
     "\n# HELP x_seconds Test metric.\n# TYPE x_seconds untyped\nx_seconds 10\n",
     {}},
    {"TestLintMetricUnits",
     "joules",
     "\n# HELP x_joules Test metric.\n# TYPE x_joules untyped\nx_joules 10\n",
     {}},
    {"TestLintMetricUnits",
     "kelvin",
     "\n# HELP x_kelvin Test metric.\n# TYPE x_kelvin untyped\nx_kelvin 10\n",
     {}},
    {"TestLintMetricUnits",
     "milliamperes",
     "\n# HELP x_milliamperes Test metric.\n# TYPE x_milliamperes untyped\nx_milliamperes 10\n",
     {{"x_milliamperes", "use base unit \"amperes\" instead of \"milliamperes\""}}},
    {"TestLintMetricUnits",
     "gigabytes",
     "\n# HELP x_gigabytes Test metric.\n# TYPE x_gigabytes untyped\nx_gigabytes 10\n",
     {{"x_gigabytes", "use base unit \"bytes\" instead of \"gigabytes\""}}},
    {"TestLintMetricUnits",
     "kilograms",
     "\n# HELP x_kilograms Test metric.\n# TYPE x_kilograms untyped\nx_kilograms 10\n",
     {{"x_kilograms", "use base unit \"grams\" instead of \"kilograms\""}}},
    {"TestLintMetricUnits",
     "nanocelsius",
     "\n# HELP x_nanocelsius Test metric.\n# TYPE x_nanocelsius untyped\nx_nanocelsius 10\n",
     {{"x_nanocelsius", "use base unit \"celsius\" instead of \"nanocelsius\""}}},
    {"TestLintMetricUnits",
     "kilometers",
     "\n# HELP x_kilometers Test metric.\n# TYPE x_kilometers untyped\nx_kilometers 10\n",
     {{"x_kilometers", "use base unit \"meters\" instead of \"kilometers\""}}},
    {"TestLintMetricUnits",
     "picometers",
     "\n# HELP x_picometers Test metric.\n# TYPE x_picometers untyped\nx_picometers 10\n",
     {{"x_picometers", "use base unit \"meters\" instead of \"picometers\""}}},
    {"TestLintMetricUnits",
     "microseconds",
     "\n# HELP x_microseconds Test metric.\n# TYPE x_microseconds untyped\nx_microseconds 10\n",
     {{"x_microseconds", "use base unit \"seconds\" instead of \"microseconds\""}}},
    {"TestLintMetricUnits",
     "minutes",
     "\n# HELP x_minutes Test metric.\n# TYPE x_minutes untyped\nx_minutes 10\n",
     {{"x_minutes", "use base unit \"seconds\" instead of \"minutes\""}}},
    {"TestLintMetricUnits",
     "hours",
     "\n# HELP x_hours Test metric.\n# TYPE x_hours untyped\nx_hours 10\n",
     {{"x_hours", "use base unit \"seconds\" instead of \"hours\""}}},
    {"TestLintMetricUnits",
     "days",
     "\n# HELP x_days Test metric.\n# TYPE x_days untyped\nx_days 10\n",
     {{"x_days", "use base unit \"seconds\" instead of \"days\""}}},
    {"TestLintMetricUnits",
     "kelvins",
     "\n# HELP x_kelvins Test metric.\n# TYPE x_kelvins untyped\nx_kelvins 10\n",
     {{"x_kelvins", "use base unit \"kelvin\" instead of \"kelvins\""}}},
    {"TestLintMetricUnits",
     "fahrenheit",
     "\n# HELP thermometers_fahrenheit Test metric.\n# TYPE thermometers_fahrenheit "
     "untyped\nthermometers_fahrenheit 10\n",
     {{"thermometers_fahrenheit", "use base unit \"celsius\" instead of \"fahrenheit\""}}},
    {"TestLintMetricUnits",
     "rankine",
     "\n# HELP thermometers_rankine Test metric.\n# TYPE thermometers_rankine "
     "untyped\nthermometers_rankine 10\n",
     {{"thermometers_rankine", "use base unit \"celsius\" instead of \"rankine\""}}},
    {"TestLintMetricUnits",
     "inches",
     "\n# HELP x_inches Test metric.\n# TYPE x_inches untyped\nx_inches 10\n",
     {{"x_inches", "use base unit \"meters\" instead of \"inches\""}}},
    {"TestLintMetricUnits",
     "yards",
     "\n# HELP x_yards Test metric.\n# TYPE x_yards untyped\nx_yards 10\n",
     {{"x_yards", "use base unit \"meters\" instead of \"yards\""}}},
    {"TestLintMetricUnits",
     "miles",
     "\n# HELP x_miles Test metric.\n# TYPE x_miles untyped\nx_miles 10\n",
     {{"x_miles", "use base unit \"meters\" instead of \"miles\""}}},
    {"TestLintMetricUnits",
     "bits",
     "\n# HELP x_bits Test metric.\n# TYPE x_bits untyped\nx_bits 10\n",
     {{"x_bits", "use base unit \"bytes\" instead of \"bits\""}}},
    {"TestLintMetricUnits",
     "calories",
     "\n# HELP x_calories Test metric.\n# TYPE x_calories untyped\nx_calories 10\n",
     {{"x_calories", "use base unit \"joules\" instead of \"calories\""}}},
    {"TestLintMetricUnits",
     "pounds",
     "\n# HELP x_pounds Test metric.\n# TYPE x_pounds untyped\nx_pounds 10\n",
     {{"x_pounds", "use base unit \"grams\" instead of \"pounds\""}}},
    {"TestLintMetricUnits",
     "ounces",
     "\n# HELP x_ounces Test metric.\n# TYPE x_ounces untyped\nx_ounces 10\n",
     {{"x_ounces", "use base unit \"grams\" instead of \"ounces\""}}},
    {"TestLintCounter",
     "counter without _total suffix",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes counter\nx_bytes 10\n",
     {{"x_bytes", "counter metrics should have \"_total\" suffix"}}},
    {"TestLintCounter",
     "gauge with _total suffix",
     "\n# HELP x_bytes_total Test metric.\n# TYPE x_bytes_total gauge\nx_bytes_total 10\n",
     {{"x_bytes_total", "non-counter metrics should not have \"_total\" suffix"}}},
    {"TestLintCounter",
     "counter with _total suffix",
     "\n# HELP x_bytes_total Test metric.\n# TYPE x_bytes_total counter\nx_bytes_total 10\n",
     {}},
    {"TestLintCounter",
     "gauge without _total suffix",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes gauge\nx_bytes 10\n",
     {}},
    {"TestLintCounter",
     "untyped with _total suffix",
     "\n# HELP x_bytes_total Test metric.\n# TYPE x_bytes_total untyped\nx_bytes_total 10\n",
     {}},
    {"TestLintCounter",
     "untyped without _total suffix",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes untyped\nx_bytes 10\n",
     {}},
    {"TestLintHistogramSummaryReserved",
     "gauge with _bucket suffix",
     "\n# HELP x_bytes_bucket Test metric.\n# TYPE x_bytes_bucket gauge\nx_bytes_bucket 10\n",
     {{"x_bytes_bucket", "non-histogram metrics should not have \"_bucket\" suffix"}}},
    {"TestLintHistogramSummaryReserved",
     "gauge with _count suffix",
     "\n# HELP x_bytes_count Test metric.\n# TYPE x_bytes_count gauge\nx_bytes_count 10\n",
     {{"x_bytes_count",
       "non-histogram and non-summary metrics should not have \"_count\" suffix"}}},
    {"TestLintHistogramSummaryReserved",
     "gauge with _sum suffix",
     "\n# HELP x_bytes_sum Test metric.\n# TYPE x_bytes_sum gauge\nx_bytes_sum 10\n",
     {{"x_bytes_sum", "non-histogram and non-summary metrics should not have \"_sum\" suffix"}}},
    {"TestLintHistogramSummaryReserved",
     "gauge with le label",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes gauge\nx_bytes{le=\"1\"} 10\n",
     {{"x_bytes", "non-histogram metrics should not have \"le\" label"}}},
    {"TestLintHistogramSummaryReserved",
     "gauge with quantile label",
     "\n# HELP x_bytes Test metric.\n# TYPE x_bytes gauge\nx_bytes{quantile=\"1\"} 10\n",
     {{"x_bytes", "non-summary metrics should not have \"quantile\" label"}}},
    {"TestLintHistogramSummaryReserved",
     "histogram with quantile label",
     "\n# HELP tsdb_compaction_duration Duration of compaction runs.\n# TYPE "
     "tsdb_compaction_duration "
     "histogram\ntsdb_compaction_duration_bucket{le=\"0.005\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.01\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.025\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.05\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.1\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.25\",quantile=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.5\",quantile=\"0.01\"} "
     "57\ntsdb_compaction_duration_bucket{le=\"1\",quantile=\"0.01\"} "
     "68\ntsdb_compaction_duration_bucket{le=\"2.5\",quantile=\"0.01\"} "
     "69\ntsdb_compaction_duration_bucket{le=\"5\",quantile=\"0.01\"} "
     "69\ntsdb_compaction_duration_bucket{le=\"10\",quantile=\"0.01\"} "
     "69\ntsdb_compaction_duration_bucket{le=\"+Inf\",quantile=\"0.01\"} "
     "69\ntsdb_compaction_duration_sum 28.740810936000006\ntsdb_compaction_duration_count 69\n",
     {{"tsdb_compaction_duration", "non-summary metrics should not have \"quantile\" label"}}},
    {"TestLintHistogramSummaryReserved",
     "summary with le label",
     "\n# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n# TYPE "
     "go_gc_duration_seconds summary\ngo_gc_duration_seconds{quantile=\"0\",le=\"0.01\"} "
     "4.2365e-05\ngo_gc_duration_seconds{quantile=\"0.25\",le=\"0.01\"} "
     "8.1492e-05\ngo_gc_duration_seconds{quantile=\"0.5\",le=\"0.01\"} "
     "0.000100656\ngo_gc_duration_seconds{quantile=\"0.75\",le=\"0.01\"} "
     "0.000113913\ngo_gc_duration_seconds{quantile=\"1\",le=\"0.01\"} "
     "0.021754305\ngo_gc_duration_seconds_sum 1.769429004\ngo_gc_duration_seconds_count 5962\n",
     {{"go_gc_duration_seconds", "non-histogram metrics should not have \"le\" label"}}},
    {"TestLintHistogramSummaryReserved",
     "histogram OK",
     "\n# HELP tsdb_compaction_duration Duration of compaction runs.\n# TYPE "
     "tsdb_compaction_duration histogram\ntsdb_compaction_duration_bucket{le=\"0.005\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.01\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.025\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.05\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.1\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.25\"} "
     "0\ntsdb_compaction_duration_bucket{le=\"0.5\"} 57\ntsdb_compaction_duration_bucket{le=\"1\"} "
     "68\ntsdb_compaction_duration_bucket{le=\"2.5\"} "
     "69\ntsdb_compaction_duration_bucket{le=\"5\"} 69\ntsdb_compaction_duration_bucket{le=\"10\"} "
     "69\ntsdb_compaction_duration_bucket{le=\"+Inf\"} 69\ntsdb_compaction_duration_sum "
     "28.740810936000006\ntsdb_compaction_duration_count 69\n",
     {}},
    {"TestLintHistogramSummaryReserved",
     "summary OK",
     "\n# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n# TYPE "
     "go_gc_duration_seconds summary\ngo_gc_duration_seconds{quantile=\"0\"} "
     "4.2365e-05\ngo_gc_duration_seconds{quantile=\"0.25\"} "
     "8.1492e-05\ngo_gc_duration_seconds{quantile=\"0.5\"} "
     "0.000100656\ngo_gc_duration_seconds{quantile=\"0.75\"} "
     "0.000113913\ngo_gc_duration_seconds{quantile=\"1\"} 0.021754305\ngo_gc_duration_seconds_sum "
     "1.769429004\ngo_gc_duration_seconds_count 5962\n",
     {}},
    {"TestLintReservedChars",
     "request_duration::_seconds",
     "\n# HELP request_duration::_seconds Test metric.\n# TYPE request_duration::_seconds "
     "histogram\nrequest_duration::_seconds 10\n",
     {{"request_duration::_seconds", "metric names should not contain ':'"}}},
    {"TestLintCamelCase",
     "requestDuration_seconds",
     "\n# HELP requestDuration_seconds Test metric.\n# TYPE requestDuration_seconds "
     "histogram\nrequestDuration_seconds 10\n",
     {{"requestDuration_seconds",
       "metric names should be written in 'snake_case' not 'camelCase'"}}},
    {"TestLintCamelCase",
     "request_duration_seconds",
     "\n# HELP request_duration_seconds Test metric.\n# TYPE request_duration_seconds "
     "histogram\nrequest_duration_seconds{httpService=\"foo\"} 10\n",
     {{"request_duration_seconds",
       "label names should be written in 'snake_case' not 'camelCase'"}}},
    {"TestLintDuplicateMetric",
     "metric not unique",
     "\n# HELP not_unique_total the helptext\n# TYPE not_unique_total "
     "counter\nnot_unique_total{bar=\"abc\", spam=\"xyz\"} 1\nnot_unique_total{bar=\"abc\", "
     "spam=\"xyz\"} 2\n",
     {{"not_unique_total", "metric not unique"}}},
    {"TestLintMetricTypeInName",
     "counter with _counter suffix",
     "\n# HELP http_requests_counter Test metric.\n# TYPE http_requests_counter "
     "counter\nhttp_requests_counter 10\n",
     {{"http_requests_counter", "counter metrics should have \"_total\" suffix"},
      {"http_requests_counter", "metric name should not include type 'counter'"}}},
    {"TestLintMetricTypeInName",
     "gauge with _gauge suffix",
     "\n# HELP instance_memory_limit_bytes_gauge Test metric.\n# TYPE "
     "instance_memory_limit_bytes_gauge gauge\ninstance_memory_limit_bytes_gauge 10\n",
     {{"instance_memory_limit_bytes_gauge", "metric name should not include type 'gauge'"}}},
    {"TestLintMetricTypeInName",
     "summary with _summary suffix",
     "\n# HELP request_duration_seconds_summary Test metric.\n# TYPE "
     "request_duration_seconds_summary summary\nrequest_duration_seconds_summary 10\n",
     {{"request_duration_seconds_summary", "metric name should not include type 'summary'"}}},
    {"TestLintMetricTypeInName",
     "histogram with _histogram suffix",
     "\n# HELP request_duration_seconds_histogram Test metric.\n# TYPE "
     "request_duration_seconds_histogram histogram\nrequest_duration_seconds_histogram 10\n",
     {{"request_duration_seconds_histogram", "metric name should not include type 'histogram'"}}},
    {"TestLintMetricTypeInName",
     "HISTOGRAM upper case",
     "\n# HELP request_duration_seconds_HISTOGRAM Test metric.\n# TYPE "
     "request_duration_seconds_HISTOGRAM histogram\nrequest_duration_seconds_HISTOGRAM 10\n",
     {{"request_duration_seconds_HISTOGRAM", "metric name should not include type 'histogram'"}}},
    {"TestLintMetricTypeInName",
     "gauge with _gauge suffix",
     "\n# HELP instance_memory_limit_gauge_bytes Test metric.\n# TYPE "
     "instance_memory_limit_gauge_bytes gauge\ninstance_memory_limit_gauge_bytes 10\n",
     {{"instance_memory_limit_gauge_bytes", "metric name should not include type 'gauge'"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_b with abbreviated unit",
     "\n# HELP instance_memory_limit_b Test metric.\n# TYPE instance_memory_limit_b "
     "gauge\ninstance_memory_limit_b 10\n",
     {{"instance_memory_limit_b", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_kb with abbreviated unit",
     "\n# HELP instance_memory_limit_kb Test metric.\n# TYPE instance_memory_limit_kb "
     "gauge\ninstance_memory_limit_kb 10\n",
     {{"instance_memory_limit_kb", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_mb with abbreviated unit",
     "\n# HELP instance_memory_limit_mb Test metric.\n# TYPE instance_memory_limit_mb "
     "gauge\ninstance_memory_limit_mb 10\n",
     {{"instance_memory_limit_mb", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_MB with abbreviated unit",
     "\n# HELP instance_memory_limit_MB Test metric.\n# TYPE instance_memory_limit_MB "
     "gauge\ninstance_memory_limit_MB 10\n",
     {{"instance_memory_limit_MB", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_gb with abbreviated unit",
     "\n# HELP instance_memory_limit_gb Test metric.\n# TYPE instance_memory_limit_gb "
     "gauge\ninstance_memory_limit_gb 10\n",
     {{"instance_memory_limit_gb", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_tb with abbreviated unit",
     "\n# HELP instance_memory_limit_tb Test metric.\n# TYPE instance_memory_limit_tb "
     "gauge\ninstance_memory_limit_tb 10\n",
     {{"instance_memory_limit_tb", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "instance_memory_limit_pb with abbreviated unit",
     "\n# HELP instance_memory_limit_pb Test metric.\n# TYPE instance_memory_limit_pb "
     "gauge\ninstance_memory_limit_pb 10\n",
     {{"instance_memory_limit_pb", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_s with abbreviated unit",
     "\n# HELP request_duration_s Test metric.\n# TYPE request_duration_s "
     "gauge\nrequest_duration_s 10\n",
     {{"request_duration_s", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_ms with abbreviated unit",
     "\n# HELP request_duration_ms Test metric.\n# TYPE request_duration_ms "
     "gauge\nrequest_duration_ms 10\n",
     {{"request_duration_ms", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_us with abbreviated unit",
     "\n# HELP request_duration_us Test metric.\n# TYPE request_duration_us "
     "gauge\nrequest_duration_us 10\n",
     {{"request_duration_us", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_ns with abbreviated unit",
     "\n# HELP request_duration_ns Test metric.\n# TYPE request_duration_ns "
     "gauge\nrequest_duration_ns 10\n",
     {{"request_duration_ns", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_sec with abbreviated unit",
     "\n# HELP request_duration_sec Test metric.\n# TYPE request_duration_sec "
     "gauge\nrequest_duration_sec 10\n",
     {{"request_duration_sec", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_sec_duration with abbreviated unit",
     "\n# HELP request_sec_duration Test metric.\n# TYPE request_sec_duration "
     "gauge\nrequest_sec_duration 10\n",
     {{"request_sec_duration", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_m with abbreviated unit",
     "\n# HELP request_duration_m Test metric.\n# TYPE request_duration_m "
     "gauge\nrequest_duration_m 10\n",
     {{"request_duration_m", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_h with abbreviated unit",
     "\n# HELP request_duration_h Test metric.\n# TYPE request_duration_h "
     "gauge\nrequest_duration_h 10\n",
     {{"request_duration_h", "metric names should not contain abbreviated units"}}},
    {"TestLintUnitAbbreviations",
     "request_duration_d with abbreviated unit",
     "\n# HELP request_duration_d Test metric.\n# TYPE request_duration_d "
     "gauge\nrequest_duration_d 10\n",
     {{"request_duration_d", "metric names should not contain abbreviated units"}}},
};

class PromlintTableTest : public testing::TestWithParam<Row> {};

TEST_P(PromlintTableTest, GivesPromlintsProblems) {
  const Row& row = GetParam();
  auto source = StringSource(std::string(row.input), "table");
  CheckOptions options;  // default rules, default profile (promtool 3.x)
  CheckResult result = Check(*source, options);
  ASSERT_TRUE(result.error.ok()) << result.error.compat_message;
  std::vector<std::string> got, want;
  for (const Problem& p : result.problems) got.push_back(p.family + " " + p.message);
  for (const auto& [metric, text] : row.problems) {
    want.push_back(std::string(metric) + " " + std::string(text));
  }
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Promlint, PromlintTableTest, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& p) {
                           std::string id =
                               std::string(p.param.test).substr(4) + "_" + std::to_string(p.index);
                           return id;
                         });

}  // namespace
}  // namespace promtool::lint
