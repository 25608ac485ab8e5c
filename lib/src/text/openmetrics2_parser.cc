// The OpenMetrics 2.0.0-rc0 pull parser: one line at a time over the shared line reader, the
// CompositeValue grammar, and per-family series state for the rules that span lines.
#include "promtool/openmetrics2_parser.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "common/chars.h"
#include "common/hash.h"
#include "common/scan.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/label_name_set.h"
#include "text/line_reader.h"
#include "text/message_quote.h"
#include "text/openmetrics_util.h"

namespace promtool {

using text_internal::QuoteClipped;

namespace {

std::string F(double v) {
  std::string out;
  AppendFloat(v, &out);
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An OpenMetrics number: plain decimals on the exact fast path, the rest by the full parser.
inline bool Num(std::string_view tok, bool allow_special, double* out) {
  return scan::FastDecimal(tok.data(), tok.data() + tok.size(), out) ||
         ParseOmNumber(tok, allow_special, out);
}

// ABNF integer ([SIGN] 1*DIGIT) or, with !allow_minus, non-negative-integer (["+"] 1*DIGIT).
// False on syntax; *overflow when it does not fit an int64.
bool ParseInteger(std::string_view s, bool allow_minus, int64_t* out, bool* overflow) {
  *overflow = false;
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || (allow_minus && s[i] == '-'))) {
    neg = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (uint64_t{1} << 62)) *overflow = true;
    v = v * 10 + d;
  }
  if (*overflow || v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *overflow = true;
    return true;
  }
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

// The index of the native overflow bucket for `schema` (the last index that may be used).
int64_t MaxNativeIndex(int32_t schema) {
  const int64_t base = schema >= 0 ? (int64_t{1024} << schema) : (int64_t{1024} >> -schema);
  return base + 1;
}

bool NearlyEqual(double a, double b) {
  if (a == b) return true;
  if (std::floor(a) == a && std::floor(b) == b) return false;  // integers compare exactly
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

// The keys of a CompositeValue, as bits for the repetition check.
enum Key : uint32_t {
  kKeyCount = 1u << 0,
  kKeySum = 1u << 1,
  kKeyQuantile = 1u << 2,
  kKeyBucket = 1u << 3,
  kKeySchema = 1u << 4,
  kKeyZeroThreshold = 1u << 5,
  kKeyZeroCount = 1u << 6,
  kKeyNegativeSpans = 1u << 7,
  kKeyNegativeBuckets = 1u << 8,
  kKeyPositiveSpans = 1u << 9,
  kKeyPositiveBuckets = 1u << 10,
};

uint32_t KeyBit(std::string_view k, bool gauge) {
  if (k == (gauge ? "gcount" : "count")) return kKeyCount;
  if (k == (gauge ? "gsum" : "sum")) return kKeySum;
  if (k == "quantile") return kKeyQuantile;
  if (k == "bucket") return kKeyBucket;
  if (k == "schema") return kKeySchema;
  if (k == "zero_threshold") return kKeyZeroThreshold;
  if (k == "zero_count") return kKeyZeroCount;
  if (k == "negative_spans") return kKeyNegativeSpans;
  if (k == "negative_buckets") return kKeyNegativeBuckets;
  if (k == "positive_spans") return kKeyPositiveSpans;
  if (k == "positive_buckets") return kKeyPositiveBuckets;
  return 0;
}

// Whether a sample of type `t` may carry exemplars / a start timestamp (docs/formats.md).
bool AllowsExemplars(MetricType t) {
  return t == MetricType::kCounter || t == MetricType::kHistogram ||
         t == MetricType::kGaugeHistogram || t == MetricType::kUnknown;
}
bool AllowsStartTimestamp(MetricType t) {
  return t == MetricType::kCounter || t == MetricType::kHistogram || t == MetricType::kSummary ||
         t == MetricType::kUnknown;
}

}  // namespace

// A classic bucket threshold as written, and its value.
struct BucketKeyMemo {
  char text[24];
  uint8_t size = 0;  // 0: empty slot
  double key = 0;
};

// The family table, the line reader and the state of the current family's metrics.
struct OpenMetrics2Parser::Impl {
  Impl(Source& source, promtool::Error* error) : reader(source, error, 3, false) {}
  text_internal::LineReader reader;
  bool head_checked = false;
  // Families in blocks (a deque never moves them); the index's keys view their names. A
  // SwissTable: one probe of a flat array per lookup, and Abseil's hash is seeded per process,
  // so crafted names cannot be made to collide.
  std::deque<Om2Family> storage;
  absl::flat_hash_map<std::string_view, Om2Family*> names;
  Om2Family* current = nullptr;
  text_internal::LabelNameSet label_names;
  text_internal::LabelShape shape;    // the last sample's label names
  std::deque<std::string> unescaped;  // unescaped quoted label names of the current line
  std::string name_buf;               // the current entry's unescaped quoted name
  std::string label_key;              // LabelHash()'s text of an escaped or quoted label
  bool escapes = false;               // the line has a backslash in a quoted string
  // Where the parts of the current sample start, for messages.
  const char* count_at = nullptr;
  const char* sum_at = nullptr;
  const char* zero_count_at = nullptr;
  const char* negative_spans_at = nullptr;
  const char* positive_spans_at = nullptr;
  const char* start_timestamp_at = nullptr;
  std::vector<const char*> pair_at;        // each classic bucket or quantile
  std::vector<BucketKeyMemo> bucket_keys;  // the last classic buckets' thresholds, by index
  // The current family's metrics: the one being read and those finished.
  bool have_series = false;
  uint64_t series = 0;
  bool series_has_ts = false;
  double series_ts = 0;
  hash::Set done_series;
  bool have_group = false;
  uint64_t group = 0;
  hash::Set done_groups;
  // Soft mode (exemplars): Fail() records here instead of ending the parse.
  bool soft = false;
  ErrorCode soft_code = ErrorCode::kOk;
  const char* soft_at = nullptr;
  std::string soft_message;
};

OpenMetrics2Parser::OpenMetrics2Parser(Source& source, uint64_t max_name_table_bytes)
    : source_(source),
      impl_(std::make_unique<Impl>(source, &error_)),
      max_name_table_bytes_(max_name_table_bytes) {
  labels_.resize(16);
}

OpenMetrics2Parser::~OpenMetrics2Parser() = default;

Om2Exemplar OpenMetrics2Parser::Exemplar(size_t i) const {
  const ExemplarRef& r = exemplars_[i];
  Om2Exemplar e;
  e.labels = {labels_.data() + r.first, r.count};
  e.value = r.value;
  e.timestamp = r.timestamp;
  e.timestamp_text = r.timestamp_text;
  return e;
}

Entry OpenMetrics2Parser::Fail(ErrorCode code, const char* at, std::string message) {
  if (impl_->soft) {
    impl_->soft_code = code;
    impl_->soft_at = at;
    impl_->soft_message = std::move(message);
    return Entry::kError;
  }
  std::string compat = message;
  impl_->reader.Fail(code, impl_->reader.OffsetOf(at), std::move(message), std::move(compat));
  return Entry::kError;
}

Entry OpenMetrics2Parser::Stop(ErrorCode code, std::string message) {
  std::string compat = message;
  impl_->reader.Fail(code, line_offset_, std::move(message), std::move(compat));
  return Entry::kError;
}

void OpenMetrics2Parser::Note(ErrorCode code, const char* at, std::string message) {
  ++notes_total_;
  if (notes_.size() >= kMaxNotes) return;
  promtool::Error e;
  e.code = code;
  e.offset = impl_->reader.OffsetOf(at);
  const LineCol lc = source_.Locate(e.offset);
  e.line = lc.line;
  e.column = lc.column;
  e.compat_message = message;
  e.message = std::move(message);
  notes_.push_back(std::move(e));
}

Entry OpenMetrics2Parser::Next() {
  text_internal::LineReader& reader = impl_->reader;
  if (reader.done()) return reader.sticky();
  if (saw_eof_) {
    bool more;
    if (!reader.MoreInput(&more)) return reader.sticky();
    if (more) {
      reader.Fail(ErrorCode::kOm2Eof, reader.pos(),
                  "expected the end of the input after '# EOF', found more text", "");
      return Entry::kError;
    }
    return reader.Finish(Entry::kEnd);
  }
  text_internal::Line line;
  if (!reader.NextLine(&line)) return reader.sticky();
  const char* const p = line.begin;
  const char* const end = line.end;
  if (!impl_->head_checked && reader.head_taken()) {
    impl_->head_checked = true;
    const std::string_view head = reader.head();
    if (head == "\xEF\xBB\xBF") {
      Fail(ErrorCode::kOm2Utf8, p,
           "input starts with a UTF-8 byte-order mark (EF BB BF); byte order marks must not be "
           "used");
      error_.hint = "remove the first 3 bytes";
      return Entry::kError;
    }
    if (head.starts_with("\x1F\x8B")) {
      Fail(ErrorCode::kOm2Utf8, p, "input is gzip-compressed (starts with bytes 1F 8B), not UTF-8");
      error_.hint = "decompress it first (gunzip, or curl --compressed)";
      return Entry::kError;
    }
    if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
      Fail(ErrorCode::kOm2Utf8, p, "input looks like UTF-16; OpenMetrics is UTF-8");
      error_.hint = "convert it, e.g. iconv -f UTF-16 -t UTF-8";
      return Entry::kError;
    }
  }
  line_offset_ = reader.pos();
  if (p == end && !line.has_newline) {
    return Fail(ErrorCode::kOm2Eof, p,
                "expected '# EOF' as the last line, found the end of the input");
  }
  if (end > p && end[-1] == '\r') {
    Fail(ErrorCode::kOm2LineEnding, end - 1,
         "line ends with CR LF; OpenMetrics lines end with LF and contain no carriage return");
    error_.hint = "convert with dos2unix or tr -d '\\r'";
    return Entry::kError;
  }
  impl_->unescaped.clear();
  impl_->escapes = false;
  Entry e = ParseLine(p, end);
  if (e == Entry::kError) return e;
  if (e == Entry::kEof) {
    saw_eof_ = true;
    reader.Consume(end, line.has_newline);
    return e;
  }
  if (!line.has_newline) {
    return Fail(ErrorCode::kOm2Eof, end,
                "expected '# EOF' as the last line, found the end of the input");
  }
  reader.Consume(end, true);
  return e;
}

