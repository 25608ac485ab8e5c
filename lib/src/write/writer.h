// Writers: turn owned families into bytes of one output format, appending to a string that the
// caller flushes family by family (so output memory stays bounded by the largest family).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/chars.h"
#include "model/owned_family.h"
#include "promtool/convert.h"
#include "promtool/types.h"

namespace promtool {

struct WriteOptions {
  Escaping escaping = Escaping::kAllowUtf8;
  // The caller may send a family in parts (OwnedFamily::part, FamilyView::part) and calls
  // EndFamily() after each family: a protobuf record is then completed there, so a family in
  // parts becomes one record. Without it every Write() appends whole records.
  bool parts = false;
  // With parts: the most the record of a family in parts may hold before EndFamily() (0: no
  // bound). Past it the protobuf writer forgets the record and Write()/WriteView() return a
  // ResourceExhausted error saying how many bytes the record held. Convert() sets
  // TextOptions::max_family_bytes here, so a family read in parts is bounded as a whole family's
  // model is.
  uint64_t max_held_bytes = 0;
};

class FamilyWriter {
 public:
  virtual ~FamilyWriter() = default;
  // Appends `family` to *out. What the format cannot carry is added to the loss report; what it
  // cannot express at all (e.g. a quoted name in OpenMetrics 1.0 without an escaping scheme) is
  // an InvalidArgument error naming the family, and nothing is appended.
  [[nodiscard]] virtual absl::Status Write(const OwnedFamily& family, std::string* out) = 0;
  // Appends a text reader's view (text input) without the owning model, when this writer
  // writes it exactly as Write() would write the view's FillFromView() model (same bytes, same
  // losses): *written says whether it did. When it did not, nothing was appended or reported,
  // and the caller builds the model and calls Write(). Errors as Write().
  [[nodiscard]] virtual absl::Status WriteView(const FamilyView& /*view*/, std::string* /*out*/,
                                               bool* written) {
    *written = false;
    return absl::OkStatus();
  }
  // Ends the family written last, when the format needs that and the writer left it open for
  // parts (OwnedFamily::part) that may follow: JSON closes the family's object. Called before
  // each family that is not a part, and before output is cut short by an error.
  virtual void EndFamily(std::string* /*out*/) {}
  // Appends the next piece of a completed family that EndFamily() did not copy into `out`: with
  // WriteOptions::parts the protobuf writer hands out a large record in blocks of about 1 MiB, so
  // the caller can write each to its sink instead of holding a copy of the record. False when
  // there is none. What the caller leaves is appended to `out` before anything else (and by
  // Finish()).
  virtual bool MoreOutput(std::string* /*out*/) { return false; }
  // Forgets what was written of the current family and not yet appended (a protobuf record of
  // a family in parts, held until EndFamily()): called when that family will not be complete.
  virtual void DiscardFamily() {}
  // Appends what ends the output (OpenMetrics "# EOF\n", JSON "]\n"). Call once, at the end.
  [[nodiscard]] virtual absl::Status Finish(std::string* out) = 0;
};

// Whether a writer may write `view` from the view itself (FamilyWriter::WriteView): names stay
// as they are (kAllowUtf8) and FillFromView() reports no loss for it (it does for a gauge
// histogram and a summary's fractional count).
inline bool FillsWithoutLoss(const FamilyView& view, Escaping escaping) {
  if (escaping != Escaping::kAllowUtf8) return false;
  switch (view.type) {
    case MetricType::kCounter:
    case MetricType::kGauge:
    case MetricType::kUntyped:
    case MetricType::kHistogram:
      return true;
    case MetricType::kSummary:
      for (const Series& s : view.series) {
        if (s.has_count && !IsWholeUint64(s.count)) return false;
      }
      return true;
    default:
      return false;
  }
}

// Prometheus text 0.0.4, byte for byte as client_golang's expfmt writes it.
std::unique_ptr<FamilyWriter> NewTextWriter(const WriteOptions& options, LossReport* losses);
// OpenMetrics 1.0 (with "# EOF").
std::unique_ptr<FamilyWriter> NewOpenMetricsWriter(const WriteOptions& options, LossReport* losses);
// OpenMetrics 2.0.0-rc0 (CompositeValues, native histograms, st@; "# EOF").
std::unique_ptr<FamilyWriter> NewOpenMetrics2Writer(const WriteOptions& options,
                                                    LossReport* losses);
// Delimited protobuf (varint length + MetricFamily per family).
std::unique_ptr<FamilyWriter> NewProtobufWriter(const WriteOptions& options, LossReport* losses);
// The protobuf text format, one MetricFamily after another (expfmt's encoding=text).
std::unique_ptr<FamilyWriter> NewProtobufTextWriter(const WriteOptions& options,
                                                    LossReport* losses);
// prom2json's JSON: one array of families, numbers as strings.
std::unique_ptr<FamilyWriter> NewJsonWriter(const WriteOptions& options, LossReport* losses);

// Name escaping shared by the writers (Prometheus' escaping schemes). Returns false when
// `escaping` is kNone and the name is not a legacy name.
using chars::IsLegacyLabelName;
using chars::IsLegacyMetricName;
// The text formats are UTF-8: an InvalidArgument error naming the family whose name (or HELP,
// when `check_help`) is not valid UTF-8 (possible in protobuf input, which carries strings as
// bytes); OK otherwise. Label names and values are checked series by series (LabelSetProblem).
absl::Status CheckUtf8(const OwnedFamily& family, bool check_help);

// Why the labels of series `m` of a family of `type` cannot be written in a text format (both
// parsers reject the line): an empty name, a name or value that is not UTF-8, a label named
// __name__, a name given twice, or a label named le (histograms) or quantile (summaries), which
// the writer adds itself. Empty when they can be written. `scratch` is reused between calls.
// `utf8_checked`: the family's reader already guaranteed UTF-8 (OwnedFamily::utf8_checked), so
// names and values are not validated again.
std::string LabelSetProblem(const pb::Metric& m, MetricType type,
                            std::vector<std::string_view>* scratch, bool utf8_checked = false);

// Appends `name` escaped by `escaping` (kAllowUtf8 appends it unchanged).
void AppendEscapedName(std::string_view name, Escaping escaping, std::string* out);

// Labels of a text reader's series (FamilyView) that the text and OpenMetrics 1.0 writers write
// as they are from the view: at most 16 (compared pairwise), legacy names (never quoted, not
// __name__), each given once. Their values are UTF-8 (the text parser checked them).
bool ViewLabelsPlain(std::span<const Label> labels);

// A counter, gauge or untyped view with a legacy name whose every series has ViewLabelsPlain()
// labels, written with no escaping scheme (kAllowUtf8): what the text and OpenMetrics 1.0
// writers may write from the view itself (each adds its own conditions).
bool ViewWritable(const FamilyView& view, Escaping escaping);

// Appends `{name="value",...}` for such labels (nothing when there are none): a value without a
// backslash as it was written (nothing to unescape, nothing to escape again), others unescaped
// (through *scratch) and escaped again as a label value.
void AppendViewLabels(std::span<const Label> labels, std::string* scratch, std::string* out);

}  // namespace promtool
