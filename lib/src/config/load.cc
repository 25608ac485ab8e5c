// Loading a YAML list of relabel configs, field by field as Prometheus spells them, with the
// line of every error and the closest valid field or action suggested for unknown ones.
#include "config/load.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "absl/status/status.h"
#include "common/strcat.h"
#include "config/utf8.h"
#include "promtool/escape.h"
#include "promtool/relabel.h"
#include "promtool/suggest.h"
#include "yaml-cpp/yaml.h"

namespace promtool {
namespace {

constexpr std::string_view kFields[] = {"source_labels", "separator",   "regex", "modulus",
                                        "target_label",  "replacement", "action"};

// "; did you mean "x"?" for the closest candidate within a third of the name's length (at
// least 2 edits), else "; valid ones are: a, b, ...".
template <typename Names>
std::string Suggest(std::string_view name, const Names& candidates) {
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
  return StrCat("; valid ones are: ", all);
}

struct Failure {
  RelabelLoadError error;
};

[[noreturn]] void Fail(const YAML::Node& at, std::string message) {
  const YAML::Mark m = at.Mark();
  throw Failure{{m.line + 1, m.column + 1, std::move(message)}};
}

std::string Scalar(const YAML::Node& value, std::string_view field) {
  if (value.IsNull()) return "";
  if (!value.IsScalar()) Fail(value, StrCat(field, ": expected a string"));
  return value.Scalar();
}

RelabelConfig ParseRule(const YAML::Node& node, LabelNameValidation validation) {
  if (!node.IsMap()) Fail(node, "expected a relabel config (a mapping of fields)");
  RelabelConfig c;
  c.line = node.Mark().line + 1;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    const YAML::Node& value = entry.second;
    if (!seen.insert(key).second) {
      Fail(entry.first, StrCat("field \"", key, "\" is given twice"));
    }
    if (key == "source_labels") {
      c.source_labels_set = true;
      if (value.IsNull()) continue;
      if (!value.IsSequence()) Fail(value, "source_labels: expected a list of label names");
      for (const YAML::Node& item : value) {
        if (!item.IsScalar()) Fail(item, "source_labels: expected a list of label names");
        const std::string& name = item.Scalar();
        const bool ok = validation == LabelNameValidation::kLegacy
                            ? !name.empty() &&
                                  name.find_first_not_of(
                                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
                                      "RSTUVWXYZ_0123456789") == std::string::npos &&
                                  !(name[0] >= '0' && name[0] <= '9')
                            : !name.empty() && ValidUtf8(name);
        if (!ok) Fail(item, StrCat("\"", name, "\" is not a valid label name"));
        c.source_labels.push_back(name);
      }
    } else if (key == "separator") {
      c.separator = Scalar(value, key);
    } else if (key == "regex") {
      c.regex = Scalar(value, key);
      c.regex_set = true;
      auto re = relabel_internal::CompileRelabelRegex(c.regex);
      if (!re.ok()) Fail(value, std::string(re.status().message()));
    } else if (key == "modulus") {
      const std::string text = Scalar(value, key);
      uint64_t m = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), m);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        Fail(value, StrCat("modulus: expected an unsigned integer, found \"", text, "\""));
      }
      c.modulus = m;
    } else if (key == "target_label") {
      c.target_label = Scalar(value, key);
    } else if (key == "replacement") {
      c.replacement = Scalar(value, key);
    } else if (key == "action") {
      const std::string text = Scalar(value, key);
      auto action = ParseRelabelAction(text);
      if (!action) {
        std::vector<std::string_view> names;
        for (int a = 0; a <= static_cast<int>(RelabelAction::kUppercase); ++a) {
          names.push_back(RelabelActionName(static_cast<RelabelAction>(a)));
        }
        Fail(value, StrCat("unknown relabel action \"", text, "\"", Suggest(text, names)));
      }
      c.action = *action;
    } else {
      Fail(entry.first,
           StrCat("unknown field \"", key, "\" in a relabel config", Suggest(key, kFields)));
    }
  }
  return c;
}

}  // namespace

RelabelLoadResult relabel_internal::LoadRelabelConfigNode(const YAML::Node& root,
                                                          LabelNameValidation validation,
                                                          std::string_view where) {
  RelabelLoadResult result;
  try {
    if (!root.IsDefined() || root.IsNull()) return result;  // an empty file: no rules
    if (!root.IsSequence()) {
      Fail(root, StrCat("expected a list of relabel configs", where));
    }
    for (const YAML::Node& item : root) {
      RelabelConfig c = ParseRule(item, validation);
      // Prometheus' validation of the rule, reported at the rule's first field.
      if (absl::Status st = ValidateRelabelConfig(c, validation); !st.ok()) {
        Fail(item, std::string(st.message()));
      }
      result.configs.push_back(std::move(c));
    }
  } catch (const Failure& f) {
    result.error = f.error;
  } catch (const YAML::Exception& e) {
    result.error = RelabelLoadError{e.mark.line + 1, e.mark.column + 1, e.msg};
  }
  if (result.error) result.configs.clear();
  return result;
}

RelabelLoadResult LoadRelabelConfigs(std::string_view yaml, LabelNameValidation validation) {
  try {
    return relabel_internal::LoadRelabelConfigNode(YAML::Load(std::string(yaml)), validation);
  } catch (const YAML::Exception& e) {
    RelabelLoadResult result;
    result.error = RelabelLoadError{e.mark.line + 1, e.mark.column + 1, e.msg};
    return result;
  }
}

}  // namespace promtool