Entry OpenMetrics2Parser::ParseLine(const char* p, const char* end) {
  if (p == end) {
    return Fail(ErrorCode::kOm2Whitespace, p, "empty line; OpenMetrics has no blank lines");
  }
  if (*p == ' ' || *p == '\t') {
    return Fail(ErrorCode::kOm2Whitespace, p,
                StrCat("line starts with ", ShownAt(p, end),
                       "; lines start with a metric name, '{' or '#'"));
  }
  if (*p == '#') return ParseMetadata(p, end);
  return ParseSample(p, end);
}

namespace {
// What a std::string of `n` bytes holds beyond its object (heap text past the SSO buffer).
uint64_t HeapText(size_t n) { return n > 15 ? n + 17 : 0; }
}  // namespace

bool OpenMetrics2Parser::FitsNameTable(uint64_t bytes, const char* at, Entry* e) {
  if (max_name_table_bytes_ == 0 || name_table_bytes_ + bytes <= max_name_table_bytes_) {
    name_table_bytes_ += bytes;
    return true;
  }
  *e = Fail(ErrorCode::kLimit, at,
            StrCat("too many distinct metric names: ", family_order_.size(), " families hold ",
                   name_table_bytes_, " bytes of per-name state and the next could take it past ",
                   max_name_table_bytes_,
                   ", the most held for the names of a body (half of --body-size-limit); "
                   "raise --body-size-limit"));
  return false;
}

Om2Family* OpenMetrics2Parser::NewFamily(std::string_view name, Entry* e, const char* at) {
  if (name.starts_with('_')) {
    *e = Fail(ErrorCode::kOm2ReservedName, at,
              StrCat("metric name ", QuoteClipped(name),
                     " starts with '_'; such names are reserved and must not be used"));
    return nullptr;
  }
  // The family (a deque slot) and its name, the index's slot (a view of the name and the
  // pointer, 24 bytes, with its control byte; at most 7/8 full, so 32), the order slot.
  if (!FitsNameTable(sizeof(Om2Family) + HeapText(name.size()) + 32 + 8, at, e)) {
    return nullptr;
  }
  Om2Family* f = &impl_->storage.emplace_back();
  f->name.assign(name.data(), name.size());
  f->id = static_cast<uint32_t>(family_order_.size());
  family_order_.push_back(f);
  impl_->names.emplace(std::string_view(f->name), f);
  impl_->current = f;
  impl_->have_series = impl_->have_group = false;
  impl_->done_series.Clear();
  impl_->done_groups.Clear();
  *e = Entry::kSample;
  return f;
}

// '"' escaped-string-non-empty '"' at *pp.
Entry OpenMetrics2Parser::ParseQuoted(const char** pp, const char* end, std::string_view what,
                                      std::string_view* raw) {
  const char* const open = *pp;
  const char* p = open + 1;
  const char* const limit = source_.window().data() + source_.window().size();
  unsigned high_bits = 0;
  for (;;) {
    p = scan::QuoteOrBackslash(p, end, limit, &high_bits);
    if (p >= end || *p == '"') break;
    if (++p >= end) break;
    high_bits |= static_cast<unsigned char>(*p);
    ++p;
    impl_->escapes = true;
  }
  const ErrorCode code = what == "label name" ? ErrorCode::kOm2Label : ErrorCode::kOm2Name;
  if (p >= end) {
    return Fail(code, open,
                StrCat("the quoted ", what, " is not closed before the end of the line"));
  }
  *raw = std::string_view(open + 1, static_cast<size_t>(p - open - 1));
  if (raw->empty()) {
    return Fail(code, open, StrCat("expected a ", what, ", found an empty string"));
  }
  if ((high_bits & 0x80) != 0 && !ValidUtf8(*raw)) {
    return Fail(ErrorCode::kOm2Utf8, open + 1, StrCat("the quoted ", what, " is not valid UTF-8"));
  }
  *pp = p + 1;
  return Entry::kSample;
}

// HELP text (escaped-string): no raw '"', no lone backslash at the end, valid UTF-8.
static bool CheckEscaped(std::string_view s, size_t* bad) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (i + 1 == s.size()) {
        *bad = i;
        return false;
      }
      ++i;
    } else if (s[i] == '"') {
      *bad = i;
      return false;
    }
  }
  return true;
}

