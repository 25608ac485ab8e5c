// promtool-cpp: one CLI over the promtool library; each subcommand maps options to one call.
#include <cstdio>
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

int main(int argc, char** argv) {
  promtool::cli::InstallSignalHandlers();
  CLI::App app{"promtool-cpp: validate, lint and convert Prometheus metric payloads",
               "promtool-cpp"};
  app.set_version_flag("--version", promtool::cli::VersionText());
  app.require_subcommand(1);
  promtool::cli::ValidateCmd validate;
  CLI::App* validate_app = promtool::cli::SetupValidate(app, validate);
  promtool::cli::CheckMetricsCmd check_metrics;
  CLI::App* check_metrics_app = promtool::cli::SetupCheckMetrics(app, check_metrics);
  promtool::cli::CheckExporterCmd check_exporter;
  CLI::App* check_exporter_app =
      promtool::cli::SetupCheckExporter(*check_metrics_app->get_parent(), check_exporter);
  promtool::cli::ConvertCmd convert;
  CLI::App* convert_app = promtool::cli::SetupConvert(app, convert);
  promtool::cli::FmtCmd fmt;
  CLI::App* fmt_app = promtool::cli::SetupFmt(app, fmt);
  promtool::cli::DiffCmd diff;
  CLI::App* diff_app = promtool::cli::SetupDiff(app, diff);
  promtool::cli::ScrapeCmd scrape;
  CLI::App* scrape_app = promtool::cli::SetupScrape(app, scrape);
  promtool::cli::PushCmd push;
  CLI::App* push_app = promtool::cli::SetupPush(app, push);
  promtool::cli::RulesCmd rules;
  CLI::App* rules_app = promtool::cli::SetupRules(app, rules);
  promtool::cli::RelabelCmd relabel;
  CLI::App* relabel_app = promtool::cli::SetupRelabel(app, relabel);
  promtool::cli::TestRelabelCmd test_relabel;
  CLI::App* test_relabel_app = promtool::cli::SetupTestRelabel(app, test_relabel);
  promtool::cli::TargetsCmd targets;
  CLI::App* targets_app = promtool::cli::SetupTargets(app, targets);
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
    HintIfStdinIsTerminal("validate", validate_app->parsed() && ReadsStdin(validate.inputs));
    HintIfStdinIsTerminal("check metrics",
                          check_metrics_app->parsed() && ReadsStdin(check_metrics.inputs));
    HintIfStdinIsTerminal("convert", convert_app->parsed() && ReadsStdin({convert.input}));
    HintIfStdinIsTerminal("fmt", fmt_app->parsed() && ReadsStdin(fmt.inputs));
    HintIfStdinIsTerminal("diff",
                          diff_app->parsed() && (diff.old_input == "-") != (diff.new_input == "-"));
    HintIfStdinIsTerminal(
        "push", push_app->parsed() && push.method != "delete" && ReadsStdin({push.input}));
    HintIfStdinIsTerminal("relabel", relabel_app->parsed() && ReadsStdin({relabel.input}));
  }
  if (validate_app->parsed()) return promtool::cli::RunValidate(validate);
  if (check_metrics_app->parsed()) return promtool::cli::RunCheckMetrics(check_metrics);
  if (check_exporter_app->parsed()) return promtool::cli::RunCheckExporter(check_exporter);
  if (convert_app->parsed()) return promtool::cli::RunConvert(convert);
  if (fmt_app->parsed()) return promtool::cli::RunFmt(fmt);
  if (diff_app->parsed()) return promtool::cli::RunDiff(diff);
  if (scrape_app->parsed()) return promtool::cli::RunScrape(scrape);
  if (push_app->parsed()) return promtool::cli::RunPush(push);
  if (rules_app->parsed()) return promtool::cli::RunRules(rules);
  if (relabel_app->parsed()) return promtool::cli::RunRelabel(relabel);
  if (test_relabel_app->parsed()) return promtool::cli::RunTestRelabel(test_relabel);
  if (targets_app->parsed()) return promtool::cli::RunTargets(targets);
  return promtool::cli::kUsageExitCode;
}
