// Renders lint reports in every CI output mode (see docs/ci.md for the schemas).
#include "lint_output.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "codequality_output.h"
#include "diag.h"
#include "html_report.h"
#include "promtool/escape.h"
#include "promtool/lint_run.h"

namespace promtool::cli {
namespace {

// Replaces bytes that are not valid UTF-8 with U+FFFD, so JSON and XML output stay valid.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  AppendValidUtf8(s, &out);
  return out;
}

}  // namespace

std::string JsonString(std::string_view raw) {
  std::string out;
  AppendJsonString(raw, &out, JsonStyle::kPlain);
  return out;
}

std::string EscapeControls(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

namespace {

std::string Json(std::string_view raw) { return JsonString(raw); }

}  // namespace

// Attribute and text content: XML 1.0 cannot carry most control characters at all.
std::string Xml(std::string_view raw) {
  std::string s = ValidUtf8(raw);
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

// GitHub workflow command escaping: data (after ::) and property values.
std::string GithubData(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string GithubProperty(std::string_view s) {
  std::string out;
  for (char c : GithubData(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

// %-encodes every byte but the unreserved ones and '/'.
std::string PercentEncodePath(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The artifact URI of an input: a URL as it is (credentials already redacted), an absolute
// path as a file:// URI, a relative path as a relative reference (resolved against the
// checkout by code scanning), stdin as "stdin".
std::string Uri(std::string_view path) {
  if (path == "<stdin>") return "stdin";
  if (path.starts_with("http://") || path.starts_with("https://")) return std::string(path);
  if (path.starts_with("/")) return "file://" + PercentEncodePath(path);
  return PercentEncodePath(path);  // ':' is encoded, so no segment reads as a scheme
}

std::string_view SarifLevel(lint::Severity s) {
  switch (s) {
    case lint::Severity::kError:
      return "error";
    case lint::Severity::kWarning:
      return "warning";
    case lint::Severity::kInfo:
      return "note";
  }
  return "warning";
}

bool IsInputError(const LintItem& item) { return item.family.empty(); }

// The byte column (1-based) in `line` of the character column `column`, for SourceSnippet.
uint64_t ByteColumn(std::string_view line, uint64_t column) {
  size_t i = 0;
  for (uint64_t c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i + 1 + (column > 0 && column - 1 > i ? column - 1 - i : 0);
}

std::string Promtool(const LintReport& report) {
  const bool prefix = report.files.size() > 1;
  std::string out;
  for (const LintItem& item : report.items) {
    if (prefix) out += item.file + ": ";
    out += IsInputError(item) ? item.compat : ItemText(item);
    out += '\n';
  }
  return out;
}

std::string Pretty(const LintReport& report, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* red = color ? "\033[1;31m" : "";
  const char* magenta = color ? "\033[1;35m" : "";
  const char* blue = color ? "\033[1;34m" : "";
  const char* green = color ? "\033[1;32m" : "";
  const char* cyan = color ? "\033[1;36m" : "";
  const char* reset = color ? "\033[0m" : "";
  std::string out;
  size_t errors = 0, warnings = 0, infos = 0;
  for (const LintItem& item : report.items) {
    out += bold + EscapeControls(item.file);
    if (item.line > 0) {
      out += ":" + std::to_string(item.line) + ":" + std::to_string(item.column) + ":";
    } else if (item.has_offset) {
      out += ": byte " + std::to_string(item.offset) + ":";
    } else {
      out += ":";
    }
    out += reset;
    switch (item.severity) {
      case lint::Severity::kError:
        out += std::string(" ") + red + "error:" + reset;
        ++errors;
        break;
      case lint::Severity::kWarning:
        out += std::string(" ") + magenta + "warning:" + reset;
        ++warnings;
        break;
      case lint::Severity::kInfo:
        out += std::string(" ") + blue + "info:" + reset;
        ++infos;
        break;
    }
    // Names and HELP text may hold control characters: never send them to the terminal raw.
    out += " " + EscapeControls(ItemText(item)) + " [" +
           (item.error_code.empty() ? item.rule : item.error_code) + "]\n";
    if (item.line > 0 && (!item.source_line.empty() || item.column == 1)) {
      out +=
          SourceSnippet(item.source_line, ByteColumn(item.source_line, item.column), green, reset);
    }
    if (!item.hint.empty()) {
      out += std::string("    ") + cyan + "hint:" + reset + " " + EscapeControls(item.hint) + "\n";
    }
  }
  if (!report.items.empty()) {
    out += std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") +
           std::to_string(warnings) + (warnings == 1 ? " warning, " : " warnings, ") +
           std::to_string(infos) + (infos == 1 ? " info" : " infos") + " in " +
           std::to_string(report.files.size()) +
           (report.files.size() == 1 ? " input\n" : " inputs\n");
  }
  return out;
}

std::string JsonReport(const LintReport& report) {
  size_t counts[3] = {0, 0, 0};
  std::string out = "{\n  \"version\": 1,\n  \"tool\": \"promtool-cpp\",\n  \"inputs\": [";
  for (size_t i = 0; i < report.files.size(); ++i) {
    out += (i ? ", " : "") + Json(report.files[i]);
  }
  out += "],\n  \"problems\": [";
  for (size_t i = 0; i < report.items.size(); ++i) {
    const LintItem& item = report.items[i];
    ++counts[static_cast<int>(item.severity)];
    out += i ? ",\n    {" : "\n    {";
    out += "\"file\": " + Json(item.file);
    if (item.line > 0) {
      out += ", \"line\": " + std::to_string(item.line) +
             ", \"column\": " + std::to_string(item.column);
    }
    if (item.has_offset) out += ", \"offset\": " + std::to_string(item.offset);
    out += ", \"rule\": " + Json(item.rule);
    out += ", \"severity\": " + Json(lint::SeverityName(item.severity));
    if (!item.family.empty()) out += ", \"family\": " + Json(item.family);
    out += ", \"message\": " + Json(item.message) + "}";
  }
  out += report.items.empty() ? "],\n" : "\n  ],\n";
  out += "  \"summary\": {\"inputs\": " + std::to_string(report.files.size()) +
         ", \"problems\": " + std::to_string(report.items.size()) +
         ", \"errors\": " + std::to_string(counts[2]) +
         ", \"warnings\": " + std::to_string(counts[1]) +
         ", \"infos\": " + std::to_string(counts[0]) + "}\n}\n";
  return out;
}

struct RuleRow {
  std::string id, summary;
  lint::Severity severity;
};

std::vector<RuleRow> AllRules() {
  std::vector<RuleRow> rows;
  for (const lint::RuleInfo& r : lint::Rules()) {
    rows.push_back({std::string(r.id), std::string(r.summary), r.severity});
  }
  rows.push_back(
      {"parse-error", "the input is not a valid payload of its format", lint::Severity::kError});
  rows.push_back({"input-error", "the input could not be read, or an argument gave no input",
                  lint::Severity::kError});
  rows.push_back({std::string(lint::kSuppressionCommentRule),
                  "a promtool-cpp suppression comment names no rule", lint::Severity::kError});
  return rows;
}

std::string Sarif(const LintReport& report) {
  const std::vector<RuleRow> rules = AllRules();
  std::map<std::string, size_t> index;
  std::string out =
      "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
      "          \"name\": \"promtool-cpp\",\n          \"version\": \"" PROMTOOL_VERSION
      "\",\n"
      "          \"rules\": [";
  for (size_t i = 0; i < rules.size(); ++i) {
    index[rules[i].id] = i;
    out += i ? ",\n            {" : "\n            {";
    out += "\"id\": " + Json(rules[i].id) +
           ", \"shortDescription\": {\"text\": " + Json(rules[i].summary) +
           "}, \"defaultConfiguration\": {\"level\": " + Json(SarifLevel(rules[i].severity)) + "}}";
  }
  // SARIF 2.1.0 §3.14.27: columnKind SHALL be present; columns count code points.
  out +=
      "\n          ]\n        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
      "      \"results\": [";
  for (size_t i = 0; i < report.items.size(); ++i) {
    const LintItem& item = report.items[i];
    out += i ? ",\n        {" : "\n        {";
    out += "\"ruleId\": " + Json(item.rule);
    if (auto it = index.find(item.rule); it != index.end()) {
      out += ", \"ruleIndex\": " + std::to_string(it->second);
    }
    out += ", \"level\": " + Json(SarifLevel(item.severity));
    out += ", \"message\": {\"text\": " + Json(ItemText(item)) + "}";
    out += ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": " +
           Json(Uri(item.file)) + "}";
    if (item.line > 0) {
      out += ", \"region\": {\"startLine\": " + std::to_string(item.line) +
             ", \"startColumn\": " + std::to_string(item.column > 0 ? item.column : 1) + "}";
    } else if (item.has_offset) {
      out += ", \"region\": {\"byteOffset\": " + std::to_string(item.offset) + "}";
    }
    out += "}}]}";
  }
  out += report.items.empty() ? "]\n" : "\n      ]\n";
  out += "    }\n  ]\n}\n";
  return out;
}

std::string Github(const LintReport& report) {
  std::string out;
  for (const LintItem& item : report.items) {
    out += item.severity == lint::Severity::kError     ? "::error "
           : item.severity == lint::Severity::kWarning ? "::warning "
                                                       : "::notice ";
    out += "file=" + GithubProperty(item.file);
    if (item.line > 0) {
      out += ",line=" + std::to_string(item.line) + ",col=" + std::to_string(item.column);
    }
    out +=
        ",title=" + GithubProperty(item.rule) + "::" + GithubData(EscapeControls(ItemText(item)));
    if (item.line == 0 && item.has_offset) out += " (byte " + std::to_string(item.offset) + ")";
    out += '\n';
  }
  return out;
}

std::string Checkstyle(const LintReport& report) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const std::string& file : report.files) {
    out += "  <file name=\"" + Xml(file) + "\">\n";
    for (const LintItem& item : report.items) {
      if (item.file != file) continue;
      out += "    <error";
      if (item.line > 0) {
        out += " line=\"" + std::to_string(item.line) + "\" column=\"" +
               std::to_string(item.column) + "\"";
      }
      out += " severity=\"" + std::string(lint::SeverityName(item.severity)) + "\" message=\"" +
             Xml(ItemText(item)) + "\" source=\"promtool-cpp." + Xml(item.rule) + "\"/>\n";
    }
    out += "  </file>\n";
  }
  out += "</checkstyle>\n";
  return out;
}

std::string Junit(const LintReport& report) {
  // One suite per input. A problem at or above --fail-on is a failed test case; one below it a
  // passed case with the problem in <system-out> (so the report agrees with the exit code); an
  // input that could not be read or parsed, or a bad suppression comment, is an <error>. A clean
  // input is one passed case. Test case names are unique within their suite.
  std::string suites;
  size_t tests = 0, failures = 0, errors = 0;
  for (const std::string& file : report.files) {
    std::string cases;
    size_t n = 0, suite_failures = 0, suite_errors = 0;
    std::set<std::string> names;
    for (const LintItem& item : report.items) {
      if (item.file != file) continue;
      ++n;
      std::string where = item.file;
      if (item.line > 0) {
        where += ":" + std::to_string(item.line) + ":" + std::to_string(item.column);
      }
      std::string name = item.rule + (item.family.empty() ? "" : " " + item.family);
      if (names.contains(name) && item.line > 0) {
        name += " (line " + std::to_string(item.line) + ")";
      }
      const std::string base = name;
      for (size_t k = 2; names.contains(name); ++k) name = base + " #" + std::to_string(k);
      names.insert(name);
      const std::string detail =
          where + ": " + std::string(lint::SeverityName(item.severity)) + ": " + ItemText(item);
      cases += "    <testcase classname=\"" + Xml(file) + "\" name=\"" + Xml(name) + "\"";
      const bool error = IsInputError(item);
      if (error || item.fails) {
        const char* element = error ? "error" : "failure";
        (error ? suite_errors : suite_failures)++;
        cases += ">\n      <" + std::string(element) + " type=\"" + Xml(item.rule) +
                 "\" message=\"" + Xml(ItemText(item)) + "\">" + Xml(detail) + "</" + element +
                 ">\n    </testcase>\n";
      } else {
        cases += ">\n      <system-out>" + Xml(detail) + "</system-out>\n    </testcase>\n";
      }
    }
    if (n == 0) {
      cases = "    <testcase classname=\"" + Xml(file) + "\" name=\"lint\"/>\n";
      n = 1;
    }
    suites += "  <testsuite name=\"" + Xml(file) + "\" tests=\"" + std::to_string(n) +
              "\" failures=\"" + std::to_string(suite_failures) + "\" errors=\"" +
              std::to_string(suite_errors) + "\">\n" + cases + "  </testsuite>\n";
    tests += n;
    failures += suite_failures;
    errors += suite_errors;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"promtool-cpp check "
         "metrics\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace

std::optional<LintOutputMode> ParseLintOutputMode(std::string_view name) {
  if (name == "promtool") return LintOutputMode::kPromtool;
  if (name == "pretty") return LintOutputMode::kPretty;
  if (name == "json") return LintOutputMode::kJson;
  if (name == "sarif") return LintOutputMode::kSarif;
  if (name == "github") return LintOutputMode::kGithub;
  if (name == "checkstyle") return LintOutputMode::kCheckstyle;
  if (name == "junit") return LintOutputMode::kJunit;
  if (name == "codequality") return LintOutputMode::kCodeQuality;
  if (name == "html") return LintOutputMode::kHtml;
  return std::nullopt;
}

std::string ItemText(const LintItem& item) {
  return item.family.empty() ? item.message : item.family + " " + item.message;
}

std::string RenderLintReport(LintOutputMode mode, const LintReport& report, bool color) {
  switch (mode) {
    case LintOutputMode::kPromtool:
      return Promtool(report);
    case LintOutputMode::kPretty:
      return Pretty(report, color);
    case LintOutputMode::kJson:
      return JsonReport(report);
    case LintOutputMode::kSarif:
      return Sarif(report);
    case LintOutputMode::kGithub:
      return Github(report);
    case LintOutputMode::kCheckstyle:
      return Checkstyle(report);
    case LintOutputMode::kJunit:
      return Junit(report);
    case LintOutputMode::kCodeQuality:
      return RenderCodeQuality(report);
    case LintOutputMode::kHtml:
      return RenderHtmlReport(report, {});
  }
  return {};
}

}  // namespace promtool::cli
