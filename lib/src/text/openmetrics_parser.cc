// The OpenMetrics 1.0 pull parser: strict line-at-a-time syntax plus compact per-family and
// per-series state for the rules that span lines (ordering, histograms, timestamps).
#include "promtool/openmetrics_parser.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "common/chars.h"
#include "common/hash.h"
#include "common/scan.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/label_name_set.h"
#include "text/message_quote.h"
#include "text/openmetrics_util.h"

namespace promtool {

using text_internal::ClipText;
using text_internal::QuoteClipped;

namespace {

struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// Sample-name suffixes a family of each type owns, besides (for some) the bare name.
struct TypeInfo {
  std::string_view name;
  MetricType type;
  std::string_view suffixes[4];
  bool bare;  // samples may carry the family name itself
};
constexpr TypeInfo kTypes[] = {
    {"counter", MetricType::kCounter, {"_total", "_created"}, false},
    {"gauge", MetricType::kGauge, {}, true},
    {"histogram", MetricType::kHistogram, {"_bucket", "_count", "_sum", "_created"}, false},
    {"gaugehistogram", MetricType::kGaugeHistogram, {"_bucket", "_gcount", "_gsum"}, false},
    {"summary", MetricType::kSummary, {"_count", "_sum", "_created"}, true},
    {"stateset", MetricType::kStateSet, {}, true},
    {"info", MetricType::kInfo, {"_info"}, false},
    {"unknown", MetricType::kUnknown, {}, true},
};

const TypeInfo& InfoOf(MetricType t) {
  for (const TypeInfo& i : kTypes) {
    if (i.type == t) return i;
  }
  return kTypes[7];
}

OmRole RoleOf(MetricType t, std::string_view suffix) {
  if (suffix.empty()) return OmRole::kValue;
  if (suffix == "_total") return OmRole::kTotal;
  if (suffix == "_created") return OmRole::kCreated;
  if (suffix == "_bucket") return OmRole::kBucket;
  if (suffix == "_count") return OmRole::kCount;
  if (suffix == "_sum") return OmRole::kSum;
  if (suffix == "_gcount") return OmRole::kGCount;
  if (suffix == "_gsum") return OmRole::kGSum;
  (void)t;
  return OmRole::kInfo;
}

// A printable rendering of a byte for messages.
std::string Shown(const char* p, const char* end) {
  if (p >= end) return "the end of the line";
  unsigned char c = static_cast<unsigned char>(*p);
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  if (c == '\r') return "a carriage return";
  return GoQuoteByte(c);
}

// A set of 64-bit series hashes with open addressing; it only grows, so clearing it keeps
// its memory (no allocation per sample).
class HashSet {
 public:
  void Clear() {
    if (size_ != 0) std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
  }
  bool Contains(uint64_t h) const {
    if (slots_.empty()) return false;
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) return false;
      if (slots_[i] == h) return true;
    }
  }
  void Insert(uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return;
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t h : old) {
      if (h != 0) Insert(h);
    }
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// Appends "{a=\"1\",b=\"2\"}" (nothing for an empty set) to *out, reusing its capacity.
void AppendLabels(std::span<const Label> labels, std::string_view skip, std::string* out) {
  bool first = true;
  for (const Label& l : labels) {
    if (l.name == skip) continue;
    out->push_back(first ? '{' : ',');
    first = false;
    StrAppend(out, l.name, "=\"", l.value, "\"");
  }
  if (!first) out->push_back('}');
}

}  // namespace

std::string_view OpenMetricsTypeName(MetricType type) { return InfoOf(type).name; }

// Per-family and per-series state for the checks that span lines.
struct OpenMetricsParser::Impl {
  // Every name a family owns (its name and its sample names) -> the family. Node-based, so
  // OmFamily addresses stay stable.
  std::unordered_map<std::string, OmFamily*, NameHash, std::equal_to<>> names;
  // The last few sample names and their families (a histogram's _bucket, _count, _sum, ...),
  // checked with a string compare before the hash lookup. Entries of `names` are never removed,
  // so the cached pointers stay valid.
  static constexpr unsigned kNameCache = 4;
  std::string cache_name[kNameCache];
  OmFamily* cache_family[kNameCache] = {};
  unsigned cache_next = 0;
  std::vector<std::unique_ptr<OmFamily>> storage;
  OmFamily* current = nullptr;  // the family whose lines are being read
  HashSet series_seen;          // series of the current family
  // The current series.
  bool in_series = false;
  uint64_t series_hash = 0;
  std::string series_text;  // name and labels, for messages (reused)
  // Absolute offset up to which the current line is known to have no '\n' (see Next()).
  uint64_t no_newline_before = 0;
  bool uses_timestamps = false;
  double last_timestamp = -kInf;
  // The current MetricPoint of the current series.
  uint32_t roles_seen = 0;
  bool point_has_ts = false;
  double point_ts = 0;
  double last_le = -kInf;
  double last_bucket = 0;
  std::string last_le_text;
  bool has_buckets = false, has_inf = false, has_negative_le = false;
  double inf_value = 0;
  bool has_count = false, has_sum = false;
  double count_value = 0, sum_value = 0;
  std::vector<double> quantiles;
  std::string head;
  bool head_taken = false;
  // A series that ended incomplete (no +Inf bucket, _sum without _count): reported when its
  // family ends, unless the series turns out to continue later (interleaved series).
  bool pending = false;
  ErrorCode pending_code = ErrorCode::kOk;
  uint64_t pending_offset = 0;
  LineCol pending_position;  // located when deferred: a stream's window may move on
  std::string pending_message;
  // The label names of the label set being parsed, for the duplicate check.
  text_internal::LabelNameSet label_names;
};

OpenMetricsParser::OpenMetricsParser(Source& source)
    : source_(source), impl_(std::make_unique<Impl>()) {
  labels_.resize(16);
  pos_ = source_.window_offset();
}

OpenMetricsParser::~OpenMetricsParser() = default;

