// `promtool-cpp relabel` maps options to promtool::LoadRelabelConfigs(), RelabelRules::Compile()
// (or, with --prometheus-config, promtool::ResolveJobRelabel() and, for a URL input,
// ScrapeJobTarget()) and promtool::RelabelStream(), and prints their errors (and traces).
#include "cmd_relabel.h"

#include <cstdio>
#include <optional>

#include "client_flags.h"
#include "cmd_targets.h"
#include "diag.h"
#include "promtool/convert.h"
#include "promtool/input.h"
#include "promtool/output.h"
#include "promtool/prometheus_targets.h"
#include "promtool/relabel_stream.h"
#include "promtool/source.h"
#include "usage.h"

namespace promtool::cli {
namespace {

// One traced sample line:
//   NAME{...}
//     rule 1 (line 2) drop: no match
//     rule 2 (line 4) replace: matched -> NAME{...}
//     => kept NAME{...}
std::string FormatTrace(const RelabelRules& rules, const RelabelTrace& trace) {
  std::string out = FormatSeries(trace.input) + "\n";
  const LabelSet* previous = &trace.input;
  for (const RelabelStep& step : trace.steps) {
    const RelabelConfig& c = rules.config(step.rule);
    out += "  rule " + std::to_string(step.rule + 1);
    if (c.line > 0) out += " (line " + std::to_string(c.line) + ")";
    out += " " + std::string(RelabelActionName(c.action)) + ": ";
    out += step.matched ? "matched" : "no match";
    if (step.dropped) {
      out += " -> dropped\n";
    } else if (step.labels == *previous) {
      out += ", unchanged\n";
    } else {
      out += " -> " + FormatSeries(step.labels) + "\n";
    }
    previous = &step.labels;
  }
  if (trace.kept) {
    out += "  => kept " + FormatSeries(trace.output) + "\n";
  } else {
    out += "  => dropped by rule " + std::to_string(trace.steps.back().rule + 1) + "\n";
  }
  return out;
}

}  // namespace

int RunRelabelWith(const RelabelCmd& cmd, const RelabelRules& rules);

CLI::App* SetupRelabel(CLI::App& app, RelabelCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "relabel",
      "Apply Prometheus metric relabel rules to a payload: the series Prometheus would "
      "ingest.");
  CLI::Option* rules =
      sub->add_option("--rules", cmd.rules, "YAML file holding a list of relabel configs");
  CLI::Option* config =
      sub->add_option("--prometheus-config", cmd.prometheus_config,
                      "Instead of --rules: the metric_relabel_configs of --job in this "
                      "Prometheus configuration; a URL input is then scraped as that job's "
                      "target with that URL (its client settings, target labels and limits)")
          ->excludes(rules);
  sub->add_option("--job", cmd.job, "With --prometheus-config: the job whose rules apply")
      ->needs(config);
  sub->add_flag("--diff", cmd.diff,
                "Show each series as dropped (-), relabelled (~, before -> after) or unchanged "
                "(=), with counts per family, instead of the payload");
  sub->add_option("--trace", cmd.trace,
                  "Instead of the payload, show each rule's step (matched?, labels after) for "
                  "the sample lines matching this series selector: 'name{label=~\"re\"}'")
      ->excludes("--diff");
  sub->add_option("--from", cmd.from, "Input format")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf"}))
      ->capture_default_str();
  sub->add_option("--to", cmd.to, "Output format")
      ->check(CLI::IsMember({"text", "openmetrics", "protobuf", "protobuf-text", "json"}))
      ->capture_default_str();
  sub->add_option("--names", cmd.names,
                  "Text input name syntax: legacy, or utf8 to accept quoted names")
      ->check(CLI::IsMember({"legacy", "utf8"}))
      ->capture_default_str();
  sub->add_option("--name-validation", cmd.validation,
                  "Label names the rules may create: utf8 (Prometheus 3) or legacy (Prometheus 2)")
      ->check(CLI::IsMember({"utf8", "legacy"}))
      ->capture_default_str();
  sub->add_option("--escaping", cmd.escaping,
                  "Names that are not legacy names: allow-utf-8 (quote them), underscores, dots, "
                  "values (rewrite them), none (refuse them)")
      ->check(CLI::IsMember({"allow-utf-8", "underscores", "dots", "values", "none"}))
      ->capture_default_str();
  sub->add_option("--max-message-bytes", cmd.max_message_bytes,
                  "Protobuf input: the largest MetricFamily record accepted")
      ->capture_default_str();
  sub->add_option("input", cmd.input, "Input file; '-' or none reads stdin")->capture_default_str();
  return sub;
}

