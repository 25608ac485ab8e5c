// The lint engine: registry order, rule selection, sorting, offsets, deferral of family rules.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "lint_test_util.h"
#include "promtool/family_reader.h"

namespace promtool::lint::testing {
namespace {

TEST(Registry, IdsInPromtoolOrder) {
  std::vector<std::string> ids;
  for (const RuleInfo& r : Rules()) ids.emplace_back(r.id);
  EXPECT_EQ(
      ids,
      (std::vector<std::string>{
          "no-help", "base-unit", "counter-total-suffix", "non-counter-total-suffix",
          "histogram-suffixes", "le-label", "quantile-label", "type-in-name", "reserved-chars",
          "camel-case-metric", "camel-case-label", "abbreviated-units", "metric-not-unique",
          // Beyond promlint, off by default.
          "histogram-no-inf-bucket", "histogram-buckets-cumulative", "histogram-count-mismatch",
          "sum-count-pair", "summary-quantile-range", "counter-negative", "duplicate-label-name",
          "gauge-total-suffix", "label-cardinality", "timestamp-range", "native-histogram",
          "openmetrics-legacy-lines"}));
  for (const RuleInfo& r : Rules()) EXPECT_FALSE(r.summary.empty()) << r.id;
}

TEST(Registry, Selection) {
  struct Row {
    const char* globs;
    const char* id;
    bool want;
  };
  for (const Row& r : std::vector<Row>{
           {"*", "no-help", true},
           {"", "no-help", false},
           {"no-help", "no-help", true},
           {"no-help", "base-unit", false},
           {"*,-camel-case-*", "camel-case-label", false},
           {"*,-camel-case-*", "counter-total-suffix", true},
           {"-no-help,*", "no-help", true},
           {"*-suffix", "counter-total-suffix", true},
           {"*-suffix", "histogram-suffixes", false},
           {" no-help , base-unit ", "base-unit", true},
           {"default", "no-help", true},
           {"default", "counter-negative", false},
           {"*", "counter-negative", true},
           {"default,counter-*", "counter-negative", true},
           {"default,-no-help", "no-help", false},
       }) {
    EXPECT_EQ(RuleSelected(r.globs, r.id), r.want) << r.globs << " " << r.id;
  }
}

TEST(Linter, AllRulesSortedWithDuplicates) {
  const std::string input =
      "# TYPE zeta counter\nzeta{fooBar=\"1\"} 1\nzeta{fooBar=\"1\"} 1\n"
      "# HELP Alpha_ms x\nAlpha_ms 1\n"
      "latency_s_ms 1\n";
  EXPECT_EQ(LintLines(input, "*"),
            (std::vector<std::string>{
                "Alpha_ms metric names should not contain abbreviated units",
                "latency_s_ms metric names should not contain abbreviated units",
                "latency_s_ms metric names should not contain abbreviated units",
                "latency_s_ms no help text",
                "zeta counter metrics should have \"_total\" suffix",
                "zeta label names should be written in 'snake_case' not 'camelCase'",
                "zeta label names should be written in 'snake_case' not 'camelCase'",
                "zeta metric not unique",
                "zeta no help text",
            }));
}

TEST(Linter, NothingSelected) { EXPECT_TRUE(LintLines("fooBar 1\n", "").empty()); }

TEST(Linter, ProblemFields) {
  const std::string input = "# HELP a x\na 1\n# TYPE b gauge\nb{fooBar=\"1\"} 1\n";
  auto source = MemorySource(input);
  CheckResult result = Check(*source, {});
  ASSERT_TRUE(result.error.ok());
  ASSERT_EQ(result.problems.size(), 2u);
  const Problem& label = result.problems[0];
  EXPECT_EQ(label.rule, "camel-case-label");
  EXPECT_EQ(label.family, "b");
  EXPECT_EQ(label.offset, input.find("b{"));  // the series
  EXPECT_EQ(label.severity, Severity::kWarning);
  const Problem& help = result.problems[1];
  EXPECT_EQ(help.rule, "no-help");
  EXPECT_EQ(help.offset, input.find("# TYPE b"));  // the family's first line
}

TEST(Linter, SeverityOfDuplicates) {
  auto source = MemorySource("# HELP a x\na 1\na 1\n");
  CheckResult result = Check(*source, {});
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].rule, "metric-not-unique");
  EXPECT_EQ(result.problems[0].severity, Severity::kError);
  EXPECT_EQ(result.problems[0].offset, 15u);  // the repeated series
}

