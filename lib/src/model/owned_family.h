// The owning family model that converters, fmt and the writers share: one metric family with
// every field any of the formats carries, built by a FamilyStream from text, OpenMetrics or
// protobuf input and read by every writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "promtool/error.h"
#include "promtool/family.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "promtool/types.h"
#include "proto/metrics.pb.h"

namespace promtool {

namespace pb = ::io::prometheus::client;

// One metric family, owned. The payload is the wire model itself (io.prometheus.client
// .MetricFamily): it carries native histograms, exemplars, created timestamps and units, it has
// presence for optional fields (HELP absent vs empty), and MetricFamily::Clear() keeps the
// allocated sub-messages and string capacity, so refilling one OwnedFamily per family costs no
// allocation in the steady state.
//
// Conventions (every reader fills the model this way; every writer relies on it):
// - proto.name is the family name as text 0.0.4 and client_golang spell it: a counter keeps a
//   `_total` suffix if its samples have one (OpenMetrics family `x` of type counter becomes
//   `x_total`); an OpenMetrics info family `x` becomes `x_info`. Other names are unchanged.
// - proto.help is set exactly when the input had a HELP line (text: even an empty one;
//   OpenMetrics: a non-empty one, since an empty HELP means none); the text is unescaped.
// - proto.unit is set when the input had a UNIT (OpenMetrics) or the protobuf field.
// - proto.type is the wire type; `type` below is the full type. stateset and info are GAUGE on
//   the wire, unknown is UNTYPED, gaugehistogram is GAUGE_HISTOGRAM (its _gsum/_gcount are
//   Histogram.sample_sum/sample_count).
// - Label values are unescaped. Labels keep the input's order; le and quantile are not labels
//   of the model (they are bucket bounds and quantiles).
// - Metric.timestamp_ms: text timestamps as written; OpenMetrics seconds * 1000 rounded to the
//   nearest millisecond (the reader reports sub-millisecond precision as a loss).
// - Counter values live in Counter.value; an OpenMetrics `_created` sample becomes the
//   created_timestamp of its counter, histogram or summary.
// - A stateset's states are samples of a GAUGE-typed family whose label named like the family
//   holds the state, value 0 or 1 (as OpenMetrics writes them).
// - Histograms: buckets in input order with cumulative counts; a +Inf bucket is kept when the
//   input had one (client_golang's text writer adds it when absent). Counts that are not whole
//   numbers (gauge histograms, float counts in protobuf) use the *_float fields.
struct OwnedFamily {
  pb::MetricFamily proto;
  MetricType type = MetricType::kUntyped;
  // Text input only: this family's samples follow another family although earlier lines of
  // the same name exist (promtool merges the parts; a streaming reader cannot).
  bool continued = false;
  uint64_t offset = 0;  // absolute input offset of the family's first line (or record)
  // Set by readers whose parser already rejected label names and values that are not UTF-8
  // (text, OpenMetrics), so writers need not validate every label again; protobuf input
  // carries strings as bytes and leaves it false.
  bool utf8_checked = false;
  // The next series of the family of the previous Next() (text input read in parts: see
  // NewTextFamilyStream); same name, type and metadata, nothing in between.
  bool part = false;
  // More parts of this family follow (FamilyView::more).
  bool more = false;
  // Read from OpenMetrics 2.0 (lint: the openmetrics-legacy-lines rule looks only at 2.0 input).
  bool openmetrics2 = false;

