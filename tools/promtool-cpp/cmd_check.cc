// `promtool-cpp check metrics`: maps options to promtool::lint::Check() and prints problems,
// parse errors and the cardinality table exactly as promtool 3.x does.
#include "cmd_check.h"

#include <cstdio>
#include <string>
#include <vector>

#include "promtool/convert.h"
#include "promtool/lint.h"
#include "promtool/open.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "promtool/table.h"

namespace promtool::cli {

namespace {

// The flag is accepted both on `check` (promtool 2.33-3.8) and on `check metrics` (3.9+).
bool check_extended = false;

// Formats the table the way promtool's tabwriter (minwidth 4, padding 4, padded with blanks)
// does: every cell is padded to its column's widest cell plus 4, and each row ends in padding.
std::string FormatTable(const std::vector<lint::CardinalityRow>& rows, uint64_t total) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"Metric", "Cardinality", "Percentage"});
  for (const lint::CardinalityRow& row : rows) {
    char pct[64];
    std::snprintf(pct, sizeof pct, "%.2f%%", row.fraction * 100);
    cells.push_back({row.family, std::to_string(row.cardinality), pct});
  }
  cells.push_back({"Total", std::to_string(total), "100%"});
  return TabwriterTable(cells);
}

// Lints one input; returns its exit code. `prefix` is prepended to every stderr line and
// printed before the table when several inputs are checked.
int CheckOne(const std::string& input, const CheckMetricsCmd& cmd, bool extended,
             const std::string& prefix, const ScrapeOptions& scrape) {
  // A URL body is read as text (another format is converted in memory), streamed unless a
  // sample or label limit must be checked first (promtool/open.h).
  ReadOptions read;
  read.format = InputFormat::kText;
  read.check_family_limits = true;
  read.as_text = true;
  if (IsUrl(input)) read.format = InputFormat::kAuto;
  Input in = OpenInput(input, read, scrape);
  if (!in.ok()) {
    std::fprintf(stderr, "%serror while linting: %s%s\n", prefix.c_str(),
                 in.url ? (in.name + ": ").c_str() : "", in.error.message.c_str());
    return 1;
  }
  std::unique_ptr<Source>& source = in.source;
  lint::CheckOptions options;
  options.lint = cmd.lint != "none";
  options.cardinality = extended;
  // promtool 3.x parses for the table alone with its global (UTF-8) name scheme; linting
  // always uses the legacy one.
  options.text.names = options.lint ? NameScheme::kLegacy : NameScheme::kUtf8;
  ParsePromtoolProfile(cmd.promtool, &options.text.profile);
  options.text.max_name_table_bytes = in.options.text.max_name_table_bytes;  // URL bodies
  options.text.max_family_bytes = in.options.text.max_family_bytes;
  options.lint_options.profile = options.text.profile;
  options.jobs = cmd.jobs;
  lint::CheckResult result = lint::Check(*source, options);
  if (!result.error.ok() && in.url && !source->error().empty()) {
    // The streamed transfer stopped (a limit, a timeout, the connection).
    std::fprintf(stderr, "%serror while linting: %s: %s\n", prefix.c_str(), source->name().c_str(),
                 source->error().c_str());
    return 1;
  }
  // A suppression comment naming no rule would silently suppress nothing.
  for (const lint::Problem& p : result.comment_errors) {
    std::fprintf(stderr, "%serror while linting: %s:%llu:%llu: %s\n", prefix.c_str(),
                 source->name().c_str(), static_cast<unsigned long long>(p.line),
                 static_cast<unsigned long long>(p.column), p.message.c_str());
  }
  if (!result.error.ok()) {
    std::fprintf(
        stderr, "%s%s: text format parsing error in line %llu: %s\n", prefix.c_str(),
        options.lint ? "error while linting" : "error while parsing text to metric families",
        static_cast<unsigned long long>(result.error.line), result.error.compat_message.c_str());
    return 1;
  }
  for (const lint::Problem& p : result.problems) {
    std::fprintf(stderr, "%s%s %s\n", prefix.c_str(), p.family.c_str(), p.message.c_str());
  }
  // promtool 2.42 prints the table only when linting found nothing; 3.x always.
  if (extended && (options.text.profile == PromtoolProfile::k3 || result.problems.empty())) {
    if (!prefix.empty()) std::printf("%s:\n", source->name().c_str());
    std::string table = FormatTable(result.rows, result.total);
    std::fwrite(table.data(), 1, table.size(), stdout);
  }
  if (!result.comment_errors.empty()) return 1;
  return result.problems.empty() ? 0 : 3;
}

}  // namespace

