// The Prometheus text format 0.0.4 pull parser: a line-at-a-time port of the state machine of
// prometheus/common's strict text parser, so that acceptance and the reported line match.
#include "promtool/text_parser.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include "common/chars.h"
#include "common/scan.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/label_name_set.h"
#include "text/message_quote.h"

namespace promtool {

using text_internal::ClipText;
using text_internal::QuoteClipped;

namespace {
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
}  // namespace

struct TextParser::Impl {
  // Node-based so that FamilyInfo addresses stay stable.
  std::unordered_map<std::string, FamilyInfo, NameHash, std::equal_to<>> families;
  // The first bytes of the input, kept for naming encoding mistakes after the window moved.
  std::string head;
  bool head_taken = false;
  // Absolute offset up to which the current line is known to have no '\n': after a refill
  // the search resumes there, so a line longer than a chunk is scanned once, not once per
  // chunk (which was quadratic in the line's length).
  uint64_t no_newline_before = 0;
  // The label names of the current sample line, for the duplicate check.
  text_internal::LabelNameSet label_names;
};

namespace {

constexpr std::string_view kTypeNames[] = {"COUNTER", "GAUGE",     "SUMMARY",
                                           "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"};

bool IsCount(std::string_view n) { return n.size() > 6 && n.substr(n.size() - 6) == "_count"; }
bool IsSum(std::string_view n) { return n.size() > 4 && n.substr(n.size() - 4) == "_sum"; }
bool IsBucket(std::string_view n) { return n.size() > 7 && n.substr(n.size() - 7) == "_bucket"; }

// Go's strings.ToUpper is Unicode-aware: besides ASCII, U+0131 (dotless i) becomes 'I' and
// U+017F (long s) becomes 'S', so "hıstogram" names a histogram for promtool.
// `gaugehistogram` (OpenMetrics' spelling) is a type since expfmt v0.67 (`gaugehistogram`).
bool ParseType(std::string_view token, MetricType* out, bool gaugehistogram) {
  char upper[16];
  size_t n = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    if (n == sizeof upper) return false;
    char c = token[i];
    if (c == '\xC4' && i + 1 < token.size() && token[i + 1] == '\xB1') {
      c = 'I';
      ++i;
    } else if (c == '\xC5' && i + 1 < token.size() && token[i + 1] == '\xBF') {
      c = 'S';
      ++i;
    }
    upper[n++] = chars::ToUpper(c);
  }
  std::string_view u(upper, n);
  if (gaugehistogram && u == "GAUGEHISTOGRAM") {
    *out = MetricType::kGaugeHistogram;
    return true;
  }
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (u == kTypeNames[i]) {
      *out = static_cast<MetricType>(i);
      return true;
    }
  }
  return false;
}

// "invalid escape sequence '\\x'" for a printable byte x; control and non-ASCII bytes are
// named with Go escapes so that the message stays on one line.
std::string EscapeForPeople(unsigned char c) {
  if (c > ' ' && c < 0x7F) return StrCat("invalid escape sequence '\\", static_cast<char>(c), "'");
  return StrCat("invalid escape sequence: a backslash followed by ", GoQuoteByte(c));
}

}  // namespace

std::string_view PromtoolProfileName(PromtoolProfile profile) {
  return profile == PromtoolProfile::k2 ? "2" : "3";
}

bool ParsePromtoolProfile(std::string_view text, PromtoolProfile* out) {
  if (text == "2" || text == "2.x" || text == "2.42") {
    *out = PromtoolProfile::k2;
    return true;
  }
  if (text == "3" || text == "3.x") {
    *out = PromtoolProfile::k3;
    return true;
  }
  return false;
}

TextParser::TextParser(Source& source, TextOptions options)
    : source_(source), options_(options), impl_(std::make_unique<Impl>()) {
  labels_.resize(16);
  pos_ = source_.window_offset();
}

TextParser::~TextParser() = default;

FamilyInfo* TextParser::Create(std::string_view name) {
  auto [it, inserted] = impl_->families.try_emplace(std::string(name));
  FamilyInfo& f = it->second;
  if (inserted) {
    f.name = std::string(name);
    f.id = static_cast<uint32_t>(family_order_.size());
    family_order_.push_back(&f);
  }
  return &f;
}

// setOrCreateCurrentMF: the exact name first, then the summary base (for _sum/_count), then
// the histogram base (for _sum/_count/_bucket), else a new family named like the sample.
FamilyInfo* TextParser::Resolve(std::string_view name, bool* is_sum, bool* is_count) {
  *is_sum = *is_count = false;
  auto& fams = impl_->families;
  if (auto it = fams.find(name); it != fams.end()) return &it->second;
  if (IsCount(name) || IsSum(name)) {
    std::string_view base = name.substr(0, name.size() - (IsCount(name) ? 6 : 4));
    if (auto it = fams.find(base); it != fams.end()) {
      if (it->second.has_type && it->second.type == MetricType::kSummary) {
        *is_count = IsCount(name);
        *is_sum = IsSum(name);
        return &it->second;
      }
    }
  }
  if (IsCount(name) || IsSum(name) || IsBucket(name)) {
    std::string_view base = name.substr(0, name.size() - (IsCount(name) ? 6 : IsSum(name) ? 4 : 7));
    if (auto it = fams.find(base); it != fams.end()) {
      const MetricType t = it->second.type;
      // Gauge histograms group like histograms since expfmt v0.67 (profile k3).
      if (it->second.has_type &&
          (t == MetricType::kHistogram ||
           (t == MetricType::kGaugeHistogram && options_.profile == PromtoolProfile::k3))) {
        *is_count = IsCount(name);
        *is_sum = IsSum(name);
        return &it->second;
      }
    }
  }
  return Create(name);
}