  void Clear() {
    proto.Clear();
    type = MetricType::kUntyped;
    continued = false;
    offset = 0;
    utf8_checked = false;
    part = false;
    more = false;
    openmetrics2 = false;
  }
};

// The wire type of a full type (stateset, info -> GAUGE; unknown -> UNTYPED).
pb::MetricType WireType(MetricType type);

// What a conversion could not carry over; reported as warnings, or an error with --strict.
enum class LossKind : uint8_t {
  kExemplar,            // exemplars (text 0.0.4 has none)
  kCreatedTimestamp,    // created timestamps (text 0.0.4 has none)
  kNativeHistogram,     // native-histogram buckets, schema, zero bucket (text formats: none)
  kUnit,                // UNIT (text 0.0.4 has none)
  kType,                // a type the output cannot name (stateset, info, unknown, gaugehistogram)
  kTimestampPrecision,  // sub-millisecond timestamp rounded (or clamped to int64 ms range)
  kNameEscaped,         // a name rewritten by an escaping scheme
  // Not written at all, because the output's own parser would reject it (the detail says why):
  kSeriesDropped,  // series whose label names the text formats cannot write
  kFamilyDropped,  // a family (no samples for protobuf; what the OpenMetrics parser rejects)
  kHelpBlanks,     // leading blanks of a HELP text (text 0.0.4 skips blanks after the name)
  kInvalidUtf8,    // strings that are not UTF-8, written with U+FFFD (JSON)
};

// Collects losses per family and kind, in order of first occurrence, with counts.
class LossReport {
 public:
  void Add(std::string_view family, LossKind kind, uint64_t count = 1);
  // With a detail (why it was lost); of one family and kind, the first detail is kept.
  void Add(std::string_view family, LossKind kind, uint64_t count, std::string_view detail);
  bool empty() const { return entries_.empty(); }
  // One line per (family, kind), e.g. `family "x": 3 exemplars dropped (text 0.0.4 has no
  // exemplars)`.
  std::vector<std::string> Lines() const;
  void Clear() { entries_.clear(); }

 private:
  struct Entry {
    std::string family;
    LossKind kind;
    uint64_t count;
    std::string detail;
  };
  std::vector<Entry> entries_;
};

// A reader of any format, one owned family at a time.
class FamilyStream {
 public:
  virtual ~FamilyStream() = default;
  // The next family, valid until the next call; nullptr at the end of input or on error.
  [[nodiscard]] virtual const OwnedFamily* Next() = 0;
  // After Next() returned nullptr: the error (with offset, line, column), or nullptr for a
  // clean end.
  virtual const Error* error() const = 0;