OmExemplar OpenMetricsParser::Exemplar() const {
  OmExemplar e;
  e.labels = {labels_.data() + exemplar_first_, exemplar_count_};
  e.value = exemplar_value_;
  e.has_timestamp = has_exemplar_timestamp_;
  e.timestamp = exemplar_timestamp_;
  return e;
}

Entry OpenMetricsParser::FailAt(ErrorCode code, uint64_t offset, std::string message) {
  error_.code = code;
  error_.offset = offset;
  error_.message = std::move(message);
  error_.compat_message = error_.message;
  error_.hint.clear();
  LineCol lc = source_.Locate(offset);
  error_.line = lc.line;
  error_.column = lc.column;
  done_ = true;
  sticky_ = Entry::kError;
  return Entry::kError;
}

Entry OpenMetricsParser::Fail(ErrorCode code, const char* at, std::string message) {
  uint64_t off = source_.window_offset() + static_cast<uint64_t>(at - source_.window().data());
  return FailAt(code, off, std::move(message));
}

Entry OpenMetricsParser::Next() {
  if (done_) return sticky_;
  for (;;) {
    std::string_view w = source_.window();
    const char* base = w.data();
    const char* end = base + w.size();
    const char* p = base + (pos_ - source_.window_offset());
    if (saw_eof_) {
      if (p < end) {
        return Fail(ErrorCode::kOmEof, p,
                    "expected the end of the input after '# EOF', found more text");
      }
      if (!source_.at_eof()) {
        if (!source_.Refill(pos_) && !source_.error().empty()) {
          return FailAt(source_.error_code(), pos_, source_.error());
        }
        continue;
      }
      done_ = true;
      sticky_ = Entry::kEnd;
      return Entry::kEnd;
    }
    const char* nl =
        scan::NextNewline(base, w.size(), source_.window_offset(), pos_, &impl_->no_newline_before);
    if (nl == nullptr && !source_.at_eof()) {
      if (!source_.Refill(pos_) && !source_.error().empty()) {
        return FailAt(source_.error_code(), pos_, source_.error());
      }
      continue;
    }
    if (!impl_->head_taken && source_.window_offset() == 0) {
      impl_->head.assign(w.substr(0, 3));
      impl_->head_taken = true;
      if (impl_->head == "\xEF\xBB\xBF") {
        Entry e = Fail(ErrorCode::kByteOrderMark, base,
                       "input starts with a UTF-8 byte-order mark (EF BB BF)");
        error_.hint = "OpenMetrics is UTF-8 without a byte-order mark; remove the first 3 bytes";
        return e;
      }
      std::string_view head = impl_->head;
      if (head.starts_with("\x1F\x8B")) {
        Entry e =
            Fail(ErrorCode::kGzip, base, "input is gzip-compressed (starts with bytes 1F 8B)");
        error_.hint = "decompress it first (gunzip, or curl --compressed)";
        return e;
      }
      if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
        Entry e = Fail(ErrorCode::kUtf16, base, "input looks like UTF-16, not UTF-8");
        error_.hint = "convert it, e.g. iconv -f UTF-16 -t UTF-8";
        return e;
      }
    }
    line_offset_ = pos_;
    if (p == end && nl == nullptr) {
      return Fail(ErrorCode::kOmEof, p,
                  "expected '# EOF' as the last line, found the end of the input");
    }
    const char* line_end = nl ? nl : end;
    if (line_end > p && line_end[-1] == '\r') {
      Entry e = Fail(ErrorCode::kCrlf, line_end - 1,
                     "line ends with CR LF (Windows line ending); OpenMetrics lines end with LF");
      error_.hint = "convert with dos2unix or tr -d '\\r'";
      return e;
    }
    Entry e = ParseLine(p, line_end);
    if (e == Entry::kError) return e;
    if (e == Entry::kEof) {
      saw_eof_ = true;
      pos_ = source_.window_offset() + static_cast<uint64_t>(line_end - source_.window().data()) +
             (nl ? 1 : 0);
      return e;
    }
    if (nl == nullptr) {
      return Fail(ErrorCode::kOmEof, line_end,
                  "expected '# EOF' as the last line, found the end of the input");
    }
    pos_ = source_.window_offset() + static_cast<uint64_t>(nl - source_.window().data()) + 1;
    return e;
  }
}

Entry OpenMetricsParser::ParseLine(const char* p, const char* end) {
  if (p == end)
    return Fail(ErrorCode::kOmWhitespace, p, "empty line; OpenMetrics has no blank lines");
  if (*p == ' ' || *p == '\t') {
    return Fail(
        ErrorCode::kOmWhitespace, p,
        StrCat("line starts with ", Shown(p, end), "; lines start with a metric name or '#'"));
  }
  if (*p == '#') return ParseMetadata(p, end);
  return ParseSample(p, end);
}

// Starts a new family named `name`: ends the current one and claims the name.
OmFamily* OpenMetricsParser::NewFamily(std::string_view name, const char* at, Entry* e) {
  *e = FinishFamily(at);
  if (*e == Entry::kError) return nullptr;
  auto fam = std::make_unique<OmFamily>();
  fam->name.assign(name.data(), name.size());
  fam->id = static_cast<uint32_t>(family_order_.size());
  OmFamily* f = fam.get();
  impl_->storage.push_back(std::move(fam));
  family_order_.push_back(f);
  impl_->names.emplace(f->name, f);
  impl_->current = f;
  impl_->series_seen.Clear();
  impl_->in_series = false;
  return f;
}

// Claims `name` for `owner`; false when another family owns it.
bool OpenMetricsParser::Reserve(std::string_view name, OmFamily* owner) {
  auto it = impl_->names.find(name);
  if (it != impl_->names.end()) return it->second == owner;
  impl_->names.emplace(std::string(name), owner);
  return true;
}

Entry OpenMetricsParser::FinishFamily(const char* at) {
  Entry e = FinishSeries(at);
  impl_->current = nullptr;
  if (e != Entry::kError && impl_->pending) {
    impl_->pending = false;
    FailAt(impl_->pending_code, impl_->pending_offset, std::move(impl_->pending_message));
    error_.line = impl_->pending_position.line;
    error_.column = impl_->pending_position.column;
    return Entry::kError;
  }
  impl_->pending = false;
  return e;
}

