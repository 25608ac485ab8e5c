// Tests of Diff(): one table row per kind of difference and per filter, and corpus payloads
// diffed against their canonical (fmt) and protobuf forms, which must be equal.
#include "promtool/diff.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/model_access.h"
#include "promtool/convert.h"
#include "promtool/fmt.h"
#include "promtool/output.h"

namespace promtool {
namespace {

namespace fs = std::filesystem;

std::string Num(double v) {
  std::string s;
  AppendGoFloat(v, &s);
  return s;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += items[i];
  }
  return out + "]";
}

// One difference on one line, for comparing against the table's expectations.
std::string Render(const Difference& d) {
  std::string out = std::string(DiffKindName(d.kind)) + " " + d.family;
  switch (d.kind) {
    case DiffKind::kFamilyAdded:
    case DiffKind::kFamilyRemoved:
      return out + " (" + std::to_string(d.series) + " series)";
    case DiffKind::kTypeChanged:
    case DiffKind::kUnitChanged:
    case DiffKind::kHelpChanged:
      return out + ": " + d.old_text + " -> " + d.new_text;
    case DiffKind::kLabelNamesChanged:
    case DiffKind::kBucketLayoutChanged:
      return out + ": " + Join(d.old_items) + " -> " + Join(d.new_items);
    default:
      break;
  }
  out += "{";
  for (size_t i = 0; i < d.labels.size(); ++i) {
    if (i > 0) out += ",";
    out += d.labels[i].first + "=\"" + d.labels[i].second + "\"";
  }
  out += "}";
  if (d.kind == DiffKind::kValueChanged || d.kind == DiffKind::kCounterReset) {
    out += " " + std::string(DiffFieldName(d.field));
    if (d.field == DiffField::kBucket || d.field == DiffField::kQuantile) out += " " + Num(d.bound);
    out += ": " + Num(d.old_value) + " -> " + Num(d.new_value);
  }
  if (d.kind == DiffKind::kTimestampChanged) {
    out += ": " + (d.has_old_timestamp ? std::to_string(d.old_timestamp_ms) : "none") + " -> " +
           (d.has_new_timestamp ? std::to_string(d.new_timestamp_ms) : "none");
  }
  return out;
}

DiffResult DiffStrings(std::string_view a, std::string_view b, const DiffOptions& options = {}) {
  auto old_src = MemorySource(a, "old");
  auto new_src = MemorySource(b, "new");
  return Diff(*old_src, *new_src, options);
}

std::vector<std::string> RenderAll(const DiffResult& r) {
  std::vector<std::string> out;
  for (const Difference& d : r.differences) out.push_back(Render(d));
  return out;
}

struct Case {
  std::string name;
  std::string old_payload;
  std::string new_payload;
  std::vector<std::string> want;  // rendered differences, in result order; empty: equal
  DiffOptions options = {};
};

const char kCounter[] =
    "# HELP c_total Requests.\n# TYPE c_total counter\n"
    "c_total{code=\"200\",method=\"get\"} 10\nc_total{code=\"500\",method=\"get\"} 2\n";

const char kHistogram[] =
    "# TYPE h histogram\n"
    "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 4\n"
    "h_sum 2.5\nh_count 4\n";

DiffOptions With(void (*f)(DiffOptions&)) {
  DiffOptions o;
  f(o);
  return o;
}

std::vector<Case> Cases() {
  return {
      {"identical", kCounter, kCounter, {}},
      {"order_and_formatting_are_not_differences",
       kCounter,
       "# TYPE c_total counter\n# HELP c_total Requests.\n"
       "c_total{method=\"get\",code=\"500\",} 2.0\n"
       "c_total { method = \"get\" , code=\"200\" } 1e1\n",
       {}},
      {"family_added", "a 1\n", "a 1\nb{x=\"1\"} 2\nb{x=\"2\"} 2\n", {"family-added b (2 series)"}},
      {"family_removed", "a 1\nb 2\n", "a 1\n", {"family-removed b (1 series)"}},
      {"type_changed",
       "# TYPE a gauge\na 1\n",
       "# TYPE a counter\na 1\n",
       {"type-changed a: gauge -> counter"}},
      {"help_changed",
       "# HELP a Old text.\na 1\n",
       "# HELP a New text.\na 1\n",
       {"help-changed a: Old text. -> New text."}},
      {"help_escapes_are_not_differences",
       "# HELP a Line\\nbreak \\\\ x\na 1\n",
       "# HELP a Line\\nbreak \\\\ x\na 1\n",
       {}},
      {"help_absent_equals_empty", "# HELP a \na 1\n", "a 1\n", {}},
      {"unit_changed",
       "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n",
       "# TYPE a_seconds gauge\na_seconds 1\n# EOF\n",
       {"unit-changed a_seconds: seconds -> "}},
      {"series_added_and_removed",
       "a{x=\"1\"} 1\na{x=\"2\"} 1\n",
       "a{x=\"1\"} 1\na{x=\"3\"} 1\n",
       {"series-added a{x=\"3\"}", "series-removed a{x=\"2\"}"}},
      {"label_names_changed",
       "a{ns=\"n\",pod_name=\"p\"} 1\n",
       "a{ns=\"n\",pod=\"p\"} 1\n",
       {"label-names-changed a: [ns,pod_name] -> [ns,pod]", "series-added a{ns=\"n\",pod=\"p\"}",
        "series-removed a{ns=\"n\",pod_name=\"p\"}"}},
      {"escaped_label_values_compare_unescaped",
       "a{x=\"q\\\"u\\\\o\\nte\"} 1\n",
       "a{x=\"q\\\"u\\\\o\\nte\"} 1\n",
       {}},
      {"value_changed",
       "# TYPE g gauge\ng{x=\"1\"} 1.5\n",
       "# TYPE g gauge\ng{x=\"1\"} 2.5\n",
       {"value-changed g{x=\"1\"} value: 1.5 -> 2.5"}},
      {"gauge_going_down_is_a_value_change",
       "# TYPE g gauge\ng 5\n",
       "# TYPE g gauge\ng 1\n",
       {"value-changed g{} value: 5 -> 1"}},
      {"counter_reset",
       kCounter,
       "# HELP c_total Requests.\n# TYPE c_total counter\n"
       "c_total{code=\"200\",method=\"get\"} 3\nc_total{code=\"500\",method=\"get\"} 7\n",
       {"value-changed c_total{code=\"500\",method=\"get\"} value: 2 -> 7",
        "counter-reset c_total{code=\"200\",method=\"get\"} value: 10 -> 3"}},
      {"abs_tolerance_within", "g 100\n", "g 100.4\n", {}, With([](DiffOptions& o) {
         o.abs_tolerance = 0.5;
       })},
      {"abs_tolerance_beyond",
       "g 100\n",
       "g 100.6\n",
       {"value-changed g{} value: 100 -> 100.6"},
       With([](DiffOptions& o) { o.abs_tolerance = 0.5; })},
      {"rel_tolerance_within", "g 1000\n", "g 1009\n", {}, With([](DiffOptions& o) {
         o.rel_tolerance = 0.01;
       })},
      {"rel_tolerance_beyond",
       "g 1000\n",
       "g 1020\n",
       {"value-changed g{} value: 1000 -> 1020"},
       With([](DiffOptions& o) { o.rel_tolerance = 0.01; })},
      {"nan_equals_nan_and_inf_itself", "a NaN\nb +Inf\nc -0\n", "a NaN\nb +Inf\nc 0\n", {}},
      {"nan_differs_from_a_number", "a NaN\n", "a 1\n", {"value-changed a{} value: NaN -> 1"}},
      {"ignore_values",
       kCounter,
       "# HELP c_total Requests.\n# TYPE c_total counter\n"
       "c_total{code=\"200\",method=\"get\"} 3\nc_total{code=\"500\",method=\"get\"} 7\n",
       {},
       With([](DiffOptions& o) { o.ignore_values = true; })},
      {"ignore_values_keeps_structure",
       "a{x=\"1\"} 1\n",
       "a{x=\"2\"} 5\n",
       {"series-added a{x=\"2\"}", "series-removed a{x=\"1\"}"},
       With([](DiffOptions& o) { o.ignore_values = true; })},
      {"bucket_layout_changed",
       kHistogram,
       "# TYPE h histogram\n"
       "h_bucket{le=\"0.5\"} 1\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 4\n"
       "h_sum 2.5\nh_count 4\n",
       {"bucket-layout-changed h: [0.1,1] -> [0.5,1]"}},
      {"histogram_values_changed",
       kHistogram,
       "# TYPE h histogram\n"
       "h_bucket{le=\"0.1\"} 2\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 5\n"
       "h_sum 2.75\nh_count 5\n",
       {"value-changed h{} count: 4 -> 5", "value-changed h{} sum: 2.5 -> 2.75",
        "value-changed h{} bucket 0.1: 1 -> 2", "value-changed h{} bucket +Inf: 4 -> 5"}},
      {"histogram_reset",
       kHistogram,
       "# TYPE h histogram\n"
       "h_bucket{le=\"0.1\"} 0\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n"
       "h_sum 0.5\nh_count 1\n",
       {"counter-reset h{} count: 4 -> 1"}},
      {"histogram_bucket_order_is_not_a_difference",
       kHistogram,
       "# TYPE h histogram\nh_count 4\nh_sum 2.5\n"
       "h_bucket{le=\"+Inf\"} 4\nh_bucket{le=\"1.0\"} 3\nh_bucket{le=\"0.1\"} 1\n",
       {}},
      {"summary_quantile_changed",
       "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.99\"} 2\ns_sum 10\ns_count 5\n",
       "# TYPE s summary\ns{quantile=\"0.99\"} 3\ns{quantile=\"0.5\"} 1\ns_sum 10\ns_count 5\n",
       {"value-changed s{} quantile 0.99: 2 -> 3"}},
      {"timestamp_changed",
       "a 1 1000\nb 1 1000\nc 1\n",
       "a 1 2000\nb 1\nc 1 3000\n",
       {"timestamp-changed a{}: 1000 -> 2000", "timestamp-changed b{}: 1000 -> none",
        "timestamp-changed c{}: none -> 3000"}},
      {"ignore_timestamps", "a 1 1000\nb 1 1000\n", "a 1 2000\nb 1\n", {}, With([](DiffOptions& o) {
         o.ignore_timestamps = true;
       })},
      {"ignore_metrics",
       "go_gc 1\nprocess_cpu 1\napp 1\n",
       "go_gc 2\nprocess_cpu 2\napp 1\n",
       {},
       With([](DiffOptions& o) { o.ignore_metrics = {"^(go|process)_"}; })},
      {"ignore_metrics_is_a_partial_match",
       "a_go_x 1\nb 1\n",
       "a_go_x 2\nb 2\n",
       {"value-changed b{} value: 1 -> 2"},
       With([](DiffOptions& o) { o.ignore_metrics = {"go_"}; })},
      {"ignore_metrics_repeated",
       "a 1\nb 1\nc 1\n",
       "a 2\nb 2\nc 2\n",
       {"value-changed c{} value: 1 -> 2"},
       With([](DiffOptions& o) {
         o.ignore_metrics = {"^a$", "^b$"};
       })},
      {"ignore_metrics_hides_added_families",
       "a 1\n",
       "a 1\ngo_x 1\n",
       {},
       With([](DiffOptions& o) { o.ignore_metrics = {"^go_"}; })},
      {"only",
       "app_a 1\napp_b 1\nother 1\n",
       "app_a 2\napp_b 1\nother 2\n",
       {"value-changed app_a{} value: 1 -> 2"},
       With([](DiffOptions& o) { o.only = {"^app_"}; })},
      {"only_and_ignore_metrics",
       "app_a 1\napp_b 1\n",
       "app_a 2\napp_b 2\n",
       {"value-changed app_b{} value: 1 -> 2"},
       With([](DiffOptions& o) {
         o.only = {"^app_"};
         o.ignore_metrics = {"_a$"};
       })},
      {"ignore_labels",
       "a{instance=\"h1:9100\",x=\"1\"} 1\n",
       "a{instance=\"h2:9100\",x=\"1\"} 1\n",
       {},
       With([](DiffOptions& o) { o.ignore_labels = {"instance"}; })},
      {"ignore_labels_several",
       "a{instance=\"h1\",job=\"j1\",x=\"1\"} 1\n",
       "a{x=\"1\",job=\"j2\",instance=\"h2\"} 3\n",
       {"value-changed a{x=\"1\"} value: 1 -> 3"},
       With([](DiffOptions& o) {
         o.ignore_labels = {"instance", "job"};
       })},
      {"split_family_is_merged",
       "a{x=\"1\"} 1\nb 1\na{x=\"2\"} 2\n",
       "b 1\na{x=\"2\"} 2\na{x=\"1\"} 1\n",
       {}},
      {"duplicates_match_in_order",
       "a 1\na 2\n",
       "a 1\na 3\na 4\n",
       {"series-added a{}", "value-changed a{} value: 2 -> 3"}},
      {"several_kinds_sorted_by_family_then_kind",
       "# TYPE z gauge\nz 1\n# TYPE a gauge\na{x=\"1\"} 1\n",
       "# TYPE a counter\na{x=\"1\"} 2\na{x=\"2\"} 1\n# TYPE z gauge\nz 2\n",
       {"type-changed a: gauge -> counter", "series-added a{x=\"2\"}",
        "value-changed a{x=\"1\"} value: 1 -> 2", "value-changed z{} value: 1 -> 2"}},
      {"empty_payloads", "", "", {}},
      {"untyped_equals_openmetrics_unknown",
       "# TYPE a untyped\na 1\n",
       "# TYPE a unknown\na 1\n# EOF\n",
       {}},
      {"unknown_to_gauge_is_a_type_change",
       "# TYPE a unknown\na 1\n# EOF\n",
       "# TYPE a gauge\na 1\n",
       {"type-changed a: unknown -> gauge"}},
      {"duplicates_after_ignored_labels_match_in_order",
       "a{pod=\"p1\",x=\"1\"} 1\na{pod=\"p2\",x=\"1\"} 2\na{pod=\"p3\",x=\"1\"} 3\n",
       "a{pod=\"q1\",x=\"1\"} 1\na{pod=\"q2\",x=\"1\"} 2\na{pod=\"q3\",x=\"1\"} 4\n",
       {"value-changed a{x=\"1\"} value: 3 -> 4"},
       With([](DiffOptions& o) { o.ignore_labels = {"pod"}; })},
  };
}

class DiffTable : public testing::TestWithParam<Case> {};

TEST_P(DiffTable, Differences) {
  const Case& c = GetParam();
  DiffResult r = DiffStrings(c.old_payload, c.new_payload, c.options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(RenderAll(r), c.want);
  EXPECT_EQ(r.equal(), c.want.empty());
  EXPECT_EQ(r.counts.total() == 0, c.want.empty());
  // Indexing NEW and streaming OLD gives the same result.
  DiffOptions swapped = c.options;
  swapped.index_new = true;
  DiffResult rs = DiffStrings(c.old_payload, c.new_payload, swapped);
  ASSERT_TRUE(rs.ok());
  EXPECT_EQ(RenderAll(rs), c.want) << "with index_new";
  EXPECT_EQ(rs.counts.total(), r.counts.total());
  EXPECT_EQ(rs.counts.series_added, r.counts.series_added);
  EXPECT_EQ(rs.counts.counter_resets, r.counts.counter_resets);
}

INSTANTIATE_TEST_SUITE_P(Diff, DiffTable, testing::ValuesIn(Cases()),
                         [](const testing::TestParamInfo<Case>& p) { return p.param.name; });

TEST(Diff, CountsEveryKind) {
  DiffResult r = DiffStrings(
      "# TYPE c_total counter\nc_total{a=\"1\"} 5\nc_total{a=\"2\"} 1\ngone 1\n"
      "# TYPE g gauge\n# HELP g x\ng 1 100\n",
      "# TYPE c_total counter\nc_total{a=\"1\"} 4\nc_total{a=\"3\"} 1\nnew 1\n"
      "# TYPE g counter\n# HELP g y\ng 2 200\n");
  ASSERT_TRUE(r.ok());
  const DiffCounts& c = r.counts;
  EXPECT_EQ(c.old_families, 3u);
  EXPECT_EQ(c.new_families, 3u);
  EXPECT_EQ(c.old_series, 4u);
  EXPECT_EQ(c.new_series, 4u);
  EXPECT_EQ(c.families_added, 1u);
  EXPECT_EQ(c.families_removed, 1u);
  EXPECT_EQ(c.families_changed, 2u);
  EXPECT_EQ(c.types_changed, 1u);
  EXPECT_EQ(c.helps_changed, 1u);
  EXPECT_EQ(c.series_added, 1u);
  EXPECT_EQ(c.series_removed, 1u);
  EXPECT_EQ(c.counter_resets, 1u);
  EXPECT_EQ(c.values_changed, 1u);
  EXPECT_EQ(c.timestamps_changed, 1u);
  EXPECT_EQ(c.total(), 9u);
}

TEST(Diff, MaxDifferencesKeepsCounts) {
  DiffOptions options;
  options.max_differences = 0;
  DiffResult r = DiffStrings("a 1\nb 1\n", "a 2\nb 2\n", options);
  EXPECT_TRUE(r.differences.empty());
  EXPECT_EQ(r.counts.values_changed, 2u);
  EXPECT_FALSE(r.equal());
  options.max_differences = 1;
  r = DiffStrings("a 1\nb 1\n", "a 2\nb 2\n", options);
  EXPECT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.counts.values_changed, 2u);
}

TEST(Diff, InvalidRegexIsAnOptionError) {
  DiffOptions options;
  options.only = {"("};
  DiffResult r = DiffStrings("a 1\n", "a 1\n", options);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, ErrorCode::kOption);
  EXPECT_FALSE(r.error.located());
  EXPECT_NE(r.error.message.find("--only"), std::string::npos) << r.error.message;
  options.only.clear();
  options.ignore_metrics = {"[z-a]"};
  r = DiffStrings("a 1\n", "a 1\n", options);
  EXPECT_NE(r.error.message.find("--ignore-metrics"), std::string::npos) << r.error.message;
}

