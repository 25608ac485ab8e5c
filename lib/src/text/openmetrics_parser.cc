// The OpenMetrics 1.0 pull parser: strict line-at-a-time syntax plus compact per-family and
// per-series state for the rules that span lines (ordering, histograms, timestamps).
#include "promtool/openmetrics_parser.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "common/chars.h"
#include "common/hash.h"
#include "common/scan.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "text/label_name_set.h"
#include "text/line_reader.h"
#include "text/message_quote.h"
#include "text/name_table.h"
#include "text/openmetrics_checks.h"
#include "text/openmetrics_util.h"

namespace promtool {

using text_internal::ClipText;
using text_internal::QuoteClipped;

namespace {

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

}  // namespace

std::string_view OpenMetricsTypeName(MetricType type) { return InfoOf(type).name; }

std::optional<MetricType> ParseOpenMetricsType(std::string_view value) {
  for (const TypeInfo& i : kTypes) {
    if (i.name == value) return i.type;
  }
  return std::nullopt;
}

std::string ShownAt(const char* p, const char* end) {
  if (p >= end) return "the end of the line";
  const unsigned char c = static_cast<unsigned char>(*p);
  if (c == ' ') return "a space";
  if (c == '\t') return "a tab";
  if (c == '\r') return "a carriage return";
  return GoQuoteByte(c);
}

// The family table, the name cache and the line reader; the checks keep the per-family and
// per-series state.
struct OpenMetricsParser::Impl {
  Impl(Source& source, promtool::Error* error)
      : reader(source, error, 3, /*wait_for_head=*/false), checks(source, reader) {}
  text_internal::LineReader reader;
  text_internal::OmChecks checks;
  bool head_checked = false;  // the input's first bytes were checked (BOM, gzip, UTF-16)
  // Every name a family owns (its name and its sample names) -> the family, compact: an entry
  // views the family's own name or a sample name copied into `arena`; `index` finds an entry by
  // the name's hash and then compares the name itself.
  struct NameEntry {
    const char* name;
    uint32_t len;
    OmFamily* owner;
  };
  text_internal::NameArena arena;
  text_internal::NameIndex index;
  std::vector<NameEntry> entries;
  OmFamily* Owner(std::string_view name) const {
    const uint32_t id = index.Find(name, text_internal::NameIndex::Hash(name), [this](uint32_t i) {
      return std::string_view(entries[i].name, entries[i].len);
    });
    return id == text_internal::NameIndex::kNone ? nullptr : entries[id].owner;
  }
  // Adds `name` (not yet owned; a view that stays valid) for `owner`.
  void Own(std::string_view name, OmFamily* owner) {
    index.Insert(text_internal::NameIndex::Hash(name), static_cast<uint32_t>(entries.size()));
    entries.push_back(NameEntry{name.data(), static_cast<uint32_t>(name.size()), owner});
  }
  // The last few sample names and their families (a histogram's _bucket, _count, _sum, ...),
  // checked with a string compare before the hash lookup. Entries of `names` are never removed,
  // so the cached pointers stay valid.
  static constexpr unsigned kNameCache = 4;
  std::string cache_name[kNameCache];
  OmFamily* cache_family[kNameCache] = {};
  unsigned cache_next = 0;
  // The families, in chunks: their addresses never change. Small chunks: the OpenMetrics
  // writer reads every family back with a fresh parser.
  text_internal::RecordStore<OmFamily, 4> storage;
  // The label names of the label set being parsed, for the duplicate check.
  text_internal::LabelNameSet label_names;
  text_internal::LabelShape shape;  // the last sample's label names
};

OpenMetricsParser::OpenMetricsParser(Source& source, uint64_t max_name_table_bytes)
    : source_(source),
      impl_(std::make_unique<Impl>(source, &error_)),
      max_name_table_bytes_(max_name_table_bytes) {
  labels_.resize(16);
}

uint64_t OpenMetricsParser::name_table_bytes() const {
  const Impl& m = *impl_;
  return m.storage.bytes() + m.arena.bytes() + m.index.bytes() +
         m.entries.capacity() * sizeof(Impl::NameEntry) +
         family_order_.capacity() * sizeof(OmFamily*) + text_bytes_;
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
  std::string compat = message;
  impl_->reader.Fail(code, offset, std::move(message), std::move(compat));
  return Entry::kError;
}

Entry OpenMetricsParser::Fail(ErrorCode code, const char* at, std::string message) {
  return FailAt(code, impl_->reader.OffsetOf(at), std::move(message));
}

Entry OpenMetricsParser::Next() {
  text_internal::LineReader& reader = impl_->reader;
  if (reader.done()) return reader.sticky();
  if (saw_eof_) {
    bool more;
    if (!reader.MoreInput(&more)) return reader.sticky();
    if (more) {
      return FailAt(ErrorCode::kOmEof, reader.pos(),
                    "expected the end of the input after '# EOF', found more text");
    }
    return reader.Finish(Entry::kEnd);
  }
  text_internal::Line line;
  if (!reader.NextLine(&line)) return reader.sticky();
  if (!impl_->head_checked && reader.head_taken()) {
    impl_->head_checked = true;
    if (Entry e = CheckHead(line.begin); e == Entry::kError) return e;
  }
  const char* const p = line.begin;
  const char* const line_end = line.end;
  line_offset_ = reader.pos();
  if (p == line_end && !line.has_newline) {
    return Fail(ErrorCode::kOmEof, p,
                "expected '# EOF' as the last line, found the end of the input");
  }
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
    reader.Consume(line_end, line.has_newline);
    return e;
  }
  if (!line.has_newline) {
    return Fail(ErrorCode::kOmEof, line_end,
                "expected '# EOF' as the last line, found the end of the input");
  }
  reader.Consume(line_end, true);
  return e;
}