TEST(Linter, ParseErrorDropsProblems) {
  auto source = MemorySource("fooBar 1\nbad{ 1\n");
  CheckResult result = Check(*source, {});
  EXPECT_FALSE(result.error.ok());
  EXPECT_EQ(result.error.line, 2u);
  EXPECT_TRUE(result.problems.empty());
}

TEST(Linter, FeedByHandAndReuse) {
  Linter linter;
  for (int round = 0; round < 2; ++round) {
    auto source = MemorySource("a 1\nb 1\na 1\n# HELP a x\n# HELP b y\n");
    TextParser parser(*source);
    FamilyReader reader(parser);
    while (const FamilyView* f = reader.Next()) linter.Add(*f);
    ASSERT_EQ(reader.error(), nullptr);
    std::vector<Problem> problems = linter.Finish();
    ASSERT_EQ(problems.size(), 1u) << "round " << round;
    EXPECT_EQ(problems[0].family + " " + problems[0].message, "a metric not unique");
  }
}

// Streaming through a tiny window (the source drops each family's bytes once it is released)
// gives the same problems and cardinality as reading from memory.
TEST(Linter, StreamingEqualsMemory) {
  std::string input;
  for (int f = 0; f < 40; ++f) {
    const std::string name = "fam" + std::to_string(f) + (f % 3 == 0 ? "_ms" : "_total");
    if (f % 2 == 0) input += "# HELP " + name + " x\n";
    input += "# TYPE " + name + (f % 4 == 1 ? " histogram\n" : " counter\n");
    for (int s = 0; s < 5; ++s) {
      const std::string labels = "{camelCase=\"" + std::to_string(s % 3) + "\"";
      if (f % 4 == 1) {
        input += name + "_bucket" + labels + ",le=\"+Inf\"} 1\n" + name + "_sum" + labels + "} 1\n";
      } else {
        input += name + labels + "} " + std::to_string(s) + "\n";
      }
    }
    if (f > 0 && f % 5 == 0) input += "fam0_ms{camelCase=\"0\"} 9\n";  // split family
  }
  auto render = [](const CheckResult& r) {
    std::string out = r.error.compat_message + "\n";
    for (const Problem& p : r.problems) out += p.family + " " + p.message + "\n";
    for (const CardinalityRow& row : r.rows) {
      out += row.family + " " + std::to_string(row.cardinality) + "\n";
    }
    return out + std::to_string(r.total);
  };
  CheckOptions options;
  options.cardinality = true;
  auto memory = MemorySource(input);
  const std::string want = render(Check(*memory, options));

  char path[] = "/tmp/lint_stream_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, input.data(), input.size()), static_cast<ssize_t>(input.size()));
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
  StreamOptions stream;
  stream.chunk_bytes = 7;
  auto streamed = FdSource(fd, "<pipe>", stream);
  EXPECT_EQ(render(Check(*streamed, options)), want);
  close(fd);
  std::remove(path);
  EXPECT_NE(want.find("fam0_ms metric not unique"), std::string::npos);
}

// check metrics reads gauges, counters and untyped families in parts (never whole): a family of
// several thousand series gives the same problems, at the same offsets, as the linter fed the
// whole family at once, including duplicates whose first series was in an earlier part.
TEST(Linter, FamilyInPartsEqualsWhole) {
  std::string input = "# TYPE big gauge\n";
  std::vector<uint64_t> repeats;
  for (int s = 0; s < 5000; ++s) {
    const int id = s % 2400 == 0 || s < 4000 ? s : s - 3999;  // series 4001.. repeat 2..
    if (s >= 4000 && s % 2400 != 0) repeats.push_back(input.size());
    input += "big{podName=\"p" + std::to_string(id) + "\"} 1\n";
  }
  input += "other 1\n";
  repeats.push_back(input.size());
  input += "big{podName=\"p7\"} 2\n";  // the family comes back after another one

  auto parts = MemorySource(input);
  CheckResult got = Check(*parts, {});
  ASSERT_TRUE(got.error.ok()) << got.error.compat_message;

  Linter linter;
  auto whole = MemorySource(input);
  TextParser parser(*whole);
  FamilyReader reader(parser);  // no SetMaxPartSeries: the family comes whole
  while (const FamilyView* f = reader.Next()) {
    if (f->name == "big" && !f->continued) {
      ASSERT_EQ(f->series.size(), 5000u);
    }
    linter.Add(*f);
  }
  ASSERT_EQ(reader.error(), nullptr);
  const std::vector<Problem> want = linter.Finish();

  ASSERT_EQ(got.problems.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got.problems[i].rule, want[i].rule) << i;
    EXPECT_EQ(got.problems[i].family, want[i].family) << i;
    EXPECT_EQ(got.problems[i].offset, want[i].offset) << i;
    EXPECT_EQ(got.problems[i].message, want[i].message) << i;
  }
  std::vector<uint64_t> offsets;
  for (const Problem& p : got.problems) {
    if (p.rule == "metric-not-unique") offsets.push_back(p.offset);
  }
  EXPECT_EQ(offsets, repeats);
  EXPECT_EQ(std::count_if(got.problems.begin(), got.problems.end(),
                          [](const Problem& p) { return p.rule == "camel-case-label"; }),
            5001);  // one per series, as promlint
}

