// Command-line usage shared by every subcommand: unknown command words, `help` and `version`,
// option-value validators that make bad values usage errors, and the stdin-on-a-terminal hint.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"

namespace promtool::cli {

// Usage errors (unknown command or option, bad option value) exit 2; `check` exits 1 instead,
// as promtool does (kCheckUsageExitCode).
constexpr int kUsageExitCode = 2;

// Handles the command words before CLI11 parses the command line: `help [COMMAND...]`,
// `version`, and an unknown command ("unknown command 'valdate'; did you mean 'validate'?"),
// also one level down (`check metric`). Returns the exit code, or -1 to parse normally.
int HandleCommandWords(CLI::App& app, int argc, char** argv);

// CLI11's help formatter, but an option's Needs and Excludes are listed by name: CLI11 lists them
// in the order of their addresses, which changes with what was set up before (main() sets up only
// the command it runs). Set on the top-level app before any subcommand, which inherits it.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override;
};

// What `--version` and `version` print: the version and the OpenMetrics 2.0 revision checked.
std::string VersionText();

// The candidate closest to `name` (edit distance at most a third of its length, at least 1 and
// at most 3), or "" when none is close.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

// For `-o/--output FILE` of a command that also has --to=FORMAT: a value that names one of
// `formats` and no existing file is refused ("use --to=json; a file named json: -o ./json"),
// since `--output=json` reads as a format in other commands.
CLI::Validator OutputFileValidator(std::vector<std::string> formats);

// A Go duration greater than zero (10s, 500ms, 1m30s).
CLI::Validator DurationValidator();
// A byte size (64MiB, 1GB, 0).
CLI::Validator ByteSizeValidator();

// True when `inputs` reads stdin: no input at all, or "-" among them.
bool ReadsStdin(const std::vector<std::string>& inputs);

// When `reads_stdin` and stdin is a terminal, prints one line to stderr saying that metrics are
// read from it and how to end them, so that the command does not seem to hang.
void HintIfStdinIsTerminal(std::string_view command, bool reads_stdin);

}  // namespace promtool::cli
