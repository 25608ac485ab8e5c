// The `.promtool-cpp.yml` lint config: parsed with yaml-cpp, found by walking up directories.
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "promtool/lint_run.h"
#include "promtool/source.h"
#include "re2/re2.h"
#include "yaml-cpp/yaml.h"

namespace promtool::lint {
namespace {

absl::Status ConfigError(std::string_view name, const std::string& what) {
  return absl::InvalidArgumentError(std::string(name) + ": " + what);
}

// A string or a list of strings, joined with commas (rule glob lists).
absl::StatusOr<std::string> GlobList(const YAML::Node& node, std::string_view name,
                                     const std::string& key) {
  if (node.IsScalar()) return node.as<std::string>();
  if (!node.IsSequence()) return ConfigError(name, key + ": expected a string or a list");
  std::string out;
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return ConfigError(name, key + ": expected a list of strings");
    if (!out.empty()) out += ',';
    out += item.as<std::string>();
  }
  return out;
}

bool KnownRule(std::string_view id) {
  for (const RuleInfo& rule : Rules()) {
    if (rule.id == id) return true;
  }
  return false;
}

// `name:LINE: key` for messages about one node.
std::string Where(std::string_view name, const YAML::Node& node, const std::string& key) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return std::string(name) + ": " + key;
  return std::string(name) + ":" + std::to_string(mark.line + 1) + ": " + key;
}

// A glob list whose every item must select a rule (a typo must not turn linting off).
absl::Status CheckGlobs(const std::string& globs, std::string_view name, const YAML::Node& node,
                        const std::string& key) {
  return CheckRuleGlobs(globs, Where(name, node, key));
}

absl::StatusOr<LintConfig> ParseNode(const YAML::Node& root, std::string_view name) {
  LintConfig config;
  config.path = std::string(name);
  if (root.IsNull()) return config;  // an empty file
  if (!root.IsMap()) return ConfigError(name, "expected a mapping at the top level");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (key == "enable") {
      auto globs = GlobList(value, name, key);
      if (!globs.ok()) return globs.status();
      if (auto st = CheckGlobs(*globs, name, value, key); !st.ok()) return st;
      config.enable = *globs;
    } else if (key == "disable") {
      auto globs = GlobList(value, name, key);
      if (!globs.ok()) return globs.status();
      if (globs->empty()) continue;  // `disable: []`
      if (auto st = CheckGlobs(*globs, name, value, key); !st.ok()) return st;
      config.disable.push_back(*globs);
    } else if (key == "severity") {
      if (!value.IsMap()) return ConfigError(name, "severity: expected a mapping rule: level");
      for (const auto& rule : value) {
        const std::string id = rule.first.as<std::string>();
        const std::string level = rule.second.IsScalar() ? rule.second.as<std::string>() : "";
        if (!KnownRule(id)) {
          return absl::InvalidArgumentError(Where(name, rule.first, "severity") +
                                            ": unknown rule \"" + id + "\"; did you mean \"" +
                                            std::string(ClosestRule(id)) + "\"?");
        }
        if (level == "off") {
          config.disable.push_back(id);
        } else if (auto severity = ParseSeverity(level)) {
          config.severity[id] = *severity;
        } else {
          return ConfigError(name, "severity: " + id +
                                       ": expected info, warning, error or "
                                       "off, found \"" +
                                       level + "\"");
        }
      }
    } else if (key == "exclude") {
      if (!value.IsSequence()) return ConfigError(name, "exclude: expected a list");
      for (const YAML::Node& item : value) {
        if (!item.IsMap() || !item["metric"] || !item["metric"].IsScalar()) {
          return ConfigError(name, "exclude: each item needs a metric: REGEX");
        }
        Exclusion exclusion;
        exclusion.metric = item["metric"].as<std::string>();
        RE2 re(exclusion.metric, RE2::Quiet);
        if (!re.ok()) {
          return ConfigError(
              name, "exclude: bad regular expression \"" + exclusion.metric + "\": " + re.error());
        }
        if (item["rules"]) {
          auto globs = GlobList(item["rules"], name, "exclude: rules");
          if (!globs.ok()) return globs.status();
          if (auto st = CheckGlobs(*globs, name, item["rules"], "exclude: rules"); !st.ok()) {
            return st;
          }
          exclusion.rules = *globs;
        }
        for (const auto& field : item) {
          const std::string k = field.first.as<std::string>();
          if (k != "metric" && k != "rules") {
            return ConfigError(name, "exclude: unknown key \"" + k + "\"");
          }
        }
        config.exclusions.push_back(std::move(exclusion));
      }
    } else if (key == "max-label-values") {
      const std::string text = value.IsScalar() ? value.as<std::string>() : "";
      uint64_t n = 0;
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
          text.size() > 18) {
        return ConfigError(name, "max-label-values: expected a whole number");
      }
      n = std::stoull(text);
      config.max_label_values = n;
    } else if (key == "fail-on") {
      const std::string level = value.IsScalar() ? value.as<std::string>() : "";
      auto severity = ParseSeverity(level);
      if (!severity) return ConfigError(name, "fail-on: expected info, warning or error");
      config.fail_on = *severity;
    } else {
      return ConfigError(name, "unknown key \"" + key + "\"");
    }
  }
  return config;
}

}  // namespace

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning" || name == "warn") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