TEST(Diff, ParseErrorsSayWhichInput) {
  DiffResult r = DiffStrings("a{ 1\n", "a 1\n");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error_input, 0);
  EXPECT_EQ(r.error.line, 1u);
  r = DiffStrings("a 1\n", "a 1\nb x\n");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error_input, 1);
  EXPECT_EQ(r.error.line, 2u);
  EXPECT_TRUE(r.differences.empty());
  DiffOptions swapped;
  swapped.index_new = true;
  r = DiffStrings("a 1\n", "a 1\nb x\n", swapped);
  EXPECT_EQ(r.error_input, 1);
  r = DiffStrings("a{ 1\n", "a 1\n", swapped);
  EXPECT_EQ(r.error_input, 0);
}

TEST(Diff, StreamedInputsGiveTheSameResult) {
  const std::string a = std::string(kCounter) + kHistogram + "x{a=\"1\"} 1\n";
  const std::string b = std::string(kHistogram) + "x{a=\"2\"} 1\n" + kCounter;
  DiffResult whole = DiffStrings(a, b);
  StreamOptions so;
  so.chunk_bytes = 7;
  auto old_src = ChunkedMemorySource(a, "old", so);
  auto new_src = ChunkedMemorySource(b, "new", so);
  DiffResult streamed = Diff(*old_src, *new_src, DiffOptions{});
  ASSERT_TRUE(streamed.ok()) << streamed.error.message;
  EXPECT_EQ(RenderAll(streamed), RenderAll(whole));
  EXPECT_EQ(RenderAll(whole),
            (std::vector<std::string>{"series-added x{a=\"2\"}", "series-removed x{a=\"1\"}"}));
}

