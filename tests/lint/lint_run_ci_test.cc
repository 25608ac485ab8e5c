// Lint for CI, issue 13: rule selections that select nothing are errors, suppression comments in
// every path (LintSource and Check), character columns, and baselines keyed without values.
#include <gtest/gtest.h>

#include "lint_run_util.h"

namespace promtool::lint::testing {
namespace {

TEST(RuleGlobs, EveryItemMustSelectARule) {
  struct Row {
    const char* globs;
    std::string want;  // empty: ok
  };
  for (const Row& r : std::vector<Row>{
           {"no-help", ""},
           {"*,-camel-case-*", ""},
           {"default,histogram-*", ""},
           {"no-hlep",
            "--enable: unknown rule \"no-hlep\"; did you mean \"no-help\"? "
            "(`promtool-cpp rules` lists them)"},
           {"default,-camel-case-metrc",
            "--enable: unknown rule \"camel-case-metrc\"; did you mean \"camel-case-metric\"? "
            "(`promtool-cpp rules` lists them)"},
           {"histgram-*",
            "--enable: the glob \"histgram-*\" matches no rule; did you mean "
            "\"histogram-suffixes\"? (`promtool-cpp rules` lists them)"},
           {"", "--enable: no rule id given"},
           {" , ", "--enable: no rule id given"},
       }) {
    SCOPED_TRACE(r.globs);
    absl::Status st = CheckRuleGlobs(r.globs, "--enable");
    if (r.want.empty()) {
      EXPECT_TRUE(st.ok()) << st;
    } else {
      EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(st.message(), r.want);
    }
  }
}

TEST(RuleGlobs, SelectsAnyRule) {
  EXPECT_TRUE(SelectsAnyRule("default"));
  EXPECT_TRUE(SelectsAnyRule("*,-no-help"));
  EXPECT_FALSE(SelectsAnyRule("default,-*"));
  EXPECT_FALSE(SelectsAnyRule(""));
}

TEST(Config, UnknownRuleIdsAreErrorsWithTheLine) {
  struct Row {
    const char* yaml;
    const char* want;
  };
  for (const Row& r : std::vector<Row>{
           {"enable: [no-such-rule]\n",
            "c.yml:1: enable: unknown rule \"no-such-rule\"; did you mean \"no-help\"? "
            "(`promtool-cpp rules` lists them)"},
           {"enable: ''\n", "c.yml:1: enable: no rule id given"},
           {"disable: [camel-case-metrik]\n",
            "c.yml:1: disable: unknown rule \"camel-case-metrik\"; did you mean "
            "\"camel-case-metric\"? (`promtool-cpp rules` lists them)"},
           {"exclude:\n  - metric: x\n    rules: [base-units]\n",
            "c.yml:3: exclude: rules: unknown rule \"base-units\"; did you mean \"base-unit\"? "
            "(`promtool-cpp rules` lists them)"},
           {"severity:\n  no-hepl: error\n",
            "c.yml:2: severity: unknown rule \"no-hepl\"; did you mean \"no-help\"?"},
       }) {
    SCOPED_TRACE(r.yaml);
    auto config = ParseLintConfig(r.yaml, "c.yml");
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.status().message(), r.want);
  }
}

TEST(Suppression, UnknownIdIsAnErrorAtItsPosition) {
  SourceLintResult result;
  std::vector<std::string> lines =
      RunLines("a 1\n# promtool-cpp: disable=no-help,camel-case-metrik\nfooBar 1\n",
               InputFormat::kText, "no-help,camel-case-metric", &result);
  ASSERT_EQ(result.comment_errors.size(), 1u);
  const Problem& e = result.comment_errors[0];
  EXPECT_EQ(e.rule, kSuppressionCommentRule);
  EXPECT_EQ(e.severity, Severity::kError);
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 33u);
  EXPECT_EQ(e.message,
            "promtool-cpp comment: unknown rule \"camel-case-metrik\"; did you mean "
            "\"camel-case-metric\"? (`promtool-cpp rules` lists them)");
  // The bad comment suppresses nothing.
  EXPECT_EQ(lines.size(), 3u);
}

TEST(Suppression, CheckHonoursCommentsLikeLintSource) {
  // Check() is the promtool-compatible (default) path: one filter for every output.
  struct Row {
    const char* name;
    std::string input;
    std::vector<std::string> want;
  };
  for (const Row& r : std::vector<Row>{
           {"next family",
            "# promtool-cpp: disable=no-help\nfooBar 1\nbar_baz 1\n",
            {"bar_baz no help text",
             "fooBar metric names should be written in 'snake_case' not 'camelCase'"}},
           {"whole file", "a 1\n# promtool-cpp: disable-file=no-help\nb 1\n", {}},
           {"CRLF comment", "# promtool-cpp: disable=no-help\r\nb 1\n", {}},
       }) {
    SCOPED_TRACE(r.name);
    auto source = MemorySource(r.input);
    CheckResult result = Check(*source, CheckOptions{});
    std::vector<std::string> lines;
    for (const Problem& p : result.problems) lines.push_back(p.family + " " + p.message);
    EXPECT_EQ(lines, r.want);
    EXPECT_EQ(lines, RunLines(r.input, InputFormat::kText, "default"));
  }
}

