// Zero-copy pull parser for the OpenMetrics 1.0 text format, strict about every rule of the
// specification that can be checked while streaming (syntax, families, series, histograms).
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

// What the parser knows about an OpenMetrics family. Owned by the parser; the reference stays
// valid for the parser's lifetime.
struct OmFamily {
  std::string name;
  std::string help;  // unescaped; meaningful when has_help
  std::string unit;  // meaningful when has_unit
  MetricType type = MetricType::kUnknown;
  bool has_type = false;
  bool has_help = false;
  bool has_unit = false;
  uint32_t id = 0;  // 0, 1, 2... in order of appearance
  uint64_t samples = 0;
};

// The part of a family a sample is, from its name suffix and type.
enum class OmRole : uint8_t {
  kValue,     // gauge, unknown, stateset sample, summary quantile sample
  kTotal,     // counter _total
  kCreated,   // counter/histogram/summary _created
  kBucket,    // (gauge)histogram _bucket
  kCount,     // histogram/summary _count
  kSum,       // histogram/summary _sum
  kGCount,    // gaugehistogram _gcount
  kGSum,      // gaugehistogram _gsum
  kInfo,      // info _info
  kQuantile,  // summary sample with a quantile label
};

// An exemplar attached to a sample: labels raw (still escaped) as written.
struct OmExemplar {
  std::span<const Label> labels;
  double value = 0;
  bool has_timestamp = false;
  double timestamp = 0;  // seconds
};

// Pull parser. Usage:
//   OpenMetricsParser p(source);
//   for (Entry e; (e = p.Next()) != Entry::kEnd;) { if (e == Entry::kError) ...; }
// Next() returns kHelp, kType, kUnit, kSample, then kEof (the "# EOF" line), then kEnd; or
// kError. kEnd and kError are sticky. Accessors are valid only after the entry kinds they name
// and return views into the source window valid until the next Next().
class OpenMetricsParser {
 public:
  // max_name_table_bytes: the most bytes the per-name state (families, their names, help texts
  // and units, the sample names they own, the index) may hold; 0 means no limit. Set for URL
  // bodies as TextOptions::max_name_table_bytes is: the first new family that could take the
  // state past it is an error with code kLimit.
  explicit OpenMetricsParser(Source& source, uint64_t max_name_table_bytes = 0);
  ~OpenMetricsParser();
  OpenMetricsParser(const OpenMetricsParser&) = delete;
  OpenMetricsParser& operator=(const OpenMetricsParser&) = delete;

  [[nodiscard]] Entry Next();

  // kHelp, kType, kUnit, kSample: the name as written (for samples, with its suffix).
  std::string_view MetricName() const { return name_; }
  // kHelp, kType, kUnit, kSample: the family the entry belongs to.
  const OmFamily& Family() const { return *family_; }
  // kSample: labels in the order written, le and quantile included; raw (still escaped).
  std::span<const Label> Labels() const { return {labels_.data(), label_count_}; }
  // kSample: the sample's role in its family.
  OmRole Role() const { return role_; }
  // kSample with role kBucket or kQuantile: the le or quantile value.
  double Bound() const { return bound_; }
  // kSample.
  double Value() const { return value_; }
  bool HasTimestamp() const { return has_timestamp_; }
  // kSample with HasTimestamp(): seconds since the epoch as written (a float).
  double Timestamp() const { return timestamp_; }
  // kSample: the exemplar, if HasExemplar().
  bool HasExemplar() const { return has_exemplar_; }
  OmExemplar Exemplar() const;
  // kHelp: the help text as written (escapes not translated).
  std::string_view HelpRaw() const { return text_; }
  // kType: the declared type.
  MetricType Type() const { return family_->type; }
  // kUnit: the unit as written.
  std::string_view Unit() const { return text_; }

  // Absolute offset of the current entry's line.
  uint64_t LineOffset() const { return line_offset_; }
  // Ends the parse with an error at the start of the current entry's line, for a limit that a
  // consumer enforces (the family stream's bound): Next() returns kError from now on.
  Entry Stop(ErrorCode code, std::string message) {
    return FailAt(code, line_offset_, std::move(message));
  }
  // kError: the error; its line and column are filled in.
  const promtool::Error& Error() const { return error_; }
  // The families seen so far, in order of appearance.
  const std::vector<OmFamily*>& families() const { return family_order_; }
  // What the per-name state holds now, in bytes (see the constructor).
  uint64_t name_table_bytes() const;

 private:
  struct Impl;
  Entry CheckHead(const char* base);
  Entry ParseLine(const char* p, const char* end);
  Entry ParseMetadata(const char* p, const char* end);
  Entry ParseSample(const char* p, const char* end);
  // Parses "{...}" at *p into labels_ from index `first`; advances *p past '}'.
  // `sample`: a sample's label set, whose names are compared with the last sample's first.
  Entry ParseLabels(const char** p, const char* end, size_t first, size_t* count, bool sample);
  Entry ParseExemplar(const char* p, const char* end);
  Entry Fail(ErrorCode code, const char* at, std::string message);
  Entry FailAt(ErrorCode code, uint64_t offset, std::string message);
  OmFamily* NewFamily(std::string_view name, const char* at, Entry* e);
  bool Reserve(std::string_view name, OmFamily* owner);
  // Counts the heap bytes of a name, help or unit just stored in a family.
  void CountText(const std::string& s) {
    if (s.capacity() > 15) text_bytes_ += s.capacity() + 1;
  }

  Source& source_;
  std::unique_ptr<Impl> impl_;

  std::string_view name_;
  std::string_view text_;
  std::vector<Label> labels_;
  size_t label_count_ = 0;
  size_t exemplar_first_ = 0, exemplar_count_ = 0;
  OmRole role_ = OmRole::kValue;
  double bound_ = 0;
  double value_ = 0;
  double timestamp_ = 0;
  double exemplar_value_ = 0, exemplar_timestamp_ = 0;
  bool has_timestamp_ = false;
  bool has_exemplar_ = false;
  bool has_exemplar_timestamp_ = false;
  OmFamily* family_ = nullptr;
  uint64_t line_offset_ = 0;

  bool saw_eof_ = false;
  promtool::Error error_;  // written by the line reader (in Impl), which holds the position
  std::vector<OmFamily*> family_order_;
  std::string scratch_;
  uint64_t max_name_table_bytes_ = 0;
  uint64_t text_bytes_ = 0;  // heap bytes of the families' names, help texts and units
};

}  // namespace promtool
