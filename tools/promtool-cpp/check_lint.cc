// The CI side of `check metrics`: expands inputs, lints each one in its own format through
// lint::LintSource(), applies the config and the baseline, and writes every requested output.
#include "check_lint.h"

#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client_flags.h"
#include "cmd_check.h"
#include "diag.h"
#include "extended_output.h"
#include "lint_output.h"
#include "promtool/lint_run.h"
#include "promtool/output.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool::cli {
namespace {

// File names a directory walk picks up.
bool LintableExtension(const std::filesystem::path& path) {
  static const char* const kExtensions[] = {".prom",        ".txt", ".om",
                                            ".openmetrics", ".pb",  ".metrics"};
  const std::string ext = path.extension().string();
  for (const char* e : kExtensions) {
    if (ext == e) return true;
  }
  return false;
}

bool HasGlobChars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

// Expands directories (recursively, sorted) and globs; keeps "-", URLs and plain paths.
absl::Status ExpandInputs(const std::vector<std::string>& args, std::vector<std::string>* out) {
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg == "-" || IsUrl(arg)) {
      out->push_back(arg);
    } else if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (auto it = std::filesystem::recursive_directory_iterator(arg, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && LintableExtension(it->path())) {
          found.push_back(it->path().string());
        }
      }
      if (ec) return absl::NotFoundError(arg + ": " + ec.message());
      std::sort(found.begin(), found.end());
      out->insert(out->end(), found.begin(), found.end());
    } else if (HasGlobChars(arg) && !std::filesystem::exists(arg, ec)) {
      glob_t g{};
      int rc = glob(arg.c_str(), 0, nullptr, &g);
      if (rc == GLOB_NOMATCH) {
        globfree(&g);
        return absl::NotFoundError(arg + ": no file matches the pattern");
      }
      for (size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) out->push_back(g.gl_pathv[i]);
      globfree(&g);
      if (rc != 0) return absl::NotFoundError(arg + ": cannot expand the pattern");
    } else {
      out->push_back(arg);
    }
  }
  return absl::OkStatus();
}

