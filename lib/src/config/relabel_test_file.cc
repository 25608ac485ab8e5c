// Relabel test files: loading the YAML schema of `promtool-cpp test relabel` (rules, series and
// expectations, with the line of every error) and running the tests.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "common/strcat.h"
#include "config/load.h"
#include "promtool/relabel.h"
#include "promtool/relabel_test.h"
#include "promtool/suggest.h"
#include "yaml-cpp/yaml.h"

namespace promtool {
namespace {

constexpr std::string_view kTopKeys[] = {"rules", "rule_files",      "prometheus_config",
                                         "job",   "name_validation", "tests"};
constexpr std::string_view kTestKeys[] = {"name", "series"};
constexpr std::string_view kSeriesKeys[] = {"input", "output", "dropped"};

struct Failure {
  RelabelLoadError error;
};

[[noreturn]] void Fail(const YAML::Node& at, std::string message) {
  const YAML::Mark m = at.Mark();
  throw Failure{{m.line + 1, m.column + 1, std::move(message)}};
}

template <size_t N>
std::string Suggest(std::string_view name, const std::string_view (&candidates)[N]) {
  std::string_view best;
  size_t best_d = SIZE_MAX;
  std::string all;
  for (std::string_view c : candidates) {
    const size_t d = EditDistance(name, c);
    if (d < best_d) best_d = d, best = c;
    StrAppend(&all, all.empty() ? "" : ", ", c);
  }
  if (best_d <= std::max<size_t>(2, name.size() / 3)) {
    return StrCat("; did you mean \"", best, "\"?");
  }
  return StrCat("; valid keys are: ", all);
}

// Checks the keys of a mapping: each known and given once.
template <size_t N>
void CheckKeys(const YAML::Node& map, std::string_view what, const std::string_view (&keys)[N]) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (std::find(std::begin(keys), std::end(keys), key) == std::end(keys)) {
      Fail(entry.first, StrCat("unknown key \"", key, "\" in ", what, Suggest(key, keys)));
    }
    if (!seen.insert(key).second) Fail(entry.first, StrCat("key \"", key, "\" is given twice"));
  }
}

std::string ScalarOf(const YAML::Node& value, std::string_view key) {
  if (!value.IsScalar()) Fail(value, StrCat(key, ": expected a string"));
  return value.Scalar();
}

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

std::string Resolve(const std::string& base, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return base + path;
}

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read \"", path, "\""));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(StrCat("cannot read \"", path, "\""));
  return text.str();
}

// An input or output series: a string in text-format syntax, or a mapping of labels.
LabelSet SeriesOf(const YAML::Node& node, std::string_view key) {
  if (node.IsScalar()) {
    auto labels = ParseSeries(node.Scalar());
    if (!labels.ok()) {
      Fail(node, StrCat(key, " '", node.Scalar(), "': ", std::string(labels.status().message())));
    }
    return *labels;
  }
  if (node.IsMap()) {
    LabelSet labels;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar() || entry.first.Scalar().empty()) {
        Fail(entry.first, StrCat(key, ": expected a label name"));
      }
      if (!entry.second.IsScalar() && !entry.second.IsNull()) {
        Fail(entry.second,
             StrCat(key, ": the value of \"", entry.first.Scalar(), "\" must be a string"));
      }
      const std::string value = entry.second.IsNull() ? "" : entry.second.Scalar();
      for (const auto& l : labels) {
        if (l.first == entry.first.Scalar()) {
          Fail(entry.first, StrCat(key, ": label \"", l.first, "\" is given twice"));
        }
      }
      if (!value.empty()) labels.emplace_back(entry.first.Scalar(), value);
    }
    std::sort(labels.begin(), labels.end());
    return labels;
  }
  Fail(node, StrCat(key, ": expected a series ('name{label=\"value\"}') or a mapping of labels"));
}

