// Renders a lint report as a GitLab Code Quality (Code Climate subset) JSON array.
#include "codequality_output.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <string_view>

namespace promtool::cli {
namespace {

std::string_view CodeQualitySeverity(lint::Severity s) {
  switch (s) {
    case lint::Severity::kError:
      return "critical";
    case lint::Severity::kWarning:
      return "major";
    case lint::Severity::kInfo:
      return "info";
  }
  return "major";
}

// 64-bit FNV-1a, twice with different offsets, as 32 hex digits: GitLab only needs the
// fingerprint to be stable and distinct per issue.
std::string Fingerprint(std::string_view key) {
  uint64_t a = 0xcbf29ce484222325ULL;
  uint64_t b = 0x84222325cbf29ce4ULL;
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    a = (a ^ c) * 0x100000001b3ULL;
    b = (b ^ c) * 0x100000001b3ULL;
  }
  char out[33];
  std::snprintf(out, sizeof(out), "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

// GitLab matches `path` against the repository's files: "./a/b.prom" (a walk of ".") is "a/b.prom".
std::string RepoPath(std::string_view path) {
  while (path.starts_with("./")) {
    path.remove_prefix(2);
    while (path.starts_with("/")) path.remove_prefix(1);
  }
  return std::string(path);
}

}  // namespace

std::string RenderCodeQuality(const LintReport& report) {
  std::map<std::string, size_t> seen;  // identical problems in one file get distinct prints
  std::string out = "[";
  for (size_t i = 0; i < report.items.size(); ++i) {
    const LintItem& item = report.items[i];
    std::string key = item.file + '\0' + item.rule + '\0' + item.family + '\0' + item.message;
    const size_t occurrence = seen[key]++;
    key += '\0' + std::to_string(occurrence);
    out += i ? ",\n  {" : "\n  {";
    out += "\"description\": " + JsonString(ItemText(item));
    out += ", \"check_name\": " + JsonString(item.rule);
    out += ", \"fingerprint\": \"" + Fingerprint(key) + "\"";
    out += ", \"severity\": \"" + std::string(CodeQualitySeverity(item.severity)) + "\"";
    out += ", \"location\": {\"path\": " + JsonString(RepoPath(item.file)) +
           ", \"lines\": {\"begin\": " + std::to_string(item.line > 0 ? item.line : 1) + "}}}";
  }
  out += report.items.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace promtool::cli