// 100k series equal but for an ignored label (the documented use of ignore_labels): every one is
// a duplicate of the others, which took quadratic time (40 s) when each match walked the chain.
TEST(Diff, ManyDuplicatesAfterIgnoredLabelsTakeLinearTime) {
  constexpr int kSeries = 100000;
  std::string a, b;
  for (int i = 0; i < kSeries; ++i) {
    a += "a{pod=\"p" + std::to_string(i) + "\",x=\"1\"} 1\n";
    b += "a{pod=\"q" + std::to_string(i) + "\",x=\"1\"} 1\n";
  }
  b += "a{pod=\"extra\",x=\"1\"} 1\n";
  DiffOptions options;
  options.ignore_labels = {"pod"};
  for (bool index_new : {false, true}) {
    SCOPED_TRACE(index_new ? "index_new" : "index_old");
    options.index_new = index_new;
    const std::clock_t start = std::clock();  // CPU time: robust on a loaded machine
    DiffResult r = DiffStrings(a, b, options);
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(RenderAll(r), (std::vector<std::string>{"series-added a{x=\"1\"}"}));
    EXPECT_EQ(r.counts.old_series, uint64_t{kSeries});
    EXPECT_EQ(r.counts.new_series, uint64_t{kSeries} + 1);
    // Linear: about 0.2 s of CPU; the quadratic chain walk took about 40 s.
    EXPECT_LT(seconds, 5.0);
  }
}

