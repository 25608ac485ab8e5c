// Writes owned families as OpenMetrics 1.0 text (TYPE, UNIT, HELP, samples with exemplars and
// created timestamps, "# EOF" at the end).
//
// The writer maps the model onto OpenMetrics' naming (a counter family `x_total` is written as
// family `x` with samples `x_total`). It never emits what the OpenMetrics parser rejects: series
// whose label names cannot be written are skipped, and each family's text, written in place at
// the end of the output, is read back there by OpenMetricsParser (a quantile outside [0, 1], a
// negative or NaN counter, duplicate label sets, an over-long exemplar, ...); a rejected family
// is cut from the output again and reported as a loss with the parser's reason. Names need more,
// because OpenMetrics reserves every family's sample names across the whole output: the writer
// remembers the names written so far (one entry per name, not per sample) and writes a clashing
// counter as an unknown family, or refuses a family whose names cannot be written without a clash.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/hash.h"
#include "common/strcat.h"
#include "model/model_access.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "promtool/openmetrics_parser.h"
#include "promtool/source.h"
#include "text/openmetrics_util.h"
#include "write/writer.h"

namespace promtool {
namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 Uint128;

void AppendUint(uint64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out->append(buf, end);
}

// `units` / `divisor` as an exact decimal, without trailing zeros in the fraction. `divisor` is
// 1000 (milliseconds) or 1e9 (nanoseconds), `digits` its number of zeros.
void AppendScaled(Int128 units, int64_t divisor, int digits, std::string* out) {
  if (units < 0) {
    out->push_back('-');
    units = -units;
  }
  const auto whole = static_cast<Uint128>(units) / static_cast<uint64_t>(divisor);
  auto frac = static_cast<uint64_t>(static_cast<Uint128>(units) % static_cast<uint64_t>(divisor));
  // The whole part fits in 64 bits: |units| < 2^64 * 1e9 for any int64 seconds and nanos.
  AppendUint(static_cast<uint64_t>(whole), out);
  if (frac == 0) return;
  char buf[16];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int n = digits;
  while (n > 0 && buf[n - 1] == '0') --n;
  out->push_back('.');
  out->append(buf, static_cast<size_t>(n));
}

// Milliseconds as decimal seconds: 1500 -> "1.5".
void AppendMillis(int64_t ms, std::string* out) { AppendScaled(ms, 1000, 3, out); }

// A google.protobuf.Timestamp as decimal seconds: {1, 250000000} -> "1.25".
void AppendTimestamp(const google::protobuf::Timestamp& ts, std::string* out) {
  AppendScaled(static_cast<Int128>(ts.seconds()) * 1000000000 + ts.nanos(), 1000000000, 9, out);
}

bool IsUnitChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':';
}

constexpr std::string_view kEscapingHint = "(use --escaping=underscores|dots|values)";

class OpenMetricsWriter final : public FamilyWriter {
 public:
  OpenMetricsWriter(const WriteOptions& options, LossReport* losses)
      : options_(options), losses_(losses) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    if (family.part) return WritePart(family, out);
    parts_ = Parts{};
    // Readers give parts of counters, gauges and untyped families only (FamilyReader,
    // the protobuf stream).
    parts_.open =
        family.more && (family.type == MetricType::kCounter || family.type == MetricType::kGauge ||
                        family.type == MetricType::kUntyped);
    const pb::MetricFamily& p = family.proto;
    const std::string& name = p.name();
    if (name.empty()) return absl::InvalidArgumentError("a metric family has no name");
    escaped_.clear();
    exemplars_lost_ = created_lost_ = native_ = 0;
    buf_ = out;  // written in place; cut back to start_ when the family is not written
    start_ = out->size();

    if (absl::Status s = SetFamilyName(name, BaseName(name, family.type)); !s.ok()) return s;
    if (absl::Status s = CheckLabelNames(family); !s.ok()) return s;
    if (absl::Status s = CheckUtf8(family, /*check_help=*/true); !s.ok()) return s;

    // Names must not clash with an earlier family's (OpenMetrics reserves every sample name of
    // a family). The common case: text from client_golang has a gauge `x` and a counter
    // `x_total`, whose OpenMetrics family would be `x` again; such a counter is written as an
    // unknown family `x_total` (same sample name; type, exemplars and created timestamps lost).
    MetricType type = family.type;
    const std::string* other = Clash(type);
    bool counter_as_unknown = false;
    if (other != nullptr && type == MetricType::kCounter) {
      const std::string counter_name = family_;
      if (absl::Status s = SetFamilyName(name, name); !s.ok()) return s;
      if (Clash(MetricType::kUnknown) == nullptr) {
        type = MetricType::kUnknown;
        counter_as_unknown = true;
        other = nullptr;
      } else {
        family_ = counter_name;
      }
    }
    if (other != nullptr) {
      return absl::InvalidArgumentError(StrCat(
          "family \"", name, "\": its OpenMetrics family \"", family_,
          "\" would clash with the family \"", *other,
          "\" written before it (OpenMetrics reserves each family's name and sample names)"));
    }
    Claim(type, name);