Entry TextParser::Fail(ErrorCode code, const char* at, std::string message, std::string compat) {
  const char* base = source_.window().data();
  error_.code = code;
  error_.offset = source_.window_offset() + static_cast<uint64_t>(at - base);
  error_.message = std::move(message);
  error_.compat_message = std::move(compat);
  error_.hint.clear();
  ClassifyMistake(at);
  LineCol lc = source_.Locate(error_.offset);
  error_.line = lc.line;
  error_.column = lc.column;
  done_ = true;
  sticky_ = Entry::kError;
  return Entry::kError;
}

// Names the real-world mistakes behind generic errors: encodings, compression, line endings.
void TextParser::ClassifyMistake(const char* at) {
  std::string_view w = source_.window();
  uint64_t rel = error_.offset - source_.window_offset();
  const std::string& head = impl_->head;
  auto starts = [&](std::string_view prefix) {
    return std::string_view(head).substr(0, prefix.size()) == prefix;
  };
  if (error_.offset <= 1 && starts("\xEF\xBB\xBF")) {
    error_.code = ErrorCode::kByteOrderMark;
    error_.message = "input starts with a UTF-8 byte-order mark (EF BB BF)";
    error_.hint = "the text format is UTF-8 without a byte-order mark; remove the first 3 bytes";
    return;
  }
  // UTF-16: a byte-order mark, or NULs in the first two bytes; the error is at the start or
  // at a NUL (UTF-16 text without a BOM fails at the first line that starts with a NUL).
  const bool utf16_start = starts("\xFF\xFE") || starts("\xFE\xFF") ||
                           (head.size() >= 4 && (head[1] == '\0' || head[0] == '\0'));
  const char* window_end = w.data() + w.size();
  if (utf16_start && (error_.offset <= 1 || (at < window_end && *at == '\0'))) {
    error_.code = ErrorCode::kUtf16;
    error_.message = "input looks like UTF-16, not UTF-8";
    error_.hint = "convert it, e.g. iconv -f UTF-16 -t UTF-8";
    return;
  }
  if (error_.offset == 0 && starts("\x1F\x8B")) {
    error_.code = ErrorCode::kGzip;
    error_.message = "input is gzip-compressed (starts with bytes 1F 8B)";
    error_.hint = "decompress it first (gunzip, or curl --compressed)";
    return;
  }
  if (error_.offset == 0 && error_.code == ErrorCode::kMetricName && starts("<")) {
    error_.hint = "the input looks like HTML or XML (an error or login page?), not metrics";
    return;
  }
  // A carriage return right before the line feed that the failing token runs into.
  const char* end = w.data() + w.size();
  const char* q = at;
  while (q < end && *q != '\n' && *q != ' ' && *q != '\t') ++q;
  bool cr_token = q > at && q < end && *q == '\n' && q[-1] == '\r';
  bool cr_at = at < end && *at == '\r' && at + 1 < end && at[1] == '\n';
  if ((cr_token || cr_at) && error_.code != ErrorCode::kUnexpectedEof) {
    error_.code = ErrorCode::kCrlf;
    error_.message = StrCat("line ends with CR LF (Windows line ending); ", error_.message);
    error_.hint = "the text format ends lines with LF only; convert with dos2unix or tr -d '\\r'";
  }
  (void)rel;
}

Entry TextParser::Next() {
  if (done_) return sticky_;
  for (;;) {
    std::string_view w = source_.window();
    const char* base = w.data();
    const char* end = base + w.size();
    const char* p = base + (pos_ - source_.window_offset());
    const char* nl =
        scan::NextNewline(base, w.size(), source_.window_offset(), pos_, &impl_->no_newline_before);
    // The first 4 bytes (or the whole input, if shorter) must be in the window before the
    // first line is parsed: an error there is classified from them (UTF-16, BOM, gzip), and a
    // stream must classify it as the in-memory source does.
    const bool need_head = !impl_->head_taken && w.size() < 4;
    if ((nl == nullptr || need_head) && !source_.at_eof()) {
      uint64_t keep = pin_ < pos_ ? pin_ : pos_;
      if (!source_.Refill(keep) && !source_.error().empty()) {
        error_ = ParseError{};
        error_.code = source_.error_code();
        error_.offset = pos_;
        error_.message = source_.error();
        error_.compat_message = source_.error();
        LineCol lc = source_.Locate(pos_);
        error_.line = lc.line;
        error_.column = lc.column;
        done_ = true;
        sticky_ = Entry::kError;
        return sticky_;
      }
      continue;
    }
    if (!impl_->head_taken && source_.window_offset() == 0) {
      impl_->head.assign(w.substr(0, 4));
      impl_->head_taken = true;
    }
    line_offset_ = pos_;
    Entry e = ParseLine(p, nl ? nl : end, nl != nullptr);
    if (e != Entry::kEnd || done_) return e;
    // kEnd without done_ means "nothing to report on this line" (blank line).
  }
}

