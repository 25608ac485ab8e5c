// The output modes of `check metrics` for CI: promtool, pretty, json, sarif, github, checkstyle,
// junit, codequality and html, each rendered to a string from one list of located problems.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/lint.h"

namespace promtool::cli {

enum class LintOutputMode : uint8_t {
  kPromtool,
  kPretty,
  kJson,
  kSarif,
  kGithub,
  kCheckstyle,
  kJunit,
  kCodeQuality,  // codequality_output.h
  kHtml          // html_report.h (with the cardinality: check_lint.cc)
};

// "promtool", "pretty", "json", "sarif", "github", "checkstyle", "junit", "codequality", "html".
std::optional<LintOutputMode> ParseLintOutputMode(std::string_view name);

// One problem, or an input that could not be read or parsed (rule "parse-error" or
// "input-error", severity error), with where it is.
struct LintItem {
  std::string file;  // the input as named on the command line ("<stdin>" for stdin)
  std::string rule;
  lint::Severity severity = lint::Severity::kWarning;
  bool fails = false;   // a problem at or above --fail-on (it makes the exit code 3)
  std::string family;   // empty for input errors
  std::string message;  // promtool's problem text, or the error message
  uint64_t line = 0;    // 1-based; 0 when the input has no lines (protobuf) or none is known
  uint64_t column = 0;  // in Unicode code points
  uint64_t offset = 0;  // absolute byte offset
  bool has_offset = false;
  std::string source_line;  // the line as written, for pretty
  std::string compat;       // input errors: promtool's line ("error while linting: ...")
  std::string error_code;   // parse errors: the stable code (E-...)
  std::string hint;         // parse errors: advice for known mistakes
};

// What one run found: every input in command-line order, and its items in output order.
struct LintReport {
  std::vector<std::string> files;
  std::vector<LintItem> items;
};

// The text a problem reads as everywhere: `<family> <message>` (promtool's line), or the error
// message for input errors.
std::string ItemText(const LintItem& item);

// A JSON string literal of `raw`: bytes that are not UTF-8 become U+FFFD, control characters
// are escaped. The one JSON string escaper of the check metrics outputs.
std::string JsonString(std::string_view raw);

// `s` with control characters (C0, DEL; not tab) written as \xNN, for terminal output.
std::string EscapeControls(std::string_view s);

// XML attribute or text content of `raw`: markup characters as entities, bytes that are not
// UTF-8 and control characters XML 1.0 cannot carry as U+FFFD. The one XML escaper of the
// JUnit/checkstyle outputs (check metrics, test relabel).
std::string Xml(std::string_view raw);

// GitHub workflow command data (after ::): %, CR and LF escaped.
std::string GithubData(std::string_view s);

std::string RenderLintReport(LintOutputMode mode, const LintReport& report, bool color);

}  // namespace promtool::cli