// Checks the current MetricPoint of a (gauge)histogram once it is complete.
Entry OpenMetricsParser::FinishSeries(const char* at, bool defer) {
  Impl& s = *impl_;
  if (!s.in_series || s.current == nullptr) return Entry::kSample;
  s.in_series = false;
  MetricType t = s.current->type;
  const bool hist = t == MetricType::kHistogram || t == MetricType::kGaugeHistogram;
  auto fail_or_defer = [&](ErrorCode code, std::string message) {
    if (defer && !s.pending) {
      s.pending = true;
      s.pending_code = code;
      s.pending_offset =
          source_.window_offset() + static_cast<uint64_t>(at - source_.window().data());
      s.pending_position = source_.Locate(s.pending_offset);
      s.pending_message = std::move(message);
      return Entry::kSample;
    }
    return Fail(code, at, std::move(message));
  };
  if (hist && (s.has_buckets || s.has_count || s.has_sum) && !s.has_inf) {
    return fail_or_defer(ErrorCode::kOmBucketInf,
                         StrCat(OpenMetricsTypeName(t), " ", s.series_text,
                                " has no bucket with le=\"+Inf\"; every histogram needs one"));
  }
  if (hist && s.has_count != s.has_sum) {
    std::string_view c = t == MetricType::kHistogram ? "_count" : "_gcount";
    std::string_view m = t == MetricType::kHistogram ? "_sum" : "_gsum";
    return fail_or_defer(
        ErrorCode::kOmSumCount,
        StrCat(OpenMetricsTypeName(t), " ", s.series_text, " has ", s.has_sum ? m : c, " but no ",
               s.has_sum ? c : m, "; they must come together"));
  }
  if (t == MetricType::kGaugeHistogram && s.has_sum && s.sum_value < 0 && !s.has_negative_le) {
    return Fail(ErrorCode::kOmSumNegative, at,
                StrCat("gaugehistogram ", s.series_text,
                       " has a negative _gsum but no negative bucket; _gsum may only be negative "
                       "when some le is negative"));
  }
  return Entry::kSample;
}

