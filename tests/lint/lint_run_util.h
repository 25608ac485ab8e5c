// Helpers for the tests of LintSource(): delimited protobuf payloads and problem lines.
#pragma once

#include <string>
#include <vector>

#include "model/owned_family.h"
#include "promtool/lint_run.h"
#include "promtool/source.h"

namespace promtool::lint::testing {

// Varint length + message, per family: what `convert --to=protobuf` writes.
inline std::string Delimited(const std::vector<pb::MetricFamily>& families) {
  std::string out;
  for (const pb::MetricFamily& f : families) {
    std::string bytes = f.SerializeAsString();
    uint64_t n = bytes.size();
    while (n >= 0x80) {
      out += static_cast<char>((n & 0x7F) | 0x80);
      n >>= 7;
    }
    out += static_cast<char>(n);
    out += bytes;
  }
  return out;
}

// LintSource() on `payload` with `rules`; "<family> <message>" lines.
inline std::vector<std::string> RunLines(const std::string& payload, InputFormat format,
                                         const std::string& rules,
                                         SourceLintResult* out = nullptr) {
  auto source = MemorySource(payload);
  SourceLintOptions options;
  options.format = format;
  options.lint.rules = rules;
  SourceLintResult result = LintSource(*source, options);
  std::vector<std::string> lines;
  for (const Problem& p : result.problems) lines.push_back(p.family + " " + p.message);
  if (out != nullptr) *out = std::move(result);
  return lines;
}

}  // namespace promtool::lint::testing
