// The Prometheus text format 0.0.4 pull parser: a line-at-a-time port of the state machine of
// prometheus/common's strict text parser, so that acceptance and the reported line match.
#include "promtool/text_parser.h"

#include <cmath>
#include <cstring>

#include "common/chars.h"
#include "common/grouping.h"
#include "common/scan.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/label_name_set.h"
#include "text/line_reader.h"
#include "text/message_quote.h"
#include "text/name_table.h"

namespace promtool {

using text_internal::ClipText;
using text_internal::QuoteClipped;

struct TextParser::Impl {
  // The first 4 bytes of the input (or the whole input, if shorter) must be in the window before
  // the first line is parsed: an error there is classified from them (UTF-16, BOM, gzip), and a
  // stream must classify it as the in-memory source does.
  Impl(Source& source, promtool::Error* error) : reader(source, error, 4, /*wait_for_head=*/true) {}
  text_internal::LineReader reader;
  // The families: names (and help texts) in the arena, records by id, ids by name.
  text_internal::NameArena arena;
  text_internal::RecordStore<FamilyRecord> records;
  text_internal::NameIndex index;
  std::vector<std::string_view> helps;
  // The label names of the current sample line, for the duplicate check.
  text_internal::LabelNameSet label_names;
  // The last sample's label names, when they were all distinct and unquoted.
  text_internal::LabelShape shape;
};

namespace {

constexpr std::string_view kTypeNames[] = {"COUNTER", "GAUGE",     "SUMMARY",
                                           "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"};

using grouping::IsBucket;
using grouping::IsCount;
using grouping::IsSum;

// Go's strings.ToUpper is Unicode-aware: besides ASCII, U+0131 (dotless i) becomes 'I' and
// U+017F (long s) becomes 'S', so "hıstogram" names a histogram for promtool.
// `gaugehistogram` (OpenMetrics' spelling) is a type since expfmt v0.67 (`gaugehistogram`).
bool ParseTypeName(std::string_view token, MetricType* out, bool gaugehistogram) {
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
    : source_(source), options_(options), impl_(std::make_unique<Impl>(source, &error_)) {
  labels_.resize(16);
}

void TextParser::Pin(uint64_t offset) { impl_->reader.Pin(offset); }

TextParser::~TextParser() = default;

[[gnu::noinline]] uint32_t TextParser::Find(std::string_view name) const {
  const Impl& m = *impl_;
  return m.index.Find(name, text_internal::NameIndex::Hash(name),
                      [&m](uint32_t id) { return m.records[id].Name(); });
}

// A new chunk of names (64 KiB) and of records (4096 records), counted ahead.
constexpr uint64_t kNameTableStep = (64 << 10) + 4096 * 32;

[[gnu::noinline]] uint32_t TextParser::Create(std::string_view name) {
  Impl& m = *impl_;
  if (options_.max_name_table_bytes > 0) {
    // What this name may add: its bytes, a new chunk of names and of records, and the index's
    // growth (the old and the new slots are held together while it grows).
    const uint64_t after = name_table_bytes() - m.index.bytes() + m.index.bytes_after_insert() +
                           name.size() + kNameTableStep;
    if (after > options_.max_name_table_bytes) return text_internal::NameIndex::kNone;
  }
  const uint32_t id = m.records.Add();
  std::string_view stored = m.arena.Store(name);
  FamilyRecord& r = m.records[id];
  r.name = stored.data();
  r.name_len = static_cast<uint32_t>(stored.size());
  r.id = id;
  m.index.Insert(text_internal::NameIndex::Hash(name), id);
  return id;
}

void TextParser::SetFamily(uint32_t id) { family_ = &impl_->records[id]; }

uint32_t TextParser::family_count() const { return impl_->records.size(); }

FamilyInfo TextParser::FamilyAt(uint32_t id) const {
  const FamilyRecord& r = impl_->records[id];
  FamilyInfo f;
  f.name = r.Name();
  if (r.help != 0) f.help = impl_->helps[r.help - 1];
  f.type = r.type;
  f.has_type = r.has_type;
  f.has_help = r.help != 0;
  f.declared_type = r.declared_type;
  f.id = id;
  f.samples = r.samples;
  return f;
}

const FamilyInfo& TextParser::Family() const {
  snapshot_ = FamilyAt(family_->id);
  return snapshot_;
}

uint64_t TextParser::name_table_bytes() const {
  const Impl& m = *impl_;
  return m.arena.bytes() + m.records.bytes() + m.index.bytes() +
         m.helps.capacity() * sizeof(std::string_view);
}

FamilyList::Ref FamilyList::operator[](size_t i) const {
  return Ref{parser_->FamilyAt(static_cast<uint32_t>(i))};
}

FamilyList::Ref FamilyList::Iterator::operator*() const { return Ref{parser_->FamilyAt(i_)}; }

// setOrCreateCurrentMF: the exact name first, then the summary base (for _sum/_count), then
// the histogram base (for _sum/_count/_bucket), else a new family named like the sample.
[[gnu::noinline]] uint32_t TextParser::Resolve(std::string_view name, bool* is_sum,
                                               bool* is_count) {
  *is_sum = *is_count = false;
  constexpr uint32_t kNone = text_internal::NameIndex::kNone;
  if (uint32_t id = Find(name); id != kNone) return id;
  if (IsCount(name) || IsSum(name)) {
    std::string_view base = name.substr(0, name.size() - (IsCount(name) ? 6 : 4));
    if (uint32_t id = Find(base); id != kNone) {
      const FamilyRecord& r = impl_->records[id];
      if (r.has_type && r.type == MetricType::kSummary) {
        *is_count = IsCount(name);
        *is_sum = IsSum(name);
        return id;
      }
    }
  }
  if (const std::string_view base = grouping::Base(name); !base.empty()) {
    if (uint32_t id = Find(base); id != kNone) {
      const FamilyRecord& r = impl_->records[id];
      const MetricType t = r.type;
      // Gauge histograms group like histograms since expfmt v0.67 (profile k3).
      if (r.has_type &&
          (t == MetricType::kHistogram ||
           (t == MetricType::kGaugeHistogram && options_.profile == PromtoolProfile::k3))) {
        *is_count = IsCount(name);
        *is_sum = IsSum(name);
        return id;
      }
    }
  }
  return Create(name);
}

Entry TextParser::Stop(ErrorCode code, std::string message) {
  std::string compat = message;
  impl_->reader.Fail(code, line_offset_, std::move(message), std::move(compat));
  return Entry::kError;
}

Entry TextParser::FailNameTable(const char* at) {
  const uint32_t n = impl_->records.size();
  return Fail(
      ErrorCode::kLimit, at,
      StrCat("too many distinct metric names: ", n, " family names hold ", name_table_bytes(),
             " bytes of per-name state and the next could take it past ",
             options_.max_name_table_bytes,
             ", the most held for the names of a body (half of --body-size-limit); raise "
             "--body-size-limit"),
      StrCat("too many distinct metric names (", n, "; raise --body-size-limit)"));
}

Entry TextParser::Fail(ErrorCode code, const char* at, std::string message, std::string compat) {
  impl_->reader.Fail(code, impl_->reader.OffsetOf(at), std::move(message), std::move(compat));
  ClassifyMistake(at);
  return Entry::kError;
}

// Names the real-world mistakes behind generic errors: encodings, compression, line endings.
void TextParser::ClassifyMistake(const char* at) {
  std::string_view w = source_.window();
  uint64_t rel = error_.offset - source_.window_offset();
  const std::string& head = impl_->reader.head();
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
  text_internal::LineReader& reader = impl_->reader;
  while (!reader.done()) {
    text_internal::Line line;
    if (!reader.NextLine(&line)) break;
    line_offset_ = reader.pos();
    Entry e = ParseLine(line.begin, line.end, line.has_newline);
    // kEnd before the end means "nothing to report on this line" (blank line).
    if (e != Entry::kEnd || reader.done()) return e;
  }
  return reader.sticky();
}

// The state functions below are always inlined into ParseLine (declared inline in the header):
// one function for the compiler, as the state machine was, so the line's state stays in
// registers; out of line (a -fPIC build calls them through the PLT) a line costs a fifth more.

// The sample line being parsed: where it ends, the reference parser's current byte, and what the
// states before the current one found.
struct TextParser::SampleLine {
  const char* end;            // the line feed when has_nl, else the end of the input
  bool has_nl;                // reading at `end` is the end-of-input condition when false
  const char* limit;          // the end of the window: vector loads may read up to here
  const char* cur = nullptr;  // the reference parser's "current byte"
  bool k3;
  // Quoted names: profile k3 reads them in every name scheme (the scheme then decides which
  // names are valid), profile k2 only with --names=utf8 (promtool 2.42 has none).
  bool quoting = false;
  std::string_view name;
  bool name_quoted = false;
  bool name_in_braces = false;  // k2 --names=utf8: {"name", labels...}
  bool name_pending = false;    // k3 line starting with '{': the name is the item without '='
  bool is_sum = false, is_count = false;
  bool is_summary = false, is_histogram = false;
  double quantile = NAN, bucket = NAN;
  // Every label name so far equals the last sample's at its index (Impl::shape): they are
  // valid and distinct, so none has joined the duplicate check yet.
  bool on_shape = false;

  // le on a histogram, quantile on a summary: exempt from the duplicate check, as in promtool.
  [[gnu::always_inline]] bool Special(std::string_view label) const {
    return (is_summary && label == "quantile") || (is_histogram && label == "le");
  }

  [[gnu::always_inline]] bool EofAt(const char* q) const { return q >= end && !has_nl; }
  // The byte at q, '\n' at the end of a line, -1 at the end of the input.
  [[gnu::always_inline]] int At(const char* q) const {
    return q < end ? static_cast<unsigned char>(*q) : (has_nl ? '\n' : -1);
  }
  // The first non-blank at or after q.
  [[gnu::always_inline]] const char* SkipBlanks(const char* q) const {
    while (q < end && chars::IsBlank(*q)) ++q;
    return q;
  }
};

// startOfLine: blank lines, the end of the input, comments, else a sample. `end` points at the
// line feed when has_nl, else at the end of the input: reading there is the end-of-input
// condition of the reference parser.
Entry TextParser::ParseLine(const char* p, const char* end, bool has_nl) {
  const char* q = p;
  while (q < end && chars::IsBlank(*q)) ++q;
  if (q == end) {
    if (!has_nl) return impl_->reader.Finish(Entry::kEnd);  // only blanks: a clean end
    impl_->reader.Consume(end, true);
    return Entry::kEnd;  // blank line, skipped by Next()
  }
  entry_offset_ = impl_->reader.OffsetOf(q);
  if (*q == '#') return ParseComment(q + 1, end, has_nl);
  const bool k3 = options_.profile == PromtoolProfile::k3;
  SampleLine s;
  s.end = end;
  s.has_nl = has_nl;
  s.limit = impl_->reader.window_end();
  s.k3 = k3;
  s.quoting = k3 || options_.names == NameScheme::kUtf8;
  return ParseSample(q, s);
}

// The current sample's label names become the ones the next sample is compared with, when they
// are unquoted and distinct (a histogram's le or a summary's quantile may repeat: such a set is
// not remembered).
void TextParser::RememberLabelNames() {
  size_t le = 0, quantile = 0;
  for (size_t i = 0; i < label_count_; ++i) {
    le += labels_[i].name == "le";
    quantile += labels_[i].name == "quantile";
  }
  if (le > 1 || quantile > 1) {
    impl_->shape.Clear();
    return;
  }
  impl_->shape.Assign(labels_.data(), label_count_);
}

// A sample line from its first non-blank `q`: name, labels, value, timestamp.
[[gnu::always_inline]] Entry TextParser::ParseSample(const char* q, SampleLine& s) {
  if (Entry e = ReadMetricName(q, s); e == Entry::kError) return e;
  name_ = s.name;
  family_ = nullptr;
  if (!s.name_pending && !ResolveFamily(s)) return FailNameTable(q);
  label_count_ = 0;
  impl_->label_names.Clear();
  s.on_shape = !s.name_in_braces && !s.name_pending;
  if (!s.name_in_braces && !s.name_pending) {
    if (s.cur < s.end && chars::IsBlank(*s.cur)) {
      s.cur = s.SkipBlanks(s.cur);
      if (s.EofAt(s.cur)) return FailEof(s.end);
    }
  }
  if (s.name_in_braces || s.name_pending || s.At(s.cur) == '{') {
    if (Entry e = ReadLabels(s); e == Entry::kError) return e;
    if (!s.on_shape) RememberLabelNames();
  }
  if (Entry e = ReadValue(s); e == Entry::kError) return e;
  has_timestamp_ = false;
  if (s.cur < s.end) {
    if (Entry e = ReadTimestamp(s); e == Entry::kError) return e;
  }
  SetRole(s);
  ++family_->samples;
  impl_->reader.Consume(s.end, true);
  return Entry::kSample;
}

// The metric name at the start of the line: legacy, quoted (k3), the '{' of a k3 line whose
// name is among the labels, or k2 --names=utf8's {"name", ...}.
[[gnu::always_inline]] Entry TextParser::ReadMetricName(const char* q, SampleLine& s) {
  const char* const end = s.end;
  if (chars::IsMetricNameStart(*q)) {
    // Most lines repeat the previous line's name: one comparison instead of a scan.
    const NameCacheEntry& mru = name_cache_[mru_];
    const size_t n = mru.name.size();
    if (mru.family != nullptr && !mru.quoted && static_cast<size_t>(end - q) > n &&
        std::memcmp(q, mru.name.data(), n) == 0 && !chars::IsMetricNameChar(q[n])) {
      s.cur = q + n;
    } else {
      s.cur = scan::NameEnd(q + 1, end, s.limit, /*colon=*/true);
    }
    if (s.EofAt(s.cur)) return FailEof(end);
    s.name = std::string_view(q, s.cur - q);
    return Entry::kSample;
  }
  if (*q == '"' && s.k3) {
    // expfmt v0.56+: a quoted name may also start the line: "my.metric"{a="b"} 1.
    const char* close;
    Entry e = ScanQuoted(q, end, s.has_nl, &close, QuotedKind::kMetricName);
    if (e == Entry::kError) return e;
    s.name = std::string_view(q + 1, close - q - 1);
    s.name_quoted = true;
    s.cur = close + 1;
    if (s.EofAt(s.cur)) return FailEof(end);
    if (!CheckName(Unescape(s.name, &scratch_), true, q, &e)) return e;
    return Entry::kSample;
  }
  if (*q == '{' && s.k3) {
    s.name_pending = true;
    s.cur = q;
    return Entry::kSample;
  }
  if (*q == '{' && options_.names == NameScheme::kUtf8) {
    // {"name", labels...}: the name is the first quoted item not followed by '='.
    const char* r = s.SkipBlanks(q + 1);
    if (s.At(r) != '"') {
      if (s.EofAt(r)) return FailEof(end);
      return Fail(ErrorCode::kQuotedName, r,
                  StrCat("expected a quoted metric name after '{', found ",
                         GoQuoteByte(static_cast<unsigned char>(s.At(r)))),
                  "invalid metric name");
    }
    const char* close;
    Entry e = ScanQuoted(r, end, s.has_nl, &close, QuotedKind::kMetricName);
    if (e == Entry::kError) return e;
    s.name = std::string_view(r + 1, close - r - 1);
    s.name_quoted = true;
    s.name_in_braces = true;
    s.cur = close + 1;  // after the closing quote; labels continue like after '{'
    return Entry::kSample;
  }
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

// Family resolution, cached for the last few names (a histogram's _bucket, _sum and _count
// alternate). A name's resolution never changes once made, so the cache needs no invalidation.
[[gnu::always_inline]] bool TextParser::ResolveFamily(SampleLine& s) {
  family_ = nullptr;
  for (unsigned k = 0; k < kNameCacheSize; ++k) {
    unsigned i = (mru_ + k) % kNameCacheSize;
    const NameCacheEntry& c = name_cache_[i];
    if (c.family != nullptr && c.quoted == s.name_quoted && s.name == c.name) {
      family_ = c.family;
      s.is_sum = c.is_sum;
      s.is_count = c.is_count;
      mru_ = i;
      break;
    }
  }
  if (family_ == nullptr) {
    std::string_view lookup = s.name;
    if (s.name_quoted) lookup = Unescape(s.name, &scratch_);
    const uint32_t id = Resolve(lookup, &s.is_sum, &s.is_count);
    if (id == text_internal::NameIndex::kNone) return false;
    SetFamily(id);
    mru_ = name_cache_next_;
    name_cache_next_ = (name_cache_next_ + 1) % kNameCacheSize;
    NameCacheEntry& c = name_cache_[mru_];
    c.name.assign(s.name.data(), s.name.size());
    c.family = family_;
    c.quoted = s.name_quoted;
    c.is_sum = s.is_sum;
    c.is_count = s.is_count;
  }
  if (!family_->has_type) {
    family_->has_type = true;
    family_->type = MetricType::kUntyped;
  }
  s.is_summary = family_->type == MetricType::kSummary;
  // Since expfmt v0.67 a gauge histogram is read like a histogram (le, _bucket, _count, _sum).
  s.is_histogram = family_->type == MetricType::kHistogram ||
                   (s.k3 && family_->type == MetricType::kGaugeHistogram);
  return true;
}

// The family's name for messages; empty while a k3 '{' line has not named it yet (expfmt names
// no family there either on the first line).
std::string_view TextParser::FamilyNameForMessages() const {
  return family_ != nullptr ? family_->Name() : std::string_view();
}

// The label set, from s.cur at '{' (or after k2's quoted name in the braces) to past '}' and
// the blanks after it.
[[gnu::always_inline]] Entry TextParser::ReadLabels(SampleLine& s) {
  if (s.name_in_braces) {  // next is ',' or '}' after the quoted name
    const char* r = s.SkipBlanks(s.cur);
    if (s.EofAt(r)) return FailEof(s.end);
    if (s.At(r) != '}' && s.At(r) != ',') {
      return Fail(ErrorCode::kLabelEnd, r,
                  StrCat("expected ',' or '}' after the quoted metric name, found ",
                         GoQuoteByte(static_cast<unsigned char>(s.At(r)))),
                  "invalid metric name");
    }
    s.cur = r;
    if (s.At(r) == '}') return CloseLabels(s, r);
  }
  for (;;) {
    // startLabelName: s.cur is at '{' or ','.
    const char* r = s.SkipBlanks(s.cur + 1);
    if (s.EofAt(r)) return FailEof(s.end);
    if (s.At(r) == '}') return CloseLabels(s, r);
    bool done = false;
    if (Entry e = ReadLabel(s, r, &done); e == Entry::kError || done) return e;
  }
}

// The '}' at `r` ends the label set; s.cur moves past the blanks after it.
[[gnu::always_inline]] Entry TextParser::CloseLabels(SampleLine& s, const char* r) {
  if (family_ == nullptr) {
    return Fail(ErrorCode::kMetricName, r,
                "expected a metric name in the braces (a quoted name not followed by '='), found "
                "'}'",
                "invalid metric name");
  }
  r = s.SkipBlanks(r + 1);
  if (s.EofAt(r)) return FailEof(s.end);
  s.cur = r;
  return Entry::kSample;
}

// One item of the label set starting at `r`: a label (name, '=', value) or, on a k3 '{' line,
// the metric name. Leaves s.cur at the ',' before the next item, or sets *done after '}'.
[[gnu::always_inline]] Entry TextParser::ReadLabel(SampleLine& s, const char* r, bool* done) {
  const char* const end = s.end;
  if (s.on_shape) {
    if (const size_t known = impl_->shape.Match(label_count_, r, static_cast<size_t>(end - r));
        known != 0) {
      s.cur = r + known - 2;  // at the '='
      return ReadLabelPair(s, r, std::string_view(r, known - 2), false, done);
    }
    // Off the last sample's names: the names before this one join the duplicate check.
    s.on_shape = false;
    for (size_t i = 0; i < label_count_; ++i) {
      if (!s.Special(labels_[i].name)) impl_->label_names.Insert(labels_[i].name);
    }
  }
  std::string_view lname;
  bool lname_quoted = false;
  if (r < end && chars::IsLabelNameStart(*r)) {
    const char* q = scan::NameEnd(r + 1, end, s.limit, /*colon=*/false);
    if (s.EofAt(q)) return FailEof(end);
    lname = std::string_view(r, q - r);
    s.cur = q;
  } else if (r < end && *r == '"' && s.quoting) {
    const char* close;
    Entry e = ScanQuoted(r, end, s.has_nl, &close, QuotedKind::kLabelName);
    if (e == Entry::kError) return e;
    lname = std::string_view(r + 1, close - r - 1);
    lname_quoted = true;
    s.cur = close + 1;
    if (s.EofAt(s.cur)) return FailEof(end);
  } else {
    std::string compat = StrCat("invalid label name for metric ", GoQuote(FamilyNameForMessages()));
    if (r < end && *r == '"') {
      return Fail(ErrorCode::kQuotedName, r,
                  "expected a label name, found '\"'; quoted UTF-8 label names need "
                  "--names=utf8",
                  compat);
    }
    return Fail(ErrorCode::kLabelName, r,
                StrCat("expected a label name ([a-zA-Z_]) or '}', found ",
                       GoQuoteByte(static_cast<unsigned char>(s.At(r)))),
                compat);
  }
  if (s.name_pending) {
    // expfmt v0.56+: an item of a '{' line not followed by '=' is the metric name.
    const char* q = s.SkipBlanks(s.cur);
    if (s.EofAt(q)) return FailEof(end);
    if (s.At(q) != '=') return ReadNameItem(s, r, q, lname, lname_quoted, done);
  }
  return ReadLabelPair(s, r, lname, lname_quoted, done);
}

// A k3 '{' line's item `lname` at `r` not followed by '=' (`q` is the byte after it): the metric
// name, once.
[[gnu::always_inline]] Entry TextParser::ReadNameItem(SampleLine& s, const char* r, const char* q,
                                                      std::string_view lname, bool lname_quoted,
                                                      bool* done) {
  if (family_ != nullptr) {
    return Fail(ErrorCode::kMetricName, r,
                StrCat("a second metric name ", QuoteClipped(Unescape(lname, &scratch_)),
                       " in the braces of metric ", QuoteClipped(FamilyNameForMessages())),
                StrCat("multiple metric names for metric ", GoQuote(FamilyNameForMessages())));
  }
  if (s.At(q) != ',' && s.At(q) != '}') {
    return Fail(
        ErrorCode::kLabelEnd, q,
        StrCat("expected '=', ',' or '}' after ", QuoteClipped(Unescape(lname, &scratch_)),
               " in the braces, found ", GoQuoteByte(static_cast<unsigned char>(s.At(q)))),
        StrCat("unexpected end of metric name ", GoQuoteByte(static_cast<unsigned char>(s.At(q)))));
  }
  s.name = lname;
  s.name_quoted = lname_quoted;
  name_ = s.name;
  Entry e;
  if (!CheckName(s.name_quoted ? Unescape(s.name, &scratch_) : s.name, true, r, &e)) return e;
  if (!ResolveFamily(s)) return FailNameTable(r);
  s.cur = q;
  if (s.At(q) == '}') {
    q = s.SkipBlanks(q + 1);
    if (s.EofAt(q)) return FailEof(s.end);
    s.cur = q;
    *done = true;
  }
  return Entry::kSample;
}

// A label named `lname` (at `r`, s.cur after it): limits, '=', duplicates, then startLabelValue
// and what follows the value: ',' (s.cur there) or '}' (*done).
[[gnu::always_inline]] Entry TextParser::ReadLabelPair(SampleLine& s, const char* r,
                                                       std::string_view lname, bool lname_quoted,
                                                       bool* done) {
  const char* const end = s.end;
  if (lname == "__name__") {
    return Fail(ErrorCode::kLabelReserved, r,
                "label name \"__name__\" is reserved; the metric name goes before '{'",
                "label name \"__name__\" is reserved");
  }
  if (s.k3 && lname_quoted) {
    Entry e;
    if (!CheckName(Unescape(lname, &scratch_), false, r, &e)) return e;
  }
  const bool special = s.Special(lname);
  if (options_.max_label_name_bytes && lname.size() > options_.max_label_name_bytes) {
    return Fail(ErrorCode::kLimit, r,
                StrCat("label name is ", lname.size(), " bytes long, over the limit of ",
                       options_.max_label_name_bytes),
                "label name length limit exceeded");
  }
  size_t my_index = label_count_;
  if (label_count_ == labels_.size()) labels_.resize(labels_.size() * 2);
  Label& slot = labels_[label_count_++];  // field by field, as in the OpenMetrics 2.0 parser
  slot.name = lname;
  slot.value = {};
  slot.name_quoted = lname_quoted;
  if (options_.max_labels_per_sample && label_count_ > options_.max_labels_per_sample) {
    return Fail(ErrorCode::kLimit, r,
                StrCat("sample has more than ", options_.max_labels_per_sample, " labels"),
                "label limit exceeded");
  }
  if (s.cur < end && chars::IsBlank(*s.cur)) {
    s.cur = s.SkipBlanks(s.cur);
    if (s.EofAt(s.cur)) return FailEof(end);
  }
  if (s.At(s.cur) != '=') {
    return Fail(ErrorCode::kLabelEquals, s.cur,
                StrCat("expected '=' after label name ", QuoteClipped(lname), ", found ",
                       GoQuoteByte(static_cast<unsigned char>(s.At(s.cur)))),
                StrCat("expected '=' after label name, found ",
                       GoQuoteByte(static_cast<unsigned char>(s.At(s.cur)))));
  }
  // Duplicate names, ignoring le (histogram) and quantile (summary) as promtool does.
  // A special name never equals a non-special one, so only non-special names are kept.
  if (!special && !s.on_shape && !impl_->label_names.Insert(lname)) {
    return Fail(ErrorCode::kLabelDuplicate, r,
                StrCat("duplicate label name ", QuoteClipped(lname), " for metric ",
                       QuoteClipped(FamilyNameForMessages())),
                StrCat("duplicate label names for metric ", GoQuote(FamilyNameForMessages())));
  }
  // startLabelValue
  r = s.SkipBlanks(s.cur + 1);
  if (s.EofAt(r)) return FailEof(end);
  if (s.At(r) != '"') {
    return Fail(ErrorCode::kLabelQuote, r,
                StrCat("expected '\"' at start of the value of label ", QuoteClipped(lname),
                       ", found ", GoQuoteByte(static_cast<unsigned char>(s.At(r)))),
                StrCat("expected '\"' at start of label value, found ",
                       GoQuoteByte(static_cast<unsigned char>(s.At(r)))));
  }
  // The common value (no backslash, ASCII) inline; anything else, and every error, in
  // ScanLabelValue.
  unsigned high = 0;
  const char* close = scan::QuoteOrBackslash(r + 1, end, s.limit, &high);
  if (close >= end || *close != '"' || (high & 0x80) != 0) {
    if (Entry e = ScanLabelValue(r, end, s.has_nl, &close); e == Entry::kError) return e;
  }
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
      const char* what = s.is_summary ? "quantile" : "le";
      return Fail(s.is_summary ? ErrorCode::kQuantileValue : ErrorCode::kBucketValue, r + 1,
                  StrCat("expected a float as the value of the '", what, "' label, found ",
                         QuoteClipped(v)),
                  StrCat("expected float as value for '", what, "' label, got ", GoQuote(v)));
    }
    (s.is_summary ? s.quantile : s.bucket) = d;
  }
  r = s.SkipBlanks(close + 1);
  if (s.EofAt(r)) return FailEof(end);
  if (s.At(r) == ',') {
    s.cur = r;
    return Entry::kSample;
  }
  if (s.At(r) == '}') {
    *done = true;
    return CloseLabels(s, r);
  }
  std::string v(Unescape(raw, &scratch_));
  return Fail(ErrorCode::kLabelEnd, r,
              StrCat("expected ',' or '}' after the value of label ", QuoteClipped(lname),
                     ", found ", GoQuoteByte(static_cast<unsigned char>(s.At(r)))),
              StrCat("unexpected end of label value ", GoQuote(v)));
}

// readingValue: the token up to a blank or the end of the line.
[[gnu::always_inline]] Entry TextParser::ReadValue(SampleLine& s) {
  const char* vs = s.cur;
  while (s.cur < s.end && !chars::IsBlank(*s.cur)) ++s.cur;
  if (s.EofAt(s.cur)) return FailEof(s.end);
  std::string_view vtok(vs, s.cur - vs);
  if (!scan::FastDecimal(vs, s.cur, &value_) && !ParseGoFloat(vtok, &value_)) {
    std::string msg = StrCat("expected a float as sample value, found ", QuoteClipped(vtok));
    Entry e =
        Fail(ErrorCode::kValue, vs, msg, StrCat("expected float as value, got ", GoQuote(vtok)));
    if (error_.code == ErrorCode::kValue && !vtok.empty() && !s.name_quoted &&
        (vtok[0] == '.' || vtok[0] == '-' || vtok[0] == '/') &&
        vs == s.name.data() + s.name.size()) {
      error_.message = StrCat("metric name ", QuoteClipped(s.name), " is followed by ",
                              QuoteClipped(vtok), "; legacy metric names allow only [a-zA-Z0-9_:]");
      error_.hint = "write such names quoted ({\"my.metric\"} 1) and validate with --names=utf8";
    } else if (error_.code == ErrorCode::kValue && vtok.empty()) {
      error_.message =
          "expected a sample value after the metric name and labels, found the end of the line";
    } else if (error_.code == ErrorCode::kValue &&
               (vtok.starts_with("{count:") || vtok.starts_with("{gcount:"))) {
      error_.hint =
          "this value is an OpenMetrics 2.0 CompositeValue; read the input with "
          "--format=openmetrics2";
    }
    return e;
  }
  // expfmt v0.67: a histogram's count and bucket counts may be floats, but not negative.
  if (s.k3 && s.is_histogram && value_ < 0 &&
      (s.is_count || (!s.is_sum && !std::isnan(s.bucket)))) {
    return Fail(ErrorCode::kHistogramNegative, vs,
                StrCat(s.is_count ? "negative _count " : "negative bucket count ",
                       QuoteClipped(vtok), " in histogram ", QuoteClipped(FamilyNameForMessages()),
                       "; counts are never negative"),
                StrCat(s.is_count ? "negative count for histogram "
                                  : "negative bucket population for histogram ",
                       GoQuote(FamilyNameForMessages())));
  }
  return Entry::kSample;
}

// startTimestamp: blanks, then a token; then readTokenUntilNewline: nothing may follow.
[[gnu::always_inline]] Entry TextParser::ReadTimestamp(SampleLine& s) {
  const char* const end = s.end;
  const char* ts = s.SkipBlanks(s.cur + 1);
  if (s.EofAt(ts)) return FailEof(end);
  const char* te = ts;
  while (te < end && !chars::IsBlank(*te)) ++te;
  if (s.EofAt(te)) return FailEof(end);
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
  if (!s.has_nl) return FailEof(end);
  if (te < end) {
    // Read like the TYPE token: backslashes are dropped.
    std::string rest;
    for (const char* c = te; c < end; ++c) {
      if (*c != '\\') rest.push_back(*c);
    }
    return Fail(
        ErrorCode::kAfterTimestamp, te,
        StrCat("expected the end of the line after the timestamp, found ", QuoteClipped(rest)),
        StrCat("spurious string after timestamp: ", GoQuote(rest)));
  }
  return Entry::kSample;
}

// The sample's role in its family, as the reference parser stores the value.
[[gnu::always_inline]] void TextParser::SetRole(const SampleLine& s) {
  if (s.is_summary) {
    role_ = s.is_count                ? SampleRole::kCount
            : s.is_sum                ? SampleRole::kSum
            : !std::isnan(s.quantile) ? SampleRole::kQuantile
                                      : SampleRole::kIgnored;
    bound_ = s.quantile;
  } else if (s.is_histogram) {
    role_ = s.is_count              ? SampleRole::kCount
            : s.is_sum              ? SampleRole::kSum
            : !std::isnan(s.bucket) ? SampleRole::kBucket
                                    : SampleRole::kIgnored;
    bound_ = s.bucket;
  } else {
    role_ = SampleRole::kValue;
  }
}

Entry TextParser::FailEof(const char* end) {
  return Fail(ErrorCode::kUnexpectedEof, end,
              "unexpected end of input: the last line does not end with a newline",
              "unexpected end of input stream");
}

void TextParser::AdvancePast(const char* line_end) { impl_->reader.Consume(line_end, true); }

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
                      GoQuote(family_ != nullptr ? family_->Name() : ""));
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
  const uint32_t fam = Resolve(quoted ? Unescape(name, &scratch_) : name, &is_sum, &is_count);
  if (fam == text_internal::NameIndex::kNone) return FailNameTable(n);
  const char* v = after + 1;
  while (v < end && chars::IsBlank(*v)) ++v;
  if (eof_at(v)) return FailEof(end);
  if (v == end) return plain();  // "# HELP name" with nothing after: no help
  name_ = name;
  SetFamily(fam);
  entry_offset_ = impl_->reader.OffsetOf(hash);
  return is_help ? ParseHelp(n, v, end, has_nl) : ParseType(n, v, end, has_nl);
}