// "# HELP", "# TYPE", "# UNIT", "# EOF".
Entry OpenMetricsParser::ParseMetadata(const char* p, const char* end) {
  const char* q = p + 1;
  if (q == end || *q != ' ') {
    if (q < end && *q == '\t') {
      return Fail(ErrorCode::kOmWhitespace, q,
                  "found a tab after '#'; tokens are separated by exactly one space");
    }
    return Fail(ErrorCode::kOmComment, p,
                "expected '# HELP', '# TYPE', '# UNIT' or '# EOF'; OpenMetrics has no other "
                "comments");
  }
  ++q;
  const char* k = q;
  while (k < end && *k >= 'A' && *k <= 'Z') ++k;
  std::string_view keyword(q, static_cast<size_t>(k - q));
  if (keyword == "EOF" && k == end) {
    Entry e = FinishFamily(p);
    if (e == Entry::kError) return e;
    return Entry::kEof;
  }
  const bool help = keyword == "HELP", type = keyword == "TYPE", unit = keyword == "UNIT";
  if ((!help && !type && !unit) || (k < end && *k != ' ' && *k != '\t')) {
    if (keyword == "EOF") {
      return Fail(ErrorCode::kOmEof, k,
                  StrCat("expected the end of the line after '# EOF', found ", Shown(k, end)));
    }
    return Fail(
        ErrorCode::kOmComment, p,
        StrCat("expected '# HELP', '# TYPE', '# UNIT' or '# EOF', found ",
               QuoteClipped(std::string_view(p, static_cast<size_t>(end - p)).substr(0, 40)),
               "; OpenMetrics has no other comments"));
  }
  if (k == end) {
    return Fail(ErrorCode::kOmMetadata, k,
                StrCat("expected a space and a metric name after '# ", keyword,
                       "', found the end of the line"));
  }
  if (*k == '\t') {
    return Fail(ErrorCode::kOmWhitespace, k,
                "found a tab; tokens are separated by exactly one space");
  }
  const char* n = k + 1;
  const char* ne = n;
  if (ne < end && chars::IsMetricNameStart(*ne)) {
    ++ne;
    while (ne < end && chars::IsMetricNameChar(*ne)) ++ne;
  }
  if (ne == n) {
    if (n < end && *n == '"') {
      Entry e = Fail(ErrorCode::kQuotedName, n,
                     StrCat("expected a metric name after '# ", keyword,
                            "', found '\"'; OpenMetrics 1.0 has no quoted names"));
      error_.hint = "quoted UTF-8 names are a Prometheus text 1.0.0 / OpenMetrics 2.0 feature";
      return e;
    }
    if (n < end && (*n == ' ' || *n == '\t')) {
      return Fail(ErrorCode::kOmWhitespace, n,
                  StrCat("found ", Shown(n, end), " after '# ", keyword,
                         "'; tokens are separated by exactly one space"));
    }
    return Fail(ErrorCode::kOmMetadata, n,
                StrCat("expected a metric name after '# ", keyword, " ', found ", Shown(n, end)));
  }
  std::string_view name(n, static_cast<size_t>(ne - n));
  if (ne == end) {
    return Fail(ErrorCode::kOmMetadata, ne,
                StrCat("expected a space and ",
                       help   ? "the help text"
                       : type ? "a type"
                              : "a unit",
                       " after '# ", keyword, " ", name, "', found the end of the line"));
  }
  if (*ne != ' ') {
    if (*ne == '\t') {
      return Fail(ErrorCode::kOmWhitespace, ne,
                  "found a tab; tokens are separated by exactly one space");
    }
    return Fail(ErrorCode::kMetricName, ne,
                StrCat("expected a space after the metric name ", QuoteClipped(name), ", found ",
                       Shown(ne, end), "; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"));
  }
  const char* v = ne + 1;
  std::string_view value(v, static_cast<size_t>(end - v));
  name_ = name;
  text_ = value;

  // Which family.
  Impl& s = *impl_;
  OmFamily* fam;
  auto it = s.names.find(name);
  if (it == s.names.end()) {
    Entry e;
    fam = NewFamily(name, p, &e);
    if (fam == nullptr) return e;
  } else {
    fam = it->second;
    if (fam->name != name) {
      return Fail(ErrorCode::kOmNameClash, n,
                  StrCat("metadata for ", QuoteClipped(name), ", which is a sample name of the ",
                         OpenMetricsTypeName(fam->type), " family ", QuoteClipped(fam->name),
                         "; family names must not clash"));
    }
    if (fam != s.current) {
      return Fail(ErrorCode::kOmFamilyOrder, n,
                  StrCat("family ", QuoteClipped(name),
                         " was already declared earlier; a family's "
                         "lines must be contiguous and appear once"));
    }
    if (fam->samples > 0) {
      return Fail(ErrorCode::kOmMetadataOrder, p,
                  StrCat("# ", keyword, " for family ", QuoteClipped(name),
                         " comes after its samples; metadata must come first"));
    }
  }
  family_ = fam;
  auto dup = [&]() {
    return Fail(ErrorCode::kOmMetadataDuplicate, p,
                StrCat("second # ", keyword, " line for family ", QuoteClipped(name),
                       "; each may appear once"));
  };
  if (help) {
    if (fam->has_help) return dup();
    if (!chars::ValidUtf8(value)) {
      return Fail(ErrorCode::kLabelUtf8, v, "help text is not valid UTF-8");
    }
    std::string_view u = Unescape(value, &scratch_);
    fam->help.assign(u.data(), u.size());
    fam->has_help = true;
    return Entry::kHelp;
  }
  if (type) {
    if (fam->has_type) return dup();
    const TypeInfo* ti = nullptr;
    for (const TypeInfo& i : kTypes) {
      if (i.name == value) ti = &i;
    }
    if (ti == nullptr) {
      if (!value.empty() && value.back() == ' ') {
        return Fail(ErrorCode::kOmWhitespace, end - 1,
                    "line ends with a space; tokens are separated by exactly one space");
      }
      return Fail(ErrorCode::kTypeUnknown, v,
                  StrCat("unknown metric type ", QuoteClipped(value),
                         "; expected counter, gauge, histogram, gaugehistogram, summary, "
                         "stateset, info or unknown"));
    }
    fam->type = ti->type;
    fam->has_type = true;
    for (std::string_view suffix : ti->suffixes) {
      if (suffix.empty()) continue;
      std::string sample = StrCat(name, suffix);
      if (!Reserve(sample, fam)) {
        OmFamily* other = s.names.find(sample)->second;
        return Fail(
            ErrorCode::kOmNameClash, n,
            StrCat(ti->name, " ", QuoteClipped(name), " has samples named ", QuoteClipped(sample),
                   ", which clashes with the family ", QuoteClipped(other->name)));
      }
    }
    if (fam->has_unit && !fam->unit.empty() &&
        (ti->type == MetricType::kInfo || ti->type == MetricType::kStateSet)) {
      return Fail(ErrorCode::kOmUnit, v,
                  StrCat(ti->name, " family ", QuoteClipped(name), " has a UNIT; ", ti->name,
                         " metrics have no unit"));
    }
    return Entry::kType;
  }
  // UNIT.
  if (fam->has_unit) return dup();
  for (const char* c = v; c < end; ++c) {
    if (!chars::IsMetricNameChar(*c)) {
      if (*c == ' ' || *c == '\t') {
        return Fail(ErrorCode::kOmWhitespace, c,
                    StrCat("found ", Shown(c, end),
                           " in the unit; tokens are separated by "
                           "exactly one space and lines have no trailing space"));
      }
      return Fail(ErrorCode::kOmUnit, c,
                  StrCat("unexpected ", Shown(c, end), " in unit; units match [a-zA-Z0-9_:]*"));
    }
  }
  if (!value.empty()) {
    bool suffix = name.size() > value.size() + 1 &&
                  name.substr(name.size() - value.size()) == value &&
                  name[name.size() - value.size() - 1] == '_';
    if (!suffix) {
      return Fail(ErrorCode::kOmUnit, v,
                  StrCat("unit ", QuoteClipped(value), " is not a suffix of the family name ",
                         QuoteClipped(name), "; the name must end in \"_", value, "\""));
    }
    if (fam->has_type && (fam->type == MetricType::kInfo || fam->type == MetricType::kStateSet)) {
      return Fail(ErrorCode::kOmUnit, p,
                  StrCat(OpenMetricsTypeName(fam->type), " family ", QuoteClipped(name),
                         " has a UNIT; ", OpenMetricsTypeName(fam->type), " metrics have no unit"));
    }
  }
  fam->unit.assign(value.data(), value.size());
  fam->has_unit = true;
  return Entry::kUnit;
}

