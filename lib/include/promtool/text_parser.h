// Zero-copy pull parser for the Prometheus text format 0.0.4 (plus the quoted UTF-8 names of
// text format 1.0.0), accepting and rejecting exactly what promtool's strict parser does.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/types.h"

namespace promtool {

// Which promtool the parser (and the linter, see lint::LintOptions) behaves like. k3 is the
// newest promtool 3.x (prometheus/common's current expfmt text parser, client_golang's current
// promlint); k2 is exactly Debian's promtool 2.42 (common v0.39, client_golang 1.14). Every
// behaviour that differs is listed in docs/formats.md, "Compatibility profiles".
enum class PromtoolProfile : uint8_t { k2, k3 };

// "2" or "3".
std::string_view PromtoolProfileName(PromtoolProfile profile);
// Parses "2", "2.x", "2.42" (k2) or "3", "3.x" (k3); false for anything else.
bool ParsePromtoolProfile(std::string_view text, PromtoolProfile* out);

struct TextOptions {
  // k3: quoted names are read anywhere a name may stand (and validated against `names`), HELP
  // may escape '"', `gaugehistogram` is a type, negative histogram counts are errors, and the
  // compat messages are expfmt's current ones. k2: promtool 2.42's parser.
  PromtoolProfile profile = PromtoolProfile::k3;
  NameScheme names = NameScheme::kLegacy;
  // 0 means no limit. Exceeding a limit is an error with code kLimit.
  uint32_t max_labels_per_sample = 0;
  uint32_t max_label_name_bytes = 0;
  uint32_t max_label_value_bytes = 0;
  // The most bytes the per-name state (family names, help texts, records, index; ~60 bytes per
  // distinct name) may hold; 0 means no limit. Set for URL bodies to half of --body-size-limit
  // (promtool/open.h), so that millions of tiny families cannot grow memory past the body's own
  // bound: the first name over it is an error with code kLimit. The OpenMetrics 1.0 reader takes
  // the same bound from here (OpenMetricsParser's max_name_table_bytes).
  uint64_t max_name_table_bytes = 0;
  // The most bytes one family may take in the owning model (pb::MetricFamily), estimated before
  // or while it is built; 0 means no limit. Read by the family streams of every format (text,
  // OpenMetrics, protobuf, see NewFamilyStream), not by the parser. Set for URL bodies to half of
  // --body-size-limit, so that a family whose model is many times its bytes (one-byte protobuf
  // bucket deltas, short labels) cannot grow memory past the body's bound: a kLimit error.
  uint64_t max_family_bytes = 0;
};

// What the parser knows about a metric family, grouped as promtool groups samples: `foo_sum`,
// `foo_count` (and `foo_bucket`) belong to `foo` when `foo` is a summary (histogram).
// A snapshot made on request (Family(), FamilyAt(), families()); `name` and `help` view the
// parser's name storage and stay valid for the parser's lifetime.
// A view of a name or help text held by the parser, usable where a std::string was.
struct HeldText : std::string_view {
  HeldText() = default;
  HeldText(std::string_view v) : std::string_view(v) {}  // NOLINT: implicit on purpose
  operator std::string() const { return std::string(data(), size()); }  // NOLINT
};

struct FamilyInfo {
  HeldText name;
  HeldText help;  // unescaped; meaningful when has_help
  MetricType type = MetricType::kUntyped;
  bool has_type = false;  // set by a TYPE line or fixed to untyped by the first sample
  bool has_help = false;
  bool declared_type = false;  // a TYPE line set the type
  uint32_t id = 0;             // 0, 1, 2... in order of first appearance
  uint64_t samples = 0;
};

// The families a parser has seen, in order of first appearance: families()[i]->name, size(),
// and iteration (each element is used like a pointer: f->name).
class TextParser;
class FamilyList {
 public:
  struct Ref {
    FamilyInfo info;
    const FamilyInfo* operator->() const { return &info; }
    const FamilyInfo& operator*() const { return info; }
  };
  class Iterator {
   public:
    Iterator(const TextParser* p, uint32_t i) : parser_(p), i_(i) {}
    Ref operator*() const;
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }

