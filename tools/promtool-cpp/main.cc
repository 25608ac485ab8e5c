// promtool-cpp: one CLI over the promtool library; each subcommand maps options to one call.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "cmd_validate.h"

int main(int argc, char** argv) {
  CLI::App app{"promtool-cpp: validate, lint and convert Prometheus metric payloads"};
  app.set_version_flag("--version", "promtool-cpp " PROMTOOL_VERSION);
  app.require_subcommand(1);
  promtool::cli::ValidateCmd validate;
  CLI::App* validate_app = promtool::cli::SetupValidate(app, validate);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage error
  }
  if (validate_app->parsed()) return promtool::cli::RunValidate(validate);
  return 2;
}