Entry OpenMetrics2Parser::ParseMetadata(const char* p, const char* end) {
  const char* q = p + 1;
  if (q == end || *q != ' ') {
    return Fail(q < end && *q == '\t' ? ErrorCode::kOm2Whitespace : ErrorCode::kOm2Comment, p,
                "expected '# TYPE', '# HELP', '# UNIT' or '# EOF'; OpenMetrics has no other "
                "lines starting with '#'");
  }
  ++q;
  const char* k = q;
  while (k < end && *k >= 'A' && *k <= 'Z') ++k;
  const std::string_view keyword(q, static_cast<size_t>(k - q));
  if (keyword == "EOF") {
    if (k != end) {
      return Fail(ErrorCode::kOm2Eof, k,
                  StrCat("expected the end of the line after '# EOF', found ", ShownAt(k, end)));
    }
    return Entry::kEof;
  }
  const bool help = keyword == "HELP", type = keyword == "TYPE", unit = keyword == "UNIT";
  if ((!help && !type && !unit) || (k < end && *k != ' ' && *k != '\t')) {
    return Fail(
        ErrorCode::kOm2Comment, p,
        StrCat("expected '# TYPE', '# HELP', '# UNIT' or '# EOF', found ",
               QuoteClipped(std::string_view(p, static_cast<size_t>(end - p)).substr(0, 40)),
               "; OpenMetrics has no comments"));
  }
  if (k == end || *k != ' ') {
    return Fail(k == end ? ErrorCode::kOm2Metadata : ErrorCode::kOm2Whitespace, k,
                StrCat("expected a space and a metric name after '# ", keyword, "', found ",
                       ShownAt(k, end)));
  }
  const char* n = k + 1;
  const char* ne = n;
  std::string_view name;
  if (ne < end && *ne == '"') {
    std::string_view raw;
    if (ParseQuoted(&ne, end, "metric name", &raw) == Entry::kError) return Entry::kError;
    const std::string_view u = Unescape(raw, &scratch_);
    impl_->name_buf.assign(u.data(), u.size());
    name = impl_->name_buf;
  } else {
    if (ne < end && chars::IsMetricNameStart(*ne)) {
      ++ne;
      while (ne < end && chars::IsMetricNameChar(*ne)) ++ne;
    }
    if (ne == n) {
      return Fail(n < end && (*n == ' ' || *n == '\t') ? ErrorCode::kOm2Whitespace
                                                       : ErrorCode::kOm2Metadata,
                  n,
                  StrCat("expected a metric name ([a-zA-Z_:][a-zA-Z0-9_:]* or a quoted string) "
                         "after '# ",
                         keyword, " ', found ", ShownAt(n, end)));
    }
    name = std::string_view(n, static_cast<size_t>(ne - n));
  }
  if (ne == end || *ne != ' ') {
    if (ne < end && *ne != '\t') {
      return Fail(
          ErrorCode::kOm2Name, ne,
          StrCat("unexpected ", ShownAt(ne, end), " after the metric name ", QuoteClipped(name),
                 "; names other than [a-zA-Z_:][a-zA-Z0-9_:]* are "
                 "written in double quotes"));
    }
    return Fail(ne == end ? ErrorCode::kOm2Metadata : ErrorCode::kOm2Whitespace, ne,
                StrCat("expected a space and ",
                       help   ? "the help text"
                       : type ? "a type"
                              : "a unit",
                       " after '# ", keyword, " ", name, "', found ", ShownAt(ne, end)));
  }
  const char* v = ne + 1;
  const std::string_view value(v, static_cast<size_t>(end - v));
  name_ = name;
  text_ = value;

  Impl& s = *impl_;
  Om2Family* fam = s.current;
  if (fam == nullptr || fam->name != name) {
    if (s.names.contains(name)) {
      return Fail(ErrorCode::kOm2FamilyOrder, n,
                  StrCat("family ", QuoteClipped(name),
                         " appeared earlier; family names are unique and a family's lines are "
                         "contiguous"));
    }
    Entry e;
    fam = NewFamily(name, &e, n);
    if (fam == nullptr) return e;
  } else if (fam->samples > 0) {
    return Fail(ErrorCode::kOm2MetadataOrder, p,
                StrCat("# ", keyword, " for family ", QuoteClipped(name),
                       " comes after its samples; metadata comes first"));
  }
  family_ = fam;
  auto dup = [&]() {
    return Fail(ErrorCode::kOm2MetadataDuplicate, p,
                StrCat("second # ", keyword, " line for family ", QuoteClipped(name),
                       "; each may appear once"));
  };
  if (help) {
    if (fam->has_help) return dup();
    size_t bad = 0;
    if (!CheckEscaped(value, &bad)) {
      return Fail(ErrorCode::kOm2Escape, v + bad,
                  value[bad] == '"' ? "found '\"' in the help text; it is written \\\""
                                    : "help text ends with a lone backslash; it is written \\\\");
    }
    if (!ValidUtf8(value)) return Fail(ErrorCode::kOm2Utf8, v, "help text is not valid UTF-8");
    const std::string_view u = Unescape(value, &scratch_);
    if (Entry e; !FitsNameTable(HeapText(u.size()), v, &e)) return e;
    fam->help.assign(u.data(), u.size());
    fam->has_help = true;
    return Entry::kHelp;
  }
  if (type) {
    if (fam->has_type) return dup();
    const std::optional<MetricType> tn = ParseOpenMetricsType(value);
    if (!tn) {
      if (!value.empty() && value.back() == ' ') {
        return Fail(ErrorCode::kOm2Whitespace, end - 1,
                    "line ends with a space; tokens are separated by exactly one space");
      }
      return Fail(ErrorCode::kOm2Type, v,
                  StrCat("unknown metric type ", QuoteClipped(value),
                         "; expected counter, gauge, histogram, gaugehistogram, summary, "
                         "stateset, info or unknown"));
    }
    if (*tn == MetricType::kInfo && !name.ends_with("_info")) {
      return Fail(ErrorCode::kOm2InfoName, n,
                  StrCat("info family ", QuoteClipped(name),
                         " does not end in \"_info\"; info family names must"));
    }
    if ((*tn == MetricType::kInfo || *tn == MetricType::kStateSet) && fam->has_unit &&
        !fam->unit.empty()) {
      return Fail(ErrorCode::kOm2Unit, v,
                  StrCat(OpenMetricsTypeName(*tn), " family ", QuoteClipped(name), " has a unit; ",
                         OpenMetricsTypeName(*tn), " families must have an empty unit"));
    }
    fam->type = *tn;
    fam->has_type = true;
    return Entry::kType;
  }
  if (fam->has_unit) return dup();
  for (const char* c = v; c < end; ++c) {
    if (!chars::IsMetricNameChar(*c)) {
      return Fail(
          *c == ' ' || *c == '\t' ? ErrorCode::kOm2Whitespace : ErrorCode::kOm2Unit, c,
          StrCat("unexpected ", ShownAt(c, end), " in the unit; units match [a-zA-Z0-9_:]*"));
    }
  }
  if (!value.empty() && fam->has_type &&
      (fam->type == MetricType::kInfo || fam->type == MetricType::kStateSet)) {
    return Fail(
        ErrorCode::kOm2Unit, v,
        StrCat(OpenMetricsTypeName(fam->type), " family ", QuoteClipped(name), " has a unit; ",
               OpenMetricsTypeName(fam->type), " families must have an empty unit"));
  }
  if (Entry e; !FitsNameTable(HeapText(value.size()), v, &e)) return e;
  fam->unit.assign(value.data(), value.size());
  fam->has_unit = true;
  return Entry::kUnit;
}

// label *("," label) "}" from *pp; an empty list ("}" at once) when allow_empty.
Entry OpenMetrics2Parser::ParseLabelList(const char** pp, const char* end, size_t first,
                                         size_t* count, bool allow_empty, uint64_t* identity) {
  const char* p = *pp;
  const char* const limit = source_.window().data() + source_.window().size();
  size_t n = 0;
  impl_->label_names.Clear();
  if (allow_empty && p < end && *p == '}') {
    *pp = p + 1;
    *count = 0;
    return Entry::kSample;
  }
  // A sample's names are first compared with the last sample's (LabelShape); exemplars' are not.
  text_internal::LabelShape* const shape = identity != nullptr ? &impl_->shape : nullptr;
  bool on_shape = shape != nullptr;
  for (;;) {
    const char* ls = p;
    std::string_view lname, key;
    bool quoted = false;
    const size_t known = on_shape ? shape->Match(n, p, static_cast<size_t>(end - p)) : 0;
    if (known != 0) {
      lname = key = std::string_view(p, known - 2);
      p += known - 1;  // at the value's opening quote
    } else {
      if (on_shape) {
        // Off the last sample's names: the names before this one join the duplicate check.
        on_shape = false;
        for (size_t i = 0; i < n; ++i) impl_->label_names.Insert(labels_[first + i].name);
      }
      if (p < end && *p == '"') {
        if (ParseQuoted(&p, end, "label name", &lname) == Entry::kError) return Entry::kError;
        quoted = true;
        key = lname;
        if (lname.find('\\') != std::string_view::npos) {
          std::string tmp;
          const std::string_view u = Unescape(lname, &tmp);
          impl_->unescaped.emplace_back(u);
          key = impl_->unescaped.back();
        }
      } else {
        if (p < end && chars::IsLabelNameStart(*p)) p = scan::NameEnd(p + 1, end, limit, false);
        if (p == ls) {
          return Fail(p < end && (*p == ' ' || *p == '\t') ? ErrorCode::kOm2Whitespace
                                                           : ErrorCode::kOm2Label,
                      p,
                      StrCat("expected a label name ([a-zA-Z_][a-zA-Z0-9_]* or a quoted string)",
                             n == 0 && allow_empty ? " or '}'" : "", ", found ", ShownAt(p, end)));
        }
        lname = key = std::string_view(ls, static_cast<size_t>(p - ls));
      }
      if (key.starts_with('_') && key != "__type__" && key != "__unit__") {
        return Fail(ErrorCode::kOm2ReservedName, ls,
                    StrCat("label name ", QuoteClipped(key),
                           " starts with '_'; such names are reserved (only __type__ and "
                           "__unit__ are specified)"));
      }
      if (p >= end || *p != '=') {
        return Fail(ErrorCode::kOm2Label, p,
                    StrCat("expected '=' after label name ", QuoteClipped(key), ", found ",
                           ShownAt(p, end)));
      }
      ++p;
    }
    if (p >= end || *p != '"') {
      return Fail(ErrorCode::kOm2Label, p,
                  StrCat("expected '\"' at the start of the value of label ", QuoteClipped(key),
                         ", found ", ShownAt(p, end)));
    }
    const char* vs = ++p;
    unsigned high_bits = 0;
    bool value_escaped = false;
    for (;;) {
      p = scan::QuoteOrBackslash(p, end, limit, &high_bits);
      if (p >= end || *p == '"') break;
      if (++p >= end) break;
      high_bits |= static_cast<unsigned char>(*p);
      ++p;
      value_escaped = true;
    }
    if (value_escaped) impl_->escapes = true;
    if (p >= end) {
      return Fail(ErrorCode::kOm2Label, vs - 1,
                  StrCat("the value of label ", QuoteClipped(key),
                         " is not closed before the end of the line"));
    }
    const std::string_view value(vs, static_cast<size_t>(p - vs));
    if ((high_bits & 0x80) != 0 && !ValidUtf8(value)) {
      return Fail(ErrorCode::kOm2Utf8, vs,
                  StrCat("the value of label ", QuoteClipped(key), " is not valid UTF-8"));
    }
    if (!on_shape && !impl_->label_names.Insert(key)) {
      return Fail(ErrorCode::kOm2LabelDuplicate, ls,
                  StrCat("duplicate label name ", QuoteClipped(key), " in one label set"));
    }
    if (first + n >= labels_.size()) labels_.resize(labels_.size() * 2);
    // Field by field: a Label built on the stack and copied whole stalled the copy's 16-byte load
    // on the two 8-byte stores before it (store forwarding fails): a fifth of this function.
    Label& slot = labels_[first + n];
    slot.name = lname;
    slot.value = value;
    slot.name_quoted = quoted;
    if (identity != nullptr) {
      // Hashed while the label's bytes are at hand; LabelHash() has the slow case.
      *identity += !quoted && !value_escaped
                       ? hash::Wide(std::string_view(ls, static_cast<size_t>(p - ls)), lname.size())
                       : LabelHash(slot);
    }
    ++n;
    ++p;
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end && *p == '}') {
      *pp = p + 1;
      *count = n;
      if (shape != nullptr && !on_shape) {
        shape->Assign(&labels_[first], n);  // a new set of names: the next is compared with it
      }
      return Entry::kSample;
    }
    return Fail(ErrorCode::kOm2Label, p,
                StrCat("expected ',' or '}' after the value of label ", QuoteClipped(key),
                       ", found ", ShownAt(p, end)));
  }
}