// "a,b" -> "-a,-b".
std::string Negate(const std::string& globs) {
  std::string out;
  size_t at = 0;
  while (at <= globs.size()) {
    size_t comma = globs.find(',', at);
    if (comma == std::string::npos) comma = globs.size();
    std::string item = globs.substr(at, comma - at);
    if (!item.empty()) out += (out.empty() ? "-" : ",-") + item;
    at = comma + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// An input read whole (so that every problem can be located), or why not.
absl::StatusOr<std::unique_ptr<Source>> ReadInput(const std::string& input,
                                                  const ScrapeOptions& scrape,
                                                  InputFormat* format) {
  if (IsUrl(input)) {
    FetchResult r = Fetch(input, scrape);
    if (!r.ok() && r.parse_error.ok()) return absl::UnavailableError(r.url + ": " + r.error);
    if (*format == InputFormat::kAuto) *format = r.format.format;
    return StringSource(std::move(r.body), RedactUrl(input));
  }
  auto source = OpenSource(input);
  if (!source.ok()) return source.status();
  Source& s = **source;
  while (!s.at_eof()) {
    if (!s.Refill(s.window_offset())) break;
  }
  if (!s.error().empty()) return absl::UnavailableError(s.error());
  return source;
}

std::string FormatPositionText(const ParseError& e, InputFormat format) {
  if (format == InputFormat::kText) {
    return "text format parsing error in line " + std::to_string(e.line) + ": " + e.compat_message;
  }
  std::string name = format == InputFormat::kOpenMetrics ? "OpenMetrics" : "protobuf";
  if (e.line == 0) {
    return name + " parsing error at byte " + std::to_string(e.offset) + ": " + e.message;
  }
  return name + " parsing error in line " + std::to_string(e.line) + ": " + e.message;
}

struct Output {
  LintOutputMode mode;
  std::string file;  // empty: the terminal
};

}  // namespace

void AddLintFlags(CLI::App* metrics, LintFlags& flags) {
  const std::string group = "Linting for CI (see docs/ci.md)";
  metrics
      ->add_option("--output", flags.outputs,
                   "Output mode: promtool (default), pretty, json, sarif, github, checkstyle, "
                   "junit; MODE:FILE writes it to FILE; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  metrics
      ->add_option("--input-format", flags.input_format,
                   "auto (default), text, openmetrics or protobuf")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf"}))
      ->group(group);
  metrics
      ->add_option("--enable", flags.enable,
                   "Rule id globs to run, replacing the default (promlint) set: '*,-camel-case-*'")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  metrics->add_option("--disable", flags.disable, "Rule id globs not to run")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  metrics
      ->add_option("--fail-on", flags.fail_on,
                   "Lowest severity that makes the exit code 3 (default: warning)")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->group(group);
  metrics
      ->add_option("--config", flags.config,
                   "Lint config file (default: the nearest .promtool-cpp.yml upwards)")
      ->group(group);
  metrics->add_flag("--no-config", flags.no_config, "Do not look for .promtool-cpp.yml")
      ->group(group);
  metrics->add_option("--baseline", flags.baseline, "Report only problems not in this baseline")
      ->group(group);
  metrics
      ->add_option("--write-baseline", flags.write_baseline,
                   "Write the problems found to this baseline file (and exit 0 unless an input "
                   "fails)")
      ->group(group);
  metrics
      ->add_option("--max-label-values", flags.max_label_values,
                   "label-cardinality: distinct values per label and family (default 1000)")
      ->group(group);
  metrics->add_option("--top", flags.top, "With --extended: the N most frequent values per label")
      ->group(group);
}

bool WantsLintMode(const CheckMetricsCmd& cmd) {
  const LintFlags& f = cmd.lint_flags;
  if (!f.outputs.empty() || !f.input_format.empty() || !f.enable.empty() || !f.disable.empty() ||
      !f.fail_on.empty() || !f.config.empty() || !f.baseline.empty() || !f.write_baseline.empty() ||
      f.max_label_values != 0 || f.top != 0 || cmd.extended == "json") {
    return true;
  }
  for (const std::string& input : cmd.inputs) {
    std::error_code ec;
    if (input == "-" || IsUrl(input)) continue;
    if (std::filesystem::is_directory(input, ec)) return true;
    if (HasGlobChars(input) && !std::filesystem::exists(input, ec)) return true;
  }
  return !f.no_config && lint::FindLintConfig(".").has_value();
}

int RunCheckLint(const CheckMetricsCmd& cmd, bool extended) {
  const LintFlags& flags = cmd.lint_flags;
  auto usage = [](const std::string& message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    return 1;
  };

  // Outputs.
  std::vector<Output> outputs;
  for (const std::string& spec : flags.outputs) {
    size_t colon = spec.find(':');
    std::string mode_name = spec.substr(0, colon);
    auto mode = ParseLintOutputMode(mode_name);
    if (!mode) {
      return usage("--output: unknown mode \"" + mode_name +
                   "\" (promtool, pretty, json, sarif, github, checkstyle, junit)");
    }
    std::string file = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (colon != std::string::npos && file.empty()) return usage("--output " + spec + ": no file");
    outputs.push_back(Output{*mode, file});
  }
  if (outputs.empty()) outputs.push_back(Output{LintOutputMode::kPromtool, ""});

  // Config.
  std::optional<lint::LintConfig> config;
  std::optional<std::string> config_path;
  if (!flags.config.empty()) {
    config_path = flags.config;
  } else if (!flags.no_config) {
    config_path = lint::FindLintConfig(".");
  }
  if (config_path) {
    auto text = ReadFile(*config_path);
    if (!text.ok()) return usage(std::string(text.status().message()));
    auto parsed = lint::ParseLintConfig(*text, *config_path);
    if (!parsed.ok()) return usage(std::string(parsed.status().message()));
    config = std::move(*parsed);
  }

  // Selection, thresholds.
  lint::SourceLintOptions options;
  std::string globs = !flags.enable.empty()      ? Join(flags.enable)
                      : config && config->enable ? *config->enable
                                                 : "default";
  if (config) {
    for (const std::string& d : config->disable) globs += "," + Negate(d);
  }
  for (const std::string& d : flags.disable) globs += "," + Negate(d);
  options.lint.rules = cmd.lint == "none" ? "" : globs;
  ParsePromtoolProfile(cmd.promtool, &options.lint.profile);
  options.lint.max_label_values = flags.max_label_values != 0          ? flags.max_label_values
                                  : config && config->max_label_values ? *config->max_label_values
                                                                       : 1000;
  options.config = config ? &*config : nullptr;
  lint::Severity fail_on = lint::Severity::kWarning;
  if (!flags.fail_on.empty()) {
    fail_on = *lint::ParseSeverity(flags.fail_on);
  } else if (config && config->fail_on) {
    fail_on = *config->fail_on;
  }
  const InputFormat forced =
      flags.input_format.empty() ? InputFormat::kAuto : *ParseInputFormat(flags.input_format);
  options.cardinality = extended;
  options.top_values = flags.top;

  std::optional<lint::Baseline> baseline;
  if (!flags.baseline.empty()) {
    auto text = ReadFile(flags.baseline);
    if (!text.ok()) return usage(std::string(text.status().message()));
    auto parsed = lint::Baseline::Parse(*text, flags.baseline);
    if (!parsed.ok()) return usage(std::string(parsed.status().message()));
    baseline = std::move(*parsed);
  }

  ScrapeOptions scrape;
  if (absl::Status st = FillScrapeOptions(cmd.client, &scrape); !st.ok()) {
    return usage(std::string(st.message()));
  }

  std::vector<std::string> inputs;
  if (absl::Status st =
          ExpandInputs(cmd.inputs.empty() ? std::vector<std::string>{"-"} : cmd.inputs, &inputs);
      !st.ok()) {
    return usage(std::string(st.message()));
  }

  // Lint every input.
  LintReport report;
  lint::Baseline written;
  bool failed = false, fails_threshold = false;
  std::string extended_out;
  std::vector<ExtendedInput> extended_inputs;
  for (const std::string& input : inputs) {
    const std::string name = input == "-" ? "<stdin>" : IsUrl(input) ? RedactUrl(input) : input;
    report.files.push_back(name);
    InputFormat format = forced;
    auto source = ReadInput(input, scrape, &format);
    if (!source.ok()) {
      failed = true;
      LintItem item;
      item.file = name;
      item.rule = "input-error";
      item.severity = lint::Severity::kError;
      item.message = std::string(source.status().message());
      item.compat = "error while linting: " + item.message;
      report.items.push_back(std::move(item));
      continue;
    }
    Source& src = **source;
    options.format = format;
    lint::SourceLintResult result = lint::LintSource(src, options);
    if (!result.error.ok()) {
      failed = true;
      const ParseError& e = result.error;
      LintItem item;
      item.file = name;
      item.rule = "parse-error";
      item.severity = lint::Severity::kError;
      item.message = e.message;
      item.line = result.format == InputFormat::kProtobuf ? 0 : e.line;
      item.column = item.line > 0 ? e.column : 0;
      item.offset = e.offset;
      item.has_offset = true;
      item.source_line = item.line > 0 ? std::string(src.LineAt(e.offset)) : "";
      item.error_code = std::string(ErrorCodeId(e.code));
      item.hint = e.hint;
      item.compat = (cmd.lint == "none" ? "error while parsing text to metric families: "
                                        : "error while linting: ") +
                    FormatPositionText(e, result.format);
      report.items.push_back(std::move(item));
      continue;
    }
    for (lint::Problem& p : result.problems) {
      if (!flags.write_baseline.empty()) written.Add(p);
      if (baseline && baseline->Consume(p)) continue;
      if (p.severity >= fail_on) fails_threshold = true;
      LintItem item;
      item.file = name;
      item.rule = std::string(p.rule);
      item.severity = p.severity;
      item.family = p.family;
      item.message = p.message;
      item.line = p.line;
      item.column = p.column;
      item.offset = p.offset;
      item.has_offset = true;
      if (p.line > 0) item.source_line = std::string(src.LineAt(p.offset));
      report.items.push_back(std::move(item));
    }
    if (extended) {
      ExtendedInput ext{name, std::move(result.rows), result.total, std::move(result.labels)};
      extended_inputs.push_back(std::move(ext));
    }
  }
  if (extended) extended_out = RenderExtended(cmd.extended == "json", flags.top, extended_inputs);

  // promtool's order is by family; every other mode lists problems by position in each input.
  LintReport by_position = report;
  std::stable_sort(by_position.items.begin(), by_position.items.end(),
                   [&](const LintItem& a, const LintItem& b) {
                     if (a.file != b.file) {
                       return std::find(report.files.begin(), report.files.end(), a.file) <
                              std::find(report.files.begin(), report.files.end(), b.file);
                     }
                     return a.offset < b.offset;
                   });

  // Outputs: files atomically, the rest on the terminal.
  for (const Output& o : outputs) {
    const LintReport& shown = o.mode == LintOutputMode::kPromtool ? report : by_position;
    const bool to_stderr = o.mode == LintOutputMode::kPromtool || o.mode == LintOutputMode::kPretty;
    if (o.file.empty()) {
      std::FILE* stream = to_stderr ? stderr : stdout;
      std::string text = RenderLintReport(o.mode, shown, UseColor(stream));
      std::fwrite(text.data(), 1, text.size(), stream);
      continue;
    }
    std::string text = RenderLintReport(o.mode, shown, false);
    auto sink = AtomicFileSink::Create(o.file);
    absl::Status st = sink.ok() ? (*sink)->Write(text) : sink.status();
    if (st.ok()) st = (*sink)->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
      failed = true;
    }
  }
  if (!extended_out.empty()) std::fwrite(extended_out.data(), 1, extended_out.size(), stdout);

  if (!flags.write_baseline.empty()) {
    auto sink = AtomicFileSink::Create(flags.write_baseline);
    absl::Status st = sink.ok() ? (*sink)->Write(written.Serialize()) : sink.status();
    if (st.ok()) st = (*sink)->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
      return 1;
    }
    return failed ? 1 : 0;
  }
  if (failed) return 1;
  return fails_threshold ? 3 : 0;
}

}  // namespace promtool::cli
