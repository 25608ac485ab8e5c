// Command-line usage shared by every subcommand (see usage.h).
#include "usage.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "cmd_check.h"
#include "promtool/openmetrics2_parser.h"
#include "promtool/scrape.h"
#include "promtool/suggest.h"

namespace promtool::cli {
namespace {

std::vector<CLI::App*> Subcommands(CLI::App* app) {
  return app->get_subcommands([](CLI::App*) { return true; });
}

CLI::App* FindSubcommand(CLI::App* app, std::string_view name) {
  for (CLI::App* sub : Subcommands(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::vector<std::string> SubcommandNames(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* sub : Subcommands(app)) names.push_back(sub->get_name());
  return names;
}

// "unknown command 'check metric'; did you mean 'check metrics'?" and where to look.
int UnknownCommand(CLI::App* parent, const std::string& path, std::string_view word,
                   int exit_code) {
  const std::string prefix = path.empty() ? "" : path + " ";
  std::string message = "unknown command '" + prefix + std::string(word) + "'";
  const std::string closest = ClosestName(word, SubcommandNames(parent));
  if (!closest.empty()) message += "; did you mean '" + prefix + closest + "'?";
  std::string commands;
  for (const std::string& name : SubcommandNames(parent)) {
    commands += (commands.empty() ? "" : ", ") + name;
  }
  std::fprintf(stderr, "promtool-cpp: error: %s\n", message.c_str());
  std::fprintf(stderr, "Commands%s: %s. Run '%s --help' for more.\n",
               path.empty() ? "" : (" of " + path).c_str(), commands.c_str(),
               (path.empty() ? parent->get_name() : "promtool-cpp " + path).c_str());
  return exit_code;
}

bool IsOption(const char* arg) { return arg[0] == '-' && arg[1] != '\0'; }

}  // namespace

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  const size_t limit = std::clamp<size_t>(name.size() / 3, 1, 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(name, c);
    // A prefix ("val" for "validate") is close too.
    const bool prefix = name.size() >= 2 && c.compare(0, name.size(), name) == 0;
    const size_t score = prefix ? std::min<size_t>(d, 1) : d;
    if (score < best_distance) {
      best_distance = score;
      best = c;
    }
  }
  return best;
}

std::string VersionText() {
  return std::string("promtool-cpp ") + PROMTOOL_VERSION +
         "\nOpenMetrics 2.0 (--format=openmetrics2): checked against " +
         std::string(kOpenMetrics2Revision) + " (experimental)";
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
  std::string out;
  if (opt->get_type_size() != 0) {
    if (!opt->get_type_name().empty()) out += " " + get_label(opt->get_type_name());
    if (!opt->get_default_str().empty()) out += "=" + opt->get_default_str();
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) {
      out += " ...";
    } else if (opt->get_expected_min() > 1) {
      out += " x " + std::to_string(opt->get_expected());
    }
    if (opt->get_required()) out += " " + get_label("REQUIRED");
  }
  if (!opt->get_envname().empty()) out += " (" + get_label("Env") + ":" + opt->get_envname() + ")";
  auto list = [&](const std::set<CLI::Option*>& options, const std::string& label) {
    if (options.empty()) return;
    std::vector<std::string> names;
    for (const CLI::Option* o : options) names.push_back(o->get_name());
    std::sort(names.begin(), names.end());
    out += " " + get_label(label) + ":";
    for (const std::string& name : names) out += " " + name;
  };
  list(opt->get_needs(), "Needs");
  list(opt->get_excludes(), "Excludes");
  return out;
}

int HandleCommandWords(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || IsOption(argv[1])) return -1;
  const std::string word = argv[1];
  if (word == "version" && argc == 2) {
    std::printf("%s\n", VersionText().c_str());
    return 0;
  }
  if (word == "help") {
    // `help [COMMAND [SUBCOMMAND]]`: the help of that command.
    CLI::App* at = &app;
    std::string path;
    for (int i = 2; i < argc; ++i) {
      CLI::App* sub = FindSubcommand(at, argv[i]);
      if (sub == nullptr) {
        return UnknownCommand(at, path, argv[i], kUsageExitCode);
      }
      path += (path.empty() ? "" : " ") + sub->get_name();
      at = sub;
    }
    std::string prev = app.get_name();
    if (!path.empty()) {
      const size_t last = path.rfind(' ');
      if (last != std::string::npos) prev += " " + path.substr(0, last);
    }
    std::fputs((at == &app ? app.help() : at->help(prev)).c_str(), stdout);
    return 0;
  }
  CLI::App* sub = FindSubcommand(&app, word);
  if (sub == nullptr) {
    if (word == "version") return -1;  // `version EXTRA`: CLI11's message
    return UnknownCommand(&app, "", word, kUsageExitCode);
  }
  // One level down: a command made of subcommands only (`check metrics`).
  if (!Subcommands(sub).empty() && argc > 2 && !IsOption(argv[2]) &&
      FindSubcommand(sub, argv[2]) == nullptr) {
    const int code = word == "check" ? kCheckUsageExitCode : kUsageExitCode;
    return UnknownCommand(sub, word, argv[2], code);
  }
  return -1;
}

CLI::Validator OutputFileValidator(std::vector<std::string> formats) {
  // No description: the help keeps showing the type name alone.
  return CLI::Validator(
      [formats](std::string& value) -> std::string {
        if (std::find(formats.begin(), formats.end(), value) == formats.end()) return "";
        std::error_code ec;
        if (std::filesystem::exists(std::filesystem::symlink_status(value, ec))) return "";
        return "\"" + value + "\" is a format, not a file: use --to=" + value +
               " for the format (or -o ./" + value + " for a file named " + value + ")";
      },
      "");
}

CLI::Validator DurationValidator() {
  // No description: the help keeps showing the type name alone.
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::optional<double> seconds = ParseDurationSeconds(value);
        if (seconds && *seconds > 0) return "";
        return "invalid duration \"" + value + "\" (want a Go duration above zero: 10s, 500ms, 1m)";
      },
      "");
}

CLI::Validator ByteSizeValidator() {
  // No description: the help keeps showing the type name alone.
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (ParseByteSize(value)) return "";
        return "invalid size \"" + value + "\" (want bytes with an optional unit: 64MiB, 1GB, 0)";
      },
      "");
}

bool ReadsStdin(const std::vector<std::string>& inputs) {
  return inputs.empty() || std::find(inputs.begin(), inputs.end(), "-") != inputs.end();
}

void HintIfStdinIsTerminal(std::string_view command, bool reads_stdin) {
  if (!reads_stdin || isatty(STDIN_FILENO) != 1) return;
  std::fprintf(stderr,
               "promtool-cpp %.*s: reading metrics from stdin (a terminal); end with Ctrl-D, or "
               "give a file\n",
               static_cast<int>(command.size()), command.data());
}

}  // namespace promtool::cli
