// `promtool-cpp relabel` maps options to promtool::LoadRelabelConfigs(), RelabelRules::Compile()
// and promtool::RelabelStream(), and prints their errors.
#include "cmd_relabel.h"

#include <cstdio>

#include "diag.h"
#include "promtool/convert.h"
#include "promtool/input.h"
#include "promtool/output.h"
#include "promtool/relabel_stream.h"
#include "promtool/source.h"

namespace promtool::cli {
CLI::App* SetupRelabel(CLI::App& app, RelabelCmd& cmd) {
  CLI::App* sub = app.add_subcommand(
      "relabel",
      "Apply Prometheus metric relabel rules to a payload: the series Prometheus would "
      "ingest.");
  sub->add_option("--rules", cmd.rules, "YAML file holding a list of relabel configs")->required();
  sub->add_flag("--diff", cmd.diff,
                "Show each series as dropped (-), relabelled (~, before -> after) or unchanged "
                "(=), with counts per family, instead of the payload");
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

int RunRelabel(const RelabelCmd& cmd) {
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

  RelabelStreamOptions options;
  options.from = *ParseInputFormat(cmd.from);
  options.to = *ParseOutputFormat(cmd.to);
  options.text.names = cmd.names == "utf8" ? NameScheme::kUtf8 : NameScheme::kLegacy;
  options.escaping = *ParseEscaping(cmd.escaping);
  options.max_message_bytes = cmd.max_message_bytes;
  options.diff = cmd.diff;

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
  RelabelStreamResult result = RelabelStream(src, *out, *rules, options);
  if (!result.ok()) {
    PrintError(stderr, src.name(), result.error, src.LineAt(result.error.offset), UseColor(stderr));
    return 1;
  }
  for (const std::string& line : result.losses) {
    std::fprintf(stderr, "%s: warning: %s\n", src.name().c_str(), line.c_str());
  }
  return 0;
}

}  // namespace promtool::cli