// The input's first bytes, at `base`: a byte-order mark, gzip or UTF-16 is named as such.
Entry OpenMetricsParser::CheckHead(const char* base) {
  const std::string_view head = impl_->reader.head();
  if (head == "\xEF\xBB\xBF") {
    Entry e = Fail(ErrorCode::kByteOrderMark, base,
                   "input starts with a UTF-8 byte-order mark (EF BB BF)");
    error_.hint = "OpenMetrics is UTF-8 without a byte-order mark; remove the first 3 bytes";
    return e;
  }
  if (head.starts_with("\x1F\x8B")) {
    Entry e = Fail(ErrorCode::kGzip, base, "input is gzip-compressed (starts with bytes 1F 8B)");
    error_.hint = "decompress it first (gunzip, or curl --compressed)";
    return e;
  }
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
    Entry e = Fail(ErrorCode::kUtf16, base, "input looks like UTF-16, not UTF-8");
    error_.hint = "convert it, e.g. iconv -f UTF-16 -t UTF-8";
    return e;
  }
  return Entry::kSample;
}

Entry OpenMetricsParser::ParseLine(const char* p, const char* end) {
  if (p == end)
    return Fail(ErrorCode::kOmWhitespace, p, "empty line; OpenMetrics has no blank lines");
  if (*p == ' ' || *p == '\t') {
    return Fail(
        ErrorCode::kOmWhitespace, p,
        StrCat("line starts with ", ShownAt(p, end), "; lines start with a metric name or '#'"));
  }
  if (*p == '#') return ParseMetadata(p, end);
  return ParseSample(p, end);
}