// check metrics --jobs: each input of about 17 MB is checked with 1, 2 and 3 threads and gives
// the same problems (rule, family, offset, message), cardinality rows and first error, whether
// the parts are linted apart or the input is read again by one reader.
TEST(Linter, InPartsSameResultAsOneThread) {
  std::string base;
  for (int f = 0; f < 200; ++f) {
    const std::string name = "fam_" + std::to_string(f) + (f % 3 == 0 ? "_total" : "");
    const bool histogram = f % 7 == 0;
    if (f % 2 == 0) base += "# HELP " + name + " x\n";
    base += "# TYPE " + name +
            (histogram    ? " histogram\n"
             : f % 3 == 0 ? " counter\n"
                          : " gauge\n");
    for (int s = 0; s < 2500; ++s) {
      const std::string labels =
          (f % 10 == 0 ? "{podName=\"p" : "{pod=\"p") + std::to_string(s % 2490) + "\"";
      if (histogram) {
        base += name + "_bucket" + labels + ",le=\"+Inf\"} 1\n" + name + "_sum" + labels + "} 1\n" +
                name + "_count" + labels + "} 1\n";
      } else {
        base += name + labels + "} " + std::to_string(s) + "\n";
      }
    }
  }
  std::string bad = base;
  bad.insert(bad.find("fam_190{podName=\"p7\""), "fam_190{=} 1\n");  // f % 10 == 0
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"problems everywhere", base},
      {"a parse error in the last part", bad},
      {"a family continued in the last part", base + "fam_1{pod=\"again\"} 1\n"},
      {"a suppression comment in the last part",
       base + "# promtool-cpp: disable-file=camel-case-label\n# TYPE z gauge\nz 1\n"},
  };
  auto render = [](const CheckResult& r) {
    std::string out = std::to_string(r.error.line) + " " + r.error.compat_message + "\n";
    for (const Problem& p : r.problems) {
      out += std::string(p.rule) + " " + p.family + " " + std::to_string(p.offset) + " " +
             p.message + "\n";
    }
    for (const CardinalityRow& row : r.rows) {
      out += row.family + " " + std::to_string(row.cardinality) + " " +
             std::to_string(row.fraction) + "\n";
    }
    return out + std::to_string(r.total);
  };
  for (const auto& [name, text] : cases) {
    SCOPED_TRACE(name);
    CheckOptions options;
    options.cardinality = true;
    auto one = MemorySource(text);
    const CheckResult want = Check(*one, options);
    EXPECT_EQ(want.parts, 1u);
    for (unsigned jobs : {2u, 3u}) {
      options.jobs = jobs;
      auto source = MemorySource(text);
      const CheckResult got = Check(*source, options);
      EXPECT_EQ(render(got), render(want)) << "jobs " << jobs;
      EXPECT_EQ(got.parts, name == "problems everywhere" ? jobs : 1u) << "jobs " << jobs;
    }
  }
  EXPECT_GT(base.size(), size_t{12} << 20);  // three parts of at least 4 MiB
}

TEST(Linter, SeverityNames) {
  EXPECT_EQ(SeverityName(Severity::kInfo), "info");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kError), "error");
}

}  // namespace
}  // namespace promtool::lint::testing