// Parses one line [p, end). `end` points at the line feed when has_nl, else at the end of the
// input: reading there is the end-of-input condition of the reference parser.
Entry TextParser::ParseLine(const char* p, const char* end, bool has_nl) {
  const char* const line_end = end;
  // Vector loads may read past the line, up to the end of the window.
  const char* const limit = source_.window().data() + source_.window().size();
  auto eof_at = [&](const char* q) { return q >= end && !has_nl; };
  auto fail_eof = [&]() {
    return Fail(ErrorCode::kUnexpectedEof, end,
                "unexpected end of input: the last line does not end with a newline",
                "unexpected end of input stream");
  };
  auto at = [&](const char* q) -> int {
    return q < end ? static_cast<unsigned char>(*q) : (has_nl ? '\n' : -1);
  };
  auto advance_line = [&]() {
    pos_ = source_.window_offset() + (line_end - source_.window().data()) + 1;
  };

  const char* q = p;
  while (q < end && chars::IsBlank(*q)) ++q;
  if (q == end) {
    if (!has_nl) {  // only blanks before the end of input: a clean end
      done_ = true;
      sticky_ = Entry::kEnd;
      return Entry::kEnd;
    }
    advance_line();
    return Entry::kEnd;  // blank line, skipped by Next()
  }
  entry_offset_ = source_.window_offset() + (q - source_.window().data());

  if (*q == '#') return ParseComment(q + 1, end, has_nl);

  // ---- a sample line ----
  const bool k3 = options_.profile == PromtoolProfile::k3;
  // Quoted names: profile k3 reads them in every name scheme (the scheme then decides which
  // names are valid), profile k2 only with --names=utf8 (promtool 2.42 has none).
  const bool quoting = k3 || options_.names == NameScheme::kUtf8;
  // Metric name.
  std::string_view name;
  bool name_quoted = false;
  bool name_in_braces = false;  // k2 --names=utf8: {"name", labels...}
  bool name_pending = false;    // k3 line starting with '{': the name is the item without '='
  const char* cur;              // the reference parser's "current byte"
  if (chars::IsMetricNameStart(*q)) {
    // Most lines repeat the previous line's name: one comparison instead of a scan.
    const NameCacheEntry& mru = name_cache_[mru_];
    const size_t n = mru.name.size();
    if (mru.family != nullptr && !mru.quoted && static_cast<size_t>(end - q) > n &&
        std::memcmp(q, mru.name.data(), n) == 0 && !chars::IsMetricNameChar(q[n])) {
      cur = q + n;
    } else {
      cur = scan::NameEnd(q + 1, end, limit, /*colon=*/true);
    }
    if (eof_at(cur)) return fail_eof();
    name = std::string_view(q, cur - q);
  } else if (*q == '"' && k3) {
    // expfmt v0.56+: a quoted name may also start the line: "my.metric"{a="b"} 1.
    const char* close;
    Entry e = ScanQuoted(q, end, has_nl, &close, QuotedKind::kMetricName);
    if (e == Entry::kError) return e;
    name = std::string_view(q + 1, close - q - 1);
    name_quoted = true;
    cur = close + 1;
    if (eof_at(cur)) return fail_eof();
    if (!CheckName(Unescape(name, &scratch_), true, q, &e)) return e;
  } else if (*q == '{' && k3) {
    name_pending = true;
    cur = q;
  } else if (*q == '{' && options_.names == NameScheme::kUtf8) {
    // {"name", labels...}: the name is the first quoted item not followed by '='.
    const char* r = q + 1;
    while (r < end && chars::IsBlank(*r)) ++r;
    if (at(r) != '"') {
      if (eof_at(r)) return fail_eof();
      return Fail(ErrorCode::kQuotedName, r,
                  StrCat("expected a quoted metric name after '{', found ",
                         GoQuoteByte(static_cast<unsigned char>(at(r)))),
                  "invalid metric name");
    }
    const char* close;
    Entry e = ScanQuoted(r, end, has_nl, &close, QuotedKind::kMetricName);
    if (e == Entry::kError) return e;
    name = std::string_view(r + 1, close - r - 1);
    name_quoted = true;
    name_in_braces = true;
    cur = close + 1;  // after the closing quote; labels continue like after '{'
  } else {
    std::string compat = "invalid metric name";
    if (*q == '{' || *q == '"') {
      return Fail(ErrorCode::kQuotedName, q,
                  StrCat("expected a metric name, found ", GoQuoteByte(*q),
                         "; quoted UTF-8 names need --names=utf8"),
                  compat);
    }
    return Fail(ErrorCode::kMetricName, q,
                StrCat("expected a metric name ([a-zA-Z_:]) at the start of the line, found ",
                       GoQuoteByte(static_cast<unsigned char>(*q))),
                compat);
  }
  name_ = name;

  // Family resolution, cached for the last few names (a histogram's _bucket, _sum and _count
  // alternate). A name's resolution never changes once made, so the cache needs no invalidation.
  bool is_sum = false, is_count = false;
  bool is_summary = false, is_histogram = false;
  family_ = nullptr;
  auto resolve = [&]() {
    for (unsigned k = 0; k < kNameCacheSize; ++k) {
      unsigned i = (mru_ + k) % kNameCacheSize;
      const NameCacheEntry& c = name_cache_[i];
      if (c.family != nullptr && c.quoted == name_quoted && name == c.name) {
        family_ = c.family;
        is_sum = c.is_sum;
        is_count = c.is_count;
        mru_ = i;
        break;
      }
    }
    if (family_ == nullptr) {
      std::string_view lookup = name;
      if (name_quoted) lookup = Unescape(name, &scratch_);
      family_ = Resolve(lookup, &is_sum, &is_count);
      mru_ = name_cache_next_;
      name_cache_next_ = (name_cache_next_ + 1) % kNameCacheSize;
      NameCacheEntry& c = name_cache_[mru_];
      c.name.assign(name.data(), name.size());
      c.family = family_;
      c.quoted = name_quoted;
      c.is_sum = is_sum;
      c.is_count = is_count;
    }
    if (!family_->has_type) {
      family_->has_type = true;
      family_->type = MetricType::kUntyped;
    }
    is_summary = family_->type == MetricType::kSummary;
    // Since expfmt v0.67 a gauge histogram is read like a histogram (le, _bucket, _count, _sum).
    is_histogram = family_->type == MetricType::kHistogram ||
                   (k3 && family_->type == MetricType::kGaugeHistogram);
  };
  // The family's name for messages; empty while a k3 '{' line has not named it yet (expfmt
  // names no family there either on the first line).
  auto fam_name = [&]() -> std::string_view {
    return family_ != nullptr ? std::string_view(family_->name) : std::string_view();
  };
  if (!name_pending) resolve();
  double quantile = NAN, bucket = NAN;
  label_count_ = 0;
  impl_->label_names.Clear();

  if (!name_in_braces && !name_pending) {
    if (cur < end && chars::IsBlank(*cur)) {
      while (cur < end && chars::IsBlank(*cur)) ++cur;
      if (eof_at(cur)) return fail_eof();
    }
  }
  bool in_labels = name_in_braces || name_pending || at(cur) == '{';
  bool after_name_item = name_in_braces;  // next is ',' or '}' after the quoted name
  if (in_labels) {
    for (;;) {
      const char* r;
      if (after_name_item) {
        r = cur;
        while (r < end && chars::IsBlank(*r)) ++r;
        if (eof_at(r)) return fail_eof();
        after_name_item = false;
        if (at(r) == '}') {
          cur = r;
        } else if (at(r) == ',') {
          cur = r;
        } else {
          return Fail(ErrorCode::kLabelEnd, r,
                      StrCat("expected ',' or '}' after the quoted metric name, found ",
                             GoQuoteByte(static_cast<unsigned char>(at(r)))),
                      "invalid metric name");
        }
        if (at(cur) == '}') {
          r = cur + 1;
          while (r < end && chars::IsBlank(*r)) ++r;
          if (eof_at(r)) return fail_eof();
          cur = r;
          break;
        }
      }
      // startLabelName: cur is at '{' or ','.
      r = cur + 1;
      while (r < end && chars::IsBlank(*r)) ++r;
      if (eof_at(r)) return fail_eof();
      if (at(r) == '}') {
        if (family_ == nullptr) {
          return Fail(ErrorCode::kMetricName, r,
                      "expected a metric name in the braces (a quoted name not followed by "
                      "'='), found '}'",
                      "invalid metric name");
        }
        r = r + 1;
        while (r < end && chars::IsBlank(*r)) ++r;
        if (eof_at(r)) return fail_eof();
        cur = r;
        break;
      }
      std::string_view lname;
      bool lname_quoted = false;
      if (r < end && chars::IsLabelNameStart(*r)) {
        const char* s = scan::NameEnd(r + 1, end, limit, /*colon=*/false);
        if (eof_at(s)) return fail_eof();
        lname = std::string_view(r, s - r);
        cur = s;
      } else if (r < end && *r == '"' && quoting) {
        const char* close;
        Entry e = ScanQuoted(r, end, has_nl, &close, QuotedKind::kLabelName);
        if (e == Entry::kError) return e;
        lname = std::string_view(r + 1, close - r - 1);
        lname_quoted = true;
        cur = close + 1;
        if (eof_at(cur)) return fail_eof();
      } else {
        std::string compat = StrCat("invalid label name for metric ", GoQuote(fam_name()));
        if (r < end && *r == '"') {
          return Fail(ErrorCode::kQuotedName, r,
                      "expected a label name, found '\"'; quoted UTF-8 label names need "
                      "--names=utf8",
                      compat);
        }
        return Fail(ErrorCode::kLabelName, r,
                    StrCat("expected a label name ([a-zA-Z_]) or '}', found ",
                           GoQuoteByte(static_cast<unsigned char>(at(r)))),
                    compat);
      }
      if (name_pending) {
        // expfmt v0.56+: an item of a '{' line not followed by '=' is the metric name.
        const char* s = cur;
        while (s < end && chars::IsBlank(*s)) ++s;
        if (eof_at(s)) return fail_eof();
        if (at(s) != '=') {
          if (family_ != nullptr) {
            return Fail(ErrorCode::kMetricName, r,
                        StrCat("a second metric name ", QuoteClipped(Unescape(lname, &scratch_)),
                               " in the braces of metric ", QuoteClipped(fam_name())),
                        StrCat("multiple metric names for metric ", GoQuote(fam_name())));
          }
          if (at(s) != ',' && at(s) != '}') {
            return Fail(
                ErrorCode::kLabelEnd, s,
                StrCat("expected '=', ',' or '}' after ", QuoteClipped(Unescape(lname, &scratch_)),
                       " in the braces, found ", GoQuoteByte(static_cast<unsigned char>(at(s)))),
                StrCat("unexpected end of metric name ",
                       GoQuoteByte(static_cast<unsigned char>(at(s)))));
          }
          name = lname;
          name_quoted = lname_quoted;
          name_ = name;
          Entry e;
          if (!CheckName(name_quoted ? Unescape(name, &scratch_) : name, true, r, &e)) return e;
          resolve();
          cur = s;
          if (at(s) == '}') {
            s = s + 1;
            while (s < end && chars::IsBlank(*s)) ++s;
            if (eof_at(s)) return fail_eof();
            cur = s;
            break;
          }
          continue;
        }
      }
      if (lname == "__name__") {
        return Fail(ErrorCode::kLabelReserved, r,
                    "label name \"__name__\" is reserved; the metric name goes before '{'",
                    "label name \"__name__\" is reserved");
      }
      if (k3 && lname_quoted) {
        Entry e;
        if (!CheckName(Unescape(lname, &scratch_), false, r, &e)) return e;
      }
      const bool special = (is_summary && lname == "quantile") || (is_histogram && lname == "le");
      if (options_.max_label_name_bytes && lname.size() > options_.max_label_name_bytes) {
        return Fail(ErrorCode::kLimit, r,
                    StrCat("label name is ", lname.size(), " bytes long, over the limit of ",
                           options_.max_label_name_bytes),
                    "label name length limit exceeded");
      }
      size_t my_index = label_count_;
      if (label_count_ == labels_.size()) labels_.resize(labels_.size() * 2);
      labels_[label_count_++] = Label{lname, {}, lname_quoted};
      if (options_.max_labels_per_sample && label_count_ > options_.max_labels_per_sample) {
        return Fail(ErrorCode::kLimit, r,
                    StrCat("sample has more than ", options_.max_labels_per_sample, " labels"),
                    "label limit exceeded");
      }
      if (cur < end && chars::IsBlank(*cur)) {
        while (cur < end && chars::IsBlank(*cur)) ++cur;
        if (eof_at(cur)) return fail_eof();
      }
      if (at(cur) != '=') {
        return Fail(ErrorCode::kLabelEquals, cur,
                    StrCat("expected '=' after label name ", QuoteClipped(lname), ", found ",
                           GoQuoteByte(static_cast<unsigned char>(at(cur)))),
                    StrCat("expected '=' after label name, found ",
                           GoQuoteByte(static_cast<unsigned char>(at(cur)))));
      }
      // Duplicate names, ignoring le (histogram) and quantile (summary) as promtool does.
      // A special name never equals a non-special one, so only non-special names are kept.
      if (!special && !impl_->label_names.Insert(lname)) {
        return Fail(ErrorCode::kLabelDuplicate, r,
                    StrCat("duplicate label name ", QuoteClipped(lname), " for metric ",
                           QuoteClipped(fam_name())),
                    StrCat("duplicate label names for metric ", GoQuote(fam_name())));
      }
      // startLabelValue
      r = cur + 1;
      while (r < end && chars::IsBlank(*r)) ++r;
      if (eof_at(r)) return fail_eof();
      if (at(r) != '"') {
        return Fail(ErrorCode::kLabelQuote, r,
                    StrCat("expected '\"' at start of the value of label ", QuoteClipped(lname),
                           ", found ", GoQuoteByte(static_cast<unsigned char>(at(r)))),
                    StrCat("expected '\"' at start of label value, found ",
                           GoQuoteByte(static_cast<unsigned char>(at(r)))));
      }
      const char* close;
      Entry e = ScanLabelValue(r, end, has_nl, &close);
      if (e == Entry::kError) return e;
      std::string_view raw(r + 1, close - r - 1);
      labels_[my_index].value = raw;
      if (options_.max_label_value_bytes && raw.size() > options_.max_label_value_bytes) {
        return Fail(ErrorCode::kLimit, r + 1,
                    StrCat("value of label ", QuoteClipped(lname), " is ", raw.size(),
                           " bytes long, over the limit of ", options_.max_label_value_bytes),
                    "label value length limit exceeded");
      }
      if (special) {
        std::string_view v = Unescape(raw, &scratch_);
        double d;
        if (!scan::FastDecimal(v.data(), v.data() + v.size(), &d) && !ParseGoFloat(v, &d)) {
          const char* what = is_summary ? "quantile" : "le";
          return Fail(is_summary ? ErrorCode::kQuantileValue : ErrorCode::kBucketValue, r + 1,
                      StrCat("expected a float as the value of the '", what, "' label, found ",
                             QuoteClipped(v)),
                      StrCat("expected float as value for '", what, "' label, got ", GoQuote(v)));
        }
        (is_summary ? quantile : bucket) = d;
      }
      r = close + 1;
      while (r < end && chars::IsBlank(*r)) ++r;
      if (eof_at(r)) return fail_eof();
      if (at(r) == ',') {
        cur = r;
        continue;
      }
      if (at(r) == '}') {
        if (family_ == nullptr) {
          return Fail(ErrorCode::kMetricName, r,
                      "expected a metric name in the braces (a quoted name not followed by "
                      "'='), found '}'",
                      "invalid metric name");
        }
        r = r + 1;
        while (r < end && chars::IsBlank(*r)) ++r;
        if (eof_at(r)) return fail_eof();
        cur = r;
        break;
      }
      std::string v(Unescape(raw, &scratch_));
      return Fail(ErrorCode::kLabelEnd, r,
                  StrCat("expected ',' or '}' after the value of label ", QuoteClipped(lname),
                         ", found ", GoQuoteByte(static_cast<unsigned char>(at(r)))),
                  StrCat("unexpected end of label value ", GoQuote(v)));
    }
  }

  // readingValue: the token up to a blank or the end of the line.
  const char* vs = cur;
  while (cur < end && !chars::IsBlank(*cur)) ++cur;
  if (eof_at(cur)) return fail_eof();
  std::string_view vtok(vs, cur - vs);
  if (!scan::FastDecimal(vs, cur, &value_) && !ParseGoFloat(vtok, &value_)) {
    std::string msg = StrCat("expected a float as sample value, found ", QuoteClipped(vtok));
    Entry e =
        Fail(ErrorCode::kValue, vs, msg, StrCat("expected float as value, got ", GoQuote(vtok)));
    if (error_.code == ErrorCode::kValue && !vtok.empty() && !name_quoted &&
        (vtok[0] == '.' || vtok[0] == '-' || vtok[0] == '/') && vs == name.data() + name.size()) {
      error_.message = StrCat("metric name ", QuoteClipped(name), " is followed by ",
                              QuoteClipped(vtok), "; legacy metric names allow only [a-zA-Z0-9_:]");
      error_.hint = "write such names quoted ({\"my.metric\"} 1) and validate with --names=utf8";
    } else if (error_.code == ErrorCode::kValue && vtok.empty()) {
      error_.message =
          "expected a sample value after the metric name and labels, found the end of the line";
    }
    return e;
  }
  // expfmt v0.67: a histogram's count and bucket counts may be floats, but not negative.
  if (k3 && is_histogram && value_ < 0 && (is_count || (!is_sum && !std::isnan(bucket)))) {
    return Fail(ErrorCode::kHistogramNegative, vs,
                StrCat(is_count ? "negative _count " : "negative bucket count ", QuoteClipped(vtok),
                       " in histogram ", QuoteClipped(fam_name()), "; counts are never negative"),
                StrCat(is_count ? "negative count for histogram "
                                : "negative bucket population for histogram ",
                       GoQuote(fam_name())));
  }
  has_timestamp_ = false;
  if (cur < end) {
    // startTimestamp: blanks, then a token.
    const char* ts = cur + 1;
    while (ts < end && chars::IsBlank(*ts)) ++ts;
    if (eof_at(ts)) return fail_eof();
    const char* te = ts;
    while (te < end && !chars::IsBlank(*te)) ++te;
    if (eof_at(te)) return fail_eof();
    std::string_view ttok(ts, te - ts);
    if (!ParseGoInt64(ttok, &timestamp_ms_)) {
      Entry e =
          Fail(ErrorCode::kTimestamp, ts,
               StrCat("expected an integer timestamp (milliseconds), found ", QuoteClipped(ttok)),
               StrCat("expected integer as timestamp, got ", GoQuote(ttok)));
      if (error_.code == ErrorCode::kTimestamp) {
        if (ttok.empty()) {
          error_.message = "unexpected blank at the end of the line after the sample value";
          error_.hint =
              "remove trailing blanks; a blank after the value must be followed by a timestamp";
        } else if (ttok[0] == '#') {
          error_.message =
              "found an OpenMetrics exemplar ('# {...}'), which text format 0.0.4 does not allow";
          error_.hint = "validate OpenMetrics payloads with --format=openmetrics";
        } else if (ttok.find_first_of(".eE") != std::string_view::npos) {
          error_.hint =
              "text format 0.0.4 timestamps are integer milliseconds; OpenMetrics uses float "
              "seconds";
        }
      }
      return e;
    }
    has_timestamp_ = true;
    // readTokenUntilNewline: anything left is an error, once the line has ended.
    if (!has_nl) return fail_eof();
    if (te < end) {
      // Read like the TYPE token: backslashes are dropped.
      std::string rest;
      for (const char* s = te; s < end; ++s) {
        if (*s != '\\') rest.push_back(*s);
      }
      return Fail(
          ErrorCode::kAfterTimestamp, te,
          StrCat("expected the end of the line after the timestamp, found ", QuoteClipped(rest)),
          StrCat("spurious string after timestamp: ", GoQuote(rest)));
    }
  }
  // Role in the family, as the reference parser stores the value.
  if (is_summary) {
    role_ = is_count                ? SampleRole::kCount
            : is_sum                ? SampleRole::kSum
            : !std::isnan(quantile) ? SampleRole::kQuantile
                                    : SampleRole::kIgnored;
    bound_ = quantile;
  } else if (is_histogram) {
    role_ = is_count              ? SampleRole::kCount
            : is_sum              ? SampleRole::kSum
            : !std::isnan(bucket) ? SampleRole::kBucket
                                  : SampleRole::kIgnored;
    bound_ = bucket;
  } else {
    role_ = SampleRole::kValue;
  }
  ++family_->samples;
  advance_line();
  return Entry::kSample;
}

