// `promtool-cpp rules`: one line per lint rule (id, default severity, default on or off,
// summary), in run order.
#include "cmd_rules.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "promtool/lint.h"

namespace promtool::cli {

CLI::App* SetupRules(CLI::App& app, RulesCmd& cmd) {
  CLI::App* rules = app.add_subcommand(
      "rules",
      "List the lint rules of `check metrics`: id, default severity, whether it runs by "
      "default, summary");
  rules->add_flag("--json", cmd.json, "One JSON array instead of a table");
  return rules;
}

int RunRules(const RulesCmd& cmd) {
  std::string out;
  if (cmd.json) {
    out = "[";
    bool first = true;
    for (const lint::RuleInfo& r : lint::Rules()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"id\": \"" + std::string(r.id) + "\", \"severity\": \"" +
             std::string(lint::SeverityName(r.severity)) +
             "\", \"default\": " + (r.default_on ? "true" : "false") + ", \"summary\": \"" +
             std::string(r.summary) + "\"}";
    }
    out += "\n]\n";
  } else {
    size_t width = 4;
    for (const lint::RuleInfo& r : lint::Rules()) width = std::max(width, r.id.size());
    for (const lint::RuleInfo& r : lint::Rules()) {
      std::string line(r.id);
      line.append(width + 2 - r.id.size(), ' ');
      std::string severity(lint::SeverityName(r.severity));
      line += severity;
      line.append(9 - severity.size(), ' ');
      line += r.default_on ? "on   " : "off  ";
      line += r.summary;
      out += line + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace promtool::cli