  // Whether NextView() reads this stream (text input): a consumer that can work on the text
  // reader's views reads them instead of the owning model, which then is never built unless
  // asked for. Use either Next() or NextView() for a whole stream, not both.
  virtual bool has_views() const { return false; }
  // The next family as the text reader's view, valid until the next call, with the same checks
  // and errors as Next(); nullptr at the end of input, on error, or when !has_views().
  [[nodiscard]] virtual const FamilyView* NextView() { return nullptr; }
  // The owning family of the view NextView() returned last (built on the first call, as Next()
  // would have returned it, losses included); nullptr when there is none.
  [[nodiscard]] virtual const OwnedFamily* Owned() { return nullptr; }
};

// Text format 0.0.4 (and quoted UTF-8 names per options.names), through TextParser and
// FamilyReader. Families split across the input come out in parts with `continued` set.
// `max_part_series` > 0: a gauge, counter or untyped family of more series comes as consecutive
// OwnedFamily values of at most that many series, the later ones with `part` set, so memory
// stays bounded whatever the family's size (for writers that stream series).
std::unique_ptr<FamilyStream> NewTextFamilyStream(Source& source, const TextOptions& options,
                                                  LossReport* losses, uint32_t max_part_series = 0);

// OpenMetrics 1.0, through OpenMetricsParser (strict: the first violation is the error).
// max_name_table_bytes: see OpenMetricsParser; max_family_bytes: see TextOptions (0: no limit).
std::unique_ptr<FamilyStream> NewOpenMetricsFamilyStream(Source& source, LossReport* losses,
                                                         uint64_t max_name_table_bytes = 0,
                                                         uint64_t max_family_bytes = 0);

struct ProtobufReadOptions {
  uint64_t max_message_bytes = uint64_t{16} << 20;  // one MetricFamily record; larger: error
  // The most bytes one record may take decoded (estimated from its wire bytes before it is
  // parsed); 0: no limit. See TextOptions::max_family_bytes.
  uint64_t max_decoded_bytes = 0;
};

// Delimited protobuf: varint length, then one io.prometheus.client.MetricFamily, repeated.
// `max_part_series` > 0: a gauge, counter or untyped record of more metrics comes as parts of at
// most that many (as NewTextFamilyStream's), each parsed from its metrics' bytes while the
// record's bytes stay in the window, so the model never holds the whole family.
std::unique_ptr<FamilyStream> NewProtobufFamilyStream(Source& source,
                                                      const ProtobufReadOptions& options,
                                                      LossReport* losses,
                                                      uint32_t max_part_series = 0);

// How NewFamilyStream reads each format.
struct FamilyStreamOptions {
  TextOptions text;              // text: name scheme and promtool profile
  ProtobufReadOptions protobuf;  // protobuf: the record size limit
  uint32_t max_part_series = 0;  // text and protobuf: see their streams
};

// A whole number that a uint64 holds exactly: a count the owning model keeps as an integer
// (otherwise in the float field).
inline bool IsWholeUint64(double v) {
  return v >= 0 && v < 18446744073709551616.0 && v == static_cast<double>(static_cast<uint64_t>(v));
}

// The owning family of a text reader's view (labels unescaped, values by type). A gauge
// histogram becomes untyped (text 0.0.4 has no layout for it) and a summary's fractional count
// cannot be held: both are reported to `losses` when it is not null.
void FillFromView(const FamilyView& view, OwnedFamily* family, std::string* scratch,
                  LossReport* losses);

// What the owning model of a family costs in memory, estimated from the generated classes'
// sizes (allocator overhead and a repeated field's spare capacity included roughly): checked
// against TextOptions::max_family_bytes before or while a family is built.
namespace model_cost {
// A string field: its std::string (heap-allocated, as without an arena) and the text past SSO.
inline uint64_t String(size_t n) { return 48 + (n > 15 ? n + 17 : 0); }
inline uint64_t Label(size_t name, size_t value) {
  return sizeof(pb::LabelPair) + 32 + String(name) + String(value);
}
// A series (one Metric) with its value message of `type`, labels aside.
inline uint64_t Metric(MetricType type) {
  uint64_t value = sizeof(pb::Untyped);
  switch (type) {
    case MetricType::kCounter:
      value = sizeof(pb::Counter);
      break;
    case MetricType::kSummary:
      value = sizeof(pb::Summary);
      break;
    case MetricType::kHistogram:
    case MetricType::kGaugeHistogram:
      value = sizeof(pb::Histogram);
      break;
    default:
      break;
  }
  return sizeof(pb::Metric) + 32 + value + 16;
}
inline uint64_t Bucket() { return sizeof(pb::Bucket) + 32; }
inline uint64_t Quantile() { return sizeof(pb::Quantile) + 32; }
// The kLimit error of a family past the bound (`what`: the family, and where it starts).
Error TooLarge(std::string_view what, uint64_t offset, uint64_t limit);
// The message of a family that passes the bound while it is built (`built` bytes, `series`).
std::string BuiltTooLarge(std::string_view family, uint64_t built, int series, uint64_t limit);
}  // namespace model_cost

// The part size of the readers that stream series (convert to text or JSON, diff, check
// exporter): large enough that parts cost nothing next to the series, small enough that a
// family of a million series is never held whole.
inline constexpr uint32_t kFamilyPartSeries = 4096;

// The one way the library turns an input into families: the stream for `format` (kAuto: detected
// from the source first, see promtool/input_format.h). OpenMetrics 2.0 is read by
// NewOpenMetrics2FamilyStream (model/openmetrics2_family_stream.h).
std::unique_ptr<FamilyStream> NewFamilyStream(Source& source, InputFormat format,
                                              const FamilyStreamOptions& options,
                                              LossReport* losses);

// The samples one series stands for as Prometheus counts them (and the text formats write them):
// a classic histogram series is its buckets (+Inf included, added if missing), _sum and _count,
// a summary its quantiles, _sum and _count, a native histogram one sample, anything else one.
uint64_t SeriesSamples(const pb::MetricFamily& family, const pb::Metric& m);
// The sum of SeriesSamples over the family: how validate and `scrape --targets` count samples.
uint64_t PrometheusSamples(const OwnedFamily& family);

}  // namespace promtool
