// Zero-copy pull parser for the OpenMetrics 2.0.0-rc0 text format (experimental), strict about
// every MUST of that revision that can be checked while streaming; bad exemplars are dropped
// and reported as notes, as the specification asks.
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

// The specification revision the parser checks, as printed by --version and in docs.
inline constexpr std::string_view kOpenMetrics2Revision = "2.0.0-rc0";

// What the parser knows about a family. Owned by the parser; stable for its lifetime.
struct Om2Family {
  std::string name;  // unescaped (a quoted name without its quotes)
  std::string help;  // unescaped; meaningful when has_help
  std::string unit;  // meaningful when has_unit
  MetricType type = MetricType::kUnknown;
  bool has_type = false;
  bool has_help = false;
  bool has_unit = false;
  uint32_t id = 0;  // 0, 1, 2... in order of appearance
  uint64_t samples = 0;
};

// The shape of a CompositeValue.
enum class Om2CompositeKind : uint8_t { kNone, kHistogram, kGaugeHistogram, kSummary };

struct Om2Span {
  int64_t offset = 0;
  uint64_t length = 0;
};

struct Om2Pair {
  double key = 0;  // a classic bucket's threshold, or a quantile
  double value = 0;
};

// A CompositeValue as written. `count` and `sum` are gcount and gsum for a gauge histogram.
struct Om2Composite {
  Om2CompositeKind kind = Om2CompositeKind::kNone;
  double count = 0;
  double sum = 0;
  bool native = false;  // schema, zero_threshold, zero_count (and spans) present
  int32_t schema = 0;
  double zero_threshold = 0;
  double zero_count = 0;
  std::vector<Om2Span> negative_spans, positive_spans;
  std::vector<double> negative_buckets, positive_buckets;  // absolute counts
  bool classic = false;                                    // bucket:[...] present
  std::vector<Om2Pair> buckets;                            // classic buckets, +Inf last
  std::vector<Om2Pair> quantiles;
  // Some count (count, zero_count, a native or classic bucket value) is not written as an
  // integer ("5.0", "1e3", "NaN"): a float histogram, as Prometheus tells them apart.
  bool float_counts = false;
};

// An exemplar of the current sample; labels raw (still escaped) as written.
struct Om2Exemplar {
  std::span<const Label> labels;
  double value = 0;
  double timestamp = 0;  // seconds; mandatory in 2.0
  // The timestamp as written (decimal digits beyond float64 precision, e.g. nanoseconds).
  std::string_view timestamp_text;
};

// Pull parser. Usage as OpenMetricsParser: Next() returns kHelp, kType, kUnit, kSample, then
// kEof (the "# EOF" line), then kEnd; or kError. kEnd and kError are sticky. Accessors are valid
// after the entry kinds they name and return views valid until the next Next().
class OpenMetrics2Parser {
 public:
  // max_name_table_bytes: the most bytes the per-name state (families, their names, help texts
  // and units, the index) may hold; 0 means no limit. Set for URL bodies as
  // TextOptions::max_name_table_bytes is: a new family or metadata text that could take the
  // state past it is an error with code kLimit.
  explicit OpenMetrics2Parser(Source& source, uint64_t max_name_table_bytes = 0);
  ~OpenMetrics2Parser();
  OpenMetrics2Parser(const OpenMetrics2Parser&) = delete;
  OpenMetrics2Parser& operator=(const OpenMetrics2Parser&) = delete;

  [[nodiscard]] Entry Next();

  // kHelp, kType, kUnit, kSample: the name, unescaped (quotes removed).
  std::string_view MetricName() const { return name_; }
  // kHelp, kType, kUnit, kSample: the family of the entry.
  const Om2Family& Family() const { return *family_; }
  // kSample: labels in the order written (the quoted metric name is not one); raw (escaped).
  std::span<const Label> Labels() const { return {labels_.data(), label_count_}; }
  // kSample: a Number value (IsComposite() false) or a CompositeValue.
  bool IsComposite() const { return composite_.kind != Om2CompositeKind::kNone; }
  double Value() const { return value_; }
  const Om2Composite& Composite() const { return composite_; }
  bool HasTimestamp() const { return has_timestamp_; }
  double Timestamp() const { return timestamp_; }
  bool HasStartTimestamp() const { return has_start_timestamp_; }
  double StartTimestamp() const { return start_timestamp_; }
  // kSample: the start timestamp as written (its digits beyond float64 precision).
  std::string_view StartTimestampText() const { return start_timestamp_text_; }
  // kSample: the valid exemplars (invalid ones were dropped and noted).
  size_t ExemplarCount() const { return exemplars_.size(); }
  Om2Exemplar Exemplar(size_t i) const;
  // kHelp: the help text as written (escapes not translated).
  std::string_view HelpRaw() const { return text_; }
  // kType: the declared type.
  MetricType Type() const { return family_->type; }
  // kUnit: the unit as written.
  std::string_view Unit() const { return text_; }