Entry OpenMetrics2Parser::ParseSample(const char* p, const char* end) {
  const char* const line = p;
  Impl& s = *impl_;
  const char* q = p;
  label_count_ = 0;
  label_hash_sum_ = 0;
  std::string_view name;
  if (*q == '{') {
    ++q;
    if (q >= end || *q != '"') {
      return Fail(ErrorCode::kOm2Name, q,
                  StrCat("expected the quoted metric name as the first item after '{', found ",
                         ShownAt(q, end), "; a sample starting with '{' names its metric first"));
    }
    std::string_view raw;
    if (ParseQuoted(&q, end, "metric name", &raw) == Entry::kError) return Entry::kError;
    const std::string_view u = Unescape(raw, &scratch_);
    s.name_buf.assign(u.data(), u.size());
    name = s.name_buf;
    if (q < end && *q == ',') {
      ++q;
      if (ParseLabelList(&q, end, 0, &label_count_, false, &label_hash_sum_) == Entry::kError) {
        return Entry::kError;
      }
    } else if (q < end && *q == '}') {
      ++q;
    } else {
      return Fail(
          q < end && *q == '=' ? ErrorCode::kOm2Name : ErrorCode::kOm2Label, q,
          StrCat("expected ',' or '}' after the quoted metric name, found ", ShownAt(q, end),
                 q < end && *q == '=' ? "; the first item in braces is the metric name" : ""));
    }
  } else {
    if (chars::IsMetricNameStart(*q)) {
      q = scan::NameEnd(q + 1, end, source_.window().data() + source_.window().size(), true);
    }
    if (q == p) {
      return Fail(ErrorCode::kOm2Name, p,
                  StrCat("expected a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or '{' at the start "
                         "of the line, found ",
                         ShownAt(p, end)));
    }
    name = std::string_view(p, static_cast<size_t>(q - p));
    if (q < end && *q == '{') {
      ++q;
      if (ParseLabelList(&q, end, 0, &label_count_, true, &label_hash_sum_) == Entry::kError) {
        return Entry::kError;
      }
    }
  }
  name_ = name;
  if (q >= end || *q != ' ') {
    if (q < end && *q == '\t') {
      return Fail(ErrorCode::kOm2Whitespace, q,
                  "found a tab; tokens are separated by exactly one space");
    }
    if (q >= end) {
      return Fail(ErrorCode::kOm2Value, q,
                  StrCat("expected a space and a value after ", QuoteClipped(name),
                         ", found the end of the line"));
    }
    return Fail(ErrorCode::kOm2Name, q,
                StrCat("unexpected ", ShownAt(q, end), " after metric name ", QuoteClipped(name),
                       "; names other than [a-zA-Z_:][a-zA-Z0-9_:]* are written in double "
                       "quotes inside the braces"));
  }
  // Value.
  const char* const vs = ++q;
  composite_.kind = Om2CompositeKind::kNone;
  if (q < end && *q == '{') {
    if (ParseComposite(&q, end) == Entry::kError) return Entry::kError;
  } else if (bool integer; (q = scan::ScanDecimal(vs, end, &value_, &integer)) != nullptr &&
                           (q == end || *q == ' ')) {
    // A plain decimal up to the space or the end of the line: read in place.
  } else {
    q = vs;
    while (q < end && *q != ' ') ++q;
    const std::string_view tok(vs, static_cast<size_t>(q - vs));
    if (tok.empty()) {
      return Fail(ErrorCode::kOm2Whitespace, vs,
                  StrCat("expected a value, found ", ShownAt(vs, end),
                         "; tokens are separated by exactly one space"));
    }
    if (!ParseOmNumber(tok, true, &value_)) {  // not a plain decimal: the full parser decides
      return Fail(ErrorCode::kOm2Number, vs,
                  StrCat("expected a number or a CompositeValue as sample value, found ",
                         QuoteClipped(tok)));
    }
    if (std::isinf(value_) && tok.find_first_of("0123456789") != std::string_view::npos) {
      return Fail(ErrorCode::kOm2Number, vs,
                  StrCat("number ", QuoteClipped(tok), " is outside the float64 range"));
    }
  }
  // Timestamp, start timestamp, exemplars.
  has_timestamp_ = has_start_timestamp_ = false;
  exemplars_.clear();
  while (q < end) {
    if (*q != ' ') {
      return Fail(ErrorCode::kOm2Sample, q,
                  StrCat("expected a space or the end of the line after the value, found ",
                         ShownAt(q, end)));
    }
    const char* t = q + 1;
    if (t == end) {
      return Fail(ErrorCode::kOm2Whitespace, q,
                  "line ends with a space; lines have no trailing space");
    }
    if (*t == '#') {
      if (ParseExemplars(q, end) == Entry::kError) return Entry::kError;
      break;
    }
    q = t;
    while (q < end && *q != ' ') ++q;
    std::string_view tok(t, static_cast<size_t>(q - t));
    if (tok.empty()) {
      return Fail(ErrorCode::kOm2Whitespace, t,
                  "found two spaces; tokens are separated by exactly one space");
    }
    const bool st = tok.starts_with("st@");
    if (st) {
      if (has_start_timestamp_) {
        return Fail(ErrorCode::kOm2StartTimestamp, t,
                    "second start timestamp; a sample has at most one st@");
      }
      s.start_timestamp_at = t;
      tok.remove_prefix(3);
      start_timestamp_text_ = tok;
      if (!Num(tok, false, &start_timestamp_) || std::isinf(start_timestamp_)) {
        return Fail(ErrorCode::kOm2StartTimestamp, t + 3,
                    StrCat("expected a timestamp (decimal seconds) after 'st@', found ",
                           QuoteClipped(tok)));
      }
      has_start_timestamp_ = true;
      continue;
    }
    if (has_start_timestamp_) {
      return Fail(ErrorCode::kOm2StartTimestamp, t,
                  StrCat("found ", QuoteClipped(tok),
                         " after the start timestamp; the sample timestamp comes before st@ and "
                         "exemplars come after it"));
    }
    if (has_timestamp_) {
      return Fail(ErrorCode::kOm2Sample, t,
                  StrCat("found ", QuoteClipped(tok),
                         " after the timestamp; expected st@<timestamp>, ' # ' and an exemplar, "
                         "or the end of the line"));
    }
    if (!Num(tok, false, &timestamp_) || std::isinf(timestamp_)) {
      return Fail(ErrorCode::kOm2Timestamp, t,
                  StrCat("expected a timestamp (decimal seconds) or st@<timestamp>, found ",
                         QuoteClipped(tok)));
    }
    has_timestamp_ = true;
  }

  // Family.
  Om2Family* fam = s.current;
  if (fam == nullptr || fam->name.size() != name.size() ||
      !scan::SameBytes(fam->name.data(), name.data(), name.size())) {
    if (s.names.contains(name)) {
      return Fail(ErrorCode::kOm2FamilyOrder, line,
                  StrCat("sample ", QuoteClipped(name), " belongs to family ", QuoteClipped(name),
                         ", which ended before family ",
                         QuoteClipped(fam != nullptr ? fam->name : std::string()),
                         "; a family's lines must be contiguous"));
    }
    Entry e;
    fam = NewFamily(name, &e, line);
    if (fam == nullptr) return e;
  }
  family_ = fam;
  return CheckSample(line, vs);
}