TEST(Suppression, StreamedInputGivesTheSameResult) {
  // Comments between and inside families, read through windows of a few bytes (a pipe).
  std::string input;
  for (int f = 0; f < 30; ++f) {
    const std::string name = "fam" + std::to_string(f) + (f % 2 == 0 ? "Camel" : "_ms");
    if (f % 3 == 0) input += "# promtool-cpp: disable=no-help\n";
    if (f % 7 == 0) input += "# plain comment\n";
    input += "# TYPE " + name + " gauge\n";
    for (int s = 0; s < 3; ++s) input += name + "{i=\"" + std::to_string(s) + "\"} 1\n";
  }
  input += "# promtool-cpp: disable-file=abbreviated-units\n";
  auto render = [](const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += p.family + " " + p.message + "\n";
    return out;
  };
  auto memory = MemorySource(input);
  const std::string want = render(Check(*memory, CheckOptions{}).problems);
  EXPECT_EQ(want.find("abbreviated"), std::string::npos);
  EXPECT_EQ(want.find("fam0Camel no help"), std::string::npos);
  EXPECT_NE(want.find("fam1_ms no help"), std::string::npos);
  for (size_t chunk : {1, 7, 64}) {
    SCOPED_TRACE(chunk);
    StreamOptions stream;
    stream.chunk_bytes = chunk;
    auto source = ChunkedMemorySource(input, "pipe", stream);
    EXPECT_EQ(render(Check(*source, CheckOptions{}).problems), want);
  }
}

TEST(Suppression, CheckReportsUnknownIds) {
  auto source = MemorySource("# promtool-cpp: disable-file=nohelp\na 1\n");
  CheckResult result = Check(*source, CheckOptions{});
  ASSERT_EQ(result.comment_errors.size(), 1u);
  EXPECT_EQ(result.comment_errors[0].line, 1u);
  EXPECT_EQ(result.comment_errors[0].column, 30u);
  EXPECT_EQ(result.problems.size(), 1u);  // a no help text: nothing suppressed
}

TEST(Locations, ColumnsCountCodePoints) {
  EXPECT_EQ(CharColumn("a{b=\"\xC3\xBC\xC3\xBC\xC3\xBC\" c=\"y\"} 1", 14), 11u);
  EXPECT_EQ(CharColumn("abc", 1), 1u);
  EXPECT_EQ(CharColumn("\xE2\x82\xAC"
                       "x",
                       4),
            2u);
  EXPECT_EQ(CharColumn("\xFF"
                       "ab",
                       3),
            3u);  // an invalid byte counts as one
}

TEST(Baseline, KeysDoNotContainValues) {
  Problem old{"counter-negative", Severity::kError, "x_total", 0, "counter value -1 is negative"};
  Problem now = old;
  now.message = "counter value -7.5e3 is negative";
  Baseline base;
  base.Add(old);
  EXPECT_EQ(base.Serialize(),
            "# promtool-cpp lint baseline v1\n1\tcounter-negative\tx_total\tcounter value # is "
            "negative\n");
  auto parsed = Baseline::Parse(base.Serialize(), "b.txt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Consume(now));
}

TEST(Baseline, KeyMessageMasksNumbersOnly) {
  EXPECT_EQ(Baseline::KeyMessage("bucket le=\"+Inf\" counts 1, less than le=\"0.5\" (2)"),
            "bucket le=\"#\" counts #, less than le=\"#\" (#)");
  EXPECT_EQ(Baseline::KeyMessage("timestamp 86400000 (1970-01-02T00:00:00Z) is old"),
            "timestamp # (#) is old");
  EXPECT_EQ(Baseline::KeyMessage("label \"id2\" has more than 2 distinct values"),
            "label \"id2\" has more than # distinct values");
  EXPECT_EQ(Baseline::KeyMessage("value NaN"), "value #");
}

TEST(Baseline, OldFilesWithValuesStillMatch) {
  auto parsed = Baseline::Parse(
      "# promtool-cpp lint baseline v1\n1\tcounter-negative\tx_total\tcounter value -1 is "
      "negative\n",
      "b.txt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Consume(
      Problem{"counter-negative", Severity::kError, "x_total", 0, "counter value -2 is negative"}));
}

TEST(Baseline, CrlfIsAccepted) {
  auto parsed =
      Baseline::Parse("# promtool-cpp lint baseline v1\r\n2\tno-help\ta\tno help text\r\n", "b");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 2u);
  EXPECT_TRUE(parsed->Consume(Problem{"no-help", Severity::kWarning, "a", 0, "no help text"}));
}

TEST(Baseline, StaleEntriesAndPruning) {
  auto parsed = Baseline::Parse(
      "# promtool-cpp lint baseline v1\n2\tno-help\ta\tno help text\n1\tno-help\tgone\tno help "
      "text\n",
      "b");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Consume(Problem{"no-help", Severity::kWarning, "a", 0, "no help text"}));
  EXPECT_EQ(parsed->size(), 2u);  // one "a" and the "gone" entry are stale
  EXPECT_EQ(parsed->SerializeUnused(),
            "1\tno-help\ta\tno help text\n1\tno-help\tgone\tno help text\n");
  EXPECT_EQ(parsed->SerializeUsed(),
            "# promtool-cpp lint baseline v1\n1\tno-help\ta\tno help text\n");
}

}  // namespace
}  // namespace promtool::lint::testing