  // Absolute offset of the current entry's line.
  uint64_t LineOffset() const { return line_offset_; }
  // What the per-name state holds, in bytes (estimated: strings, records, index nodes).
  uint64_t name_table_bytes() const { return name_table_bytes_; }
  // Ends the parse with an error at the start of the current entry's line, for a limit that a
  // consumer enforces (the family stream's bound): Next() returns kError from now on.
  Entry Stop(ErrorCode code, std::string message);
  // kError: the error, with its line and column.
  const promtool::Error& Error() const { return error_; }
  // The families seen so far, in order of appearance.
  const std::vector<Om2Family*>& families() const { return family_order_; }
  // Warnings: dropped exemplars (om2-exemplar*), each located like an error. The first
  // kMaxNotes are kept; notes_total() counts all of them.
  static constexpr size_t kMaxNotes = 100;
  const std::vector<promtool::Error>& notes() const { return notes_; }
  uint64_t notes_total() const { return notes_total_; }

 private:
  struct Impl;
  struct ExemplarRef {
    size_t first = 0, count = 0;
    double value = 0, timestamp = 0;
    std::string_view timestamp_text;
  };
  Entry ParseLine(const char* p, const char* end);
  Entry ParseMetadata(const char* p, const char* end);
  Entry ParseSample(const char* p, const char* end);
  // A quoted string at *p ('"' ... '"'): advances past the closing quote; *raw is the content.
  Entry ParseQuoted(const char** p, const char* end, std::string_view what, std::string_view* raw);
  // Labels from *p (just past '{' or ',') to '}'; appends to labels_ from `first`. With
  // `identity`, adds each label's LabelHash() to it (a sample's label set; not exemplars').
  Entry ParseLabelList(const char** p, const char* end, size_t first, size_t* count,
                       bool allow_empty, uint64_t* identity = nullptr);
  Entry ParseComposite(const char** p, const char* end);
  Entry ParseExemplars(const char* p, const char* end);
  Entry CheckSample(const char* line, const char* value_at);
  uint64_t LabelHash(const Label& l);
  Entry Fail(ErrorCode code, const char* at, std::string message);
  void Note(ErrorCode code, const char* at, std::string message);
  Om2Family* NewFamily(std::string_view name, Entry* e, const char* at);

  Source& source_;
  std::unique_ptr<Impl> impl_;

  std::string_view name_;
  std::string_view text_;
  std::vector<Label> labels_;
  size_t label_count_ = 0;
  uint64_t label_hash_sum_ = 0;  // the sum of the sample's labels' LabelHash()
  Om2Composite composite_;
  std::vector<ExemplarRef> exemplars_;
  double value_ = 0;
  double timestamp_ = 0, start_timestamp_ = 0;
  std::string_view start_timestamp_text_;
  bool has_timestamp_ = false, has_start_timestamp_ = false;
  Om2Family* family_ = nullptr;
  const char* exemplars_at_ = nullptr;
  uint64_t line_offset_ = 0;
  bool saw_eof_ = false;
  promtool::Error error_;
  std::vector<Om2Family*> family_order_;
  std::vector<promtool::Error> notes_;
  uint64_t notes_total_ = 0;
  uint64_t max_name_table_bytes_ = 0;
  uint64_t name_table_bytes_ = 0;
  // Counts `bytes` more of per-name state; past the bound, the kLimit error at `at`.
  bool FitsNameTable(uint64_t bytes, const char* at, Entry* e);
  std::string scratch_;
};

}  // namespace promtool