// Parses '{' label (',' label)* '}' or '{}' at *p.
Entry OpenMetricsParser::ParseLabels(const char** pp, const char* end, size_t first,
                                     size_t* count) {
  const char* p = *pp + 1;  // past '{'
  // Vector loads in the scans may read up to the end of the window, never past it.
  const char* const limit = source_.window().data() + source_.window().size();
  size_t n = 0;
  impl_->label_names.Clear();
  if (p < end && *p == '}') {
    *pp = p + 1;
    *count = 0;
    return Entry::kSample;
  }
  for (;;) {
    const char* ls = p;
    if (p < end && chars::IsLabelNameStart(*p)) p = scan::NameEnd(p + 1, end, limit, false);
    if (p == ls) {
      if (p < end && *p == '"') {
        Entry e = Fail(ErrorCode::kQuotedName, p,
                       "expected a label name, found '\"'; OpenMetrics 1.0 has no quoted names");
        error_.hint = "quoted UTF-8 names are a Prometheus text 1.0.0 / OpenMetrics 2.0 feature";
        return e;
      }
      if (p < end && (*p == ' ' || *p == '\t')) {
        return Fail(ErrorCode::kOmWhitespace, p,
                    StrCat("found ", Shown(p, end),
                           " in a label set; OpenMetrics allows no "
                           "blanks between labels"));
      }
      return Fail(ErrorCode::kLabelName, p,
                  StrCat("expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)", n == 0 ? " or '}'" : "",
                         ", found ", Shown(p, end)));
    }
    std::string_view lname(ls, static_cast<size_t>(p - ls));
    if (p >= end || *p != '=') {
      return Fail(
          ErrorCode::kLabelEquals, p,
          StrCat("expected '=' after label name ", QuoteClipped(lname), ", found ", Shown(p, end)));
    }
    ++p;
    if (p >= end || *p != '"') {
      return Fail(ErrorCode::kLabelQuote, p,
                  StrCat("expected '\"' at the start of the value of label ", QuoteClipped(lname),
                         ", found ", Shown(p, end)));
    }
    const char* vs = ++p;
    unsigned high_bits = 0;
    for (;;) {
      p = scan::QuoteOrBackslash(p, end, limit, &high_bits);
      if (p >= end || *p == '"') break;
      // A backslash: it and the byte it escapes (any byte) are part of the value.
      if (++p >= end) break;
      high_bits |= static_cast<unsigned char>(*p);
      ++p;
    }
    const bool high = (high_bits & 0x80) != 0;
    if (p >= end) {
      return Fail(ErrorCode::kLabelNewline, vs - 1,
                  StrCat("the value of label ", QuoteClipped(lname),
                         " is not closed before the end of the line"));
    }
    std::string_view value(vs, static_cast<size_t>(p - vs));
    if (high && !chars::ValidUtf8(value)) {
      return Fail(ErrorCode::kLabelUtf8, vs,
                  StrCat("the value of label ", QuoteClipped(lname), " is not valid UTF-8"));
    }
    if (!impl_->label_names.Insert(lname)) {
      return Fail(ErrorCode::kLabelDuplicate, ls,
                  StrCat("duplicate label name ", QuoteClipped(lname), " in one label set"));
    }
    if (first + n >= labels_.size()) labels_.resize(labels_.size() * 2);
    labels_[first + n] = Label{lname, value, false};
    ++n;
    ++p;  // past the closing quote
    if (p < end && *p == ',') {
      ++p;
      if (p < end && *p == '}') {
        return Fail(ErrorCode::kLabelName, p,
                    "expected a label name after ',', found '}'; OpenMetrics allows no trailing "
                    "comma");
      }
      continue;
    }
    if (p < end && *p == '}') {
      *pp = p + 1;
      *count = n;
      return Entry::kSample;
    }
    return Fail(ErrorCode::kLabelEnd, p,
                StrCat("expected ',' or '}' after the value of label ", QuoteClipped(lname),
                       ", found ", Shown(p, end)));
  }
}