namespace {

// --prometheus-config F --job J: that job's metric_relabel_configs; a URL input is scraped as
// the job's target with that URL.
int RelabelWithConfig(const RelabelCmd& cmd) {
  if (cmd.job.empty()) {
    std::fprintf(stderr, "relabel: --prometheus-config needs --job\n");
    return kUsageExitCode;
  }
  PrometheusConfig config;
  if (!LoadPrometheusConfigFile(cmd.prometheus_config, &config)) return 1;
  JobRelabel resolved = ResolveJobRelabel(config, cmd.job, IsUrl(cmd.input) ? cmd.input : "");
  if (!resolved.ok()) {
    PrintConfigError(resolved.error);
    return 1;
  }
  if (resolved.target) {
    JobScrapeOptions options;
    options.to = *ParseOutputFormat(cmd.to);
    options.escaping = *ParseEscaping(cmd.escaping);
    options.diff = cmd.diff;
    std::unique_ptr<Sink> out = FdSink(1, "<stdout>");
    TargetScrapeResult r =
        ScrapeJobTarget(*resolved.job, *resolved.target, *resolved.metric_rules, *out, options);
    if (!r.ok()) {
      if (!r.line.empty() || r.error.line > 0) {
        PrintDiagnostic(stderr, r.url, r.error, r.line, UseColor(stderr));
      } else {
        std::fprintf(stderr, "%s: error: %s\n", r.url.c_str(), r.error.message.c_str());
      }
      return 1;
    }
    for (const std::string& loss : r.losses) {
      std::fprintf(stderr, "%s: warning: %s\n", r.url.c_str(), loss.c_str());
    }
    return 0;
  }
  RelabelCmd plain = cmd;
  plain.prometheus_config.clear();
  return RunRelabelWith(plain, *resolved.metric_rules);
}

}  // namespace

int RunRelabel(const RelabelCmd& cmd) {
  if (!cmd.prometheus_config.empty()) return RelabelWithConfig(cmd);
  if (cmd.rules.empty()) {
    // As CLI11 words a missing required option (--rules is required unless the rules come
    // from --prometheus-config).
    std::fprintf(stderr, "--rules is required\nRun with --help for more information.\n");
    return kUsageExitCode;
  }
  const LabelNameValidation validation =
      cmd.validation == "legacy" ? LabelNameValidation::kLegacy : LabelNameValidation::kUtf8;
  auto yaml = ReadFile(cmd.rules);
  if (!yaml.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", cmd.rules.c_str(),
                 std::string(yaml.status().message()).c_str());
    return 1;
  }
  RelabelLoadResult loaded = LoadRelabelConfigs(*yaml, validation);
  if (loaded.error) {
    std::fprintf(stderr, "%s:%d:%d: error: %s\n", cmd.rules.c_str(), loaded.error->line,
                 loaded.error->column, loaded.error->message.c_str());
    return 1;
  }
  auto rules = RelabelRules::Compile(std::move(loaded.configs), validation);
  if (!rules.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", cmd.rules.c_str(),
                 std::string(rules.status().message()).c_str());
    return 1;
  }
  return RunRelabelWith(cmd, *rules);
}

int RunRelabelWith(const RelabelCmd& cmd, const RelabelRules& rules) {
  RelabelStreamOptions options;
  options.from = *ParseInputFormat(cmd.from);
  options.to = *ParseOutputFormat(cmd.to);
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  options.escaping = *ParseEscaping(cmd.escaping);
  options.max_message_bytes = cmd.max_message_bytes;
  options.diff = cmd.diff;

  std::optional<SeriesSelector> selector;
  if (!cmd.trace.empty()) {
    auto parsed = SeriesSelector::Parse(cmd.trace);
    if (!parsed.ok()) {
      std::fprintf(stderr, "error: --trace '%s': %s\n", cmd.trace.c_str(),
                   std::string(parsed.status().message()).c_str());
      return 1;
    }
    selector = std::move(*parsed);
  }

  ReadOptions read;
  read.format = options.from;
  Input in = OpenInput(cmd.input, read);
  if (!in.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", in.name.c_str(), in.error.message.c_str());
    return 1;
  }
  options.from = in.format;
  Source& src = *in.source;
  std::unique_ptr<Sink> out = FdSink(1, "<stdout>");
  std::string trace_error;  // the first failed write of a trace
  if (selector) {
    options.trace = &*selector;
    options.on_trace = [&](const RelabelTrace& trace) {
      if (!trace_error.empty()) return;
      if (absl::Status st = out->Write(FormatTrace(rules, trace)); !st.ok()) {
        trace_error = std::string(st.message());
      }
    };
  }
  RelabelStreamResult result = RelabelStream(src, *out, rules, options);
  if (!result.ok()) {
    PrintError(stderr, src.name(), result.error, src.LineAt(result.error.offset), UseColor(stderr));
    return 1;
  }
  for (const std::string& line : result.losses) {
    std::fprintf(stderr, "%s: warning: %s\n", src.name().c_str(), line.c_str());
  }
  if (selector) {
    if (!trace_error.empty()) {
      std::fprintf(stderr, "<stdout>: error: %s\n", trace_error.c_str());
      return 1;
    }
    const std::string summary = "# " + std::to_string(result.traced) + " of " +
                                std::to_string(result.series) + " sample lines matched " +
                                cmd.trace + "\n";
    if (absl::Status st = out->Write(summary); !st.ok()) {
      std::fprintf(stderr, "<stdout>: error: %s\n", std::string(st.message()).c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace promtool::cli