// A payload and its OpenMetrics conversion: untyped and unknown are the same type.
TEST(Diff, UntypedEqualsItsOpenMetricsConversion) {
  const std::string text = "# HELP a Some help.\n# TYPE a untyped\na{x=\"1\"} 1\nb 2\n";
  for (OutputFormat to : {OutputFormat::kOpenMetrics, OutputFormat::kProtobuf}) {
    auto src = MemorySource(text);
    ConvertOptions options;
    options.to = to;
    StringSink sink;
    ConvertResult converted = Convert(*src, sink, options);
    ASSERT_TRUE(converted.ok()) << converted.error.message;
    for (bool reverse : {false, true}) {
      DiffResult r = reverse ? DiffStrings(sink.data, text) : DiffStrings(text, sink.data);
      ASSERT_TRUE(r.ok()) << r.error.message;
      EXPECT_EQ(RenderAll(r), std::vector<std::string>{}) << sink.data;
    }
  }
}

// corpus/text/valid/*.prom against its fmt output and its protobuf conversion: equal.

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const auto& e :
       fs::directory_iterator(fs::path(PROMTOOL_SOURCE_DIR) / "corpus/text/valid")) {
    if (e.path().extension() == ".prom") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Canonical text with its families in reverse order and the sample lines of each family
// reversed (comment lines stay first).
std::string Reversed(std::string_view canonical) {
  std::vector<std::string> blocks;
  std::vector<std::string> samples;
  std::string comments;
  auto flush = [&] {
    if (comments.empty() && samples.empty()) return;
    std::string block = comments;
    for (auto it = samples.rbegin(); it != samples.rend(); ++it) block += *it + "\n";
    blocks.push_back(std::move(block));
    comments.clear();
    samples.clear();
  };
  size_t p = 0;
  while (p < canonical.size()) {
    const size_t end = canonical.find('\n', p);
    std::string line(canonical.substr(p, end - p));
    p = end + 1;
    if (line[0] == '#') {
      if (!samples.empty()) flush();
      comments += line + "\n";
    } else {
      samples.push_back(std::move(line));
    }
  }
  flush();
  std::string out;
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) out += *it;
  return out;
}

