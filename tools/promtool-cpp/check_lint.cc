// The CI side of `check metrics`: expands inputs, lints each one in its own format through
// lint::LintSource(), applies the config and the baseline, and writes every requested output.
#include "check_lint.h"

#include <fnmatch.h>
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
#include "cmd_targets.h"
#include "diag.h"
#include "extended_output.h"
#include "html_report.h"
#include "lint_output.h"
#include "promtool/lint_run.h"
#include "promtool/open.h"
#include "promtool/output.h"
#include "promtool/prometheus_checks.h"
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

// Directories a walk never enters besides hidden ones (names starting with '.'): package
// managers' and tools' trees, full of other projects' files (documented in docs/ci.md).
bool VendorDirectory(const std::string& name) {
  static const char* const kNames[] = {"node_modules", "vendor",        "venv",
                                       "__pycache__",  "site-packages", "bower_components"};
  if (!name.empty() && name.front() == '.' && name != "." && name != "..") return true;
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

// --exclude: the glob matches the path as found or its last component.
bool Excluded(const std::filesystem::path& path, const std::vector<std::string>& excludes) {
  const std::string whole = path.string();
  const std::string name = path.filename().string();
  for (const std::string& glob : excludes) {
    if (fnmatch(glob.c_str(), whole.c_str(), 0) == 0 ||
        fnmatch(glob.c_str(), name.c_str(), 0) == 0) {
      return true;
    }
  }
  return false;
}

// One command-line input after expansion: a path, "-" or a URL to lint, or an argument that
// gave nothing to lint (`error` says why; reported as an input error in every output).
struct Arg {
  std::string name;
  std::string error;
};

// Expands directories (recursively, sorted; hidden and vendor directories skipped) and globs;
// keeps "-", URLs and plain paths.
std::vector<Arg> ExpandInputs(const std::vector<std::string>& args,
                              const std::vector<std::string>& excludes) {
  std::vector<Arg> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg == "-" || IsUrl(arg)) {
      out.push_back({arg, ""});
    } else if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::string> found;
      std::filesystem::recursive_directory_iterator it(arg, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        const std::filesystem::path& path = it->path();
        if (it->is_directory(ec)) {
          if (VendorDirectory(path.filename().string()) || Excluded(path, excludes)) {
            it.disable_recursion_pending();
          }
        } else if (it->is_regular_file(ec) && LintableExtension(path) &&
                   !Excluded(path, excludes)) {
          found.push_back(path.string());
        }
      }
      if (ec) {
        out.push_back({arg, arg + ": " + ec.message()});
        continue;
      }
      if (found.empty()) {
        out.push_back({arg, arg + ": the directory holds no file to lint (*.prom, *.txt, *.om, "
                                  "*.openmetrics, *.pb, *.metrics outside hidden, vendor and "
                                  "--exclude'd paths)"});
        continue;
      }
      std::sort(found.begin(), found.end());
      for (std::string& f : found) out.push_back({std::move(f), ""});
    } else if (HasGlobChars(arg) && !std::filesystem::exists(arg, ec)) {
      glob_t g{};
      const int rc = glob(arg.c_str(), 0, nullptr, &g);
      size_t kept = 0;
      for (size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) {
        if (Excluded(g.gl_pathv[i], excludes)) continue;
        out.push_back({g.gl_pathv[i], ""});
        ++kept;
      }
      globfree(&g);
      if (rc == GLOB_NOMATCH || (rc == 0 && kept == 0)) {
        out.push_back({arg, arg + ": no file matches the pattern"});
      } else if (rc != 0) {
        out.push_back({arg, arg + ": cannot expand the pattern"});
      }
    } else {
      out.push_back({arg, ""});
    }
  }
  return out;
}

