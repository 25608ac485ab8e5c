// promtool-cpp: one CLI over the promtool library; each subcommand maps options to one call.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string_view>

#include "CLI/CLI.hpp"
#include "cmd_check.h"
#include "cmd_check_exporter.h"
#include "cmd_convert.h"
#include "cmd_diff.h"
#include "cmd_push.h"
#include "cmd_relabel.h"
#include "cmd_rules.h"
#include "cmd_scrape.h"
#include "cmd_targets.h"
#include "cmd_test_relabel.h"
#include "cmd_validate.h"
#include "signals.h"
#include "usage.h"

namespace {

// The words of the top-level commands (each set up by one Setup function below).
constexpr std::string_view kCommandWords[] = {"validate", "check",  "convert", "fmt",
                                              "diff",     "scrape", "push",    "rules",
                                              "relabel",  "test",   "targets"};

}  // namespace

int main(int argc, char** argv) {
  promtool::cli::InstallSignalHandlers();
  CLI::App app{"promtool-cpp: validate, lint and convert Prometheus metric payloads",
               "promtool-cpp"};
  app.formatter(std::make_shared<promtool::cli::HelpFormatter>());
  app.set_version_flag("--version", promtool::cli::VersionText());
  app.require_subcommand(1);
  // Only the command argv[1] names is set up: CLI11's set-up of every command's options was most
  // of the start-up's own work. Anything else (an option, `help`, `version`, an unknown or
  // misspelt word) sets up every command, for the help and the suggestions. A word whose set-up
  // did not add it (a stale list) falls back to setting up all.
  const std::string_view word = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  bool all = std::find(std::begin(kCommandWords), std::end(kCommandWords), word) ==
             std::end(kCommandWords);
  promtool::cli::ValidateCmd validate;
  promtool::cli::CheckMetricsCmd check_metrics;
  promtool::cli::CheckExporterCmd check_exporter;
  promtool::cli::ConvertCmd convert;
  promtool::cli::FmtCmd fmt;
  promtool::cli::DiffCmd diff;
  promtool::cli::ScrapeCmd scrape;
  promtool::cli::PushCmd push;
  promtool::cli::RulesCmd rules;
  promtool::cli::RelabelCmd relabel;
  promtool::cli::TestRelabelCmd test_relabel;
  promtool::cli::TargetsCmd targets;
  CLI::App *validate_app = nullptr, *check_metrics_app = nullptr, *check_exporter_app = nullptr,
           *convert_app = nullptr, *fmt_app = nullptr, *diff_app = nullptr, *scrape_app = nullptr,
           *push_app = nullptr, *rules_app = nullptr, *relabel_app = nullptr,
           *test_relabel_app = nullptr, *targets_app = nullptr;
  for (int round = 0; round < 2; ++round) {
    auto wanted = [&](std::string_view name, CLI::App* done) {
      return done == nullptr && (all || word == name);
    };
    if (wanted("validate", validate_app)) {
      validate_app = promtool::cli::SetupValidate(app, validate);
    }
    if (wanted("check", check_metrics_app)) {
      check_metrics_app = promtool::cli::SetupCheckMetrics(app, check_metrics);
      check_exporter_app =
          promtool::cli::SetupCheckExporter(*check_metrics_app->get_parent(), check_exporter);
    }
    if (wanted("convert", convert_app)) convert_app = promtool::cli::SetupConvert(app, convert);
    if (wanted("fmt", fmt_app)) fmt_app = promtool::cli::SetupFmt(app, fmt);
    if (wanted("diff", diff_app)) diff_app = promtool::cli::SetupDiff(app, diff);
    if (wanted("scrape", scrape_app)) scrape_app = promtool::cli::SetupScrape(app, scrape);
    if (wanted("push", push_app)) push_app = promtool::cli::SetupPush(app, push);
    if (wanted("rules", rules_app)) rules_app = promtool::cli::SetupRules(app, rules);
    if (wanted("relabel", relabel_app)) relabel_app = promtool::cli::SetupRelabel(app, relabel);
    if (wanted("test", test_relabel_app)) {
      test_relabel_app = promtool::cli::SetupTestRelabel(app, test_relabel);
    }
    if (wanted("targets", targets_app)) targets_app = promtool::cli::SetupTargets(app, targets);
    if (all ||
        !app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == word; }).empty()) {
      break;
    }
    all = true;
  }
  auto parsed = [](const CLI::App* sub) { return sub != nullptr && sub->parsed(); };
  // `help`, `version` and unknown command words, before CLI11 sees them.
  if (int rc = promtool::cli::HandleCommandWords(app, argc, argv); rc >= 0) return rc;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::Error& e) {
    app.exit(e);
    // Usage errors exit 2, but 1 under `check` (as promtool's).
    if (argc > 1 && std::string_view(argv[1]) == "check") {
      return promtool::cli::kCheckUsageExitCode;
    }
    return promtool::cli::kUsageExitCode;
  }
  // A command about to read stdin from a terminal says so (it would seem to hang otherwise).
  {
    using promtool::cli::HintIfStdinIsTerminal;
    using promtool::cli::ReadsStdin;
    HintIfStdinIsTerminal("validate", parsed(validate_app) && ReadsStdin(validate.inputs));
    HintIfStdinIsTerminal("check metrics",
                          parsed(check_metrics_app) && ReadsStdin(check_metrics.inputs));
    HintIfStdinIsTerminal("convert", parsed(convert_app) && ReadsStdin({convert.input}));
    HintIfStdinIsTerminal("fmt", parsed(fmt_app) && ReadsStdin(fmt.inputs));
    HintIfStdinIsTerminal("diff",
                          parsed(diff_app) && (diff.old_input == "-") != (diff.new_input == "-"));
    HintIfStdinIsTerminal("push",
                          parsed(push_app) && push.method != "delete" && ReadsStdin({push.input}));
    HintIfStdinIsTerminal("relabel", parsed(relabel_app) && ReadsStdin({relabel.input}));
  }
  if (parsed(validate_app)) return promtool::cli::RunValidate(validate);
  if (parsed(check_metrics_app)) return promtool::cli::RunCheckMetrics(check_metrics);
  if (parsed(check_exporter_app)) return promtool::cli::RunCheckExporter(check_exporter);
  if (parsed(convert_app)) return promtool::cli::RunConvert(convert);
  if (parsed(fmt_app)) return promtool::cli::RunFmt(fmt);
  if (parsed(diff_app)) return promtool::cli::RunDiff(diff);
  if (parsed(scrape_app)) return promtool::cli::RunScrape(scrape);
  if (parsed(push_app)) return promtool::cli::RunPush(push);
  if (parsed(rules_app)) return promtool::cli::RunRules(rules);
  if (parsed(relabel_app)) return promtool::cli::RunRelabel(relabel);
  if (parsed(test_relabel_app)) return promtool::cli::RunTestRelabel(test_relabel);
  if (parsed(targets_app)) return promtool::cli::RunTargets(targets);
  return promtool::cli::kUsageExitCode;
}