   private:
    const TextParser* parser_;
    uint32_t i_;
  };
  FamilyList(const TextParser* p, uint32_t n) : parser_(p), size_(n) {}
  size_t size() const { return size_; }
  Ref operator[](size_t i) const;
  Iterator begin() const { return {parser_, 0}; }
  Iterator end() const { return {parser_, size_}; }

 private:
  const TextParser* parser_;
  uint32_t size_;
};

// Which part of a family a sample line is (promtool's grouping).
enum class SampleRole : uint8_t {
  kValue,     // counter, gauge, untyped, or the gauge_histogram oddity
  kQuantile,  // summary line with a quantile label
  kSum,       // summary/histogram _sum
  kCount,     // summary/histogram _count
  kBucket,    // histogram _bucket with an le label
  kIgnored,   // summary line without quantile (or quantile="NaN"), _bucket without le
};

// The kind of a quoted token, for messages.
enum class QuotedKind : uint8_t { kLabelValue, kMetricName, kLabelName };

// Pull parser. Usage:
//   TextParser p(source);
//   for (Entry e; (e = p.Next()) != Entry::kEnd;) { if (e == Entry::kError) ...; }
// Accessors are valid only after the entry kinds they name and return views into the source
// window that stay valid until the next Next() (or until the source window moves).
class TextParser {
 public:
  explicit TextParser(Source& source, TextOptions options = {});
  ~TextParser();
  TextParser(const TextParser&) = delete;
  TextParser& operator=(const TextParser&) = delete;

  // Advances to the next entry: kHelp, kType, kComment, kSample, then kEnd; or kError.
  [[nodiscard]] Entry Next();

  // kHelp, kType, kSample: the name as written (without quotes; still escaped if quoted).
  std::string_view MetricName() const { return name_; }
  // kHelp, kType, kSample: the family the entry belongs to (a snapshot, valid until the next
  // call of Family()).
  const FamilyInfo& Family() const;
  // kHelp, kType, kSample: the family's id and type (no snapshot).
  uint32_t FamilyId() const { return family_->id; }
  MetricType FamilyType() const { return family_->type; }
  // kSample: labels in the order written, le and quantile included.
  std::span<const Label> Labels() const { return {labels_.data(), label_count_}; }
  // kSample.
  SampleRole Role() const { return role_; }
  // kSample with role kQuantile or kBucket: the quantile or le value.
  double Bound() const { return bound_; }
  // kSample.
  double Value() const { return value_; }
  bool HasTimestamp() const { return has_timestamp_; }
  int64_t TimestampMs() const { return timestamp_ms_; }
  // kHelp: the help text as written (escapes not translated).
  std::string_view HelpRaw() const { return text_; }
  // kType: the declared type.
  MetricType Type() const { return family_->type; }
  // kComment: the whole line after '#'.
  std::string_view Comment() const { return text_; }

  // Absolute offset of the current entry's first byte (its line's first non-blank).
  uint64_t EntryOffset() const { return entry_offset_; }
  // Absolute offset of the line holding the current entry.
  uint64_t LineOffset() const { return line_offset_; }
  // Ends the parse with an error at the start of the current entry's line, for a limit that a
  // consumer enforces (FamilyReader's family bound): Next() returns kError from now on.
  Entry Stop(ErrorCode code, std::string message);
  // kError: the error; its line and column are filled in.
  const promtool::Error& Error() const { return error_; }

  // Asks the parser to keep input bytes from absolute offset `offset` on when the source
  // window moves (the family reader pins the start of the family it is building).
  void Pin(uint64_t offset);
  Source& source() { return source_; }
  const TextOptions& options() const { return options_; }
  // The families seen so far, in order of first appearance.
  FamilyList families() const { return FamilyList(this, family_count()); }
  uint32_t family_count() const;
  // The family with id `id` (< family_count()), as it is now.
  FamilyInfo FamilyAt(uint32_t id) const;
  // Bytes held by the per-name state (names, help texts, records, index).
  uint64_t name_table_bytes() const;