// Starts a new family named `name`: ends the current one and claims the name.
OmFamily* OpenMetricsParser::NewFamily(std::string_view name, const char* at, Entry* e) {
  *e = impl_->checks.FinishFamily(at);
  if (*e == Entry::kError) return nullptr;
  if (max_name_table_bytes_ > 0) {
    // What this family may add: its name, a new chunk of families and of names, the index's
    // growth, and the vectors' growth (old and new storage are held together while they grow).
    const Impl& m = *impl_;
    auto growth = [](const auto& v) {
      return v.size() == v.capacity() ? (v.capacity() + 8) * 2 * sizeof(v[0]) : size_t{0};
    };
    const uint64_t after = name_table_bytes() - m.index.bytes() + m.index.bytes_after_insert() +
                           name.size() + 16 * sizeof(OmFamily) + (64 << 10) + growth(m.entries) +
                           growth(family_order_);
    if (after > max_name_table_bytes_) {
      *e = Fail(
          ErrorCode::kLimit, name.data(),
          StrCat("too many distinct metric names: ", family_order_.size(), " families hold ",
                 name_table_bytes(), " bytes of per-name state and the next could take it past ",
                 max_name_table_bytes_,
                 ", the most held for the names of a body (half of --body-size-limit); "
                 "raise --body-size-limit"));
      return nullptr;
    }
  }
  OmFamily* f = &impl_->storage[impl_->storage.Add()];
  f->name.assign(name.data(), name.size());
  CountText(f->name);
  f->id = static_cast<uint32_t>(family_order_.size());
  family_order_.push_back(f);
  impl_->Own(f->name, f);  // the family's name never changes, nor its address
  impl_->checks.StartFamily(f);
  return f;
}

// Claims `name` for `owner`; false when another family owns it.
bool OpenMetricsParser::Reserve(std::string_view name, OmFamily* owner) {
  if (OmFamily* other = impl_->Owner(name)) return other == owner;
  impl_->Own(impl_->arena.Store(name), owner);
  return true;
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
    Entry e = impl_->checks.FinishFamily(p);
    if (e == Entry::kError) return e;
    return Entry::kEof;
  }
  const bool help = keyword == "HELP", type = keyword == "TYPE", unit = keyword == "UNIT";
  if ((!help && !type && !unit) || (k < end && *k != ' ' && *k != '\t')) {
    if (keyword == "EOF") {
      return Fail(ErrorCode::kOmEof, k,
                  StrCat("expected the end of the line after '# EOF', found ", ShownAt(k, end)));
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
                  StrCat("found ", ShownAt(n, end), " after '# ", keyword,
                         "'; tokens are separated by exactly one space"));
    }
    return Fail(ErrorCode::kOmMetadata, n,
                StrCat("expected a metric name after '# ", keyword, " ', found ", ShownAt(n, end)));
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
                       ShownAt(ne, end), "; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"));
  }
  const char* v = ne + 1;
  std::string_view value(v, static_cast<size_t>(end - v));
  name_ = name;
  text_ = value;

  // Which family.
  Impl& s = *impl_;
  OmFamily* fam = s.Owner(name);
  if (fam == nullptr) {
    Entry e;
    fam = NewFamily(name, p, &e);
    if (fam == nullptr) return e;
  } else {
    if (fam->name != name) {
      return Fail(ErrorCode::kOmNameClash, n,
                  StrCat("metadata for ", QuoteClipped(name), ", which is a sample name of the ",
                         OpenMetricsTypeName(fam->type), " family ", QuoteClipped(fam->name),
                         "; family names must not clash"));
    }
    if (fam != s.checks.current()) {
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
    CountText(fam->help);
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
        OmFamily* other = s.Owner(sample);
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
                    StrCat("found ", ShownAt(c, end),
                           " in the unit; tokens are separated by "
                           "exactly one space and lines have no trailing space"));
      }
      return Fail(ErrorCode::kOmUnit, c,
                  StrCat("unexpected ", ShownAt(c, end), " in unit; units match [a-zA-Z0-9_:]*"));
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
  CountText(fam->unit);
  fam->has_unit = true;
  return Entry::kUnit;
}

