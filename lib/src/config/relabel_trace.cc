// Series selectors and series text for tracing and testing relabel rules: parsing a PromQL
// selector or a text-format series into matchers or a label set, and formatting a label set.
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "absl/status/status.h"
#include "common/chars.h"
#include "common/strcat.h"
#include "config/utf8.h"
#include "promtool/escape.h"
#include "promtool/relabel.h"

namespace promtool {
namespace {

constexpr std::string_view kName = "__name__";

bool IsNameStart(char c, bool colon) {
  return colon ? chars::IsMetricNameStart(c) : chars::IsLabelNameStart(c);
}
bool IsNameChar(char c, bool colon) {
  return colon ? chars::IsMetricNameChar(c) : chars::IsLabelNameChar(c);
}

// What the parser found at a position, for messages.
std::string Found(std::string_view rest) {
  if (rest.empty()) return "end of input";
  const unsigned char c = static_cast<unsigned char>(rest[0]);
  if (c < 0x20 || c == 0x7F)
    return StrCat("byte 0x", "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]);
  return StrCat("\"", rest.substr(0, 1), "\"");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(char32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

// A recursive-descent reader of selectors (PromQL strings, four operators) and series (text
// format strings, `=` only, an optional value and timestamp after).
class Reader {
 public:
  Reader(std::string_view text, bool selector) : text_(text), selector_(selector) {}

  absl::Status Read(std::vector<LabelMatcher>* out) {
    Skip();
    if (!AtEnd() && IsNameStart(Peek(), true)) {
      out->push_back({std::string(kName), LabelMatchOp::kEqual, std::string(Ident(true))});
      Skip();
    }
    if (!AtEnd() && Peek() == '{') {
      ++pos_;
      Skip();
      bool first = true;
      while (AtEnd() || Peek() != '}') {
        if (!first) {
          if (AtEnd() || Peek() != ',') return Expected("\",\" or \"}\"");
          ++pos_;
          Skip();
          if (!AtEnd() && Peek() == '}') break;  // a trailing comma
        }
        first = false;
        if (absl::Status st = Matcher(out); !st.ok()) return st;
        Skip();
      }
      ++pos_;
      Skip();
    } else if (out->empty()) {
      return Expected("a metric name or \"{\"");
    }
    if (selector_) {
      if (!AtEnd()) return Expected("end of the selector");
      return absl::OkStatus();
    }
    // A series: an optional value and timestamp, which must be well-formed when present.
    std::string_view value = Token();
    if (!value.empty() && !IsFloat(value)) {
      return Error(StrCat("expected a sample value, found \"", value, "\""), start_);
    }
    std::string_view ts = Token();
    if (!ts.empty()) {
      int64_t t = 0;
      auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
      if (ec != std::errc() || end != ts.data() + ts.size()) {
        return Error(StrCat("expected a timestamp (an integer), found \"", ts, "\""), start_);
      }
    }
    Skip();
    if (!AtEnd()) return Expected("end of the series");
    return absl::OkStatus();
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void Skip() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || (selector_ && Peek() == '\n'))) ++pos_;
  }

  absl::Status Error(std::string message, size_t at) const {
    return absl::InvalidArgumentError(StrCat("column ", at + 1, ": ", message));
  }
  absl::Status Expected(std::string_view what) const {
    return Error(StrCat("expected ", what, ", found ", Found(text_.substr(pos_))), pos_);
  }

  std::string_view Ident(bool colon) {
    const size_t start = pos_;
    while (!AtEnd() && IsNameChar(Peek(), colon)) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string_view Token() {
    Skip();
    start_ = pos_;
    while (!AtEnd() && Peek() != ' ' && Peek() != '\t') ++pos_;
    return text_.substr(start_, pos_ - start_);
  }

  // A float as the text format writes one (strtod's syntax: digits, exponents, Inf, NaN).
  static bool IsFloat(std::string_view v) {
    const std::string s(v);
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size();
  }

  absl::Status Matcher(std::vector<LabelMatcher>* out) {
    LabelMatcher m;
    const size_t name_at = pos_;
    if (AtEnd()) return Expected("a label name");
    if (Peek() == '"' || (selector_ && (Peek() == '\'' || Peek() == '`'))) {
      if (absl::Status st = String(&m.name); !st.ok()) return st;
      Skip();
      // {"metric.name", ...}: a quoted string alone is the metric name (Prometheus 3).
      if (AtEnd() || Peek() == ',' || Peek() == '}') {
        m.value = std::move(m.name);
        m.name = kName;
        return Add(std::move(m), name_at, out);
      }
    } else if (IsNameStart(Peek(), false)) {
      m.name = Ident(false);
      Skip();
    } else {
      return Expected("a label name");
    }
    if (m.name.empty() || !ValidUtf8(m.name)) {
      return Error(StrCat("invalid label name \"", m.name, "\""), name_at);
    }
    const size_t op_at = pos_;
    if (text_.substr(pos_, 2) == "!=") {
      m.op = LabelMatchOp::kNotEqual;
      pos_ += 2;
    } else if (text_.substr(pos_, 2) == "=~") {
      m.op = LabelMatchOp::kRegexMatch;
      pos_ += 2;
    } else if (text_.substr(pos_, 2) == "!~") {
      m.op = LabelMatchOp::kRegexNoMatch;
      pos_ += 2;
    } else if (!AtEnd() && Peek() == '=') {
      m.op = LabelMatchOp::kEqual;
      ++pos_;
    } else {
      return Expected(selector_ ? "\"=\", \"!=\", \"=~\" or \"!~\"" : "\"=\"");
    }
    if (!selector_ && m.op != LabelMatchOp::kEqual) {
      return Error(StrCat("a series has only \"=\" labels, found \"", text_.substr(op_at, 2), "\""),
                   op_at);
    }
    Skip();
    if (AtEnd() || !(Peek() == '"' || (selector_ && (Peek() == '\'' || Peek() == '`')))) {
      return Expected("a quoted label value");
    }
    if (absl::Status st = String(&m.value); !st.ok()) return st;
    return Add(std::move(m), name_at, out);
  }

  // A series names each label once (a selector may repeat one).
  absl::Status Add(LabelMatcher m, size_t at, std::vector<LabelMatcher>* out) const {
    if (!selector_) {
      for (const LabelMatcher& o : *out) {
        if (o.name == m.name) {
          return Error(StrCat(m.name == kName ? std::string("the metric name")
                                              : StrCat("label \"", m.name, "\""),
                              " is given twice"),
                       at);
        }
      }
    }
    out->push_back(std::move(m));
    return absl::OkStatus();
  }

  // A quoted string at pos_: text-format escapes in a series, Go's in a selector.
  absl::Status String(std::string* out) {
    const char quote = Peek();
    const size_t open = pos_++;
    while (true) {
      if (AtEnd()) return Error("unterminated string", open);
      const char c = Peek();
      if (c == quote) {
        ++pos_;
        break;
      }
      if (c == '\n' && quote != '`') return Error("newline inside a string (write \\n)", pos_);
      if (c != '\\' || quote == '`') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      const size_t esc = pos_++;
      if (AtEnd()) return Error("unterminated string", open);
      const char e = text_[pos_++];
      if (!selector_) {
        if (e == '\\' || e == '"') {
          out->push_back(e);
        } else if (e == 'n') {
          out->push_back('\n');
        } else {
          return Error(StrCat("invalid escape \"\\", std::string_view(&e, 1),
                              "\" (a series value allows \\\\, \\\" and \\n)"),
                       esc);
        }
        continue;
      }
      switch (e) {
        case 'a':
          out->push_back('\a');
          continue;
        case 'b':
          out->push_back('\b');
          continue;
        case 'f':
          out->push_back('\f');
          continue;
        case 'n':
          out->push_back('\n');
          continue;
        case 'r':
          out->push_back('\r');
          continue;
        case 't':
          out->push_back('\t');
          continue;
        case 'v':
          out->push_back('\v');
          continue;
        case '\\':
          out->push_back('\\');
          continue;
        default:
          break;
      }
      if (e == quote) {
        out->push_back(e);
        continue;
      }
      int digits = 0, base = 16;
      if (e == 'x') digits = 2;
      if (e == 'u') digits = 4;
      if (e == 'U') digits = 8;
      if (e >= '0' && e <= '7') digits = 3, base = 8, --pos_;
      if (digits == 0) {
        return Error(StrCat("invalid escape \"\\", std::string_view(&e, 1), "\""), esc);
      }
      uint32_t v = 0;
      for (int i = 0; i < digits; ++i) {
        const int d = AtEnd() ? -1 : HexValue(Peek());
        if (d < 0 || d >= base) return Error("invalid escape sequence", esc);
        v = v * static_cast<uint32_t>(base) + static_cast<uint32_t>(d);
        ++pos_;
      }
      if (e == 'x' || base == 8) {
        if (v > 255) return Error("octal escape value above 255", esc);
        out->push_back(static_cast<char>(v));
      } else {
        if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) {
          return Error("escape sequence is an invalid Unicode code point", esc);
        }
        AppendUtf8(static_cast<char32_t>(v), out);
      }
    }
    return absl::OkStatus();
  }

  std::string_view text_;
  bool selector_;
  size_t pos_ = 0;
  size_t start_ = 0;
};

void AppendQuoted(std::string_view v, std::string* out) {
  out->push_back('"');
  for (char c : v) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '"') {
      *out += "\\\"";
    } else if (c == '\n') {
      *out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      *out += "\\x";
      out->push_back(kHex[static_cast<unsigned char>(c) >> 4]);
      out->push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

}  // namespace

struct SeriesSelector::Impl {
  std::vector<LabelMatcher> matchers;
  std::vector<std::unique_ptr<RE2>> regexes;  // by matcher; null for = and !=
};

absl::StatusOr<SeriesSelector> SeriesSelector::Parse(std::string_view text) {
  auto impl = std::make_unique<Impl>();
  Reader reader(text, /*selector=*/true);
  if (absl::Status st = reader.Read(&impl->matchers); !st.ok()) return st;
  for (const LabelMatcher& m : impl->matchers) {
    if (m.op == LabelMatchOp::kRegexMatch || m.op == LabelMatchOp::kRegexNoMatch) {
      auto re = relabel_internal::CompileRelabelRegex(m.value);
      if (!re.ok()) {
        return absl::InvalidArgumentError(
            StrCat("label \"", m.name, "\": ", std::string(re.status().message())));
      }
      impl->regexes.push_back(std::move(*re));
    } else {
      impl->regexes.push_back(nullptr);
    }
  }
  return SeriesSelector(std::move(impl));
}

SeriesSelector::SeriesSelector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SeriesSelector::SeriesSelector(SeriesSelector&&) noexcept = default;
SeriesSelector& SeriesSelector::operator=(SeriesSelector&&) noexcept = default;
SeriesSelector::~SeriesSelector() = default;

const std::vector<LabelMatcher>& SeriesSelector::matchers() const { return impl_->matchers; }

bool SeriesSelector::Matches(const LabelSet& labels) const {
  for (size_t i = 0; i < impl_->matchers.size(); ++i) {
    const LabelMatcher& m = impl_->matchers[i];
    std::string_view value;
    auto it = std::lower_bound(labels.begin(), labels.end(), m.name,
                               [](const auto& l, const std::string& k) { return l.first < k; });
    if (it != labels.end() && it->first == m.name) value = it->second;
    bool ok = false;
    switch (m.op) {
      case LabelMatchOp::kEqual:
        ok = value == m.value;
        break;
      case LabelMatchOp::kNotEqual:
        ok = value != m.value;
        break;
      case LabelMatchOp::kRegexMatch:
        ok = RE2::PartialMatch(value, *impl_->regexes[i]);
        break;
      case LabelMatchOp::kRegexNoMatch:
        ok = !RE2::PartialMatch(value, *impl_->regexes[i]);
        break;
    }
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<LabelSet> ParseSeries(std::string_view text) {
  std::vector<LabelMatcher> matchers;
  Reader reader(text, /*selector=*/false);
  if (absl::Status st = reader.Read(&matchers); !st.ok()) return st;
  LabelSet out;
  for (LabelMatcher& m : matchers) {
    if (!m.value.empty()) out.emplace_back(std::move(m.name), std::move(m.value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string FormatSeries(const LabelSet& labels) {
  std::string out;
  std::string_view name;
  for (const auto& [n, v] : labels) {
    if (n == kName) name = v;
  }
  const bool quoted_name = !name.empty() && !chars::IsLegacyMetricName(name);
  if (!quoted_name) out += name;
  bool first = true;
  if (quoted_name) {
    out += '{';
    AppendQuoted(name, &out);
    first = false;
  }
  for (const auto& [n, v] : labels) {
    if (n == kName) continue;
    out += first ? "{" : ",";
    first = false;
    if (chars::IsLegacyLabelName(n)) {
      out += n;
    } else {
      AppendQuoted(n, &out);
    }
    out += '=';
    AppendQuoted(v, &out);
  }
  if (!first) {
    out += '}';
  } else if (name.empty()) {
    out += "{}";
  }
  return out;
}

}  // namespace promtool