// The text of "# HELP name text" from `v` (the name at `n`): escapes checked, then unescaped.
Entry TextParser::ParseHelp(const char* n, const char* v, const char* end, bool has_nl) {
  FamilyRecord* fam = family_;
  const bool profile3 = options_.profile == PromtoolProfile::k3;
  if (fam->help != 0) {
    return Fail(ErrorCode::kHelpDuplicate, n,
                StrCat("second HELP line for metric ", QuoteClipped(fam->Name())),
                StrCat("second HELP line for metric name ", GoQuote(fam->Name())));
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
  impl_->helps.push_back(impl_->arena.Store(unescaped));
  fam->help = static_cast<uint32_t>(impl_->helps.size());
  AdvancePast(end);
  return Entry::kHelp;
}

// The type of "# TYPE name type" from `v` (the name at `n`): once per family, before samples.
Entry TextParser::ParseType(const char* n, const char* v, const char* end, bool has_nl) {
  FamilyRecord* fam = family_;
  const bool profile3 = options_.profile == PromtoolProfile::k3;
  if (fam->has_type) {
    if (fam->declared_type) {
      return Fail(ErrorCode::kTypeDuplicate, n,
                  StrCat("second TYPE line for metric ", QuoteClipped(fam->Name())),
                  StrCat("second TYPE line for metric name ", GoQuote(fam->Name()),
                         ", or TYPE reported after samples"));
    }
    return Fail(ErrorCode::kTypeDuplicate, n,
                StrCat("TYPE line for metric ", QuoteClipped(fam->Name()),
                       " comes after its samples; TYPE must come first"),
                StrCat("second TYPE line for metric name ", GoQuote(fam->Name()),
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
  if (!ParseTypeName(token, &type, profile3)) {
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