TEST(DiffCorpus, EqualToItsCanonicalAndReorderedForms) {
  const std::vector<fs::path> files = CorpusFiles();
  ASSERT_FALSE(files.empty());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    const std::string original = ReadAll(path);
    auto src = MemorySource(original);
    FmtResult formatted = Fmt(*src, FmtOptions{});
    ASSERT_TRUE(formatted.ok()) << formatted.error.message;
    for (const std::string& other : {formatted.output, Reversed(formatted.output)}) {
      DiffResult r = DiffStrings(original, other);
      ASSERT_TRUE(r.ok()) << r.error.message << " in\n" << other;
      EXPECT_TRUE(r.equal()) << (r.differences.empty() ? "" : Render(r.differences[0]));
      EXPECT_EQ(r.counts.old_series, r.counts.new_series);
    }
  }
}

TEST(DiffCorpus, EqualToItsProtobufForm) {
  for (const fs::path& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    const std::string original = ReadAll(path);
    auto src = MemorySource(original);
    ConvertOptions options;
    options.to = OutputFormat::kProtobuf;
    StringSink sink;
    ConvertResult converted = Convert(*src, sink, options);
    ASSERT_TRUE(converted.ok()) << converted.error.message;
    // A family with HELP/TYPE and no samples has no protobuf record (a reported loss): such a
    // payload is not equal to its protobuf form.
    if (!converted.losses.empty()) continue;
    DiffResult r = DiffStrings(original, sink.data);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.new_format, InputFormat::kProtobuf);
    EXPECT_TRUE(r.equal()) << (r.differences.empty() ? "" : Render(r.differences[0]));
    // And the other way round.
    r = DiffStrings(sink.data, original);
    EXPECT_TRUE(r.equal()) << (r.differences.empty() ? "" : Render(r.differences[0]));
  }
}