CLI::App* SetupCheckMetrics(CLI::App& app, CheckMetricsCmd& cmd) {
  CLI::App* check = app.add_subcommand("check", "Check payloads (promtool compatible)");
  check->require_subcommand(1);
  check->add_flag("--extended", check_extended, "Same as `check metrics --extended`");
  CLI::App* metrics = check->add_subcommand(
      "metrics",
      "Lint metric payloads (text format 0.0.4) for consistency and correctness, exactly as "
      "`promtool check metrics` does, and optionally print their cardinality.");
  metrics
      ->add_flag("--extended{table}", cmd.extended,
                 "Print the cardinality of every family on stdout: a table (promtool's), or "
                 "--extended=json")
      ->check(CLI::IsMember({"table", "json"}));
  metrics->add_option("--lint", cmd.lint, "Linting checks to apply: all or none")
      ->capture_default_str();
  metrics
      ->add_option("--promtool", cmd.promtool,
                   "promtool to match: 3 (promtool 3.x: current expfmt parser and promlint) or 2 "
                   "(promtool 2.42)")
      ->check(CLI::IsMember({"3", "2"}))
      ->capture_default_str();
  metrics
      ->add_option("-j,--jobs", cmd.jobs,
                   "Threads for a text file (0: one per core) in promtool's output; the result is "
                   "the one-thread result")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  metrics->add_option("inputs", cmd.inputs,
                      "Files or http(s):// URLs to check; '-' or none reads stdin");
  AddScrapeFlags(metrics, cmd.client, "HTTP client (URL inputs)");
  AddLintFlags(metrics, cmd.lint_flags);
  const std::string group = "Prometheus configuration";
  CLI::Option* config =
      metrics
          ->add_option("--prometheus-config", cmd.prometheus_config,
                       "Instead of inputs: lint what Prometheus would ingest from every target "
                       "of this configuration (its auth, TLS, target labels and "
                       "metric_relabel_configs); each result is named by job and instance")
          ->group(group);
  metrics->add_option("--job", cmd.job, "With --prometheus-config: only this job")
      ->needs(config)
      ->group(group);
  metrics->add_option("--parallel", cmd.parallel, "With --prometheus-config: scrapes at a time")
      ->needs(config)
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str()
      ->group(group);
  // The configuration sets the client (auth, TLS, limits): the flags would contradict it.
  for (CLI::Option* o : metrics->get_options()) {
    if (o->get_group() == "HTTP client (URL inputs)") o->excludes(config);
  }
  return metrics;
}

int RunCheckMetrics(const CheckMetricsCmd& cmd) {
  const bool extended = !cmd.extended.empty() || check_extended;
  if (WantsLintMode(cmd)) {
    // The CI modes lint every input whole, with one reader: a thread count would not be honoured.
    if (cmd.jobs != 1) {
      std::fprintf(stderr,
                   "error: --jobs applies to promtool's output only, not with the CI options "
                   "(--output, --enable, --disable, --config, a baseline, directories, ...)\n");
      return kCheckUsageExitCode;
    }
    return RunCheckLint(cmd, extended);
  }
  if (!extended && cmd.lint == "none") {
    std::fprintf(stderr, "error: at least one of --extended or linting must be enabled\n");
    std::fprintf(stderr,
                 "Use --extended for cardinality analysis, or remove --lint=none to enable "
                 "linting\n");
    return 1;
  }
  std::vector<std::string> inputs = cmd.inputs;
  if (inputs.empty()) inputs.push_back("-");
  // URL inputs ask for text 0.0.4 (what promtool lints) unless --scrape-protocols says otherwise.
  ScrapeOptions scrape;
  scrape.protocols = {ScrapeProtocol::kPrometheusText0_0_4};
  if (absl::Status st = FillScrapeOptions(cmd.client, &scrape); !st.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(st.message()).c_str());
    return 1;
  }
  int rc = 0;
  for (const std::string& input : inputs) {
    std::string prefix = inputs.size() > 1 ? (IsUrl(input) ? RedactUrl(input) : input) + ": " : "";
    int one = CheckOne(input, cmd, extended, prefix, scrape);
    if (one == 1 || (one == 3 && rc == 0)) rc = one;
  }
  return rc;
}

}  // namespace promtool::cli
