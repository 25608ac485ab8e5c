// Tests that RelabelStream's fast path (text in, text out, on the text reader's label views)
// gives exactly what the owning path gives: output bytes, counts, losses and errors, over every
// text corpus file and a table of inputs, for many rule sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "peak_sink.h"
#include "promtool/output.h"
#include "promtool/relabel_stream.h"
#include "promtool/source.h"

namespace promtool {
namespace {

struct RuleSet {
  const char* name;
  const char* yaml;
};

void PrintTo(const RuleSet& set, std::ostream* os) { *os << set.name; }

// The docs' worked example, the docs' "every series" rules, and one or more sets per action and
// per corner (rules on __name__, le and quantile; rules that make duplicate series, empty label
// sets, split series, non-legacy names).
const RuleSet kRuleSets[] = {
    {"none", "[]"},
    {"docs_worked_example",
     "- {source_labels: [__name__], regex: go_.*, action: drop}\n"
     "- {source_labels: [pod], target_label: pod_name}\n"
     "- {regex: token, action: labeldrop}\n"
     "- {source_labels: [pod], modulus: 4, target_label: __tmp_shard, action: hashmod}\n"
     "- {source_labels: [__tmp_shard], regex: \"1\", action: keep}\n"
     "- {regex: __tmp_shard, action: labeldrop}\n"},
    {"docs_every_series",
     "- {source_labels: [__name__], regex: go_.*, action: drop}\n"
     "- {source_labels: [pod], target_label: pod_name}\n"
     "- {regex: token, action: labeldrop}\n"
     "- {source_labels: [pod], modulus: 4, target_label: shard, action: hashmod}\n"},
    {"keep_by_name", "- {source_labels: [__name__], regex: \"[a-m].*\", action: keep}\n"},
    {"drop_by_name_regex",
     "- {source_labels: [__name__], regex: \".*_(total|count)\", action: drop}\n"},
    {"replace_groups",
     "- {source_labels: [__name__], regex: \"(.*)_(.*)\", target_label: \"part_${2}\", "
     "replacement: \"$1\"}\n"},
    {"replace_constant", "- {target_label: env, replacement: prod}\n"},
    {"replace_empty_deletes", "- {source_labels: [nothing], regex: \"(.*)\", target_label: job}\n"},
    {"labelmap", "- {regex: \"(.*)\", replacement: \"copy_${1}\", action: labelmap}\n"},
    {"labeldrop_regex", "- {regex: \"(code|method|.*id|instance)\", action: labeldrop}\n"},
    {"labelkeep_duplicates", "- {regex: \"__name__|le|quantile\", action: labelkeep}\n"},
    {"labeldrop_everything_splits", "- {regex: \".*\", action: labeldrop}\n"},
    {"hashmod_keep",
     "- {source_labels: [__name__], modulus: 3, target_label: shard, action: hashmod}\n"
     "- {source_labels: [shard], regex: \"0|1\", action: keep}\n"},
    {"lowercase_value", "- {source_labels: [__name__], target_label: lower, action: lowercase}\n"},
    {"uppercase_name_splits",
     "- {source_labels: [__name__], target_label: __name__, action: uppercase}\n"},
    {"rename_family",
     "- {source_labels: [__name__], regex: \"(.*)\", target_label: __name__, "
     "replacement: \"renamed_${1}\"}\n"},
    {"rename_to_utf8_name",
     "- {source_labels: [__name__], regex: \"(.*)\", target_label: __name__, "
     "replacement: \"my.${1}\"}\n"
     "- {target_label: \"my.label\", replacement: \"v\\\"x\"}\n"},
    {"rename_some_to_one_name",
     "- {source_labels: [__name__], regex: \"[a-g].*\", target_label: __name__, "
     "replacement: merged}\n"},
    {"drop_buckets", "- {source_labels: [le], regex: \"0.5|1.0|\\\\+Inf\", action: drop}\n"},
    {"drop_quantiles", "- {source_labels: [quantile], regex: \"0.5|0.9\", action: drop}\n"},
    {"set_le_splits", "- {target_label: le, replacement: \"7\"}\n"},
    {"drop_sum_splits", "- {source_labels: [__name__], regex: \".*_sum\", action: drop}\n"},
    {"keepequal_dropequal",
     "- {source_labels: [__name__], target_label: __name__, action: keepequal}\n"
     "- {source_labels: [job], target_label: instance, action: dropequal}\n"},
    {"empty_label_set",
     "- {regex: \".*\", action: labeldrop}\n"
     "- {target_label: __name__, replacement: only}\n"},
};

// Inputs beyond the corpus: escapes, quoted names, empty values, timestamps, types the text
// reader maps, fractional counts, interleaved families, histograms without +Inf, errors.
const char* const kInputs[] = {
    "# HELP a_total  leading blanks and \\\\ \\n escapes\n# TYPE a_total counter\n"
    "a_total{code=\"200\",pod=\"p\\\\1\",token=\"t\"} 1 1700000000000\n"
    "a_total{code=\"500\",pod=\"\",token=\"t\\\"q\\n\"} 2.5e3\n",
    "# TYPE go_x gauge\ngo_x 1\n# TYPE h histogram\n"
    "h_bucket{pod=\"a\",le=\"0.5\"} 1\nh_bucket{pod=\"a\",le=\"1\"} 2\n"
    "h_bucket{pod=\"a\",le=\"+Inf\"} 3\nh_sum{pod=\"a\"} 4\nh_count{pod=\"a\"} 3\n"
    "h_bucket{pod=\"b\",le=\"1\"} 2.5\nh_sum{pod=\"b\"} -0\nh_count{pod=\"b\"} 2.5\n",
    "# TYPE s summary\ns{quantile=\"0.5\",job=\"j\"} 1\ns{quantile=\"0.9\",job=\"j\"} 2\n"
    "s_sum{job=\"j\"} 3\ns_count{job=\"j\"} 4.5\ns{job=\"k\",quantile=\"0.5\"} NaN\n"
    "s_count{job=\"k\"} 1\n",
    "# TYPE g gauge_histogram\ng_bucket{le=\"1\"} 1\ng_gsum 2\ng_gcount 1\n",
    "x{a=\"1\"} 1\ny 2\nx{a=\"2\"} 3\n# HELP y again\n",
    "{\"my.metric\",\"my.label\"=\"v\",job=\"j\"} 1\n# TYPE \"other.one\" counter\n"
    "{\"other.one\",instance=\"i\",job=\"i\"} 2\n",
    "# TYPE only_meta counter\n# HELP only_meta no samples\n",
    "a 1\nb{ 2\n",
    "# TYPE e summary\ne_sum 1\ne_count 2\n# TYPE f histogram\nf_count 3\nf_sum 1\n",
    "",
};

struct PathRun {
  std::string output;
  RelabelStreamResult result;
};

PathRun RelabelWith(const std::string& input, const RelabelRules& rules, bool fast,
                    bool honor_timestamps) {
  PathRun run;
  auto source = StringSource(input, "input.prom");
  StringSink sink;
  RelabelStreamOptions options;
  options.from = InputFormat::kText;
  options.fast_path = fast;
  options.honor_timestamps = honor_timestamps;
  run.result = RelabelStream(*source, sink, rules, options);
  run.output = std::move(sink.data);
  return run;
}

// Compares the two paths on one input; `what` names the case in failure messages.
void ExpectSamePaths(const std::string& input, const RelabelRules& rules, const std::string& what,
                     bool honor_timestamps = true) {
  const PathRun owning = RelabelWith(input, rules, /*fast=*/false, honor_timestamps);
  const PathRun fast = RelabelWith(input, rules, /*fast=*/true, honor_timestamps);
  EXPECT_EQ(fast.output, owning.output) << what;
  const Error& a = fast.result.error;
  const Error& b = owning.result.error;
  EXPECT_EQ(a.code, b.code) << what;
  EXPECT_EQ(a.message, b.message) << what;
  EXPECT_EQ(a.offset, b.offset) << what;
  EXPECT_EQ(a.line, b.line) << what;
  EXPECT_EQ(a.column, b.column) << what;
  EXPECT_EQ(fast.result.losses, owning.result.losses) << what;
  EXPECT_EQ(fast.result.series, owning.result.series) << what;
  EXPECT_EQ(fast.result.dropped, owning.result.dropped) << what;
  EXPECT_EQ(fast.result.relabelled, owning.result.relabelled) << what;
  EXPECT_EQ(fast.result.unchanged, owning.result.unchanged) << what;
  EXPECT_EQ(fast.result.samples_kept, owning.result.samples_kept) << what;
}

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"corpus/text/valid", "corpus/text/invalid"}) {
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::path(PROMTOOL_SOURCE_DIR) / dir)) {
      if (e.path().extension() == ".prom") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RelabelRules CompileRules(const RuleSet& set) {
  RelabelLoadResult loaded = LoadRelabelConfigs(set.yaml);
  EXPECT_FALSE(loaded.error) << set.name << ": " << loaded.error->message;
  auto rules = RelabelRules::Compile(loaded.configs);
  EXPECT_TRUE(rules.ok()) << set.name << ": " << rules.status();
  return std::move(*rules);
}

class RelabelFastPathTest : public ::testing::TestWithParam<RuleSet> {};

TEST_P(RelabelFastPathTest, CorpusFilesGiveWhatTheOwningPathGives) {
  const RelabelRules rules = CompileRules(GetParam());
  const std::vector<std::filesystem::path> files = CorpusFiles();
  ASSERT_GT(files.size(), 50u);
  for (const auto& path : files) ExpectSamePaths(ReadFile(path), rules, path.filename().string());
}

TEST_P(RelabelFastPathTest, TableInputsGiveWhatTheOwningPathGives) {
  const RelabelRules rules = CompileRules(GetParam());
  for (const char* input : kInputs) ExpectSamePaths(input, rules, input);
}

TEST_P(RelabelFastPathTest, WithoutTimestampsGivesWhatTheOwningPathGives) {
  const RelabelRules rules = CompileRules(GetParam());
  for (const char* input : kInputs) ExpectSamePaths(input, rules, input, /*honor=*/false);
}

TEST(RelabelFastPath, TakesTheDocsExampleFamilies) {
  const RelabelRules rules = CompileRules(kRuleSets[1]);
  const PathRun run = RelabelWith(kInputs[1], rules, /*fast=*/true, /*honor_timestamps=*/true);
  ASSERT_TRUE(run.result.ok()) << run.result.error.message;
  EXPECT_EQ(run.result.fast_families, 2u);  // go_x and h
}

TEST(RelabelFastPath, LeavesASplitSeriesToTheOwningPath) {
  const RelabelRules rules = CompileRules(kRuleSets[21]);  // drop_sum_splits
  ASSERT_EQ(std::string(kRuleSets[21].name), "drop_sum_splits");
  const PathRun run = RelabelWith(kInputs[1], rules, /*fast=*/true, /*honor_timestamps=*/true);
  EXPECT_EQ(run.result.error.code, ErrorCode::kRelabelSplit);
  EXPECT_EQ(run.result.fast_families, 1u);  // go_x; h went to the owning path, which failed
}

TEST(RelabelFastPath, IsNotTakenForOtherOutputFormats) {
  const RelabelRules rules = CompileRules(kRuleSets[1]);
  auto source = StringSource(kInputs[1]);
  StringSink sink;
  RelabelStreamOptions options;
  options.to = OutputFormat::kOpenMetrics;
  const RelabelStreamResult r = RelabelStream(*source, sink, rules, options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.fast_families, 0u);
}

// A gauge family of more series than a part (read in parts on the fast path, whole on the
// owning path), then a small one.
std::string LargeFamilyInput(int series) {
  std::string text = "# HELP big A large family.\n# TYPE big gauge\n";
  for (int i = 0; i < series; ++i) {
    text += "big{pod=\"pod-" + std::to_string(i) + "\",code=\"" + std::to_string(200 + i % 4) +
            "\",token=\"t\\\\" + std::to_string(i % 7) + "\"} " + std::to_string(i) + "\n";
  }
  return text + "# TYPE go_after_total counter\ngo_after_total 1\n";
}

TEST_P(RelabelFastPathTest, ALargeFamilyInPartsGivesWhatTheOwningPathGives) {
  const RelabelRules rules = CompileRules(GetParam());
  ExpectSamePaths(LargeFamilyInput(10000), rules, "large family");
}

// The fast path reads a large family in parts: the heap it holds while writing stays bounded
// whatever the family's size (400k series, about 25 MB of text, read like a pipe).
TEST(RelabelFastPath, ALargeFamilyIsRelabelledInBoundedMemory) {
  const RelabelRules rules = CompileRules(kRuleSets[1]);  // docs_worked_example
  const std::string text = LargeFamilyInput(400000);
  StreamOptions so;
  so.chunk_bytes = 64 * 1024;
  std::unique_ptr<Source> source = ChunkedMemorySource(text, "big.prom", so);
  RelabelStreamOptions options;
  options.from = InputFormat::kText;
  promtool_test::PeakSink sink;
  const uint64_t before = promtool_test::HeapInUse();
  const RelabelStreamResult r = RelabelStream(*source, sink, rules, options);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.series, 400001u);
  EXPECT_EQ(r.fast_families, 2u);  // a family read in parts counts once
  EXPECT_GT(sink.bytes(), text.size() / 8);
  const uint64_t growth = sink.peak() > before ? sink.peak() - before : 0;
  EXPECT_LT(growth, uint64_t{16} << 20) << "heap grew by " << growth << " bytes";
}

INSTANTIATE_TEST_SUITE_P(RuleSets, RelabelFastPathTest, ::testing::ValuesIn(kRuleSets),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace promtool