TEST(DiffCorpus, ChangedValueIsFound) {
  const std::string original =
      ReadAll(fs::path(PROMTOOL_SOURCE_DIR) / "corpus/text/valid/node.prom");
  // Change the value of the first sample line.
  std::string changed = original;
  size_t line = 0;
  while (changed[line] == '#') line = changed.find('\n', line) + 1;
  const size_t end = changed.find('\n', line);
  const size_t space = changed.rfind(' ', end);
  changed.replace(space + 1, end - space - 1, "123456789");
  DiffResult r = DiffStrings(original, changed);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.counts.total(), 1u);
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].new_value, 123456789);
}

// A text family larger than one part (4096 series) is read in parts and merged per family: the
// same result as one piece, and no family-level difference between the parts.
TEST(Diff, FamilyReadInPartsIsComparedAsOne) {
  constexpr int kSeries = 10000;
  std::string a = "# HELP g A gauge.\n# TYPE g gauge\n", b = a;
  for (int i = 0; i < kSeries; ++i) {
    const std::string pod = std::to_string(i);
    a += "g{pod=\"" + pod + "\"} 1\n";  // NOLINT
    if (i == 5000) {
      b += "g{pod=\"" + pod + "\"} 2\n";  // NOLINT
    } else if (i != 7000) {
      b += "g{pod=\"" + pod + "\"} 1\n";  // NOLINT
    }
  }
  b += "g{pod=\"new\"} 1\n";
  for (bool index_new : {false, true}) {
    SCOPED_TRACE(index_new ? "index_new" : "index_old");
    DiffOptions options;
    options.index_new = index_new;
    DiffResult r = DiffStrings(a, b, options);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.counts.old_families, 1u);
    EXPECT_EQ(r.counts.new_families, 1u);
    EXPECT_EQ(r.counts.old_series, uint64_t{kSeries});
    EXPECT_EQ(r.counts.new_series, uint64_t{kSeries});
    EXPECT_EQ(RenderAll(r), (std::vector<std::string>{
                                "series-added g{pod=\"new\"}", "series-removed g{pod=\"7000\"}",
                                "value-changed g{pod=\"5000\"} value: 1 -> 2"}));
  }
}

