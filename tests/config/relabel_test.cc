// Tests of the relabeling engine and the relabel-config loader against Prometheus' semantics
// (several inputs and expected results are facts from Prometheus' model/relabel tests).
#include "promtool/relabel.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace promtool {
namespace {

struct Case {
  const char* name;
  const char* rules;  // YAML list of relabel configs
  LabelSet input;
  LabelSet output;  // ignored when dropped
  bool dropped = false;
  LabelNameValidation validation = LabelNameValidation::kUtf8;
};

std::string Show(const LabelSet& labels) {
  std::string out = "{";
  for (const auto& [n, v] : labels) out += n + "=\"" + v + "\",";
  return out + "}";
}

class RelabelCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(RelabelCaseTest, AppliesAsPrometheus) {
  const Case& c = GetParam();
  RelabelLoadResult loaded = LoadRelabelConfigs(c.rules, c.validation);
  ASSERT_FALSE(loaded.error) << loaded.error->message;
  auto rules = RelabelRules::Compile(loaded.configs, c.validation);
  ASSERT_TRUE(rules.ok()) << rules.status();
  LabelSet labels = c.input;
  const bool keep = rules->Apply(labels);
  EXPECT_EQ(!keep, c.dropped);
  if (keep && !c.dropped) {
    EXPECT_EQ(Show(labels), Show(c.output));
  }
}

// ApplyViews gives what Apply gives, on a fresh scratch and again with its memos warm.
TEST_P(RelabelCaseTest, AppliesOnViewsAsPrometheus) {
  const Case& c = GetParam();
  RelabelLoadResult loaded = LoadRelabelConfigs(c.rules, c.validation);
  ASSERT_FALSE(loaded.error) << loaded.error->message;
  auto rules = RelabelRules::Compile(loaded.configs, c.validation);
  ASSERT_TRUE(rules.ok()) << rules.status();
  RelabelScratch scratch;
  for (int round = 0; round < 2; ++round) {
    std::vector<LabelRef> labels;
    for (const auto& [n, v] : c.input) labels.push_back(LabelRef{n, v});
    const bool keep = rules->ApplyViews(labels, scratch);
    EXPECT_EQ(!keep, c.dropped) << "round " << round;
    if (keep && !c.dropped) {
      LabelSet out;
      for (const LabelRef& l : labels) out.emplace_back(l.name, l.value);
      EXPECT_EQ(Show(out), Show(c.output)) << "round " << round;
    }
    scratch.Reset();
  }
}

const Case kCases[] = {
    {"replace_braced_group",
     R"y(- {source_labels: [a], regex: "f(.*)", target_label: d, replacement: "ch${1}-ch${1}"})y",
     {{"a", "foo"}, {"b", "bar"}},
     {{"a", "foo"}, {"b", "bar"}, {"d", "choo-choo"}}},
    {"replace_chained_rules_see_earlier_results",
     R"y(
- {source_labels: [a, b], regex: "f(.*);(.*)r", target_label: a, replacement: "b${1}${2}m"}
- {source_labels: [c, a], regex: "(b).*b(.*)ba(.*)", target_label: d, replacement: "$1$2$2$3"}
)y",
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}},
     {{"a", "boobam"}, {"b", "bar"}, {"c", "baz"}, {"d", "boooom"}}},
    {"drop_stops_later_rules",
     R"y(
- {source_labels: [a], regex: ".*o.*", action: drop}
- {source_labels: [a], regex: "f(.*)", target_label: d, replacement: "x"}
)y",
     {{"a", "foo"}},
     {},
     true},
    {"drop_no_match_keeps",
     R"y(- {source_labels: [a], regex: no-match, action: drop})y",
     {{"a", "foo"}},
     {{"a", "foo"}}},
    {"literal_regex_is_fully_anchored",
     R"y(- {source_labels: [a], regex: fo, action: drop})y",
     {{"a", "foo"}},
     {{"a", "foo"}}},
    {"literal_regex_is_case_sensitive",
     R"y(- {regex: Token, action: labeldrop})y",
     {{"a", "1"}, {"token", "x"}},
     {{"a", "1"}, {"token", "x"}}},
    {"literal_regex_labeldrop",
     R"y(- {regex: token, action: labeldrop})y",
     {{"a", "1"}, {"token", "x"}},
     {{"a", "1"}}},
    {"drop_regex_is_fully_anchored",
     R"y(- {source_labels: [a], regex: "f|o", action: drop})y",
     {{"a", "foo"}},
     {{"a", "foo"}}},
    {"keep_no_match_drops",
     R"y(- {source_labels: [a], regex: no-match, action: keep})y",
     {{"a", "foo"}},
     {},
     true},
    {"keep_match_keeps",
     R"y(- {source_labels: [a], regex: "f.*", action: keep})y",
     {{"a", "foo"}},
     {{"a", "foo"}}},
    {"action_is_case_insensitive",
     R"y(- {source_labels: [a], regex: "f.*", action: DROP})y",
     {{"a", "foo"}},
     {},
     true},
    {"replace_no_match_is_noop",
     R"y(- {source_labels: [a], regex: f, target_label: b, replacement: bar})y",
     {{"a", "boo"}},
     {{"a", "boo"}}},
    {"replace_inner_group",
     R"y(- {source_labels: [a], regex: ".*(b).*", target_label: d})y",
     {{"a", "abc"}},
     {{"a", "abc"}, {"d", "b"}}},
    {"replace_empty_result_deletes_target",
     R"y(- {source_labels: [a], regex: "(f).*", target_label: "$1", replacement: "$2"})y",
     {{"a", "foo"}, {"f", "baz"}},
     {{"a", "foo"}}},
    {"replace_default_fast_path_sets_constant",
     R"y(- {target_label: env, replacement: prod})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"env", "prod"}}},
    {"replace_missing_sources_join_as_empty",
     R"y(- {source_labels: [a, missing, b], target_label: j})y",
     {{"a", "x"}, {"b", "y"}},
     {{"a", "x"}, {"b", "y"}, {"j", "x;;y"}}},
    {"replace_separator",
     R"y(- {source_labels: [a, b], separator: "-", target_label: j})y",
     {{"a", "x"}, {"b", "y"}},
     {{"a", "x"}, {"b", "y"}, {"j", "x-y"}}},
    {"expand_dollar_1x_is_group_named_1x",
     R"y(- {source_labels: [a], target_label: b, replacement: "$1x"})y",
     {{"a", "foo"}, {"b", "old"}},
     {{"a", "foo"}}},
    {"expand_braced_1_then_x",
     R"y(- {source_labels: [a], target_label: b, replacement: "${1}x"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "foox"}}},
    {"expand_double_dollar_is_literal",
     R"y(- {source_labels: [a], target_label: b, replacement: "$$1-$$"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "$1-$"}}},
    {"expand_named_groups",
     R"y(- {source_labels: [a], regex: "(?P<head>f)(.*)", target_label: b, replacement: "${head}-$head-$2"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "f-f-oo"}}},
    {"expand_unclosed_brace_is_literal",
     R"y(- {source_labels: [a], target_label: b, replacement: "${1"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "${1"}}},
    {"expand_dollar_at_end_is_literal",
     R"y(- {source_labels: [a], target_label: b, replacement: "x$"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "x$"}}},
    {"expand_group_zero_is_whole_match",
     R"y(- {source_labels: [a], regex: "f(o)o", target_label: b, replacement: "[$0]"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "[foo]"}}},
    {"expand_missing_group_is_empty",
     R"y(- {source_labels: [a], target_label: b, replacement: "<$5>"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "<>"}}},
    {"expand_leading_zero_is_a_name",
     R"y(- {source_labels: [a], target_label: b, replacement: "<$01>"})y",
     {{"a", "foo"}},
     {{"a", "foo"}, {"b", "<>"}}},
    {"target_label_template",
     R"y(- {source_labels: [a], regex: "some-([^-]+)-([^,]+)", target_label: "${1}", replacement: "${2}"})y",
     {{"a", "some-name-value"}},
     {{"a", "some-name-value"}, {"name", "value"}}},
    {"target_label_template_empty_is_skipped",
     R"y(- {source_labels: [a], regex: "some-([^-]+)-([^,]+)", target_label: "${3}", replacement: "${1}"})y",
     {{"a", "some-name-0"}},
     {{"a", "some-name-0"}}},
    {"target_label_template_invalid_legacy_name_is_skipped",
     R"y(- {source_labels: [a], target_label: "${1}", replacement: x})y",
     {{"a", "1abc"}},
     {{"a", "1abc"}},
     false,
     LabelNameValidation::kLegacy},
    {"target_label_template_utf8_name_is_set",
     R"y(- {source_labels: [a], target_label: "${1}", replacement: x})y",
     {{"a", "1abc"}},
     {{"1abc", "x"}, {"a", "1abc"}}},
    {"regex_dot_matches_newline",
     R"y(- {source_labels: [a], regex: "foo.bar", action: drop})y",
     {{"a", "foo\nbar"}},
     {},
     true},
    {"real_life_tags",
     R"y(
- {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)path:(/[^,]+).*", target_label: __metrics_path__}
- {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)job:([^,]+).*", target_label: job}
- {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)label:([^=]+)=([^,]+).*", target_label: "${1}", replacement: "${2}"}
)y",
     {{"__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"}},
     {{"__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"},
      {"__metrics_path__", "/secret"},
      {"foo", "bar"},
      {"job", "some-job"}}},
    {"labeldrop_then_replace_readds",
     R"y(
- {regex: "^pn$", action: labeldrop}
- {source_labels: [port], regex: "(.+)", target_label: pn, replacement: metrics}
- {source_labels: [pn], regex: "^metrics$", action: keep}
)y",
     {{"pn", "foo"}, {"port", "9091"}},
     {{"pn", "metrics"}, {"port", "9091"}}},
    {"lowercase_uppercase",
     R"y(
- {source_labels: [foo], action: uppercase, target_label: foo_uppercase}
- {source_labels: [foo], action: lowercase, target_label: foo_lowercase}
)y",
     {{"foo", "bAr123Foo"}},
     {{"foo", "bAr123Foo"}, {"foo_lowercase", "bar123foo"}, {"foo_uppercase", "BAR123FOO"}}},
    {"lowercase_unicode",
     R"y(- {source_labels: [a], action: lowercase, target_label: b})y",
     {{"a", "ÄÖÜ-Σ"}},
     {{"a", "ÄÖÜ-Σ"}, {"b", "äöü-σ"}}},
    {"uppercase_empty_source_deletes_target",
     R"y(- {source_labels: [missing], action: uppercase, target_label: b})y",
     {{"a", "x"}, {"b", "y"}},
     {{"a", "x"}}},
    {"hashmod_md5_last_8_bytes",
     R"y(- {source_labels: [c], target_label: d, action: hashmod, modulus: 1000})y",
     {{"c", "baz"}},
     {{"c", "baz"}, {"d", "976"}}},
    {"hashmod_newline_value",
     R"y(- {source_labels: [a], target_label: b, action: hashmod, modulus: 1000})y",
     {{"a", "foo\nbar"}},
     {{"a", "foo\nbar"}, {"b", "734"}}},
    {"labelmap_prefix",
     R"y(- {regex: "(b.*)", replacement: "bar_${1}", action: labelmap})y",
     {{"a", "foo"}, {"b1", "bar"}, {"b2", "baz"}},
     {{"a", "foo"}, {"b1", "bar"}, {"b2", "baz"}, {"bar_b1", "bar"}, {"bar_b2", "baz"}}},
    {"labelmap_strip_meta",
     R"y(- {regex: "__meta_(my.*)", action: labelmap})y",
     {{"__meta_my_bar", "aaa"}, {"__meta_other", "ccc"}},
     {{"__meta_my_bar", "aaa"}, {"__meta_other", "ccc"}, {"my_bar", "aaa"}}},
    {"labelmap_collision_last_in_order_wins",
     R"y(- {regex: "(b).*", action: labelmap})y",
     {{"b1", "bar"}, {"b2", "baz"}},
     {{"b", "baz"}, {"b1", "bar"}, {"b2", "baz"}}},
    {"labelkeep",
     R"y(- {regex: "(b.*)", action: labelkeep})y",
     {{"a", "foo"}, {"b1", "bar"}, {"b2", "baz"}},
     {{"b1", "bar"}, {"b2", "baz"}}},
    {"labeldrop",
     R"y(- {regex: "(b.*)", action: labeldrop})y",
     {{"a", "foo"}, {"b1", "bar"}, {"b2", "baz"}},
     {{"a", "foo"}}},
    {"keepequal_equal_keeps",
     R"y(- {source_labels: [__tmp_port], target_label: __port1, action: keepequal})y",
     {{"__port1", "1234"}, {"__tmp_port", "1234"}},
     {{"__port1", "1234"}, {"__tmp_port", "1234"}}},
    {"keepequal_differs_drops",
     R"y(- {source_labels: [__tmp_port], target_label: __port2, action: keepequal})y",
     {{"__port2", "5678"}, {"__tmp_port", "1234"}},
     {},
     true},
    {"dropequal_equal_drops",
     R"y(- {source_labels: [__tmp_port], target_label: __port1, action: dropequal})y",
     {{"__port1", "1234"}, {"__tmp_port", "1234"}},
     {},
     true},
    {"dropequal_differs_keeps",
     R"y(- {source_labels: [__tmp_port], target_label: __port2, action: dropequal})y",
     {{"__port2", "5678"}, {"__tmp_port", "1234"}},
     {{"__port2", "5678"}, {"__tmp_port", "1234"}}},
    {"drop_by_metric_name",
     R"y(- {source_labels: [__name__], regex: "go_.*", action: drop})y",
     {{"__name__", "go_goroutines"}},
     {},
     true},
    {"no_rules_keep_everything", "[]", {{"a", "x"}}, {{"a", "x"}}},
};

INSTANTIATE_TEST_SUITE_P(Relabel, RelabelCaseTest, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return std::string(p.param.name); });

// Go's Regexp.Expand, directly.
struct ExpandCase {
  const char* name;
  const char* tmpl;
  const char* want;
};

class ExpandTest : public ::testing::TestWithParam<ExpandCase> {};

TEST_P(ExpandTest, ExpandsAsGo) {
  // "foo-bar" matched by (?P<first>[a-z]+)-(?P<x1>[a-z]+): group 1 "foo", group 2 "bar".
  const std::string input = "foo-bar";
  const std::vector<std::pair<int, int>> groups = {{0, 7}, {0, 3}, {4, 7}, {-1, -1}};
  const std::vector<std::string> names = {"", "first", "x1", "unused"};
  EXPECT_EQ(ExpandTemplate(GetParam().tmpl, input, groups, names), GetParam().want);
}

const ExpandCase kExpandCases[] = {
    {"number", "$1", "foo"},
    {"braced_number", "${2}", "bar"},
    {"name", "$first", "foo"},
    {"braced_name", "${x1}!", "bar!"},
    {"number_then_letters_is_a_name", "$1x", ""},
    {"name_stops_at_punctuation", "$first.$x1", "foo.bar"},
    {"double_dollar", "$$", "$"},
    {"dollar_brace_unclosed", "${first", "${first"},
    {"dollar_then_punct", "$-", "$-"},
    {"unmatched_group", "<$3>", "<>"},
    {"unknown_name", "<$nope>", "<>"},
    {"no_reference", "plain", "plain"},
    {"empty", "", ""},
};

TEST(RelabelViews, MemosFollowTheRules) {
  // One scratch used with two rule sets: the second must not reuse the first one's results.
  auto a = RelabelRules::Compile(LoadRelabelConfigs("- {source_labels: [x], target_label: y, "
                                                    "replacement: \"a-$1\"}")
                                     .configs);
  auto b = RelabelRules::Compile(LoadRelabelConfigs("- {source_labels: [x], target_label: y, "
                                                    "replacement: \"b-$1\"}")
                                     .configs);
  ASSERT_TRUE(a.ok() && b.ok());
  RelabelScratch scratch;
  std::vector<LabelRef> first = {{"x", "1"}};
  ASSERT_TRUE(a->ApplyViews(first, scratch));
  EXPECT_EQ(first[1].value, "a-1");
  std::vector<LabelRef> second = {{"x", "1"}};
  ASSERT_TRUE(b->ApplyViews(second, scratch));
  EXPECT_EQ(second[1].value, "b-1");
}

TEST(RelabelViews, ManyDistinctInputsStayCorrectPastTheMemoBound) {
  // More distinct values than a rule remembers (4096): the memo is cleared, results stay right.
  auto rules = RelabelRules::Compile(
      LoadRelabelConfigs("- {source_labels: [x], modulus: 1000, target_label: h, action: hashmod}")
          .configs);
  ASSERT_TRUE(rules.ok());
  RelabelScratch scratch;
  for (int i = 0; i < 10000; ++i) {
    const std::string x = "v" + std::to_string(i % 5000);
    LabelSet owned = {{"x", x}};
    ASSERT_TRUE(rules->Apply(owned));
    std::vector<LabelRef> views = {{"x", x}};
    ASSERT_TRUE(rules->ApplyViews(views, scratch));
    ASSERT_EQ(views.size(), 2u);
    EXPECT_EQ(views[0].value, owned[0].second) << x;
    scratch.Reset();
  }
}

INSTANTIATE_TEST_SUITE_P(Relabel, ExpandTest, ::testing::ValuesIn(kExpandCases),
                         [](const auto& p) { return std::string(p.param.name); });

// Loading and validation errors: message and position.
struct ErrorCase {
  const char* name;
  const char* yaml;
  int line;
  int column;
  const char* message;
  LabelNameValidation validation = LabelNameValidation::kUtf8;
};

class LoadErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LoadErrorTest, ReportsMessageAndPosition) {
  const ErrorCase& c = GetParam();
  RelabelLoadResult r = LoadRelabelConfigs(c.yaml, c.validation);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->message, c.message);
  EXPECT_EQ(r.error->line, c.line);
  EXPECT_EQ(r.error->column, c.column);
  EXPECT_TRUE(r.configs.empty());
}

const ErrorCase kErrorCases[] = {
    {"unknown_field_suggests", "- source_labels: [a]\n  regx: foo\n  action: drop\n", 2, 3,
     "unknown field \"regx\" in a relabel config; did you mean \"regex\"?"},
    {"unknown_field_far_from_all", "- action: drop\n  zzzzzzzzzzzz: 1\n", 2, 3,
     "unknown field \"zzzzzzzzzzzz\" in a relabel config; valid ones are: source_labels, "
     "separator, regex, modulus, target_label, replacement, action"},
    {"bad_regex", "- action: drop\n  source_labels: [a]\n  regex: \"(unclosed\"\n", 3, 10,
     "invalid regex \"(unclosed\": missing ): (unclosed"},
    {"unknown_action_suggests", "- action: keepequals\n", 1, 11,
     "unknown relabel action \"keepequals\"; did you mean \"keepequal\"?"},
    {"hashmod_needs_modulus", "- {source_labels: [a], target_label: b, action: hashmod}\n", 1, 3,
     "relabel configuration for hashmod requires non-zero modulus"},
    {"replace_needs_target", "- {source_labels: [a]}\n", 1, 3,
     "relabel configuration for replace action requires 'target_label' value"},
    {"hashmod_needs_target", "- {source_labels: [a], action: hashmod, modulus: 2}\n", 1, 3,
     "relabel configuration for hashmod action requires 'target_label' value"},
    {"replace_invalid_target_legacy", "- {source_labels: [a], target_label: a-b}\n", 1, 3,
     "\"a-b\" is invalid 'target_label' for replace action", LabelNameValidation::kLegacy},
    {"replace_invalid_template_target_legacy", "- {source_labels: [a], target_label: \"$1-x\"}\n",
     1, 3, "\"$1-x\" is invalid 'target_label' for replace action", LabelNameValidation::kLegacy},
    {"labelmap_invalid_replacement_legacy",
     "- {regex: (.*), replacement: \"a.$1\", action: labelmap}\n", 1, 3,
     "\"a.$1\" is invalid 'replacement' for labelmap action", LabelNameValidation::kLegacy},
    {"source_label_invalid_legacy", "- {source_labels: [a.b], target_label: c}\n", 1, 20,
     "\"a.b\" is not a valid label name", LabelNameValidation::kLegacy},
    {"lowercase_with_replacement",
     "- {source_labels: [a], target_label: b, action: lowercase, "
     "replacement: x}\n",
     1, 3, "'replacement' can not be set for lowercase action"},
    {"keepequal_with_regex",
     "- {source_labels: [a], target_label: b, action: keepequal, regex: \"(.*)\"}\n", 1, 3,
     "keepequal action requires only 'source_labels' and `target_label`, and no other fields"},
    {"labeldrop_with_source_labels", "- {source_labels: [a], regex: b, action: labeldrop}\n", 1, 3,
     "labeldrop action requires only 'regex', and no other fields"},
    {"labelkeep_with_target", "- {target_label: a, regex: b, action: labelkeep}\n", 1, 3,
     "labelkeep action requires only 'regex', and no other fields"},
    {"modulus_not_a_number",
     "- {source_labels: [a], target_label: b, action: hashmod, "
     "modulus: -3}\n",
     1, 67, "modulus: expected an unsigned integer, found \"-3\""},
    {"source_labels_not_a_list", "- source_labels: a\n  target_label: b\n", 1, 18,
     "source_labels: expected a list of label names"},
    {"duplicate_field", "- action: drop\n  action: keep\n", 2, 3,
     "field \"action\" is given twice"},
    {"top_level_not_a_list", "action: drop\n", 1, 1,
     "expected a list of relabel configs at the top level"},
    {"yaml_syntax", "- {action: drop\n", 2, 1, "end of map flow not found"},
};

INSTANTIATE_TEST_SUITE_P(Relabel, LoadErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(RelabelLoad, FieldsAndDefaults) {
  RelabelLoadResult r = LoadRelabelConfigs(
      "# comment\n- source_labels: [a, b]\n  separator: '|'\n  regex: x(.*)\n"
      "  target_label: t\n  replacement: r$1\n- action: labeldrop\n  regex: secret\n"
      "- {target_label: s, source_labels: [a], action: hashmod, modulus: 8}\n");
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.configs.size(), 3u);
  const RelabelConfig& a = r.configs[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.source_labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(a.separator, "|");
  EXPECT_EQ(a.regex, "x(.*)");
  EXPECT_TRUE(a.regex_set);
  EXPECT_EQ(a.target_label, "t");
  EXPECT_EQ(a.replacement, "r$1");
  EXPECT_EQ(a.action, RelabelAction::kReplace);
  const RelabelConfig& b = r.configs[1];
  EXPECT_EQ(b.line, 7);
  EXPECT_EQ(b.action, RelabelAction::kLabelDrop);
  EXPECT_EQ(b.separator, ";");
  EXPECT_EQ(b.replacement, "$1");
  EXPECT_FALSE(b.source_labels_set);
  EXPECT_EQ(r.configs[2].modulus, 8u);
  EXPECT_EQ(r.configs[2].action, RelabelAction::kHashMod);
}

TEST(RelabelLoad, EmptyFileHasNoRules) {
  RelabelLoadResult r = LoadRelabelConfigs("");
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(r.configs.empty());
}

TEST(RelabelCompile, ErrorNamesRuleAndLine) {
  RelabelConfig ok;
  ok.target_label = "x";
  RelabelConfig bad;
  bad.action = RelabelAction::kHashMod;
  bad.target_label = "h";
  bad.line = 9;
  auto rules = RelabelRules::Compile({ok, bad});
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(std::string(rules.status().message()),
            "relabel rule 2 (line 9): relabel configuration for hashmod requires non-zero "
            "modulus");
}

TEST(RelabelCompile, BadRegexIsAnError) {
  RelabelConfig c;
  c.action = RelabelAction::kDrop;
  c.regex = "a{2,1}";
  auto rules = RelabelRules::Compile({c});
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(std::string(rules.status().message()),
            "relabel rule 1: invalid regex \"a{2,1}\": invalid repetition size: {2,1}");
}

TEST(RelabelConvenience, CompilesAndApplies) {
  RelabelConfig c;
  c.source_labels = {"a"};
  c.target_label = "b";
  LabelSet labels = {{"a", "v"}};
  auto keep = Relabel({c}, labels);
  ASSERT_TRUE(keep.ok());
  EXPECT_TRUE(*keep);
  EXPECT_EQ(labels, (LabelSet{{"a", "v"}, {"b", "v"}}));
}

struct MayTouchCase {
  const char* name;
  const char* rules;
  bool touches_le;
};

class MayTouchTest : public ::testing::TestWithParam<MayTouchCase> {};

TEST_P(MayTouchTest, IsConservative) {
  RelabelLoadResult r = LoadRelabelConfigs(GetParam().rules);
  ASSERT_FALSE(r.error) << r.error->message;
  auto rules = RelabelRules::Compile(r.configs);
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rules->MayTouch("le"), GetParam().touches_le);
}

const MayTouchCase kMayTouchCases[] = {
    {"no_rules", "[]", false},
    {"drop_by_name", "- {source_labels: [__name__], regex: x, action: drop}", false},
    {"source_le", "- {source_labels: [le], regex: x, action: drop}", true},
    {"target_le", "- {source_labels: [a], target_label: le}", true},
    {"target_template", "- {source_labels: [a], target_label: \"${1}\"}", true},
    {"keepequal_target_le", "- {source_labels: [a], target_label: le, action: keepequal}", true},
    {"labelmap", "- {regex: a, action: labelmap}", true},
    {"labeldrop_matching_le", "- {regex: l.*, action: labeldrop}", true},
    {"labeldrop_other", "- {regex: token, action: labeldrop}", false},
    {"labelkeep_without_le", "- {regex: a, action: labelkeep}", true},
    {"labelkeep_with_le", "- {regex: a|le|__name__, action: labelkeep}", false},
    {"hashmod_other", "- {source_labels: [a], target_label: s, action: hashmod, modulus: 2}",
     false},
};

INSTANTIATE_TEST_SUITE_P(Relabel, MayTouchTest, ::testing::ValuesIn(kMayTouchCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(RelabelTrace, RecordsEachStep) {
  RelabelLoadResult r = LoadRelabelConfigs(
      "- {target_label: env, replacement: prod}\n- {source_labels: [a], action: drop}\n");
  ASSERT_FALSE(r.error);
  auto rules = RelabelRules::Compile(r.configs);
  ASSERT_TRUE(rules.ok());
  LabelSet labels = {{"a", "x"}};
  std::vector<LabelSet> trace;
  EXPECT_FALSE(rules->ApplyTraced(labels, &trace));
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0], (LabelSet{{"a", "x"}, {"env", "prod"}}));
}

}  // namespace
}  // namespace promtool
