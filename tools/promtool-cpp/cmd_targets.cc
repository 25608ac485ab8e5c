// `promtool-cpp targets` maps options to promtool::LoadPrometheusConfig() and
// promtool::TargetsFromConfig(), and prints the targets as a table or as JSON.
#include "cmd_targets.h"

#include <cstdio>

#include "promtool/escape.h"
#include "promtool/output.h"
#include "promtool/prometheus_targets.h"
#include "promtool/table.h"

namespace promtool::cli {
namespace {

std::string LabelsText(const LabelSet& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ", ";
    out += labels[i].first;
    out += '=';
    AppendJsonString(labels[i].second, &out, JsonStyle::kPlain);
  }
  return out + "}";
}

std::string LabelsJson(const LabelSet& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ", ";
    AppendJsonString(labels[i].first, &out, JsonStyle::kPlain);
    out += ": ";
    AppendJsonString(labels[i].second, &out, JsonStyle::kPlain);
  }
  return out + "}";
}

std::string State(const ScrapeTarget& t) {
  return !t.ok() ? "invalid" : t.dropped ? "dropped" : "ok";
}

}  // namespace

void PrintConfigError(const ConfigError& e) {
  if (e.line > 0 && e.column > 0) {
    std::fprintf(stderr, "%s:%d:%d: error: %s\n", e.file.c_str(), e.line, e.column,
                 e.message.c_str());
  } else if (e.line > 0) {
    std::fprintf(stderr, "%s:%d: error: %s\n", e.file.c_str(), e.line, e.message.c_str());
  } else {
    std::fprintf(stderr, "%s: error: %s\n", e.file.c_str(), e.message.c_str());
  }
}

bool LoadPrometheusConfigFile(const std::string& path, PrometheusConfig* config) {
  auto yaml = ReadFile(path);
  if (!yaml.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", path.c_str(),
                 std::string(yaml.status().message()).c_str());
    return false;
  }
  PrometheusConfigResult loaded = LoadPrometheusConfig(*yaml, path);
  if (!loaded.ok()) {
    PrintConfigError(loaded.error);
    return false;
  }
  for (const std::string& note : loaded.config.notes) {
    std::fprintf(stderr, "%s: note: %s\n", path.c_str(), note.c_str());
  }
  *config = std::move(loaded.config);
  return true;
}

bool LoadPrometheusTargets(const std::string& path, const std::string& job,
                           PrometheusConfig* config, TargetsResult* targets) {
  if (!LoadPrometheusConfigFile(path, config)) return false;
  *targets = TargetsFromConfig(*config, job);
  for (const std::string& note : targets->notes) {
    std::fprintf(stderr, "%s: note: %s\n", path.c_str(), note.c_str());
  }
  if (!targets->ok()) {
    PrintConfigError(targets->error);
    return false;
  }
  return true;
}

CLI::App* SetupTargets(CLI::App& app, TargetsCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "targets",
      "List the targets of a Prometheus configuration as Prometheus builds them: target "
      "relabeling, URL, target labels.");
  sub->add_option("--prometheus-config", cmd.prometheus_config,
                  "The Prometheus configuration file (prometheus.yml)")
      ->required();
  sub->add_option("--job", cmd.job, "Only this job (its job_name)");
  sub->add_option("--report", cmd.report, "Output: text (a table) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return sub;
}

int RunTargets(const TargetsCmd& cmd) {
  PrometheusConfig config;
  TargetsResult result;
  if (!LoadPrometheusTargets(cmd.prometheus_config, cmd.job, &config, &result)) return 1;
  size_t invalid = 0, dropped = 0;
  for (const ScrapeTarget& t : result.targets) {
    invalid += !t.ok();
    dropped += t.ok() && t.dropped;
  }
  std::string out;
  if (cmd.report == "json") {
    out = "{\n  \"targets\": [";
    for (size_t i = 0; i < result.targets.size(); ++i) {
      const ScrapeTarget& t = result.targets[i];
      out += i ? ",\n    {" : "\n    {";
      out += "\"job\": ";
      AppendJsonString(t.job, &out, JsonStyle::kPlain);
      out += ", \"state\": \"" + State(t) + "\"";
      if (!t.ok()) {
        out += ", \"error\": ";
        AppendJsonString(t.error.message, &out, JsonStyle::kPlain);
      }
      if (t.ok() && !t.dropped) {
        out += ", \"url\": ";
        AppendJsonString(RedactUrl(t.url), &out, JsonStyle::kPlain);
        out += ", \"scrapeInterval\": \"" + FormatPrometheusDuration(t.interval_ms) +
               "\", \"scrapeTimeout\": \"" + FormatPrometheusDuration(t.timeout_ms) + "\"";
        out += ", \"labels\": " + LabelsJson(t.labels);
      }
      out += ", \"discoveredLabels\": " + LabelsJson(t.discovered) + "}";
    }
    out += result.targets.empty() ? "],\n" : "\n  ],\n";
    out += "  \"summary\": {\"targets\": " + std::to_string(result.targets.size()) +
           ", \"dropped\": " + std::to_string(dropped) +
           ", \"invalid\": " + std::to_string(invalid) + "}\n}\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"JOB", "STATE", "URL", "LABELS"}};
    for (const ScrapeTarget& t : result.targets) {
      if (!t.ok()) {
        rows.push_back({t.job, "invalid", "-", LabelsText(t.discovered) + ": " + t.error.message});
      } else if (t.dropped) {
        rows.push_back({t.job, "dropped", "-", LabelsText(t.discovered)});
      } else {
        rows.push_back({t.job, "ok", RedactUrl(t.url), LabelsText(t.labels)});
      }
    }
    out = TabwriterTable(rows);
    out += std::to_string(result.targets.size()) +
           (result.targets.size() == 1 ? " target" : " targets") + ": " +
           std::to_string(result.targets.size() - dropped - invalid) + " ok, " +
           std::to_string(dropped) + " dropped, " + std::to_string(invalid) + " invalid\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return invalid == 0 ? 0 : 1;
}

}  // namespace promtool::cli