// What diff holds is bounded by max_held_bytes (set for URL inputs): past it, a kLimit error
// that names the input being read, the bytes and the option to raise.
TEST(Diff, HeldBytesPastTheBoundIsALimitError) {
  std::string many;
  for (int i = 0; i < 20000; ++i) {
    many += "# TYPE m_" + std::to_string(i) + " gauge\nm_" + std::to_string(i) + " 1\n";
  }
  const std::string few = "# TYPE m_0 gauge\nm_0 1\n";
  struct HeldCase {
    const char* name;
    bool many_is_old;
    bool index_new;
    uint64_t bound;
    int error_input;  // -1: no error
  };
  for (const HeldCase& c : {HeldCase{"old indexed", true, false, 1 << 20, 0},
                            HeldCase{"new indexed", false, true, 1 << 20, 1},
                            HeldCase{"many streamed", false, false, 1 << 20, 1},
                            HeldCase{"ample", true, false, uint64_t{256} << 20, -1},
                            HeldCase{"unbounded", true, false, 0, -1}}) {
    SCOPED_TRACE(c.name);
    DiffOptions options;
    options.index_new = c.index_new;
    options.max_held_bytes = c.bound;
    DiffResult r =
        c.many_is_old ? DiffStrings(many, few, options) : DiffStrings(few, many, options);
    if (c.error_input < 0) {
      ASSERT_TRUE(r.ok()) << r.error.message;
      EXPECT_EQ(r.counts.families_added + r.counts.families_removed, 19999u);
      continue;
    }
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.code, ErrorCode::kLimit);
    EXPECT_FALSE(r.error.located());
    EXPECT_EQ(r.error_input, c.error_input);
    EXPECT_EQ(r.error.message.rfind("diff holds ", 0), 0u) << r.error.message;
    EXPECT_NE(r.error.message.find(" bytes for the families and series read so far, past 1048576, "
                                   "the most it holds when an input is a URL (--body-size-limit); "
                                   "raise --body-size-limit, or diff saved files"),
              std::string::npos)
        << r.error.message;
    EXPECT_TRUE(r.differences.empty());
  }
}

}  // namespace
}  // namespace promtool