// '{' composite-value '}' at *pp; the fields in the order of the ABNF.
Entry OpenMetrics2Parser::ParseComposite(const char** pp, const char* end) {
  const char* q = *pp + 1;
  Om2Composite& c = composite_;
  c.native = c.classic = c.float_counts = false;
  c.schema = 0;
  c.zero_threshold = c.zero_count = 0;
  c.negative_spans.clear();
  c.positive_spans.clear();
  c.negative_buckets.clear();
  c.positive_buckets.clear();
  c.buckets.clear();
  c.quantiles.clear();
  const char* key_at = q;
  std::string_view key;
  auto read_key = [&]() -> bool {
    key_at = q;
    while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_')) ++q;
    key = std::string_view(key_at, static_cast<size_t>(q - key_at));
    if (key.empty() || q >= end || *q != ':') {
      Fail(q < end && (*q == ' ' || *q == '\t') ? ErrorCode::kOm2Whitespace
                                                : ErrorCode::kOm2Composite,
           q,
           StrCat("expected a field name and ':' in the CompositeValue, found ", ShownAt(q, end),
                  "; there is no whitespace inside a CompositeValue"));
      return false;
    }
    ++q;
    return true;
  };
  // A token up to one of ",]}:" (not included).
  auto token = [&]() {
    const char* t = q;
    while (q < end && *q != ',' && *q != ']' && *q != '}' && *q != ':' && *q != ' ') ++q;
    return std::string_view(t, static_cast<size_t>(q - t));
  };
  // A number up to one of ",]}: ". Plain decimals are read in place (scan::ScanDecimal); the
  // rest as a token by Num(). *integer: written as [sign] digits.
  auto number_at = [&](std::string_view what, double* out, bool* integer) -> bool {
    const char* t = q;
    if (const char* e = scan::ScanDecimal(q, end, out, integer);
        e != nullptr &&
        (e == end || *e == ',' || *e == ']' || *e == '}' || *e == ':' || *e == ' ')) {
      q = e;
      return true;
    }
    // FastDecimal() would fail on the token as ScanDecimal() did: the full parser decides.
    const std::string_view tok = token();
    if (!ParseOmNumber(tok, true, out)) {
      Fail(tok.empty() && t < end && *t == ' ' ? ErrorCode::kOm2Whitespace : ErrorCode::kOm2Number,
           t,
           StrCat("expected a number as ", what, ", found ",
                  tok.empty() ? ShownAt(t, end) : QuoteClipped(tok)));
      return false;
    }
    if (std::isinf(*out) && tok.find_first_of("0123456789") != std::string_view::npos) {
      Fail(ErrorCode::kOm2Number, t,
           StrCat("number ", QuoteClipped(tok), " is outside the float64 range"));
      return false;
    }
    *integer = tok.find_first_not_of("+-0123456789") == std::string_view::npos;
    return true;
  };
  auto number = [&](std::string_view what, double* out) -> bool {
    bool integer;
    return number_at(what, out, &integer);
  };
  // A count (count, zero_count, bucket values): as number(), and notes one not written as an
  // integer ([sign] digits), which makes the histogram a float histogram.
  auto count = [&](std::string_view what, double* out) -> bool {
    bool integer;
    if (!number_at(what, out, &integer)) return false;
    if (!integer) c.float_counts = true;
    return true;
  };
  auto expect = [&](char ch, std::string_view after, std::string_view missing = {}) -> bool {
    if (q < end && *q == ch) {
      ++q;
      return true;
    }
    Fail(q < end && *q == ' ' ? ErrorCode::kOm2Whitespace : ErrorCode::kOm2Composite, q,
         StrCat("expected '", std::string_view(&ch, 1), "' ", after, ", found ", ShownAt(q, end),
                !missing.empty() && q < end && *q == '}' ? StrCat("; ", missing, " is required")
                                                         : std::string()));
    return false;
  };
  const bool gauge = q + 1 < end && *q == 'g';
  uint32_t seen = 0;
  // The next field must be `want`; names a repeated, unknown or misplaced one otherwise.
  auto field = [&](uint32_t want, std::string_view expected) -> bool {
    if (!read_key()) return false;
    const uint32_t bit = KeyBit(key, gauge);
    if (bit == want) {
      seen |= bit;
      return true;
    }
    if (bit != 0 && (seen & bit) != 0) {
      Fail(ErrorCode::kOm2Composite, key_at,
           StrCat("field '", key, "' appears twice in the CompositeValue"));
    } else if (bit == 0) {
      Fail(ErrorCode::kOm2Composite, key_at,
           StrCat("unknown CompositeValue field '", key, "'; expected '", expected, "'"));
    } else {
      Fail(ErrorCode::kOm2Composite, key_at,
           StrCat("expected the field '", expected, "', found '", key,
                  "'; CompositeValue fields come in a fixed order"));
    }
    return false;
  };
  const std::string_view count_key = gauge ? "gcount" : "count";
  const std::string_view sum_key = gauge ? "gsum" : "sum";
  if (!field(kKeyCount, count_key)) return Entry::kError;
  impl_->count_at = q;
  if (!count(count_key, &c.count) || !expect(',', gauge ? "after gcount" : "after count")) {
    return Entry::kError;
  }
  if (!field(kKeySum, sum_key)) return Entry::kError;
  impl_->sum_at = q;
  if (!number(sum_key, &c.sum) ||
      !expect(',', gauge ? "after gsum" : "after sum",
              gauge ? "'bucket' or 'schema'" : "'quantile', 'bucket' or 'schema'"))
    return Entry::kError;
  if (!read_key()) return Entry::kError;
  const uint32_t third = KeyBit(key, gauge);
  auto pair_list = [&](std::vector<Om2Pair>* out, bool classic) -> bool {
    if (!expect('[', classic ? "to open the bucket list" : "to open the quantile list")) {
      return false;
    }
    std::vector<const char*>& at = impl_->pair_at;
    at.clear();
    if (q < end && *q == ']') {
      if (!classic) {
        ++q;
        return true;
      }
      Fail(ErrorCode::kOm2Composite, q,
           "the bucket list is empty; classic buckets end with the +Inf bucket (+Inf:<count>)");
      return false;
    }
    std::vector<BucketKeyMemo>& memo = impl_->bucket_keys;
    for (;;) {
      const char* t = q;
      at.push_back(t);
      const size_t i = out->size();
      Om2Pair pr;
      // A classic bucket threshold written as in the last bucket list, at the same index, is not
      // parsed again: a family's samples repeat their thresholds, and some (0.30000000000000004)
      // take the slow path of Num().
      if (classic && i < memo.size() && memo[i].size != 0 &&
          static_cast<size_t>(end - q) > memo[i].size &&
          scan::SameBytes(q, memo[i].text, memo[i].size) && q[memo[i].size] == ':') {
        pr.key = memo[i].key;
        q += memo[i].size;
      } else {
        const std::string_view tok = token();
        const bool inf = tok == "+Inf", ninf = tok == "-Inf";
        if (classic && (inf || ninf)) {
          pr.key = inf ? std::numeric_limits<double>::infinity()
                       : -std::numeric_limits<double>::infinity();
          if (ninf && !out->empty()) {
            Fail(ErrorCode::kOm2BucketOrder, t, "the -Inf bucket can only be the first bucket");
            return false;
          }
        } else if (!Num(tok, false, &pr.key) || std::isinf(pr.key)) {
          Fail(ErrorCode::kOm2Number, t,
               StrCat("expected ",
                      classic ? "a bucket threshold (a decimal number, +Inf or -Inf)"
                              : "a quantile (a decimal number)",
                      ", found ", tok.empty() ? ShownAt(t, end) : QuoteClipped(tok)));
          return false;
        }
        if (classic && !tok.empty() && tok.size() <= sizeof(BucketKeyMemo::text)) {
          if (i >= memo.size()) memo.resize(i + 1);
          std::memcpy(memo[i].text, tok.data(), tok.size());
          memo[i].size = static_cast<uint8_t>(tok.size());
          memo[i].key = pr.key;
        }
      }
      const std::string_view tok(t, static_cast<size_t>(q - t));
      const bool inf = classic && pr.key == std::numeric_limits<double>::infinity();
      if (!expect(':', classic ? "after the bucket threshold" : "after the quantile")) return false;
      if (!(classic ? count("bucket value", &pr.value) : number("quantile value", &pr.value))) {
        return false;
      }
      if (!out->empty() && !(pr.key > out->back().key)) {
        Fail(classic ? ErrorCode::kOm2BucketOrder : ErrorCode::kOm2Quantile, t,
             StrCat(classic ? "bucket threshold " : "quantile ", QuoteClipped(tok),
                    " is not greater than the previous one; ", classic ? "buckets" : "quantiles",
                    " are sorted in increasing order, each once"));
        return false;
      }
      out->push_back(pr);
      if (q < end && *q == ',') {
        if (classic && inf) {
          Fail(ErrorCode::kOm2BucketOrder, q + 1, "the +Inf bucket is the last bucket");
          return false;
        }
        ++q;
        continue;
      }
      if (q < end && *q == ']') {
        if (classic && !inf) {
          Fail(ErrorCode::kOm2Composite, q,
               "the bucket list ends without the +Inf bucket; classic buckets end with "
               "+Inf:<count>");
          return false;
        }
        ++q;
        return true;
      }
      return expect(']', "or ',' in the list");
    }
  };
  auto spans = [&](std::vector<Om2Span>* out) -> bool {
    (out == &c.negative_spans ? impl_->negative_spans_at : impl_->positive_spans_at) = q;
    if (!expect('[', "to open the span list")) return false;
    if (q < end && *q == ']') {
      ++q;
      return true;
    }
    for (;;) {
      const char* t = q;
      std::string_view tok = token();
      Om2Span sp;
      bool overflow = false;
      int64_t v = 0;
      if (!ParseInteger(tok, out->empty(), &v, &overflow) || overflow) {
        Fail(ErrorCode::kOm2Spans, t,
             StrCat("expected ", out->empty() ? "an integer" : "a non-negative integer",
                    " as span offset, found ", tok.empty() ? ShownAt(t, end) : QuoteClipped(tok),
                    out->empty() ? "" : "; only the first span may have a negative offset"));
        return false;
      }
      sp.offset = v;
      if (!expect(':', "after the span offset")) return false;
      t = q;
      tok = token();
      if (!ParseInteger(tok, false, &v, &overflow) || overflow) {
        Fail(ErrorCode::kOm2Spans, t,
             StrCat("expected a non-negative integer as span length, found ",
                    tok.empty() ? ShownAt(t, end) : QuoteClipped(tok)));
        return false;
      }
      sp.length = static_cast<uint64_t>(v);
      out->push_back(sp);
      if (q < end && *q == ',') {
        ++q;
        continue;
      }
      return expect(']', "or ',' in the span list");
    }
  };
  auto values = [&](std::vector<double>* out) -> bool {
    if (!expect('[', "to open the bucket list")) return false;
    if (q < end && *q == ']') {
      ++q;
      return true;
    }
    for (;;) {
      double v;
      if (!count("native bucket value", &v)) return false;
      out->push_back(v);
      if (q < end && *q == ',') {
        ++q;
        continue;
      }
      return expect(']', "or ',' in the bucket list");
    }
  };
  if (third == kKeyQuantile && !gauge) {
    seen |= kKeyQuantile;
    c.kind = Om2CompositeKind::kSummary;
    if (!pair_list(&c.quantiles, false)) return Entry::kError;
  } else if (third == kKeyBucket || third == kKeySchema) {
    c.kind = gauge ? Om2CompositeKind::kGaugeHistogram : Om2CompositeKind::kHistogram;
    bool classic_next = third == kKeyBucket;
    if (third == kKeySchema) {
      seen |= kKeySchema;
      c.native = true;
      const char* t = q;
      const std::string_view tok = token();
      int64_t v = 0;
      bool overflow = false;
      if (!ParseInteger(tok, true, &v, &overflow)) {
        Fail(ErrorCode::kOm2Schema, t,
             StrCat("expected an integer schema, found ",
                    tok.empty() ? ShownAt(t, end) : QuoteClipped(tok)));
        return Entry::kError;
      }
      if (overflow || v < -4 || v > 8) {
        Fail(ErrorCode::kOm2Schema, t,
             StrCat("schema ", QuoteClipped(tok),
                    " is outside -4..8; other schemas are reserved and must not be used"));
        return Entry::kError;
      }
      c.schema = static_cast<int32_t>(v);
      if (!expect(',', "after schema", "zero_threshold") ||
          !field(kKeyZeroThreshold, "zero_threshold")) {
        return Entry::kError;
      }
      t = q;
      const std::string_view zt = token();
      if (!Num(zt, true, &c.zero_threshold) || std::isnan(c.zero_threshold) ||
          std::isinf(c.zero_threshold) || c.zero_threshold < 0) {
        Fail(ErrorCode::kOm2ZeroThreshold, t,
             StrCat("expected a non-negative decimal number as zero_threshold, found ",
                    zt.empty() ? ShownAt(t, end) : QuoteClipped(zt)));
        return Entry::kError;
      }
      if (!expect(',', "after zero_threshold", "zero_count") ||
          !field(kKeyZeroCount, "zero_count")) {
        return Entry::kError;
      }
      impl_->zero_count_at = q;
      if (!count("zero_count", &c.zero_count)) {
        return Entry::kError;
      }
      // Optional: negative spans and buckets, positive spans and buckets, then classic buckets.
      while (q < end && *q == ',') {
        ++q;
        if (!read_key()) return Entry::kError;
        const uint32_t bit = KeyBit(key, gauge);
        const bool positive_done = (seen & kKeyPositiveSpans) != 0;
        if (bit == kKeyNegativeSpans && !(seen & (kKeyNegativeSpans | kKeyPositiveSpans))) {
          seen |= bit;
          if (!spans(&c.negative_spans) ||
              !expect(',', "after negative_spans", "negative_buckets") ||
              !field(kKeyNegativeBuckets, "negative_buckets") || !values(&c.negative_buckets)) {
            return Entry::kError;
          }
        } else if (bit == kKeyPositiveSpans && !positive_done) {
          seen |= bit;
          if (!spans(&c.positive_spans) ||
              !expect(',', "after positive_spans", "positive_buckets") ||
              !field(kKeyPositiveBuckets, "positive_buckets") || !values(&c.positive_buckets)) {
            return Entry::kError;
          }
        } else if (bit == kKeyBucket) {
          classic_next = true;
          break;
        } else {
          Fail(ErrorCode::kOm2Composite, key_at,
               bit == 0 ? StrCat("unknown CompositeValue field '", key, "'")
               : (seen & bit) != 0
                   ? StrCat("field '", key, "' appears twice in the CompositeValue")
                   : StrCat("field '", key,
                            "' is out of order; after zero_count come negative_spans, "
                            "negative_buckets, positive_spans, positive_buckets, then bucket"));
          return Entry::kError;
        }
      }
    }
    if (classic_next) {
      seen |= kKeyBucket;
      c.classic = true;
      if (!pair_list(&c.buckets, true)) return Entry::kError;
    }
  } else {
    Fail(ErrorCode::kOm2Composite, key_at,
         third == 0 ? StrCat("unknown CompositeValue field '", key, "'; expected ",
                             gauge ? "'bucket' or 'schema'" : "'quantile', 'bucket' or 'schema'")
         : (seen & third) != 0
             ? StrCat("field '", key, "' appears twice in the CompositeValue")
             : StrCat("expected ",
                      gauge ? "'bucket' or 'schema'" : "'quantile', 'bucket' or 'schema'",
                      " after ", sum_key, ", found '", key, "'"));
    return Entry::kError;
  }
  if (q < end && *q == ',') {
    ++q;
    const char* t = q;
    while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_')) ++q;
    const std::string_view k(t, static_cast<size_t>(q - t));
    const uint32_t bit = KeyBit(k, gauge);
    Fail(ErrorCode::kOm2Composite, t,
         k.empty()           ? StrCat("expected a field name after ',', found ", ShownAt(t, end))
         : bit == 0          ? StrCat("unknown CompositeValue field ", QuoteClipped(k))
         : (seen & bit) != 0 ? StrCat("field '", k, "' appears twice in the CompositeValue")
                             : StrCat("field '", k, "' is out of order in the CompositeValue"));
    return Entry::kError;
  }
  if (!expect('}', "to close the CompositeValue")) return Entry::kError;
  *pp = q;
  return Entry::kSample;
}