RelabelTestSeries ParseSeriesEntry(const YAML::Node& node) {
  if (!node.IsMap()) Fail(node, "expected a series entry (a mapping with input and output)");
  CheckKeys(node, "a series entry", kSeriesKeys);
  RelabelTestSeries s;
  s.line = node.Mark().line + 1;
  if (!node["input"]) Fail(node, "a series entry needs \"input\"");
  s.input = SeriesOf(node["input"], "input");
  const YAML::Node dropped = node["dropped"];
  const YAML::Node output = node["output"];
  if (dropped) {
    bool value = false;
    if (!dropped.IsScalar() || !YAML::convert<bool>::decode(dropped, value)) {
      Fail(dropped, "dropped: expected true or false");
    }
    if (!value) Fail(dropped, "dropped: false says nothing; give \"output\" instead");
    if (output) Fail(output, "give either \"output\" or \"dropped: true\", not both");
    s.expect_dropped = true;
    return s;
  }
  if (!output)
    Fail(node, "a series entry needs \"output\" (the expected series) or \"dropped: true\"");
  s.expected = SeriesOf(output, "output");
  return s;
}

RelabelTestCase ParseTest(const YAML::Node& node, size_t index) {
  if (!node.IsMap()) Fail(node, "expected a test (a mapping with name and series)");
  CheckKeys(node, "a test", kTestKeys);
  RelabelTestCase t;
  t.line = node.Mark().line + 1;
  t.name = node["name"] ? ScalarOf(node["name"], "name") : StrCat("test ", index + 1);
  const YAML::Node series = node["series"];
  if (!series || !series.IsSequence() || series.size() == 0) {
    Fail(series ? series : node, "a test needs \"series\": a list of input and output entries");
  }
  for (const YAML::Node& entry : series) t.series.push_back(ParseSeriesEntry(entry));
  return t;
}

void Load(const YAML::Node& root, const std::string& path, const RelabelTestOptions& options,
          RelabelTestFile* file) {
  if (!root.IsMap()) Fail(root, "expected a relabel test file (a mapping with rules and tests)");
  CheckKeys(root, "a relabel test file", kTopKeys);
  file->path = path;

  LabelNameValidation validation = LabelNameValidation::kUtf8;
  if (const YAML::Node v = root["name_validation"]) {
    const std::string text = ScalarOf(v, "name_validation");
    if (text == "legacy") {
      validation = LabelNameValidation::kLegacy;
    } else if (text != "utf8") {
      Fail(v, StrCat("name_validation: expected utf8 or legacy, found \"", text, "\""));
    }
  }

  // The rules: exactly one source.
  const YAML::Node rules = root["rules"];
  const YAML::Node rule_files = root["rule_files"];
  const YAML::Node config = root["prometheus_config"];
  const YAML::Node job = root["job"];
  const int sources = (rules ? 1 : 0) + (rule_files ? 1 : 0) + (config ? 1 : 0);
  if (sources == 0) {
    Fail(root,
         "a relabel test file needs its rules: \"rules\" (a list of relabel configs), "
         "\"rule_files\" or \"prometheus_config\" with \"job\"");
  }
  if (sources > 1) {
    Fail(config ? config : rule_files,
         "give one of \"rules\", \"rule_files\" and \"prometheus_config\", not several");
  }
  if (job && !config) Fail(job, "\"job\" goes with \"prometheus_config\"");
  std::vector<RelabelConfig> configs;
  if (rules) {
    if (!rules.IsSequence() && !rules.IsNull())
      Fail(rules, "rules: expected a list of relabel configs");
    RelabelLoadResult loaded = relabel_internal::LoadRelabelConfigNode(rules, validation);
    if (loaded.error) throw Failure{*loaded.error};
    configs = std::move(loaded.configs);
  } else if (rule_files) {
    if (!rule_files.IsSequence() || rule_files.size() == 0) {
      Fail(rule_files, "rule_files: expected a list of files");
    }
    for (const YAML::Node& item : rule_files) {
      const std::string name = ScalarOf(item, "rule_files");
      auto text = ReadWhole(Resolve(Folder(path), name));
      if (!text.ok()) Fail(item, StrCat("rule_files: ", std::string(text.status().message())));
      RelabelLoadResult loaded = LoadRelabelConfigs(*text, validation);
      if (loaded.error) {
        Fail(item, StrCat("rule file \"", name, "\" line ", loaded.error->line, ", column ",
                          loaded.error->column, ": ", loaded.error->message));
      }
      for (RelabelConfig& c : loaded.configs) configs.push_back(std::move(c));
    }
  } else {
    const std::string config_path = ScalarOf(config, "prometheus_config");
    if (!job) Fail(config, "\"prometheus_config\" needs \"job\": the scrape job whose rules run");
    const std::string job_name = ScalarOf(job, "job");
    if (!options.resolve_job) {
      Fail(config,
           "prometheus_config: no resolver was given to the loader "
           "(RelabelTestOptions::resolve_job); use \"rules\" or \"rule_files\"");
    }
    auto resolved = options.resolve_job(Resolve(Folder(path), config_path), job_name);
    if (absl::IsNotFound(resolved.status())) {  // no such job in the configuration
      Fail(job, StrCat("job: ", std::string(resolved.status().message())));
    }
    if (!resolved.ok()) {
      Fail(config, StrCat("prometheus_config: ", std::string(resolved.status().message())));
    }
    configs = std::move(resolved->configs);
    file->target_labels = std::move(resolved->target_labels);
  }
  auto compiled = RelabelRules::Compile(std::move(configs), validation);
  if (!compiled.ok())
    Fail(rules        ? rules
         : rule_files ? rule_files
                      : config,
         std::string(compiled.status().message()));
  file->rules = std::make_shared<const RelabelRules>(std::move(*compiled));

  const YAML::Node tests = root["tests"];
  if (!tests || !tests.IsSequence() || tests.size() == 0) {
    Fail(tests ? tests : root, "a relabel test file needs \"tests\": a list of tests");
  }
  for (size_t i = 0; i < tests.size(); ++i) file->tests.push_back(ParseTest(tests[i], i));
}

}  // namespace