Entry TextParser::FailEof(const char* end) {
  return Fail(ErrorCode::kUnexpectedEof, end,
              "unexpected end of input: the last line does not end with a newline",
              "unexpected end of input stream");
}

void TextParser::AdvancePast(const char* line_end) {
  pos_ = source_.window_offset() + static_cast<uint64_t>(line_end - source_.window().data()) + 1;
}

// readTokenAsLabelValue, plus the UTF-8 check that follows it. Also used for quoted names.
Entry TextParser::ScanQuoted(const char* open, const char* end, bool has_nl, const char** close,
                             QuotedKind kind) {
  const char* s = open + 1;
  const char* const limit = source_.window().data() + source_.window().size();
  unsigned high = 0;
  const bool k3 = options_.profile == PromtoolProfile::k3;
  const char* what = kind == QuotedKind::kLabelValue   ? "label value"
                     : kind == QuotedKind::kMetricName ? "quoted metric name"
                                                       : "quoted label name";
  // expfmt v0.56+ names the token it was reading; 2.42 knew only label values.
  const char* compat_what = !k3 || kind == QuotedKind::kLabelValue ? "label value"
                            : kind == QuotedKind::kMetricName      ? "metric name"
                                                                   : "label name";
  if (kind != QuotedKind::kLabelValue && !k3) what = "quoted name";
  for (;;) {
    s = scan::QuoteOrBackslash(s, end, limit, &high);
    if (s >= end) {
      if (!has_nl) return FailEof(end);
      std::string so_far(Unescape(std::string_view(open + 1, s - open - 1), &scratch_));
      return Fail(ErrorCode::kLabelNewline, s,
                  StrCat(what, " ", QuoteClipped(so_far),
                         " is not closed before the end of the line (a raw newline must "
                         "be written as \\n)"),
                  StrCat(compat_what, " ", GoQuote(so_far), " contains unescaped new-line"));
    }
    if (*s == '"') break;
    // A backslash.
    const char* bs = s++;
    if (s >= end && !has_nl) return FailEof(end);
    unsigned char c = s < end ? static_cast<unsigned char>(*s) : '\n';
    if (c == '"' || c == '\\' || c == 'n') {
      ++s;
      continue;
    }
    return Fail(ErrorCode::kEscape, bs,
                StrCat(EscapeForPeople(c), " in ", what, "; only \\\\, \\\" and \\n are allowed"),
                StrCat("invalid escape sequence '\\", chars::GoChar(c), "'"));
  }
  *close = s;
  std::string_view raw(open + 1, s - open - 1);
  if ((high & 0x80) && !chars::ValidUtf8(raw)) {
    std::string v(Unescape(raw, &scratch_));
    std::string compat = StrCat("invalid label value ", GoQuote(v));
    if (k3 && kind != QuotedKind::kLabelValue) {
      compat =
          StrCat(kind == QuotedKind::kMetricName ? "invalid metric name " : "invalid label name ",
                 GoQuote(v));
    }
    return Fail(ErrorCode::kLabelUtf8, open + 1,
                StrCat(what, " is not valid UTF-8: ", QuoteClipped(v)), std::move(compat));
  }
  if (kind != QuotedKind::kLabelValue && raw.empty()) {
    std::string compat = "invalid metric name";
    if (k3 && kind == QuotedKind::kLabelName) {
      compat = StrCat("invalid label name for metric ",
                      GoQuote(family_ != nullptr ? std::string_view(family_->name) : ""));
    }
    return Fail(ErrorCode::kQuotedName, open, "expected a non-empty quoted name, found \"\"",
                std::move(compat));
  }
  return Entry::kSample;
}