// One or more " # {labels} value timestamp" from the space before the first '#'. Bad exemplars
// are dropped and noted; the sample stays valid.
Entry OpenMetrics2Parser::ParseExemplars(const char* p, const char* end) {
  Impl& s = *impl_;
  exemplars_at_ = p + 1;
  size_t next = label_count_;
  const char* q = p;
  s.soft = true;
  while (q < end) {
    const char* const start = q + 1;  // the '#'
    bool ok = false;
    ExemplarRef ref;
    ref.first = next;
    do {
      if (q + 2 >= end || q[0] != ' ' || q[1] != '#' || q[2] != ' ') {
        Fail(ErrorCode::kOm2Exemplar, q, "expected ' # ' before an exemplar");
        break;
      }
      q += 3;
      if (q >= end || *q != '{') {
        Fail(ErrorCode::kOm2Exemplar, q,
             StrCat("expected '{' to start the exemplar's labels, found ", ShownAt(q, end)));
        break;
      }
      ++q;
      if (ParseLabelList(&q, end, next, &ref.count, true) == Entry::kError) break;
      if (q >= end || *q != ' ') {
        Fail(ErrorCode::kOm2Exemplar, q,
             StrCat("expected a space and a value after the exemplar's labels, found ",
                    ShownAt(q, end)));
        break;
      }
      const char* vs = ++q;
      while (q < end && *q != ' ') ++q;
      const std::string_view vtok(vs, static_cast<size_t>(q - vs));
      if (!Num(vtok, true, &ref.value)) {
        Fail(ErrorCode::kOm2Exemplar, vs,
             StrCat("expected a number as exemplar value, found ",
                    vtok.empty() ? ShownAt(vs, end) : QuoteClipped(vtok)));
        break;
      }
      if (q >= end || (q + 1 < end && q[1] == '#')) {
        // Well formed up to here: only this exemplar is dropped.
        Note(ErrorCode::kOm2ExemplarTimestamp, q,
             "exemplar without a timestamp dropped; every exemplar has a timestamp in "
             "OpenMetrics 2.0");
        ok = true;
        ref.count = SIZE_MAX;
        break;
      }
      const char* ts = ++q;
      while (q < end && *q != ' ') ++q;
      const std::string_view ttok(ts, static_cast<size_t>(q - ts));
      ref.timestamp_text = ttok;
      if (!Num(ttok, false, &ref.timestamp) || std::isinf(ref.timestamp)) {
        Fail(ErrorCode::kOm2Exemplar, ts,
             StrCat("expected a timestamp (decimal seconds) for the exemplar, found ",
                    ttok.empty() ? ShownAt(ts, end) : QuoteClipped(ttok)));
        break;
      }
      if (q + 4 < end && std::string_view(q + 1, 3) == "st@") {
        s.soft = false;
        return Fail(ErrorCode::kOm2StartTimestamp, q + 1,
                    "found st@ after an exemplar; the start timestamp comes before the exemplars");
      }
      if (q < end && (q + 1 >= end || q[1] != '#')) {
        Fail(ErrorCode::kOm2Exemplar, q + 1,
             StrCat("expected ' # ' and another exemplar or the end of the line after the "
                    "exemplar timestamp, found ",
                    ShownAt(q + 1, end)));
        break;
      }
      ok = true;
    } while (false);
    if (!ok) {
      Note(ErrorCode::kOm2Exemplar, s.soft_at,
           StrCat(s.soft_message,
                  "; the exemplar is dropped, with the rest of the line from "
                  "its '#' (",
                  static_cast<size_t>(end - start), " bytes)"));
      break;
    }
    if (ref.count != SIZE_MAX) {
      exemplars_.push_back(ref);
      next += ref.count;
    }
  }
  s.soft = false;
  return Entry::kSample;
}