RelabelTestLoadResult ParseRelabelTestFile(std::string_view yaml, const std::string& path,
                                           const RelabelTestOptions& options) {
  RelabelTestLoadResult result;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Load(root, path, options, &result.file);
  } catch (const Failure& f) {
    result.error = f.error;
  } catch (const YAML::Exception& e) {
    result.error = RelabelLoadError{e.mark.line + 1, e.mark.column + 1, e.msg};
  }
  if (result.error) result.file = RelabelTestFile{path, nullptr, {}, {}};
  return result;
}

RelabelTestLoadResult LoadRelabelTestFile(const std::string& path,
                                          const RelabelTestOptions& options) {
  auto text = ReadWhole(path);
  if (!text.ok()) {
    RelabelTestLoadResult result;
    result.file.path = path;
    result.error = RelabelLoadError{0, 0, std::string(text.status().message())};
    return result;
  }
  return ParseRelabelTestFile(*text, path, options);
}

RelabelTestRunResult RunRelabelTests(const RelabelTestFile& file) {
  RelabelTestRunResult run;
  if (file.rules == nullptr) return run;
  for (const RelabelTestCase& test : file.tests) {
    RelabelTestCaseResult& tr = run.tests.emplace_back();
    tr.test = &test;
    for (const RelabelTestSeries& s : test.series) {
      RelabelSeriesOutcome& o = tr.series.emplace_back();
      o.series = &s;
      o.got = s.input;
      if (!file.target_labels.empty())
        AttachTargetLabels(file.target_labels, /*honor_labels=*/false, o.got);
      o.dropped = !file.rules->Apply(o.got);
      if (o.dropped) o.got.clear();
      o.passed = o.dropped == s.expect_dropped && (o.dropped || o.got == s.expected);
      if (!o.passed) ++tr.failures;
    }
    if (!tr.passed()) ++run.failures;
  }
  return run;
}

}  // namespace promtool
