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
    } else if (c == '\r') {
      out += "\\r";
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
  std::string message;
  AppendEscaped(message, p.message);
  key += Baseline::KeyMessage(message);  // as Parse() masks the escaped field
  return key;
}

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Lines(const std::map<std::string, uint64_t>& keys) {
  std::string out;
  for (const auto& [key, count] : keys) {
    if (count == 0) continue;
    out += std::to_string(count);
    out += '\t';
    out += key;
    out += '\n';
  }
  return out;
}

}  // namespace

std::string Baseline::KeyMessage(std::string_view m) {
  // A number starts at a digit (or a sign or dot before one) that does not continue a word, and
  // runs over the characters of numbers, timestamps and dates: 1e-3, 0x1F, 2024-01-02T03:04:05Z.
  std::string out;
  size_t i = 0;
  while (i < m.size()) {
    const bool boundary = i == 0 || !WordChar(m[i - 1]);
    size_t j = i;
    if (j < m.size() && (m[j] == '+' || m[j] == '-')) ++j;
    bool number = false;
    if (boundary && j < m.size() && (m[j] >= '0' && m[j] <= '9')) {
      number = true;
    } else if (boundary && j + 1 < m.size() && m[j] == '.' && m[j + 1] >= '0' && m[j + 1] <= '9') {
      number = true;
    } else if (boundary && (m.substr(j, 3) == "Inf" || m.substr(j, 3) == "NaN") &&
               (j + 3 >= m.size() || !WordChar(m[j + 3]))) {
      out += '#';
      i = j + 3;
      continue;
    }
    if (!number) {
      out += m[i++];
      continue;
    }
    while (j < m.size() && (WordChar(m[j]) || m[j] == '.' || m[j] == ':' ||
                            ((m[j] == '+' || m[j] == '-') && j > 0 && WordChar(m[j - 1])))) {
      ++j;
    }
    out += '#';
    i = j;
  }
  return out;
}

void Baseline::Add(const Problem& problem) {
  ++keys_[Key(problem)];
  ++count_;
}

bool Baseline::Consume(const Problem& problem) {
  auto it = keys_.find(Key(problem));
  if (it == keys_.end() || it->second == 0) return false;
  --it->second;
  --count_;
  ++used_[it->first];
  return true;
}

std::string Baseline::Serialize() const { return std::string(kHeader) + "\n" + Lines(keys_); }

std::string Baseline::SerializeUsed() const { return std::string(kHeader) + "\n" + Lines(used_); }

std::string Baseline::SerializeUnused() const { return Lines(keys_); }

absl::StatusOr<Baseline> Baseline::Parse(std::string_view text, std::string_view name) {
  Baseline baseline;
  uint64_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF (a Windows checkout)
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
    // Keys written before numbers were masked carry them: mask the message field.
    const size_t message_at = key.rfind('\t') + 1;
    std::string masked(key.substr(0, message_at));
    masked += KeyMessage(key.substr(message_at));
    baseline.keys_[masked] += count;
    baseline.count_ += count;
  }
  if (line_no == 0) {
    return absl::InvalidArgumentError(std::string(name) + ": empty baseline file");
  }
  return baseline;
}

}  // namespace promtool::lint