// Parses '{' label (',' label)* '}' or '{}' at *p.
Entry OpenMetricsParser::ParseLabels(const char** pp, const char* end, size_t first, size_t* count,
                                     bool sample) {
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
  // A sample's names are first compared with the last sample's (LabelShape); exemplars' are not.
  text_internal::LabelShape* const shape = sample ? &impl_->shape : nullptr;
  bool on_shape = shape != nullptr;
  for (;;) {
    const char* ls = p;
    if (const size_t known = on_shape ? shape->Match(n, p, static_cast<size_t>(end - p)) : 0;
        known != 0) {
      p += known - 2;  // at the '='
    } else {
      if (on_shape) {
        // Off the last sample's names: the names before this one join the duplicate check.
        on_shape = false;
        for (size_t i = 0; i < n; ++i) impl_->label_names.Insert(labels_[first + i].name);
      }
      if (p < end && chars::IsLabelNameStart(*p)) p = scan::NameEnd(p + 1, end, limit, false);
    }
    if (p == ls) {
      if (p < end && *p == '"') {
        Entry e = Fail(ErrorCode::kQuotedName, p,
                       "expected a label name, found '\"'; OpenMetrics 1.0 has no quoted names");
        error_.hint = "quoted UTF-8 names are a Prometheus text 1.0.0 / OpenMetrics 2.0 feature";
        return e;
      }
      if (p < end && (*p == ' ' || *p == '\t')) {
        return Fail(ErrorCode::kOmWhitespace, p,
                    StrCat("found ", ShownAt(p, end),
                           " in a label set; OpenMetrics allows no "
                           "blanks between labels"));
      }
      return Fail(ErrorCode::kLabelName, p,
                  StrCat("expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)", n == 0 ? " or '}'" : "",
                         ", found ", ShownAt(p, end)));
    }
    std::string_view lname(ls, static_cast<size_t>(p - ls));
    if (p >= end || *p != '=') {
      return Fail(ErrorCode::kLabelEquals, p,
                  StrCat("expected '=' after label name ", QuoteClipped(lname), ", found ",
                         ShownAt(p, end)));
    }
    ++p;
    if (p >= end || *p != '"') {
      return Fail(ErrorCode::kLabelQuote, p,
                  StrCat("expected '\"' at the start of the value of label ", QuoteClipped(lname),
                         ", found ", ShownAt(p, end)));
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
    if (!on_shape && !impl_->label_names.Insert(lname)) {
      return Fail(ErrorCode::kLabelDuplicate, ls,
                  StrCat("duplicate label name ", QuoteClipped(lname), " in one label set"));
    }
    if (first + n >= labels_.size()) labels_.resize(labels_.size() * 2);
    Label& slot = labels_[first + n];  // field by field, as in the OpenMetrics 2.0 parser
    slot.name = lname;
    slot.value = value;
    slot.name_quoted = false;
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
      if (shape != nullptr && !on_shape) {
        shape->Assign(&labels_[first], n);  // a new set of names: the next is compared with it
      }
      return Entry::kSample;
    }
    return Fail(ErrorCode::kLabelEnd, p,
                StrCat("expected ',' or '}' after the value of label ", QuoteClipped(lname),
                       ", found ", ShownAt(p, end)));
  }
}

