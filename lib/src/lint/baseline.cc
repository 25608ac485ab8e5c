// The lint baseline: known problems keyed by rule, family and message, with counts.
#include <string>

#include "absl/status/status.h"
#include "promtool/lint_run.h"

namespace promtool::lint {
namespace {

constexpr std::string_view kHeader = "# promtool-cpp lint baseline v1";

void AppendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string Key(const Problem& p) {
  std::string key;
  AppendEscaped(key, p.rule);
  key += '\t';
  AppendEscaped(key, p.family);
  key += '\t';
  AppendEscaped(key, p.message);
  return key;
}

}  // namespace

void Baseline::Add(const Problem& problem) {
  ++keys_[Key(problem)];
  ++count_;
}

bool Baseline::Consume(const Problem& problem) {
  auto it = keys_.find(Key(problem));
  if (it == keys_.end() || it->second == 0) return false;
  --it->second;
  --count_;
  return true;
}

std::string Baseline::Serialize() const {
  std::string out(kHeader);
  out += '\n';
  for (const auto& [key, count] : keys_) {
    if (count == 0) continue;
    out += std::to_string(count);
    out += '\t';
    out += key;
    out += '\n';
  }
  return out;
}

absl::StatusOr<Baseline> Baseline::Parse(std::string_view text, std::string_view name) {
  Baseline baseline;
  uint64_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line_no == 1) {
      if (line != kHeader) {
        return absl::InvalidArgumentError(std::string(name) +
                                          ": not a promtool-cpp lint baseline (first line must "
                                          "be \"" +
                                          std::string(kHeader) + "\")");
      }
      continue;
    }
    if (line.empty()) continue;
    size_t tab = line.find('\t');
    std::string_view count_text = line.substr(0, tab);
    uint64_t count = 0;
    bool ok = tab != std::string_view::npos && !count_text.empty() && count_text.size() < 19;
    for (char c : count_text) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) count = count * 10 + static_cast<uint64_t>(c - '0');
    }
    std::string_view key = ok ? line.substr(tab + 1) : std::string_view();
    // A key has three tab-separated fields.
    size_t tabs = 0;
    for (char c : key) tabs += c == '\t';
    if (!ok || tabs != 2) {
      return absl::InvalidArgumentError(std::string(name) + ":" + std::to_string(line_no) +
                                        ": expected <count>\\t<rule>\\t<family>\\t<message>");
    }
    baseline.keys_[std::string(key)] += count;
    baseline.count_ += count;
  }
  if (line_no == 0) {
    return absl::InvalidArgumentError(std::string(name) + ": empty baseline file");
  }
  return baseline;
}

}  // namespace promtool::lint