// One label's part of a label set's identity: a hash of the unescaped name, '="' and the
// unescaped value, seeded with the name's length (so a quoted name holding '="' stays apart).
// Most labels are written exactly so (an unquoted name, no escape): their text is hashed in place.
uint64_t OpenMetrics2Parser::LabelHash(const Label& l) {
  if (!l.name_quoted && (!impl_->escapes || l.value.find('\\') == std::string_view::npos)) {
    return hash::Wide(std::string_view(l.name.data(), l.name.size() + 2 + l.value.size()),
                      l.name.size());
  }
  std::string& key = impl_->label_key;
  key.assign(l.name_quoted ? Unescape(l.name, &scratch_) : l.name);
  const size_t name_size = key.size();
  key += "=\"";
  key += Unescape(l.value, &scratch_);
  return hash::Wide(key, name_size);
}

// The rules of the family's type, and the metric's ordering rules.
Entry OpenMetrics2Parser::CheckSample(const char* line, const char* value_at) {
  Impl& s = *impl_;
  Om2Family& f = *family_;
  const MetricType type = f.type;
  const Om2Composite& c = composite_;
  const bool composite = c.kind != Om2CompositeKind::kNone;
  const std::string_view tn = OpenMetricsTypeName(type);
  // Number or CompositeValue.
  if (type == MetricType::kHistogram || type == MetricType::kGaugeHistogram ||
      type == MetricType::kSummary) {
    const Om2CompositeKind want = type == MetricType::kHistogram ? Om2CompositeKind::kHistogram
                                  : type == MetricType::kGaugeHistogram
                                      ? Om2CompositeKind::kGaugeHistogram
                                      : Om2CompositeKind::kSummary;
    if (!composite) {
      return Fail(ErrorCode::kOm2Value, value_at,
                  StrCat(tn, " samples have a CompositeValue ({",
                         want == Om2CompositeKind::kGaugeHistogram ? "gcount:...,gsum:..."
                                                                   : "count:...,sum:...",
                         ",...}), found a number"));
    }
    if (c.kind != want) {
      return Fail(ErrorCode::kOm2Composite, value_at + 1,
                  StrCat("the CompositeValue of a ", tn, " sample has ",
                         want == Om2CompositeKind::kSummary     ? "count, sum and quantile"
                         : want == Om2CompositeKind::kHistogram ? "count, sum and buckets"
                                                                : "gcount, gsum and buckets",
                         "; found the fields of a ",
                         c.kind == Om2CompositeKind::kSummary     ? "summary"
                         : c.kind == Om2CompositeKind::kHistogram ? "histogram"
                                                                  : "gaugehistogram"));
    }
  } else if (composite && type != MetricType::kUnknown) {
    return Fail(ErrorCode::kOm2Value, value_at,
                StrCat(tn, " samples have a Number value, found a CompositeValue"));
  }
  if (has_start_timestamp_ && !AllowsStartTimestamp(type)) {
    return Fail(ErrorCode::kOm2StartTimestamp, s.start_timestamp_at,
                StrCat(tn,
                       " samples have no start timestamp (st@ is for counter, histogram, "
                       "summary and unknown)"));
  }
  if (!composite) {
    if (type == MetricType::kCounter && (std::isnan(value_) || value_ < 0)) {
      return Fail(
          ErrorCode::kOm2CounterValue, value_at,
          StrCat("counter value ", F(value_), " is ", std::isnan(value_) ? "NaN" : "negative",
                 "; counters are non-NaN and start from 0"));
    }
    if (type == MetricType::kInfo && value_ != 1) {
      return Fail(ErrorCode::kOm2InfoValue, value_at, "info samples have the value 1");
    }
    if (type == MetricType::kStateSet) {
      if (value_ != 0 && value_ != 1) {
        return Fail(ErrorCode::kOm2StateSet, value_at,
                    "stateset samples have the value 1 (true) or 0 (false)");
      }
    }
  } else {
    const bool hist = c.kind == Om2CompositeKind::kHistogram;
    const std::string_view count = c.kind == Om2CompositeKind::kGaugeHistogram ? "gcount" : "count";
    if (c.kind == Om2CompositeKind::kSummary) {
      if (std::isnan(c.count) || c.count < 0 || std::isinf(c.count) ||
          std::floor(c.count) != c.count) {
        return Fail(ErrorCode::kOm2Count, s.count_at,
                    StrCat("summary count ", F(c.count),
                           " is not a non-negative integer; the count of a summary must be"));
      }
      if (std::isnan(c.sum) || c.sum < 0) {
        return Fail(ErrorCode::kOm2Count, s.sum_at,
                    StrCat("summary sum ", F(c.sum), " is NaN or negative; it must not be"));
      }
      for (size_t i = 0; i < c.quantiles.size(); ++i) {
        const Om2Pair& qv = c.quantiles[i];
        if (qv.key < 0 || qv.key > 1) {
          return Fail(ErrorCode::kOm2Quantile, s.pair_at[i],
                      StrCat("quantile ", F(qv.key), " is outside [0, 1]"));
        }
        if (qv.value < 0) {
          return Fail(ErrorCode::kOm2Quantile, s.pair_at[i],
                      StrCat("the value of quantile ", F(qv.key), " is negative (", F(qv.value),
                             "); quantile values must not be"));
        }
      }
      for (size_t i = 0; i < label_count_; ++i) {
        if (!labels_[i].name_quoted ? labels_[i].name == "quantile"
                                    : Unescape(labels_[i].name, &scratch_) == "quantile") {
          return Fail(ErrorCode::kOm2TypeLabel, labels_[i].name.data() - labels_[i].name_quoted,
                      "summary metric has a label named \"quantile\"; it must not");
        }
      }
    } else {
      if (hist && c.count < 0) {
        return Fail(ErrorCode::kOm2Count, s.count_at,
                    StrCat("histogram count ", F(c.count), " is negative; it must not be"));
      }
      double total = c.zero_count;
      auto check_values = [&](const std::vector<double>& v, const char* at) -> bool {
        for (double b : v) {
          if (hist && b < 0) {
            Fail(ErrorCode::kOm2BucketValue, at,
                 StrCat("native bucket value ", F(b), " is negative; histogram buckets are not"));
            return false;
          }
          total += b;
        }
        return true;
      };
      if (c.native) {
        if (hist && c.zero_count < 0) {
          return Fail(
              ErrorCode::kOm2BucketValue, s.zero_count_at,
              StrCat("zero_count ", F(c.zero_count), " is negative; histogram buckets are not"));
        }
        if (!check_values(c.negative_buckets, s.negative_spans_at) ||
            !check_values(c.positive_buckets, s.positive_spans_at)) {
          return Entry::kError;
        }
        auto check_spans = [&](const std::vector<Om2Span>& sp, const std::vector<double>& b,
                               std::string_view side, const char* at) -> bool {
          uint64_t len = 0;
          int64_t index = 0;
          bool first = true;
          for (const Om2Span& x : sp) {
            len += x.length;
            index = first ? x.offset : index + x.offset;
            if (x.length > 0) {
              index += static_cast<int64_t>(x.length) - 1;
              if (index > MaxNativeIndex(c.schema)) {
                Fail(ErrorCode::kOm2Spans, at,
                     StrCat(side, " bucket index ", index, " is beyond the overflow bucket ",
                            MaxNativeIndex(c.schema), " of schema ", c.schema));
                return false;
              }
              index += 1;
            }
            first = false;
          }
          if (len != b.size()) {
            Fail(ErrorCode::kOm2Spans, at,
                 StrCat(side, "_spans cover ", len, " buckets, ", side, "_buckets has ", b.size(),
                        "; the span lengths must add up to the number of buckets"));
            return false;
          }
          return true;
        };
        if (!check_spans(c.negative_spans, c.negative_buckets, "negative", s.negative_spans_at) ||
            !check_spans(c.positive_spans, c.positive_buckets, "positive", s.positive_spans_at)) {
          return Entry::kError;
        }
        // NaN observations are in the count and in no bucket, and make the sum NaN.
        if (!NearlyEqual(c.count, total) && !(std::isnan(c.sum) && c.count > total)) {
          return Fail(
              ErrorCode::kOm2CountMismatch, s.count_at,
              StrCat(count, " ", F(c.count), " differs from the native buckets' total ", F(total),
                     " (zero_count plus every bucket); only NaN observations (with a NaN "
                     "sum) may make the count larger"));
        }
      }
      if (c.classic) {
        for (size_t i = 0; i < label_count_; ++i) {
          if (!labels_[i].name_quoted ? labels_[i].name == "le"
                                      : Unescape(labels_[i].name, &scratch_) == "le") {
            return Fail(ErrorCode::kOm2TypeLabel, labels_[i].name.data() - labels_[i].name_quoted,
                        StrCat(OpenMetricsTypeName(
                                   type == MetricType::kUnknown ? MetricType::kHistogram : type),
                               " metric with classic buckets has a label named \"le\"; it must "
                               "not"));
          }
        }
        double prev = 0;
        for (size_t i = 0; i < c.buckets.size(); ++i) {
          const double v = c.buckets[i].value;
          if (hist && v < 0) {
            return Fail(ErrorCode::kOm2BucketValue, s.pair_at[i],
                        StrCat("bucket value ", F(v), " is negative; histogram buckets are not"));
          }
          if (hist && i > 0 && v < prev) {
            return Fail(ErrorCode::kOm2BucketCumulative, s.pair_at[i],
                        StrCat("bucket ", F(c.buckets[i].key), " has ", F(v),
                               ", less than the previous bucket's ", F(prev),
                               "; classic buckets are cumulative"));
          }
          prev = v;
        }
        if (!NearlyEqual(c.buckets.back().value, c.count) &&
            !(std::isnan(c.count) && std::isnan(c.buckets.back().value))) {
          return Fail(ErrorCode::kOm2CountMismatch, s.count_at,
                      StrCat(count, " ", F(c.count), " differs from the +Inf bucket ",
                             F(c.buckets.back().value), "; they must be equal"));
        }
      }
    }
  }
  // StateSet: a label named after the family.
  uint64_t group = 0;
  if (type == MetricType::kStateSet) {
    bool found = false;
    uint64_t sum = label_hash_sum_;  // less the state label's
    for (size_t i = 0; i < label_count_ && !found; ++i) {
      const std::string_view ln =
          labels_[i].name_quoted ? Unescape(labels_[i].name, &scratch_) : labels_[i].name;
      if (ln == f.name) {
        found = true;
        sum -= LabelHash(labels_[i]);
      }
    }
    if (!found) {
      return Fail(ErrorCode::kOm2StateSet, line,
                  StrCat("stateset sample has no label named ", QuoteClipped(f.name),
                         "; each state's metric has a label named after the family"));
    }
    group = hash::Mix(sum + (label_count_ - 1) * 0x9e3779b97f4a7c15ULL);
  }
  // Metrics are contiguous; a metric's samples have increasing timestamps. A label set's identity
  // is the sum of its labels' hashes (ParseLabelList): the order of the labels does not matter.
  const uint64_t series = hash::Mix(label_hash_sum_ + label_count_ * 0x9e3779b97f4a7c15ULL);
  if (s.have_series && series == s.series) {
    if (!has_timestamp_ || !s.series_has_ts) {
      return Fail(ErrorCode::kOm2TimestampOrder, line,
                  "second sample of the same metric without timestamps on both; a metric's "
                  "samples have increasing timestamps");
    }
    if (timestamp_ < s.series_ts) {
      return Fail(ErrorCode::kOm2TimestampOrder, line,
                  StrCat("timestamp ", F(timestamp_), " is before the metric's previous one ",
                         F(s.series_ts), "; a metric's samples have increasing timestamps"));
    }
  } else {
    if (s.done_series.Contains(series)) {
      return Fail(ErrorCode::kOm2SeriesOrder, line,
                  "this metric (label set) appeared earlier in the family, before another one; "
                  "metrics must not be interleaved");
    }
    if (s.have_series) s.done_series.Insert(s.series);
    if (type == MetricType::kStateSet) {
      if (s.have_group && group != s.group) {
        if (s.done_groups.Contains(group)) {
          return Fail(ErrorCode::kOm2SeriesOrder, line,
                      "this stateset MetricGroup appeared earlier, before another one; "
                      "MetricGroups must not be interleaved");
        }
        s.done_groups.Insert(s.group);
      }
      s.group = group;
      s.have_group = true;
    }
    s.have_series = true;
    s.series = series;
  }
  s.series_has_ts = has_timestamp_;
  s.series_ts = timestamp_;
  ++f.samples;
  if (!exemplars_.empty() && !AllowsExemplars(type)) {
    Note(ErrorCode::kOm2ExemplarPlacement, exemplars_at_,
         StrCat(exemplars_.size(), exemplars_.size() == 1 ? " exemplar" : " exemplars",
                " dropped: ", tn,
                " samples have no exemplars (only counter, histogram, gaugehistogram and "
                "unknown)"));
    exemplars_.clear();
  }
  return Entry::kSample;
}

}  // namespace promtool