Entry OpenMetricsParser::ParseSample(const char* p, const char* end) {
  const char* const line = p;
  Impl& s = *impl_;
  // Name.
  const char* q = p;
  if (chars::IsMetricNameStart(*q)) {
    ++q;
    while (q < end && chars::IsMetricNameChar(*q)) ++q;
  }
  if (q == p) {
    if (*p == '{' || *p == '"') {
      Entry e = Fail(ErrorCode::kQuotedName, p,
                     StrCat("expected a metric name, found ", Shown(p, end),
                            "; OpenMetrics 1.0 has no quoted names"));
      error_.hint = "quoted UTF-8 names are a Prometheus text 1.0.0 / OpenMetrics 2.0 feature";
      return e;
    }
    return Fail(ErrorCode::kMetricName, p,
                StrCat("expected a metric name ([a-zA-Z_:]) at the start of the line, found ",
                       Shown(p, end)));
  }
  std::string_view name(p, static_cast<size_t>(q - p));
  name_ = name;
  label_count_ = 0;
  if (q < end && *q == '{') {
    Entry e = ParseLabels(&q, end, 0, &label_count_);
    if (e == Entry::kError) return e;
  }
  if (q >= end || *q != ' ') {
    if (q < end && *q == '\t') {
      return Fail(ErrorCode::kOmWhitespace, q,
                  "found a tab; tokens are separated by exactly one space");
    }
    if (q >= end) {
      return Fail(ErrorCode::kValue, q,
                  StrCat("expected a space and a value after ", QuoteClipped(name),
                         ", found the end of the line"));
    }
    return Fail(ErrorCode::kMetricName, q,
                StrCat("unexpected ", Shown(q, end), " after metric name ", QuoteClipped(name),
                       "; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"));
  }
  // Value.
  const char* vs = ++q;
  while (q < end && *q != ' ') ++q;
  std::string_view vtok(vs, static_cast<size_t>(q - vs));
  if (vtok.empty()) {
    return Fail(ErrorCode::kOmWhitespace, vs,
                StrCat("expected a value, found ", Shown(vs, end),
                       "; tokens are separated by exactly one space"));
  }
  if (!ParseOmNumber(vtok, true, &value_)) {
    return Fail(ErrorCode::kValue, vs,
                StrCat("expected a number as sample value, found ", QuoteClipped(vtok),
                       "; OpenMetrics numbers are decimal, +Inf, -Inf or NaN"));
  }
  has_timestamp_ = has_exemplar_ = has_exemplar_timestamp_ = false;
  exemplar_count_ = 0;
  if (q < end) {
    const char* ts = ++q;
    if (ts < end && *ts == '#') {
      Entry e = ParseExemplar(ts, end);
      if (e == Entry::kError) return e;
    } else {
      while (q < end && *q != ' ') ++q;
      std::string_view ttok(ts, static_cast<size_t>(q - ts));
      if (ttok.empty()) {
        return Fail(ErrorCode::kOmWhitespace, ts,
                    ts == end ? "line ends with a space; lines have no trailing space"
                              : "found two spaces; tokens are separated by exactly one space");
      }
      if (!ParseOmNumber(ttok, false, &timestamp_)) {
        return Fail(ErrorCode::kTimestamp, ts,
                    StrCat("expected a timestamp (decimal seconds), found ", QuoteClipped(ttok)));
      }
      has_timestamp_ = true;
      if (q < end) {
        const char* x = q + 1;
        if (x < end && *x == '#') {
          Entry e = ParseExemplar(x, end);
          if (e == Entry::kError) return e;
        } else if (x == end) {
          return Fail(ErrorCode::kOmWhitespace, q,
                      "line ends with a space; lines have no trailing space");
        } else {
          return Fail(ErrorCode::kAfterTimestamp, x,
                      StrCat("expected an exemplar (' # {...} value') or the end of the line "
                             "after the timestamp, found ",
                             Shown(x, end)));
        }
      }
    }
  }

  // Family and role.
  OmFamily* fam = nullptr;
  std::string_view suffix;
  OmFamily* cached = nullptr;
  for (unsigned i = 0; i < Impl::kNameCache; ++i) {
    if (s.cache_family[i] != nullptr && s.cache_name[i] == name) {
      cached = s.cache_family[i];
      break;
    }
  }
  auto it = s.names.end();
  if (cached == nullptr) {
    it = s.names.find(name);
    if (it != s.names.end()) {
      s.cache_name[s.cache_next].assign(name);
      s.cache_family[s.cache_next] = it->second;
      s.cache_next = (s.cache_next + 1) % Impl::kNameCache;
      cached = it->second;
    }
  }
  if (cached == nullptr) {
    Entry e;
    fam = NewFamily(name, line, &e);
    if (fam == nullptr) return e;
    fam->type = MetricType::kUnknown;
    fam->has_type = false;
  } else {
    fam = cached;
    if (fam != s.current) {
      return Fail(ErrorCode::kOmFamilyOrder, line,
                  StrCat("sample ", QuoteClipped(name), " belongs to family ",
                         QuoteClipped(fam->name), ", which ended before family ",
                         QuoteClipped(s.current ? s.current->name : std::string()),
                         "; a family's lines must be contiguous"));
    }
    suffix = name.substr(fam->name.size());
  }
  family_ = fam;
  const MetricType type = fam->type;
  const TypeInfo& ti = InfoOf(type);
  if (suffix.empty() && !ti.bare) {
    std::string names;
    for (std::string_view sfx : ti.suffixes) {
      if (sfx.empty()) continue;
      StrAppend(&names, names.empty() ? "" : " or ", QuoteClipped(StrCat(fam->name, sfx)));
    }
    Entry e = Fail(
        ErrorCode::kOmSampleName, line,
        StrCat("sample ", QuoteClipped(name), " of ", ti.name, " family ", QuoteClipped(fam->name),
               " has no suffix; ", ti.name, " samples are named ", names));
    if (type == MetricType::kCounter && fam->name.ends_with("_total")) {
      error_.hint = StrCat("in OpenMetrics, # TYPE names the family without _total: # TYPE ",
                           std::string_view(fam->name).substr(0, fam->name.size() - 6), " counter");
    }
    return e;
  }
  role_ = RoleOf(type, suffix);
  return CheckSample(line);
}

// " # {labels} value [timestamp]" from the '#'.
Entry OpenMetricsParser::ParseExemplar(const char* p, const char* end) {
  if (p + 1 >= end || p[1] != ' ') {
    return Fail(ErrorCode::kOmExemplar, p + 1,
                StrCat("expected a space after '#' of the exemplar, found ", Shown(p + 1, end)));
  }
  const char* q = p + 2;
  if (q >= end || *q != '{') {
    return Fail(ErrorCode::kOmExemplar, q,
                StrCat("expected '{' to start the exemplar's labels, found ", Shown(q, end)));
  }
  exemplar_first_ = label_count_;
  const char* open = q;
  Entry e = ParseLabels(&q, end, exemplar_first_, &exemplar_count_);
  if (e == Entry::kError) return e;
  size_t points = 0;
  for (size_t i = exemplar_first_; i < exemplar_first_ + exemplar_count_; ++i) {
    points += CodePoints(labels_[i].name) + CodePoints(labels_[i].value);
  }
  if (points > 128) {
    return Fail(ErrorCode::kOmExemplarLength, open,
                StrCat("exemplar labels have ", points,
                       " code points (names and values together); at most 128 are allowed"));
  }
  if (q >= end || *q != ' ') {
    return Fail(
        ErrorCode::kOmExemplar, q,
        StrCat("expected a space and a value after the exemplar's labels, found ", Shown(q, end)));
  }
  const char* vs = ++q;
  while (q < end && *q != ' ') ++q;
  std::string_view vtok(vs, static_cast<size_t>(q - vs));
  if (vtok.empty()) {
    return Fail(ErrorCode::kOmWhitespace, vs,
                StrCat("expected the exemplar value, found ", Shown(vs, end)));
  }
  if (!ParseOmNumber(vtok, true, &exemplar_value_)) {
    return Fail(ErrorCode::kOmExemplar, vs,
                StrCat("expected a number as exemplar value, found ", QuoteClipped(vtok)));
  }
  if (q < end) {
    const char* ts = ++q;
    while (q < end && *q != ' ') ++q;
    std::string_view ttok(ts, static_cast<size_t>(q - ts));
    if (ttok.empty()) {
      return Fail(ErrorCode::kOmWhitespace, ts,
                  ts == end ? "line ends with a space; lines have no trailing space"
                            : "found two spaces; tokens are separated by exactly one space");
    }
    if (!ParseOmNumber(ttok, false, &exemplar_timestamp_)) {
      return Fail(ErrorCode::kOmExemplar, ts,
                  StrCat("expected a timestamp (decimal seconds) for the exemplar, found ",
                         QuoteClipped(ttok)));
    }
    has_exemplar_timestamp_ = true;
    if (q < end) {
      return Fail(q + 1 == end ? ErrorCode::kOmWhitespace : ErrorCode::kOmExemplar, q,
                  q + 1 == end ? "line ends with a space; lines have no trailing space"
                               : "expected the end of the line after the exemplar timestamp");
    }
  }
  has_exemplar_ = true;
  return Entry::kSample;
}