std::string FormatPositionText(const Error& e, InputFormat format) {
  if (format == InputFormat::kText) {
    return "text format parsing error in line " + std::to_string(e.line) + ": " + e.compat_message;
  }
  std::string name = format == InputFormat::kOpenMetrics || format == InputFormat::kOpenMetrics2
                         ? "OpenMetrics"
                         : "protobuf";
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
      ->add_option(
          "--report,--output", flags.outputs,
          "Report mode: promtool (default), pretty, json, sarif, github, checkstyle, "
          "junit, codequality, html; MODE:FILE writes it to FILE; repeatable (--output: the older "
          "spelling)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  metrics
      ->add_option("--input-format", flags.input_format,
                   "auto (default), text, openmetrics, protobuf or openmetrics2")
      ->check(CLI::IsMember({"auto", "text", "openmetrics", "protobuf", "openmetrics2"}))
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
      ->add_flag("--prune-baseline", flags.prune_baseline,
                 "With --baseline: rewrite the baseline without the entries that match no "
                 "problem any more")
      ->group(group);
  metrics
      ->add_option("--exclude", flags.exclude,
                   "Skip files and directories whose path or name matches this glob when "
                   "walking directories and expanding globs; repeatable")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
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
      f.prune_baseline || !f.exclude.empty() || f.max_label_values != 0 || f.top != 0 ||
      cmd.extended == "json" || !cmd.prometheus_config.empty()) {
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
  // Usage errors of `check` exit 1, as promtool's do (docs/cli.md).
  auto usage = [](const std::string& message) {
    std::fprintf(stderr, "error: %s\n", message.c_str());
    return 1;
  };

  // Outputs. Two documents on stdout, or one file named twice, would each silently spoil a
  // report: both are usage errors.
  std::vector<Output> outputs;
  std::vector<std::string> on_stdout;
  for (const std::string& spec : flags.outputs) {
    size_t colon = spec.find(':');
    std::string mode_name = spec.substr(0, colon);
    auto mode = ParseLintOutputMode(mode_name);
    if (!mode) {
      return usage(
          "--output: unknown mode \"" + mode_name +
          "\" (promtool, pretty, json, sarif, github, checkstyle, junit, codequality, html)");
    }
    std::string file = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (colon != std::string::npos && file.empty()) return usage("--output " + spec + ": no file");
    if (file == "-") file.clear();
    for (const Output& o : outputs) {
      if (!file.empty() && o.file == file) {
        return usage("--output: \"" + file + "\" is named by two outputs; give each its own file");
      }
    }
    if (file.empty() && *mode != LintOutputMode::kPromtool && *mode != LintOutputMode::kPretty) {
      on_stdout.push_back("--output=" + mode_name);
    }
    outputs.push_back(Output{*mode, file});
  }
  if (extended) on_stdout.push_back(cmd.extended == "json" ? "--extended=json" : "--extended");
  if (on_stdout.size() > 1) {
    std::string list;
    for (const std::string& o : on_stdout) list += (list.empty() ? "" : " and ") + o;
    return usage(list +
                 " would all write to stdout; send all but one to a file with "
                 "--output=MODE:FILE");
  }
  for (const Output& o : outputs) {
    if (!o.file.empty() && (o.file == flags.baseline || o.file == flags.write_baseline)) {
      return usage("--output: \"" + o.file + "\" is also the baseline file");
    }
  }
  if (outputs.empty()) outputs.push_back(Output{LintOutputMode::kPromtool, ""});
  if (flags.prune_baseline && flags.baseline.empty()) {
    return usage("--prune-baseline needs --baseline FILE (the file it rewrites)");
  }

  // Config file, rule selection, thresholds: resolved by the library (lint_run.h, the precedence
  // table); the flags map to one request.
  lint::LintRequest request;
  request.enable = flags.enable;
  request.disable = flags.disable;
  if (!flags.fail_on.empty()) request.fail_on = lint::ParseSeverity(flags.fail_on);
  request.max_label_values = flags.max_label_values;
  request.config_path = flags.config;
  request.no_config = flags.no_config;
  request.rules_off = cmd.lint == "none";
  auto settings = lint::ResolveLintSettings(request);
  if (!settings.ok()) return usage(std::string(settings.status().message()));
  lint::SourceLintOptions options = settings->SourceOptions();
  ParsePromtoolProfile(cmd.promtool, &options.lint.profile);
  const lint::Severity fail_on = settings->fail_on;
  const InputFormat forced =
      flags.input_format.empty() ? InputFormat::kAuto : *ParseInputFormat(flags.input_format);
  // The HTML report draws the cardinality, with the top label values.
  const bool html = std::any_of(outputs.begin(), outputs.end(),
                                [](const Output& o) { return o.mode == LintOutputMode::kHtml; });
  options.cardinality = extended || html;
  options.top_values = flags.top != 0 ? flags.top : html ? kHtmlTopValues : 0;

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

  if (!cmd.prometheus_config.empty() && !cmd.inputs.empty()) {
    return usage("--prometheus-config lints the configuration's targets and takes no inputs");
  }
  const std::vector<Arg> inputs =
      !cmd.prometheus_config.empty()
          ? std::vector<Arg>{}
          : ExpandInputs(cmd.inputs.empty() ? std::vector<std::string>{"-"} : cmd.inputs,
                         flags.exclude);

  // Lint every input. An input that cannot be read (or a pattern or directory that gives
  // nothing to lint) is an input-error item, so every requested report is still written.
  LintReport report;
  lint::Baseline written;
  bool failed = false;
  std::string extended_out;
  std::vector<ExtendedInput> extended_inputs;
  auto input_error = [&](const std::string& name, const std::string& message) {
    failed = true;
    LintItem item;
    item.file = name;
    item.rule = "input-error";
    item.severity = lint::Severity::kError;
    item.message = message;
    item.compat = "error while linting: " + item.message;
    report.items.push_back(std::move(item));
  };
  // Adds what linting one input found to the report (and the cardinality inputs).
  auto add_result = [&](const std::string& name, Source& src, lint::SourceLintResult& result,
                        const std::vector<std::string>& secrets) {
    // A fetched body may echo a credential: every line and message shown from it is scrubbed.
    auto shown_line = [&](uint64_t offset, Error* error) {
      Error unused;
      if (secrets.empty()) return std::string(src.LineAt(offset));
      return ScrubDiagnostic(src.LineAt(offset), secrets, error ? error : &unused);
    };
    for (const lint::Problem& p : result.comment_errors) {
      failed = true;
      LintItem item;
      item.file = name;
      item.rule = std::string(p.rule);
      item.severity = p.severity;
      item.message = p.message;
      item.line = p.line;
      item.column = p.column;
      item.offset = p.offset;
      item.has_offset = true;
      item.source_line = shown_line(p.offset, nullptr);
      item.compat = "error while linting: " + name + ":" + std::to_string(p.line) + ":" +
                    std::to_string(p.column) + ": " + p.message;
      report.items.push_back(std::move(item));
    }
    if (!result.error.ok()) {
      failed = true;
      Error e = result.error;
      const std::string error_line = shown_line(e.offset, &e);
      LintItem item;
      item.file = name;
      item.rule = "parse-error";
      item.severity = lint::Severity::kError;
      item.message = e.message;
      item.line = result.format == InputFormat::kProtobuf ? 0 : e.line;
      item.offset = e.offset;
      item.has_offset = true;
      item.source_line = item.line > 0 ? error_line : "";
      item.column = item.line > 0 ? lint::CharColumn(item.source_line, e.column) : 0;
      item.error_code = std::string(ErrorCodeId(e.code));
      item.hint = e.hint;
      item.compat = (cmd.lint == "none" ? "error while parsing text to metric families: "
                                        : "error while linting: ") +
                    FormatPositionText(e, result.format);
      report.items.push_back(std::move(item));
      return;
    }
    for (lint::Problem& p : result.problems) {
      if (!flags.write_baseline.empty()) written.Add(p);
      if (baseline && baseline->Consume(p)) continue;
      LintItem item;
      item.file = name;
      item.rule = std::string(p.rule);
      item.severity = p.severity;
      item.fails = p.severity >= fail_on;
      item.family = secrets.empty() ? p.family : ScrubSecrets(p.family, secrets);
      item.message = secrets.empty() ? p.message : ScrubSecrets(p.message, secrets);
      item.line = p.line;
      item.column = p.column;
      item.offset = p.offset;
      item.has_offset = true;
      if (p.line > 0) item.source_line = shown_line(p.offset, nullptr);
      report.items.push_back(std::move(item));
    }
    if (extended || html) {
      ExtendedInput ext{name, std::move(result.rows), result.total, std::move(result.labels)};
      extended_inputs.push_back(std::move(ext));
    }
  };
  if (!cmd.prometheus_config.empty()) {
    // Every target of the configuration, linted as Prometheus would ingest it (the library
    // scrapes, relabels and lints: promtool/prometheus_checks.h).
    PrometheusConfig config;
    TargetsResult targets;
    if (!LoadPrometheusTargets(cmd.prometheus_config, cmd.job, &config, &targets)) return 1;
    for (const ScrapeTarget& t : targets.targets) {
      if (t.ok()) continue;
      const std::string name = TargetResultName(t);
      report.files.push_back(name);
      input_error(name, "invalid target: " + t.error.message);
    }
    std::vector<TargetLint> linted = LintTargets(config, targets.targets, cmd.parallel, options);
    for (TargetLint& t : linted) {
      report.files.push_back(t.name);
      if (!t.scrape.ok()) {
        const Error& e = t.scrape.error;
        input_error(
            t.name,
            t.scrape.url +
                (e.line > 0 ? ":" + std::to_string(e.line) + ":" + std::to_string(e.column) : "") +
                ": " + e.message);
        continue;
      }
      std::unique_ptr<Source> src = StringSource(std::move(t.body), t.name);
      add_result(t.name, *src, t.lint, t.secrets);
    }
  }
  for (const Arg& input : inputs) {
    const std::string name = input.name == "-"   ? "<stdin>"
                             : IsUrl(input.name) ? RedactUrl(input.name)
                                                 : input.name;
    report.files.push_back(name);
    if (!input.error.empty()) {
      input_error(name, input.error);
      continue;
    }
    // Read whole (files are mapped whole): every problem is located after the read.
    ReadOptions read;
    read.format = forced;
    read.whole = true;
    promtool::Input in = OpenInput(input.name, read, scrape);
    if (!in.ok()) {
      input_error(name, in.url ? in.name + ": " + in.error.message : in.error.message);
      continue;
    }
    Source& src = *in.source;
    options.format = in.format;
    lint::SourceLintResult result = lint::LintSource(src, options);
    add_result(name, src, result,
               IsUrl(input.name) ? RequestSecrets(scrape, input.name) : std::vector<std::string>{});
  }
  bool fails_threshold = false;
  for (const LintItem& item : report.items) fails_threshold = fails_threshold || item.fails;
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
      std::string text = o.mode == LintOutputMode::kHtml
                             ? RenderHtmlReport(shown, extended_inputs)
                             : RenderLintReport(o.mode, shown, UseColor(stream));
      std::fwrite(text.data(), 1, text.size(), stream);
      continue;
    }
    std::string text = o.mode == LintOutputMode::kHtml ? RenderHtmlReport(shown, extended_inputs)
                                                       : RenderLintReport(o.mode, shown, false);
    auto sink = AtomicFileSink::Create(o.file);
    absl::Status st = sink.ok() ? (*sink)->Write(text) : sink.status();
    if (st.ok()) st = (*sink)->Commit();
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
      failed = true;
    }
  }
  if (!extended_out.empty()) std::fwrite(extended_out.data(), 1, extended_out.size(), stdout);

  // Baseline entries no problem matched any more: said, and dropped with --prune-baseline.
  if (baseline && !failed && baseline->size() > 0) {
    if (flags.prune_baseline) {
      auto sink = AtomicFileSink::Create(flags.baseline);
      absl::Status st = sink.ok() ? (*sink)->Write(baseline->SerializeUsed()) : sink.status();
      if (st.ok()) st = (*sink)->Commit();
      if (!st.ok()) {
        std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
        return 1;
      }
      std::fprintf(stderr, "%s: removed %zu stale entr%s\n", flags.baseline.c_str(),
                   baseline->size(), baseline->size() == 1 ? "y" : "ies");
    } else {
      std::fprintf(stderr,
                   "note: %s: %zu entr%s match%s no problem any more (stale); "
                   "--prune-baseline removes them:\n",
                   flags.baseline.c_str(), baseline->size(), baseline->size() == 1 ? "y" : "ies",
                   baseline->size() == 1 ? "es" : "");
      std::string stale = baseline->SerializeUnused();
      std::fwrite(stale.data(), 1, stale.size(), stderr);
    }
  }

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