    // Metadata: TYPE, UNIT, HELP.
    AppendMetadataLine("TYPE", OpenMetricsTypeName(type));
    if (p.has_unit()) {
      if (UnitFits(type, p.unit())) {
        AppendMetadataLine("UNIT", p.unit());
      } else {
        Loss(name, LossKind::kUnit, 1);
      }
    }
    if (p.has_help()) AppendHelp(p.help());
    const size_t header_end = buf_->size();

    uint64_t dropped = 0;
    std::string first_problem;
    // Where the metadata and the first written series end in *out (see Rejection below).
    size_t first_series_end = std::string::npos;
    risky_ = !Plain(type) || counter_as_unknown;
    identities_.Clear();
    parts_.as_unknown = counter_as_unknown;
    part_dropped_ = 0;
    for (const pb::Metric& m : p.metric()) {
      // Label names the parser would reject: the series is not written.
      if (std::string why = LabelSetProblem(m, family.type, &label_names_, family.utf8_checked);
          !why.empty()) {
        if (dropped++ == 0) first_problem = std::move(why);
        continue;
      }
      const size_t series_start = buf_->size();
      if (parts_.open) {
        if (!AcceptInParts(m, family.type)) continue;
      } else if (!risky_) {
        risky_ = !SeriesPlain(m, family.type);
      }
      WriteSeries(m, family.type);
      if (first_series_end == std::string::npos && buf_->size() > series_start) {
        first_series_end = buf_->size();
      }
    }
    // What the writer cannot know series by series (a quantile outside [0, 1], a negative
    // counter, unsorted buckets, duplicate series, an over-long exemplar, ...) the parser
    // judges: a family it rejects is not written, and that is a loss with the parser's reason.
    // Reading the whole family back costs as much as writing it, so it is done only when some
    // series could break a rule that spans series or values (Plain/SeriesPlain below are
    // conservative: they accept only shapes whose every line the parser is known to accept once
    // the first one is accepted); otherwise the metadata and the first series are read back,
    // which covers what depends on the family's name, type, unit and HELP.
    // A family in parts is read back as a whole one would be, as far as its first part goes;
    // rejected there, its later parts are dropped with it.
    const bool whole = risky_ || !escaped_.empty();
    if (Rejected(name, whole ? buf_->size() : first_series_end)) {
      parts_.dropped = true;
      return absl::OkStatus();
    }
    if (parts_.open) parts_.header.assign(*buf_, start_, header_end - start_);
    if (dropped > 0 && losses_ != nullptr) {
      losses_->Add(name, LossKind::kSeriesDropped, dropped, first_problem);
    }
    PartLosses(name);
    if (counter_as_unknown) Loss(name, LossKind::kType, 1);
    Loss(name, LossKind::kExemplar, exemplars_lost_);
    Loss(name, LossKind::kCreatedTimestamp, created_lost_);
    Loss(name, LossKind::kNativeHistogram, native_);
    Loss(name, LossKind::kNameEscaped, escaped_.size());
    parts_.escaped_reported = escaped_.size();
    return absl::OkStatus();
  }

  // A later part of a family in parts (a counter, gauge or untyped family of more series than
  // a part): its series after the ones written, with the first part's name, type and metadata.
  // The output before it is gone already, so what the parser would reject across series is
  // decided series by series (AcceptInParts), and the part alone is read back, after the
  // family's metadata, when it has what the fast check cannot judge.
  absl::Status WritePart(const OwnedFamily& family, std::string* out) {
    const std::string& name = family.proto.name();
    if (!parts_.open) {
      return absl::FailedPreconditionError(
          StrCat("family \"", name, "\": a part came without the family's first part"));
    }
    parts_.open = family.more;
    if (parts_.dropped) return absl::OkStatus();
    buf_ = out;
    start_ = out->size();
    if (absl::Status s = CheckLabelNames(family); !s.ok()) return s;
    if (absl::Status s = CheckUtf8(family, /*check_help=*/false); !s.ok()) return s;
    exemplars_lost_ = created_lost_ = native_ = 0;
    part_dropped_ = 0;
    risky_ = parts_.as_unknown;
    uint64_t dropped = 0, written = 0;
    std::string first_problem;
    for (const pb::Metric& m : family.proto.metric()) {
      if (std::string why = LabelSetProblem(m, family.type, &label_names_, family.utf8_checked);
          !why.empty()) {
        if (dropped++ == 0) first_problem = std::move(why);
        continue;
      }
      if (!AcceptInParts(m, family.type)) continue;
      WriteSeries(m, family.type);
      ++written;
    }
    if ((risky_ || !escaped_.empty()) && RejectedPart(name, written)) return absl::OkStatus();
    if (dropped > 0 && losses_ != nullptr) {
      losses_->Add(name, LossKind::kSeriesDropped, dropped, first_problem);
    }
    PartLosses(name);
    Loss(name, LossKind::kExemplar, exemplars_lost_);
    Loss(name, LossKind::kCreatedTimestamp, created_lost_);
    Loss(name, LossKind::kNameEscaped, escaped_.size() - parts_.escaped_reported);
    parts_.escaped_reported = escaped_.size();
    return absl::OkStatus();
  }

  // The lines of series `m` of a family of `type` (as the model has it; a counter the family
  // writes as unknown, parts_.as_unknown, is one unknown sample).
  void WriteSeries(const pb::Metric& m, MetricType type) {
    if (parts_.as_unknown) {
      const pb::Counter& c = m.counter();
      Sample("", m, {}, 0, c.value());
      if (c.has_exemplar()) ++exemplars_lost_;
      if (c.has_created_timestamp()) ++created_lost_;
      return;
    }
    switch (type) {
      case MetricType::kCounter:
        WriteCounter(m);
        break;
      case MetricType::kGauge:
      case MetricType::kStateSet:
        Sample("", m, {}, 0, m.gauge().value());
        break;
      case MetricType::kInfo:
        Sample("_info", m, {}, 0, m.gauge().value());
        break;
      case MetricType::kSummary:
        WriteSummary(m);
        break;
      case MetricType::kHistogram:
      case MetricType::kGaugeHistogram:
        WriteHistogram(m, type == MetricType::kGaugeHistogram);
        break;
      case MetricType::kUntyped:
      case MetricType::kUnknown:
        Sample("", m, {}, 0, m.untyped().value());
        break;
    }
  }

  // A counter, gauge or untyped text family written from the reader's view: the bytes, losses
  // and read-back of Write() on its FillFromView() model. What Write() would rename, skip, write
  // as another type or refuse (a name or label name that is not legacy, a label set
  // LabelSetProblem rejects, a clash with an earlier family's names, HELP that is not UTF-8),
  // and histograms and summaries, are left to Write(). A later part is written here when its
  // family's first part was.
  absl::Status WriteView(const FamilyView& view, std::string* out, bool* written) override {
    *written = false;
    if (!ViewWritable(view, options_.escaping)) return absl::OkStatus();
    if (view.part && !(parts_.open && parts_.from_view)) return absl::OkStatus();
    if (!view.part && view.has_help && !chars::ValidUtf8(view.help)) return absl::OkStatus();
    const MetricType type = view.type;
    if (view.part) {
      *written = true;
      parts_.open = view.more;
      if (parts_.dropped) return absl::OkStatus();
      buf_ = out;
      start_ = out->size();
      part_dropped_ = 0;
      risky_ = false;
      const uint64_t series = ViewSeries(view, /*first=*/nullptr);
      if (risky_ && RejectedPart(view.name, series)) return absl::OkStatus();
      PartLosses(view.name);
      return absl::OkStatus();
    }
    family_.assign(BaseName(view.name, type));
    if (Clash(type) != nullptr) return absl::OkStatus();
    *written = true;
    escaped_.clear();
    buf_ = out;
    start_ = out->size();
    owner_.assign(view.name);
    Claim(type, owner_);
    parts_ = Parts{};
    parts_.open = view.more;
    parts_.from_view = true;
    part_dropped_ = 0;

    AppendMetadataLine("TYPE", OpenMetricsTypeName(type));
    if (view.has_help) AppendHelp(view.help);
    const size_t header_end = buf_->size();
    size_t first_series_end = std::string::npos;
    risky_ = false;
    identities_.Clear();
    (void)ViewSeries(view, &first_series_end);
    if (Rejected(view.name, risky_ ? buf_->size() : first_series_end)) {
      parts_.dropped = true;
      return absl::OkStatus();
    }
    if (parts_.open) parts_.header.assign(*buf_, start_, header_end - start_);
    PartLosses(view.name);
    return absl::OkStatus();
  }

  absl::Status Finish(std::string* out) override {
    out->append("# EOF\n");
    return absl::OkStatus();
  }

 private:
  // The series lines of `view` (a counter, gauge or untyped family whose names and labels
  // Write() would write as they are), with SeriesPlain()'s check for these types: no timestamp,
  // a label set not seen before, a counter value that is a non-negative number; in a family in
  // parts, AcceptInParts() instead. Sets risky_; *first_series_end (when given) is where the
  // first series ends. Returns the number of series written.
  uint64_t ViewSeries(const FamilyView& view, size_t* first_series_end) {
    const bool counter = view.type == MetricType::kCounter;
    const std::string_view suffix = counter ? "_total" : "";
    uint64_t written = 0;
    for (const Series& s : view.series) {
      hash::Unordered identity;
      for (const Label& l : s.labels) {
        if (l.value.find('\\') == std::string_view::npos) {
          identity.Add(hash::Label(l.name, l.value));
        } else {
          identity.Add(hash::Label(l.name, Unescape(l.value, &scratch_)));
        }
      }
      const uint64_t id = identity.Finish();
      if (parts_.open || view.part) {
        if (!AcceptInParts(id, s.has_timestamp, s.timestamp_ms, counter, s.value)) continue;
        if (s.has_timestamp) risky_ = true;
      }
      buf_->append(family_);
      buf_->append(suffix);
      AppendViewLabels(s.labels, &scratch_, buf_);
      buf_->push_back(' ');
      AppendFloat(s.value, buf_);
      if (s.has_timestamp) {
        buf_->push_back(' ');
        AppendMillis(s.timestamp_ms, buf_);
      }
      buf_->push_back('\n');
      ++written;
      if (first_series_end != nullptr && *first_series_end == std::string::npos) {
        *first_series_end = buf_->size();
      }
      if (parts_.open || view.part) continue;
      if (s.has_timestamp) risky_ = true;
      if (!risky_) {
        if (identities_.Contains(id) || (counter && !(s.value >= 0))) {  // NaN fails too
          risky_ = true;
        } else {
          identities_.Insert(id);
        }
      }
    }
    return written;
  }

  // In a family in parts, whether a series with label-set hash `id` may be written: the rules
  // of OpenMetricsParser that span series, which a part read back alone cannot see. A series
  // that comes again must follow itself with non-decreasing timestamps (one series' points);
  // one seen earlier, apart from it, is refused (a series' samples must be contiguous); so is a
  // negative or NaN counter value. A refused series is counted (part_dropped_, with the first
  // reason) and not written.
  bool AcceptInParts(uint64_t id, bool has_ts, int64_t ts, bool counter, double value) {
    std::string_view why;
    const bool again = parts_.has_prev && id == parts_.prev_id;
    if (again) {
      if (!(has_ts && parts_.prev_has_ts && ts >= parts_.prev_ts)) {
        why =
            "its label set repeats the series before it without a later timestamp; OpenMetrics "
            "repeats a series only as a new point with a timestamp";
      }
    } else if (identities_.Contains(id)) {
      why =
          "its label set appeared earlier in the family, apart from it; OpenMetrics keeps a "
          "series' samples together";
    }
    if (why.empty() && counter && !(value >= 0)) {  // NaN fails too
      why = "a counter value that is negative or NaN";
    }
    if (!why.empty()) {
      if (part_dropped_++ == 0) part_problem_.assign(why);
      return false;
    }
    if (!again) identities_.Insert(id);
    parts_.has_prev = true;
    parts_.prev_id = id;
    parts_.prev_has_ts = has_ts;
    parts_.prev_ts = ts;
    return true;
  }

  // AcceptInParts() for series `m` of a model family of `type`; marks the part for reading
  // back (risky_) when the series has what the fast check does not judge (a timestamp, a
  // counter's exemplar or created timestamp).
  bool AcceptInParts(const pb::Metric& m, MetricType type) {
    hash::Unordered identity;
    for (const pb::LabelPair& l : m.label()) identity.Add(hash::Label(l.name(), l.value()));
    const bool counter = type == MetricType::kCounter && !parts_.as_unknown;
    const pb::Counter& c = m.counter();
    // A counter with only a created timestamp writes no _total sample, so no value to judge.
    const bool value = counter && (c.has_value() || !c.has_created_timestamp());
    if (!AcceptInParts(identity.Finish(), m.has_timestamp_ms(), m.timestamp_ms(), value,
                       c.value())) {
      return false;
    }
    if (m.has_timestamp_ms() || (counter && (c.has_exemplar() || c.has_created_timestamp()))) {
      risky_ = true;
    }
    return true;
  }

  // Reports the series AcceptInParts() refused in the part just written.
  void PartLosses(std::string_view family) {
    if (part_dropped_ > 0 && losses_ != nullptr) {
      losses_->Add(family, LossKind::kSeriesDropped, part_dropped_, part_problem_);
    }
    part_dropped_ = 0;
  }

  // Reads a later part of a family back after the family's metadata (Rejection): when the
  // parser rejects it, cuts it from the output and reports its `series` as not written, with
  // the parser's reason, and returns true. The family's earlier parts stay.
  bool RejectedPart(std::string_view name, uint64_t series) {
    verify_.assign(parts_.header);
    verify_.append(*buf_, start_);
    verify_.append("# EOF\n");
    std::string rejected = Judge(verify_);
    if (rejected.empty()) return false;
    buf_->resize(start_);
    part_dropped_ = 0;
    if (losses_ != nullptr && series > 0) {
      losses_->Add(name, LossKind::kSeriesDropped, series,
                   StrCat("the OpenMetrics parser rejects a part of the family: ", rejected));
    }
    return true;
  }

  void Loss(std::string_view family, LossKind kind, uint64_t count) {
    if (count > 0 && losses_ != nullptr) losses_->Add(family, kind, count);
  }

  bool Quoting() const {
    return options_.escaping == Escaping::kAllowUtf8 || options_.escaping == Escaping::kNone;
  }

  // Notes `from` as rewritten (once per distinct name and family).
  void NoteEscaped(std::string_view from) {
    for (const std::string& e : escaped_) {
      if (e == from) return;
    }
    escaped_.emplace_back(from);
  }

  // The family name as written (legacy names as they are, others escaped or refused).
  absl::Status SetFamilyName(const std::string& name, std::string_view base) {
    family_.clear();
    const bool legacy = IsLegacyMetricName(base);
    if (legacy && options_.escaping != Escaping::kDots) {
      family_.assign(base);
      return absl::OkStatus();
    }
    if (!legacy && Quoting()) {
      return absl::InvalidArgumentError(
          StrCat("family \"", name,
                 "\": the name is not a legacy metric name and OpenMetrics 1.0 cannot quote "
                 "names ",
                 kEscapingHint));
    }
    AppendEscapedName(base, options_.escaping, &family_);
    if (family_ != base) NoteEscaped(base);
    return absl::OkStatus();
  }

  // Why OpenMetricsParser rejects the family's text up to `end` (an offset in *buf_: the family
  // starts at start_), read on its own and ended by "# EOF", or empty when it accepts it.
  // Clashes with earlier families are Clash()'s business.
  std::string Rejection(size_t end) {
    const size_t full = buf_->size();
    if (end > full) end = full;
    std::string_view text;
    if (end == full) {
      buf_->append("# EOF\n");  // read in place, no copy of the family
      text = std::string_view(*buf_).substr(start_);
    } else {
      verify_.assign(*buf_, start_, end - start_);
      verify_.append("# EOF\n");
      text = verify_;
    }
    std::string rejected = Judge(text);
    buf_->resize(full);
    return rejected;
  }

  // Why OpenMetricsParser rejects `text` (a whole exposition, "# EOF" included), or empty.
  static std::string Judge(std::string_view text) {
    std::unique_ptr<Source> source = MemorySource(text);
    OpenMetricsParser parser(*source);
    for (;;) {
      switch (parser.Next()) {
        case Entry::kEnd:
          return {};
        case Entry::kError:
          return parser.Error().message;
        default:
          break;
      }
    }
  }

  // The OpenMetrics family name of model family `name`: counters and info families drop their
  // sample suffix.
  static std::string_view BaseName(std::string_view name, MetricType type) {
    if (type == MetricType::kCounter && name.ends_with("_total") && name.size() > 6) {
      name.remove_suffix(6);
    } else if (type == MetricType::kInfo && name.ends_with("_info") && name.size() > 5) {
      name.remove_suffix(5);
    }
    return name;
  }

  // "# <keyword> <family> <text>\n" (TYPE and UNIT; text written as it is).
  void AppendMetadataLine(std::string_view keyword, std::string_view text) {
    buf_->append("# ");
    buf_->append(keyword);
    buf_->push_back(' ');
    buf_->append(family_);
    buf_->push_back(' ');
    buf_->append(text);
    buf_->push_back('\n');
  }

  // "# HELP <family> <escaped help>\n".
  void AppendHelp(std::string_view help) {
    buf_->append("# HELP ");
    buf_->append(family_);
    buf_->push_back(' ');
    AppendEscaped(help, EscapeSet::kLabelValue, buf_);
    buf_->push_back('\n');
  }

  // Reads the family's text back up to `end` (Rejection): when the parser rejects it, cuts it
  // from the output, reports the loss with the parser's reason, and returns true.
  bool Rejected(std::string_view name, size_t end) {
    std::string rejected = Rejection(end);
    if (rejected.empty()) return false;
    buf_->resize(start_);
    if (losses_ != nullptr) {
      losses_->Add(name, LossKind::kFamilyDropped, 1,
                   StrCat("the OpenMetrics parser rejects it: ", rejected));
    }
    return true;
  }

  // Types whose series the fast check below understands; the others are always read back.
  static bool Plain(MetricType type) {
    switch (type) {
      case MetricType::kCounter:
      case MetricType::kGauge:
      case MetricType::kUntyped:
      case MetricType::kUnknown:
      case MetricType::kHistogram:
      case MetricType::kSummary:
        return true;
      default:
        return false;
    }
  }

  // True when the lines written for series `m` break none of the parser's value and cross-line
  // rules: no timestamp, exemplar or created timestamp (ordering and placement rules), a label
  // set not seen before in the family (duplicate series), counter values and histogram/summary
  // sums non-negative numbers, quantiles in [0, 1] strictly increasing with non-negative (or
  // NaN) values, classic histogram buckets with integer counts, increasing non-negative bounds,
  // non-decreasing counts and a +Inf count equal to _count. False means "maybe not", and the
  // whole family is read back by the parser.
  bool SeriesPlain(const pb::Metric& m, MetricType type) {
    if (m.has_timestamp_ms()) return false;
    hash::Unordered identity;
    for (const pb::LabelPair& l : m.label()) identity.Add(hash::Label(l.name(), l.value()));
    const uint64_t id = identity.Finish();
    if (identities_.Contains(id)) return false;
    identities_.Insert(id);
    auto non_negative = [](double v) { return !std::isnan(v) && v >= 0; };
    switch (type) {
      case MetricType::kCounter: {
        const pb::Counter& c = m.counter();
        return !c.has_exemplar() && !c.has_created_timestamp() && non_negative(c.value());
      }
      case MetricType::kSummary: {
        const pb::Summary& s = m.summary();
        if (s.has_created_timestamp()) return false;
        if (s.has_sample_sum() && !non_negative(s.sample_sum())) return false;
        double last = -1;
        for (const pb::Quantile& q : s.quantile()) {
          if (!(q.quantile() > last && q.quantile() <= 1)) return false;  // NaN fails too
          if (q.value() < 0) return false;
          last = q.quantile();
        }
        return true;
      }
      case MetricType::kHistogram: {
        const pb::Histogram& h = m.histogram();
        if (IsNativeHistogram(h) || h.exemplars_size() > 0 || h.has_created_timestamp() ||
            h.has_sample_count_float()) {
          return false;
        }
        if (h.has_sample_sum() && !non_negative(h.sample_sum())) return false;
        double last_bound = -INFINITY;
        uint64_t last_count = 0;
        bool has_inf = false;
        for (const pb::Bucket& b : h.bucket()) {
          if (b.has_cumulative_count_float() || b.has_exemplar()) return false;
          // Increasing and not negative (a negative le forbids _sum); NaN fails too.
          if (!(b.upper_bound() > last_bound) || b.upper_bound() < 0) return false;
          if (b.cumulative_count() < last_count) return false;
          last_bound = b.upper_bound();
          last_count = b.cumulative_count();
          if (std::isinf(last_bound)) has_inf = true;
        }
        // The writer adds a +Inf bucket with the sample count when the input had none; with
        // one, _count (written when the model has a count or a sum) must equal it.
        if (!has_inf) return h.sample_count() >= last_count;
        return !(HasHistogramCount(h) || h.has_sample_sum()) || h.sample_count() == last_count;
      }
      default:
        return true;  // gauge, untyped, unknown: any value
    }
  }

  // The sample-name suffixes a family of `type` owns besides its name.
  static std::span<const std::string_view> Suffixes(MetricType type) {
    static constexpr std::string_view kCounter[] = {"_total", "_created"};
    static constexpr std::string_view kHistogram[] = {"_bucket", "_count", "_sum", "_created"};
    static constexpr std::string_view kGaugeHistogram[] = {"_bucket", "_gcount", "_gsum"};
    static constexpr std::string_view kSummary[] = {"_count", "_sum", "_created"};
    static constexpr std::string_view kInfo[] = {"_info"};
    switch (type) {
      case MetricType::kCounter:
        return kCounter;
      case MetricType::kHistogram:
        return kHistogram;
      case MetricType::kGaugeHistogram:
        return kGaugeHistogram;
      case MetricType::kSummary:
        return kSummary;
      case MetricType::kInfo:
        return kInfo;
      default:
        return {};
    }
  }

  // The earlier family that already claimed a name family_ of `type` needs, or nullptr.
  const std::string* Clash(MetricType type) {
    auto it = claimed_.find(family_);
    if (it != claimed_.end()) return &it->second;
    for (std::string_view suffix : Suffixes(type)) {
      scratch_.assign(family_);
      scratch_.append(suffix);
      it = claimed_.find(scratch_);
      if (it != claimed_.end()) return &it->second;
    }
    return nullptr;
  }

  void Claim(MetricType type, const std::string& owner) {
    claimed_.emplace(family_, owner);
    for (std::string_view suffix : Suffixes(type)) {
      scratch_.assign(family_);
      scratch_.append(suffix);
      claimed_.emplace(scratch_, owner);
    }
  }

  // Refuses label names OpenMetrics 1.0 cannot write (before anything is appended).
  absl::Status CheckLabelNames(const OwnedFamily& family) {
    auto check = [&](const pb::LabelPair& l) -> absl::Status {
      if (IsLegacyLabelName(l.name())) return absl::OkStatus();
      if (Quoting()) {
        return absl::InvalidArgumentError(
            StrCat("family \"", family.proto.name(), "\": label name \"", l.name(),
                   "\" is not a legacy label name and OpenMetrics 1.0 cannot quote names ",
                   kEscapingHint));
      }
      scratch_.clear();
      AppendEscapedName(l.name(), options_.escaping, &scratch_);
      if (!IsLegacyLabelName(scratch_)) {
        return absl::InvalidArgumentError(StrCat(
            "family \"", family.proto.name(), "\": label name \"", l.name(), "\" escapes to \"",
            scratch_, "\", which is still not an OpenMetrics label name (':' is not allowed)"));
      }
      return absl::OkStatus();
    };
    for (const pb::Metric& m : family.proto.metric()) {
      for (const pb::LabelPair& l : m.label()) {
        absl::Status s = check(l);
        if (s.ok()) continue;
        // A series whose label set cannot be written is skipped (and reported) by Write(), so
        // its names do not refuse the family. Asked only on a failure: most names are legacy.
        if (!LabelSetProblem(m, family.type, &label_names_, family.utf8_checked).empty()) break;
        return s;
      }
      const pb::Exemplar* ex = nullptr;
      if (m.has_counter() && m.counter().has_exemplar()) ex = &m.counter().exemplar();
      if (ex != nullptr) {
        for (const pb::LabelPair& l : ex->label()) {
          if (absl::Status s = check(l); !s.ok()) return s;
        }
      }
      for (const pb::Bucket& b : m.histogram().bucket()) {
        for (const pb::LabelPair& l : b.exemplar().label()) {
          if (absl::Status s = check(l); !s.ok()) return s;
        }
      }
    }
    return absl::OkStatus();
  }

  // A UNIT line the parser accepts: empty, or (not info/stateset) a suffix "_<unit>" of the
  // family name made of name characters.
  bool UnitFits(MetricType type, std::string_view unit) const {
    if (unit.empty()) return true;
    if (type == MetricType::kInfo || type == MetricType::kStateSet) return false;
    for (char c : unit) {
      if (!IsUnitChar(c)) return false;
    }
    std::string_view f = family_;
    return f.size() > unit.size() + 1 && f.ends_with(unit) && f[f.size() - unit.size() - 1] == '_';
  }

  void AppendLabelName(std::string_view n) {
    if (IsLegacyLabelName(n) && options_.escaping != Escaping::kDots) {
      buf_->append(n);
      return;
    }
    const size_t before = buf_->size();
    AppendEscapedName(n, options_.escaping, buf_);
    if (std::string_view(*buf_).substr(before) != n) NoteEscaped(n);
  }

  void AppendLabels(const google::protobuf::RepeatedPtrField<pb::LabelPair>& labels,
                    std::string_view extra_name, double extra_value) {
    if (labels.empty() && extra_name.empty()) return;
    char sep = '{';
    for (const pb::LabelPair& l : labels) {
      buf_->push_back(sep);
      AppendLabelName(l.name());
      buf_->append("=\"");
      AppendEscaped(l.value(), EscapeSet::kLabelValue, buf_);
      buf_->push_back('"');
      sep = ',';
    }
    if (!extra_name.empty()) {
      buf_->push_back(sep);
      buf_->append(extra_name);
      buf_->append("=\"");
      AppendFloat(extra_value, buf_);
      buf_->push_back('"');
    }
    buf_->push_back('}');
  }

  // `<family><suffix>{labels[,extra]}` — the part of a sample line before the value.
  void Head(std::string_view suffix, const pb::Metric& m, std::string_view extra_name,
            double extra_value) {
    buf_->append(family_);
    buf_->append(suffix);
    AppendLabels(m.label(), extra_name, extra_value);
    buf_->push_back(' ');
  }

  void Tail(const pb::Metric& m) {
    if (m.has_timestamp_ms()) {
      buf_->push_back(' ');
      AppendMillis(m.timestamp_ms(), buf_);
    }
  }

  void WriteExemplar(const pb::Exemplar& ex) {
    buf_->append(" # ");
    AppendLabels(ex.label(), {}, 0);
    if (ex.label().empty()) buf_->append("{}");
    buf_->push_back(' ');
    AppendFloat(ex.value(), buf_);
    if (ex.has_timestamp()) {
      buf_->push_back(' ');
      AppendTimestamp(ex.timestamp(), buf_);
    }
  }

  void Sample(std::string_view suffix, const pb::Metric& m, std::string_view extra_name,
              double extra_value, double value) {
    Head(suffix, m, extra_name, extra_value);
    AppendFloat(value, buf_);
    Tail(m);
    buf_->push_back('\n');
  }

  void Created(const pb::Metric& m, const google::protobuf::Timestamp& ts) {
    Head("_created", m, {}, 0);
    AppendTimestamp(ts, buf_);
    Tail(m);
    buf_->push_back('\n');
  }

  void WriteCounter(const pb::Metric& m) {
    const pb::Counter& c = m.counter();
    if (c.has_value() || !c.has_created_timestamp()) {
      Head("_total", m, {}, 0);
      AppendFloat(c.value(), buf_);
      Tail(m);
      if (c.has_exemplar()) WriteExemplar(c.exemplar());
      buf_->push_back('\n');
    } else if (c.has_exemplar()) {
      ++exemplars_lost_;
    }
    if (c.has_created_timestamp()) Created(m, c.created_timestamp());
  }

  void WriteSummary(const pb::Metric& m) {
    const pb::Summary& s = m.summary();
    for (const pb::Quantile& q : s.quantile()) {
      Sample("", m, "quantile", q.quantile(), q.value());
    }
    // Each of _count and _sum only when the model has it: the parser accepts a summary with
    // one and not the other, so writing a 0 for the missing one would invent a sample.
    if (s.has_sample_count()) {
      Head("_count", m, {}, 0);
      AppendUint(s.sample_count(), buf_);
      Tail(m);
      buf_->push_back('\n');
    }
    if (s.has_sample_sum()) Sample("_sum", m, {}, 0, s.sample_sum());
    if (s.has_created_timestamp()) Created(m, s.created_timestamp());
  }

  // A count: the integer field, or the float one when the model uses it.
  void AppendCount(bool has_float, double f, uint64_t u) {
    if (FloatCountWins(has_float, f, u)) {
      AppendFloat(f, buf_);
    } else {
      AppendUint(u, buf_);
    }
  }

  void WriteHistogram(const pb::Metric& m, bool gauge) {
    const pb::Histogram& h = m.histogram();
    const bool native = IsNativeHistogram(h);
    if (native) ++native_;
    exemplars_lost_ += static_cast<uint64_t>(h.exemplars_size());
    const bool has_count = HasHistogramCount(h);
    bool has_inf = false, has_negative = false;
    for (const pb::Bucket& b : h.bucket()) {
      Head("_bucket", m, "le", b.upper_bound());
      AppendCount(b.has_cumulative_count_float(), b.cumulative_count_float(), b.cumulative_count());
      Tail(m);
      if (b.has_exemplar()) WriteExemplar(b.exemplar());
      buf_->push_back('\n');
      if (std::isinf(b.upper_bound()) && b.upper_bound() > 0) has_inf = true;
      if (b.upper_bound() < 0) has_negative = true;
    }
    if (!has_inf && (h.bucket_size() > 0 || has_count || h.has_sample_sum() || native)) {
      Head("_bucket", m, "le", INFINITY);
      AppendCount(h.has_sample_count_float(), h.sample_count_float(), h.sample_count());
      Tail(m);
      buf_->push_back('\n');
    }
    // _count and _sum come together. OpenMetrics forbids a histogram _sum when some bucket is
    // negative, and a negative _gsum when none is: then both are left out (the count stays in
    // the +Inf bucket).
    const bool sum_allowed = gauge ? !(h.sample_sum() < 0) || has_negative : !has_negative;
    if ((has_count || h.has_sample_sum()) && sum_allowed) {
      Head(gauge ? "_gcount" : "_count", m, {}, 0);
      AppendCount(h.has_sample_count_float(), h.sample_count_float(), h.sample_count());
      Tail(m);
      buf_->push_back('\n');
      Sample(gauge ? "_gsum" : "_sum", m, {}, 0, h.sample_sum());
    }
    if (h.has_created_timestamp()) {
      if (gauge) {
        ++created_lost_;  // gauge histograms have no _created
      } else {
        Created(m, h.created_timestamp());
      }
    }
  }

  WriteOptions options_;
  LossReport* losses_;
  std::string family_;          // the family name as written
  std::string* buf_ = nullptr;  // the output; the family's text from start_ on
  size_t start_ = 0;
  std::string scratch_;                        // label name escaping checks
  std::string verify_;                         // part of a family + "# EOF" for Rejection()
  std::string owner_;                          // WriteView(): the family's model name
  std::vector<std::string_view> label_names_;  // LabelSetProblem's scratch
  std::vector<std::string> escaped_;           // names rewritten in this family
  bool risky_ = false;                         // the family must be read back whole
  hash::Set identities_;                       // label-set hashes of the family's series
  // A family in parts (OwnedFamily::more, FamilyView::more): what its later parts need.
  struct Parts {
    bool open = false;            // more parts of the family written last may follow
    bool dropped = false;         // its first part was rejected: the later ones go with it
    bool from_view = false;       // its first part was written by WriteView()
    bool as_unknown = false;      // a counter written as an unknown family
    std::string header;           // its metadata lines, read back before a later part
    size_t escaped_reported = 0;  // escaped_ entries already reported as losses
    bool has_prev = false;        // the last series written, for AcceptInParts()
    uint64_t prev_id = 0;
    bool prev_has_ts = false;
    int64_t prev_ts = 0;
  };
  Parts parts_;
  uint64_t part_dropped_ = 0;  // series AcceptInParts() refused in the current part
  std::string part_problem_;   // the first one's reason
  // Every family and sample name written so far -> the model name of its family.
  std::unordered_map<std::string, std::string> claimed_;
  uint64_t exemplars_lost_ = 0, created_lost_ = 0, native_ = 0;
};

}  // namespace

std::unique_ptr<FamilyWriter> NewOpenMetricsWriter(const WriteOptions& options,
                                                   LossReport* losses) {
  return std::make_unique<OpenMetricsWriter>(options, losses);
}

}  // namespace promtool