// The per-type and cross-line rules for the sample just parsed (role_ and family_ are set).
Entry OpenMetricsParser::CheckSample(const char* line) {
  Impl& s = *impl_;
  OmFamily& fam = *family_;
  const MetricType type = fam.type;
  const std::span<const Label> labels = Labels();
  auto find = [&](std::string_view n) -> const Label* {
    for (const Label& l : labels) {
      if (l.name == n) return &l;
    }
    return nullptr;
  };
  const bool hist = type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
  std::string_view skip;  // the label that is not part of the series identity
  bound_ = 0;
  if (hist && role_ == OmRole::kBucket) {
    const Label* le = find("le");
    if (le == nullptr) {
      return Fail(ErrorCode::kOmBucketLe, line,
                  StrCat("bucket ", QuoteClipped(name_), " has no le label"));
    }
    if (le->value == "+Inf") {
      bound_ = kInf;
    } else if (!ParseOmNumber(le->value, false, &bound_)) {
      return Fail(ErrorCode::kOmBucketLe, le->value.data(),
                  StrCat("le=", QuoteClipped(le->value),
                         " is not a number; le is a decimal number or exactly \"+Inf\""));
    }
    skip = "le";
  } else if (type == MetricType::kSummary && role_ == OmRole::kValue) {
    const Label* qu = find("quantile");
    if (qu == nullptr) {
      return Fail(ErrorCode::kOmQuantile, line,
                  StrCat("summary sample ", QuoteClipped(name_), " has no quantile label"));
    }
    if (!ParseOmNumber(qu->value, false, &bound_) || bound_ < 0 || bound_ > 1) {
      return Fail(ErrorCode::kOmQuantile, qu->value.data(),
                  StrCat("quantile=", QuoteClipped(qu->value), " is not a number in [0, 1]"));
    }
    role_ = OmRole::kQuantile;
    skip = "quantile";
  } else if (type == MetricType::kStateSet) {
    if (find(fam.name) == nullptr) {
      return Fail(ErrorCode::kOmStateSetValue, line,
                  StrCat("stateset sample has no label named ", QuoteClipped(fam.name),
                         "; each stateset sample names its state in that label"));
    }
  }
  // Values.
  const double v = value_;
  const bool counter_like = role_ == OmRole::kTotal || role_ == OmRole::kBucket ||
                            role_ == OmRole::kCount || role_ == OmRole::kGCount ||
                            role_ == OmRole::kQuantile ||
                            (role_ == OmRole::kSum && type != MetricType::kGaugeHistogram);
  if (counter_like && (std::isnan(v) || v < 0)) {
    if (!(role_ == OmRole::kQuantile && std::isnan(v))) {
      return Fail(ErrorCode::kOmNegativeValue, line,
                  StrCat(OpenMetricsTypeName(type), " sample ", QuoteClipped(name_), " has ",
                         std::isnan(v) ? "value NaN" : "a negative value",
                         "; counters, bucket counts, counts, sums and quantile values must be "
                         "non-negative numbers"));
    }
  }
  // OpenMetrics 1.0: histogram and summary count and bucket values, and gauge histogram bucket
  // values, MUST be integers.
  const bool integer_only =
      (hist && role_ == OmRole::kBucket) ||
      (role_ == OmRole::kCount && (type == MetricType::kHistogram || type == MetricType::kSummary));
  if (integer_only && !(std::isfinite(v) && v == std::floor(v))) {
    std::string shown;
    AppendFloat(v, &shown);
    return Fail(ErrorCode::kOmNotInteger, line,
                StrCat(OpenMetricsTypeName(type), " sample ", QuoteClipped(name_), " has value ",
                       shown, "; ", OpenMetricsTypeName(type),
                       role_ == OmRole::kBucket ? " bucket values" : " count values",
                       " must be integers (OpenMetrics 1.0)"));
  }
  if (role_ == OmRole::kInfo && v != 1) {
    return Fail(ErrorCode::kOmInfoValue, line,
                StrCat("info sample ", QuoteClipped(name_), " has a value other than 1"));
  }
  if (type == MetricType::kStateSet && v != 0 && v != 1) {
    return Fail(ErrorCode::kOmStateSetValue, line,
                StrCat("stateset sample ", QuoteClipped(name_), " has a value other than 0 or 1"));
  }
  if (has_exemplar_ && !(role_ == OmRole::kTotal || (hist && role_ == OmRole::kBucket))) {
    return Fail(ErrorCode::kOmExemplarPlacement, line,
                StrCat("sample ", QuoteClipped(name_), " of ", OpenMetricsTypeName(type),
                       " family has an exemplar; only counter _total and histogram _bucket "
                       "samples may have one"));
  }

  // Series identity: the label set without le/quantile.
  hash::Unordered identity;
  for (const Label& l : labels) {
    if (l.name == skip) continue;
    // The label's bytes as written, name="value", are contiguous in the line: one hash per
    // label, combined independently of label order.
    const char* first = l.name.data();
    const char* last = l.value.data() + l.value.size();
    identity.Add(hash::Bytes(std::string_view(first, static_cast<size_t>(last - first))));
  }
  const uint64_t h = identity.Finish() | 1;
  if (!s.in_series || h != s.series_hash) {
    // A series seen before is the error, before whatever the series just ended lacks (it may
    // lack only the samples that come later, out of place).
    if (s.series_seen.Contains(h)) {
      s.series_text.assign(fam.name);
      AppendLabels(labels, skip, &s.series_text);
      if (s.series_text.size() > text_internal::kMessageTextBytes)
        s.series_text = ClipText(s.series_text);
      return Fail(ErrorCode::kOmSeriesOrder, line,
                  StrCat("series ", s.series_text,
                         " appears again after other series of its family; a series' samples "
                         "must be contiguous"));
    }
    Entry e = FinishSeries(line, /*defer=*/true);
    if (e == Entry::kError) return e;
    s.series_text.assign(fam.name);
    AppendLabels(labels, skip, &s.series_text);
    if (s.series_text.size() > text_internal::kMessageTextBytes)
      s.series_text = ClipText(s.series_text);
    s.series_seen.Insert(h);
    s.in_series = true;
    s.series_hash = h;
    s.uses_timestamps = has_timestamp_;
    s.last_timestamp = -kInf;
    s.roles_seen = 0;
    s.point_has_ts = has_timestamp_;
    s.point_ts = timestamp_;
    s.has_buckets = s.has_inf = s.has_negative_le = s.has_count = s.has_sum = false;
    s.last_le = -kInf;
    s.quantiles.clear();
  }
  // Timestamps: all or none, non-decreasing.
  if (has_timestamp_ != s.uses_timestamps) {
    return Fail(ErrorCode::kOmTimestampMixed, line,
                StrCat("series ", s.series_text,
                       has_timestamp_ ? " has a timestamp here but not on its earlier samples"
                                      : " has no timestamp here but had one on earlier samples",
                       "; a series' samples all have timestamps or none do"));
  }
  if (has_timestamp_) {
    if (timestamp_ < s.last_timestamp) {
      std::string now, before;
      AppendFloat(timestamp_, &now);
      AppendFloat(s.last_timestamp, &before);
      return Fail(ErrorCode::kOmTimestampOrder, line,
                  StrCat("timestamp ", now, " of series ", s.series_text,
                         " is smaller than its previous timestamp ", before,
                         "; timestamps must not decrease"));
    }
    s.last_timestamp = timestamp_;
  }
  // A repeated part starts a new MetricPoint, which needs a timestamp.
  bool repeat;
  const uint32_t bit = 1u << static_cast<unsigned>(role_);
  if (role_ == OmRole::kBucket) {
    repeat = bound_ <= s.last_le;
    if (repeat && (!has_timestamp_ || !s.has_inf)) {
      std::string le_now(Find(labels, "le"));
      if (bound_ == s.last_le) {
        return Fail(ErrorCode::kOmDuplicateSample, line,
                    StrCat("histogram bucket le=\"", ClipText(le_now), "\" of ", s.series_text,
                           " appears twice; each bucket appears once per point"));
      }
      return Fail(ErrorCode::kOmBucketOrder, line,
                  StrCat("histogram bucket le=\"", ClipText(le_now), "\" follows le=\"",
                         ClipText(s.last_le_text), "\"; buckets must be in increasing order"));
    }
  } else if (role_ == OmRole::kQuantile) {
    repeat = std::find(s.quantiles.begin(), s.quantiles.end(), bound_) != s.quantiles.end();
  } else {
    repeat = (s.roles_seen & bit) != 0;
  }
  if (repeat) {
    if (!has_timestamp_) {
      return Fail(ErrorCode::kOmDuplicateSample, line,
                  StrCat("sample ", QuoteClipped(name_), " of series ", s.series_text,
                         " appears twice without timestamps; a series has one value per "
                         "timestamp"));
    }
    Entry e = FinishSeries(line);
    if (e == Entry::kError) return e;
    s.in_series = true;
    s.roles_seen = 0;
    s.has_buckets = s.has_inf = s.has_negative_le = s.has_count = s.has_sum = false;
    s.last_le = -kInf;
    s.quantiles.clear();
  }
  s.roles_seen |= bit;
  // Histogram parts.
  if (hist) {
    if (role_ == OmRole::kBucket) {
      if (s.has_buckets && v < s.last_bucket) {
        std::string a, b;
        AppendFloat(v, &a);
        AppendFloat(s.last_bucket, &b);
        return Fail(ErrorCode::kOmBucketCumulative, line,
                    StrCat("histogram bucket le=\"", ClipText(Find(labels, "le")), "\" of ",
                           s.series_text, " has count ", a, ", less than ", b, " of bucket le=\"",
                           ClipText(s.last_le_text), "\"; buckets are cumulative"));
      }
      s.has_buckets = true;
      s.last_bucket = v;
      s.last_le = bound_;
      s.last_le_text.assign(Find(labels, "le"));
      if (bound_ < 0) s.has_negative_le = true;
      if (std::isinf(bound_)) {
        s.has_inf = true;
        s.inf_value = v;
      }
      if (type == MetricType::kHistogram && s.has_negative_le && s.has_sum) {
        return Fail(ErrorCode::kOmSumNegative, line,
                    StrCat("histogram ", s.series_text,
                           " has a bucket with negative le and a _sum; _sum is only allowed "
                           "when no le is negative"));
      }
    } else if (role_ == OmRole::kCount || role_ == OmRole::kGCount) {
      s.has_count = true;
      s.count_value = v;
    } else if (role_ == OmRole::kSum || role_ == OmRole::kGSum) {
      s.has_sum = true;
      s.sum_value = v;
      if (type == MetricType::kHistogram && s.has_negative_le) {
        return Fail(ErrorCode::kOmSumNegative, line,
                    StrCat("histogram ", s.series_text,
                           " has a bucket with negative le and a _sum; _sum is only allowed "
                           "when no le is negative"));
      }
    }
    if ((role_ == OmRole::kCount || role_ == OmRole::kGCount ||
         (role_ == OmRole::kBucket && std::isinf(bound_))) &&
        s.has_count && s.has_inf && s.count_value != s.inf_value) {
      std::string a, b;
      AppendFloat(s.count_value, &a);
      AppendFloat(s.inf_value, &b);
      return Fail(ErrorCode::kOmCountMismatch, line,
                  StrCat(OpenMetricsTypeName(type), " ", s.series_text, " has count ", a,
                         " but its +Inf bucket is ", b, "; they must be equal"));
    }
  } else if (role_ == OmRole::kQuantile) {
    s.quantiles.push_back(bound_);
  }
  ++fam.samples;
  return Entry::kSample;
}

}  // namespace promtool