bool TextParser::CheckName(std::string_view name, bool metric, const char* at, Entry* e) {
  if (options_.names == NameScheme::kUtf8) return true;  // ScanQuoted checked UTF-8
  bool ok = !name.empty() &&
            (metric ? chars::IsMetricNameStart(name[0]) : chars::IsLabelNameStart(name[0]));
  for (size_t i = 1; ok && i < name.size(); ++i) {
    ok = metric ? chars::IsMetricNameChar(name[i]) : chars::IsLabelNameChar(name[i]);
  }
  if (ok) return true;
  const char* what = metric ? "metric name " : "label name ";
  *e = Fail(ErrorCode::kQuotedName, at,
            StrCat("quoted ", what, QuoteClipped(name), " is not a legacy name ([a-zA-Z_",
                   metric ? ":" : "", "][a-zA-Z0-9_", metric ? ":" : "",
                   "]*); UTF-8 names need --names=utf8"),
            StrCat("invalid ", what, GoQuote(name)));
  return false;
}

// startComment and what follows it: HELP, TYPE, or a plain comment.
Entry TextParser::ParseComment(const char* p, const char* end, bool has_nl) {
  auto eof_at = [&](const char* q) { return q >= end && !has_nl; };
  auto at = [&](const char* q) -> int {
    return q < end ? static_cast<unsigned char>(*q) : (has_nl ? '\n' : -1);
  };
  const char* const hash = p - 1;
  // Quoted names: every scheme in profile k3 (validated below), only utf8 in profile k2.
  const bool quoting =
      options_.profile == PromtoolProfile::k3 || options_.names == NameScheme::kUtf8;
  const bool profile3 = options_.profile == PromtoolProfile::k3;
  auto plain = [&]() {
    text_ = std::string_view(p, end - p);
    AdvancePast(end);
    return Entry::kComment;
  };
  const char* q = p;
  while (q < end && chars::IsBlank(*q)) ++q;
  if (eof_at(q)) return FailEof(end);
  if (q == end) return plain();
  const char* t = q;
  while (t < end && !chars::IsBlank(*t)) ++t;
  if (eof_at(t)) return FailEof(end);
  std::string_view keyword(q, t - q);
  if (t == end) return plain();
  const bool is_help = keyword == "HELP";
  if (!is_help && keyword != "TYPE") {
    if (!has_nl) return FailEof(end);
    return plain();
  }
  // The metric name.
  const char* n = t + 1;
  while (n < end && chars::IsBlank(*n)) ++n;
  if (eof_at(n)) return FailEof(end);
  std::string_view name;
  bool quoted = false;
  const char* after = n;
  if (n < end && chars::IsMetricNameStart(*n)) {
    after = n + 1;
    while (after < end && chars::IsMetricNameChar(*after)) ++after;
    if (eof_at(after)) return FailEof(end);
    name = std::string_view(n, after - n);
  } else if (n < end && *n == '"' && quoting) {
    const char* close;
    if (ScanQuoted(n, end, has_nl, &close, QuotedKind::kMetricName) == Entry::kError) {
      return Entry::kError;
    }
    name = std::string_view(n + 1, close - n - 1);
    quoted = true;
    after = close + 1;
    if (eof_at(after)) return FailEof(end);
  }
  if (at(after) == '\n') return plain();
  if (!chars::IsBlank(static_cast<char>(at(after)))) {
    if (name.empty() && at(n) == '"') {
      return Fail(ErrorCode::kQuotedName, n,
                  "expected a metric name, found '\"'; quoted UTF-8 names need --names=utf8",
                  "invalid metric name in comment");
    }
    return Fail(ErrorCode::kCommentName, after,
                StrCat("expected a blank after the metric name in # ", keyword, ", found ",
                       GoQuoteByte(static_cast<unsigned char>(at(after)))),
                "invalid metric name in comment");
  }
  if (profile3 && quoted) {
    Entry e;
    if (!CheckName(Unescape(name, &scratch_), true, n, &e)) return e;
  }
  bool is_sum, is_count;
  FamilyInfo* fam = Resolve(quoted ? Unescape(name, &scratch_) : name, &is_sum, &is_count);
  const char* v = after + 1;
  while (v < end && chars::IsBlank(*v)) ++v;
  if (eof_at(v)) return FailEof(end);
  if (v == end) return plain();  // "# HELP name" with nothing after: no help
  name_ = name;
  family_ = fam;
  entry_offset_ = source_.window_offset() + static_cast<uint64_t>(hash - source_.window().data());
  if (is_help) {
    if (fam->has_help) {
      return Fail(ErrorCode::kHelpDuplicate, n,
                  StrCat("second HELP line for metric ", QuoteClipped(fam->name)),
                  StrCat("second HELP line for metric name ", GoQuote(fam->name)));
    }
    // readTokenUntilNewline with escapes: \\ and \n; \" too since expfmt v0.56 (profile k3).
    for (const char* s = v; s < end; ++s) {
      if (*s != '\\') continue;
      const char* bs = s++;
      if (s >= end && !has_nl) return FailEof(end);
      unsigned char c = s < end ? static_cast<unsigned char>(*s) : '\n';
      if (c != '\\' && c != 'n' && !(profile3 && c == '"')) {
        return Fail(ErrorCode::kEscape, bs,
                    StrCat(EscapeForPeople(c), " in HELP text; only ",
                           profile3 ? "\\\\, \\\" and \\n are" : "\\\\ and \\n are", " allowed"),
                    StrCat("invalid escape sequence '\\", chars::GoChar(c), "'"));
      }
    }
    if (!has_nl) return FailEof(end);
    text_ = std::string_view(v, end - v);
    std::string_view unescaped = Unescape(text_, &scratch_);
    fam->help.assign(unescaped.data(), unescaped.size());
    fam->has_help = true;
    AdvancePast(end);
    return Entry::kHelp;
  }
  if (fam->has_type) {
    if (fam->declared_type) {
      return Fail(ErrorCode::kTypeDuplicate, n,
                  StrCat("second TYPE line for metric ", QuoteClipped(fam->name)),
                  StrCat("second TYPE line for metric name ", GoQuote(fam->name),
                         ", or TYPE reported after samples"));
    }
    return Fail(ErrorCode::kTypeDuplicate, n,
                StrCat("TYPE line for metric ", QuoteClipped(fam->name),
                       " comes after its samples; TYPE must come first"),
                StrCat("second TYPE line for metric name ", GoQuote(fam->name),
                       ", or TYPE reported after samples"));
  }
  if (!has_nl) return FailEof(end);
  std::string_view token(v, end - v);
  // The reference reads the type with escape handling off, which drops every backslash.
  if (token.find('\\') != std::string_view::npos) {
    scratch_.clear();
    for (char c : token) {
      if (c != '\\') scratch_.push_back(c);
    }
    token = scratch_;
  }
  MetricType type;
  if (!ParseType(token, &type, profile3)) {
    return Fail(ErrorCode::kTypeUnknown, v,
                StrCat("unknown metric type ", QuoteClipped(token),
                       profile3 ? "; expected counter, gauge, histogram, gaugehistogram, summary "
                                  "or untyped"
                                : "; expected counter, gauge, histogram, summary or untyped"),
                StrCat("unknown metric type ", GoQuote(token)));
  }
  fam->type = type;
  fam->has_type = true;
  fam->declared_type = true;
  text_ = std::string_view(v, end - v);
  AdvancePast(end);
  return Entry::kType;
}

}  // namespace promtool