absl::StatusOr<LintConfig> ParseLintConfig(std::string_view yaml, std::string_view name) {
  // yaml-cpp reports errors with exceptions; none leaves this function.
  try {
    return ParseNode(YAML::Load(std::string(yaml)), name);
  } catch (const YAML::Exception& e) {
    return ConfigError(name, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

namespace {

// "a,b" -> "-a,-b".
std::string Negate(std::string_view globs) {
  std::string out;
  size_t at = 0;
  while (at <= globs.size()) {
    size_t comma = globs.find(',', at);
    if (comma == std::string::npos) comma = globs.size();
    std::string_view item = globs.substr(at, comma - at);
    if (!item.empty()) {
      if (!out.empty()) out += ',';
      out += '-';
      out += item;
    }
    at = comma + 1;
  }
  return out;
}

}  // namespace

absl::StatusOr<LintSettings> ResolveLintSettings(const LintRequest& request) {
  LintSettings settings;
  std::optional<std::string> path;
  if (!request.config_path.empty()) {
    path = request.config_path;
  } else if (!request.no_config) {
    path = FindLintConfig(request.config_dir);
  }
  if (path) {
    auto text = ReadFile(*path);
    if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
    auto parsed = ParseLintConfig(*text, *path);
    if (!parsed.ok()) return parsed.status();
    settings.config = std::move(*parsed);
  }
  const std::optional<LintConfig>& config = settings.config;
  for (const std::string& e : request.enable) {
    if (absl::Status st = CheckRuleGlobs(e, "--enable"); !st.ok()) return st;
  }
  for (const std::string& d : request.disable) {
    if (absl::Status st = CheckRuleGlobs(d, "--disable"); !st.ok()) return st;
  }
  std::string globs;
  if (!request.enable.empty()) {
    for (const std::string& e : request.enable) {
      if (!globs.empty()) globs += ',';
      globs += e;
    }
  } else {
    globs = config && config->enable ? *config->enable : "default";
  }
  // Appended piece by piece: GCC 12 warns (-Wrestrict) about "," + std::string here.
  auto remove = [&globs](std::string_view d) {
    globs += ',';
    globs += Negate(d);
  };
  if (config) {
    for (const std::string& d : config->disable) remove(d);
  }
  for (const std::string& d : request.disable) remove(d);
  if (!request.rules_off && !SelectsAnyRule(globs)) {
    std::string message = "the rule selection \"";
    message += globs;
    message += "\" (--enable, --disable and the config file) enables no rule";
    return absl::InvalidArgumentError(message);
  }
  settings.rules = request.rules_off ? "" : globs;
  settings.max_label_values = request.max_label_values != 0        ? request.max_label_values
                              : config && config->max_label_values ? *config->max_label_values
                                                                   : 1000;
  settings.fail_on = request.fail_on             ? *request.fail_on
                     : config && config->fail_on ? *config->fail_on
                                                 : Severity::kWarning;
  return settings;
}

SourceLintOptions LintSettings::SourceOptions() const {
  SourceLintOptions options;
  options.lint.rules = rules;
  options.lint.max_label_values = max_label_values;
  options.config = config ? &*config : nullptr;
  return options;
}

std::optional<std::string> FindLintConfig(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path at = std::filesystem::absolute(dir, ec);
  if (ec) return std::nullopt;
  while (true) {
    std::filesystem::path candidate = at / ".promtool-cpp.yml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (!at.has_parent_path() || at.parent_path() == at) return std::nullopt;
    at = at.parent_path();
  }
}

}  // namespace promtool::lint