Entry OpenMetricsParser::ParseSample(const char* p, const char* end) {
  const char* const line = p;
  Impl& s = *impl_;
  // Name.
  const char* q = p;
  if (chars::IsMetricNameStart(*q)) {
    q = scan::NameEnd(q + 1, end, source_.window().data() + source_.window().size(), true);
  }
  if (q == p) {
    if (*p == '{' || *p == '"') {
      Entry e = Fail(ErrorCode::kQuotedName, p,
                     StrCat("expected a metric name, found ", ShownAt(p, end),
                            "; OpenMetrics 1.0 has no quoted names"));
      error_.hint = "quoted UTF-8 names are a Prometheus text 1.0.0 / OpenMetrics 2.0 feature";
      return e;
    }
    return Fail(ErrorCode::kMetricName, p,
                StrCat("expected a metric name ([a-zA-Z_:]) at the start of the line, found ",
                       ShownAt(p, end)));
  }
  std::string_view name(p, static_cast<size_t>(q - p));
  name_ = name;
  label_count_ = 0;
  if (q < end && *q == '{') {
    Entry e = ParseLabels(&q, end, 0, &label_count_, true);
    if (e == Entry::kError) return e;
    // Label names starting with underscores are reserved; __name__ would be a second metric
    // name, which no writer may emit (the text parser refuses it too).
    for (size_t i = 0; i < label_count_; ++i) {
      const std::string_view ln = labels_[i].name;
      if (ln.size() == 8 && ln == "__name__") {
        return Fail(ErrorCode::kLabelReserved, ln.data(),
                    "label name \"__name__\" is reserved; the metric name goes before '{'");
      }
    }
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
                StrCat("unexpected ", ShownAt(q, end), " after metric name ", QuoteClipped(name),
                       "; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"));
  }
  // Value.
  const char* vs = ++q;
  while (q < end && *q != ' ') ++q;
  std::string_view vtok(vs, static_cast<size_t>(q - vs));
  if (vtok.empty()) {
    return Fail(ErrorCode::kOmWhitespace, vs,
                StrCat("expected a value, found ", ShownAt(vs, end),
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
                             ShownAt(x, end)));
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
  if (cached == nullptr) {
    if (OmFamily* owner = s.Owner(name)) {
      s.cache_name[s.cache_next].assign(name);
      s.cache_family[s.cache_next] = owner;
      s.cache_next = (s.cache_next + 1) % Impl::kNameCache;
      cached = owner;
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
    if (fam != s.checks.current()) {
      return Fail(
          ErrorCode::kOmFamilyOrder, line,
          StrCat("sample ", QuoteClipped(name), " belongs to family ", QuoteClipped(fam->name),
                 ", which ended before family ",
                 QuoteClipped(s.checks.current() ? s.checks.current()->name : std::string()),
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
  text_internal::OmSample sample;
  sample.family = fam;
  sample.name = name_;
  sample.labels = Labels();
  sample.role = RoleOf(type, suffix);
  sample.value = value_;
  sample.has_timestamp = has_timestamp_;
  sample.timestamp = timestamp_;
  sample.has_exemplar = has_exemplar_;
  Entry e = s.checks.CheckSample(sample, line);
  role_ = sample.role;
  bound_ = sample.bound;
  return e;
}

// " # {labels} value [timestamp]" from the '#'.
Entry OpenMetricsParser::ParseExemplar(const char* p, const char* end) {
  if (p + 1 >= end || p[1] != ' ') {
    return Fail(ErrorCode::kOmExemplar, p + 1,
                StrCat("expected a space after '#' of the exemplar, found ", ShownAt(p + 1, end)));
  }
  const char* q = p + 2;
  if (q >= end || *q != '{') {
    return Fail(ErrorCode::kOmExemplar, q,
                StrCat("expected '{' to start the exemplar's labels, found ", ShownAt(q, end)));
  }
  exemplar_first_ = label_count_;
  const char* open = q;
  Entry e = ParseLabels(&q, end, exemplar_first_, &exemplar_count_, false);
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
    return Fail(ErrorCode::kOmExemplar, q,
                StrCat("expected a space and a value after the exemplar's labels, found ",
                       ShownAt(q, end)));
  }
  const char* vs = ++q;
  while (q < end && *q != ' ') ++q;
  std::string_view vtok(vs, static_cast<size_t>(q - vs));
  if (vtok.empty()) {
    return Fail(ErrorCode::kOmWhitespace, vs,
                StrCat("expected the exemplar value, found ", ShownAt(vs, end)));
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

}  // namespace promtool