 private:
  struct Impl;
  // The states of the reference parser, one function each (text_parser.cc). SampleLine is the
  // sample line being parsed and what the states before the current one found. Declared inline
  // so that the compiler may merge them back into one function (a -fPIC build calls other
  // functions through the PLT and keeps the line's state in memory: a fifth more instructions).
  struct SampleLine;
  Entry ParseLine(const char* p, const char* end, bool has_newline);
  Entry ParseComment(const char* p, const char* end, bool has_newline);
  Entry ParseHelp(const char* name, const char* text, const char* end, bool has_newline);
  Entry ParseType(const char* name, const char* text, const char* end, bool has_newline);
  inline Entry ParseSample(const char* first, SampleLine& s);
  inline Entry ReadMetricName(const char* first, SampleLine& s);
  inline bool ResolveFamily(SampleLine& s);
  inline std::string_view FamilyNameForMessages() const;
  inline Entry ReadLabels(SampleLine& s);
  inline Entry ReadLabel(SampleLine& s, const char* at, bool* done);
  inline Entry ReadNameItem(SampleLine& s, const char* at, const char* after, std::string_view name,
                            bool quoted, bool* done);
  inline Entry ReadLabelPair(SampleLine& s, const char* at, std::string_view name, bool quoted,
                             bool* done);
  inline Entry CloseLabels(SampleLine& s, const char* brace);
  void RememberLabelNames();
  inline Entry ReadValue(SampleLine& s);
  inline Entry ReadTimestamp(SampleLine& s);
  inline void SetRole(const SampleLine& s);
  // Scans a quoted label value or name starting at the opening quote; sets *close to the
  // closing quote. `kind` names it in messages.
  Entry ScanQuoted(const char* open, const char* end, bool has_newline, const char** close,
                   QuotedKind kind);
  Entry ScanLabelValue(const char* open, const char* end, bool has_newline, const char** close) {
    return ScanQuoted(open, end, has_newline, close, QuotedKind::kLabelValue);
  }
  // Profile k3: `name` (unescaped) is a valid metric (label) name in the name scheme; else
  // fails at `at` with expfmt's `invalid metric name "x"` (`invalid label name "x"`).
  bool CheckName(std::string_view name, bool metric, const char* at, Entry* e);
  Entry FailEof(const char* end);
  void AdvancePast(const char* line_end);
  Entry Fail(ErrorCode code, const char* at, std::string message, std::string compat);
  // The compact per-family record (the name and help live in the parser's name arena).
  struct FamilyRecord {
    const char* name = nullptr;
    uint32_t name_len = 0;
    uint32_t help = 0;  // 1 + index of the help text; 0: no HELP line
    uint64_t samples = 0;
    uint32_t id = 0;
    MetricType type = MetricType::kUntyped;
    bool has_type = false;
    bool declared_type = false;
    std::string_view Name() const { return {name, name_len}; }
  };
  // The family's id, created if new; kNone (UINT32_MAX) when a new name would take the per-name
  // state past TextOptions::max_name_table_bytes.
  uint32_t Resolve(std::string_view name, bool* is_sum, bool* is_count);
  Entry FailNameTable(const char* at);
  uint32_t Find(std::string_view name) const;
  uint32_t Create(std::string_view name);
  void SetFamily(uint32_t id);
  void ClassifyMistake(const char* at);

  Source& source_;
  TextOptions options_;
  std::unique_ptr<Impl> impl_;

  // Current entry.
  std::string_view name_;
  std::string_view text_;
  std::vector<Label> labels_;
  size_t label_count_ = 0;
  SampleRole role_ = SampleRole::kValue;
  double bound_ = 0;
  double value_ = 0;
  int64_t timestamp_ms_ = 0;
  bool has_timestamp_ = false;
  FamilyRecord* family_ = nullptr;
  mutable FamilyInfo snapshot_;
  uint64_t entry_offset_ = 0;
  uint64_t line_offset_ = 0;

  // State (the position and the sticky end or error are the line reader's, in Impl).
  promtool::Error error_;
  // The last few sample names and their resolution, to skip the family lookup.
  struct NameCacheEntry {
    std::string name;
    FamilyRecord* family = nullptr;
    bool quoted = false, is_sum = false, is_count = false;
  };
  static constexpr unsigned kNameCacheSize = 4;
  NameCacheEntry name_cache_[kNameCacheSize];
  unsigned mru_ = 0;
  unsigned name_cache_next_ = 0;
  std::string scratch_;
};

}  // namespace promtool
