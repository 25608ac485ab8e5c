// Writes owned families as OpenMetrics 2.0.0-rc0 text: one line per point with CompositeValues
// for histograms, gauge histograms and summaries, native histograms in text, st@ start
// timestamps, several exemplars, quoted UTF-8 names, and "# EOF" at the end.
//
// In 2.0 the family name is the sample name, so the model's name is written as it is (a counter
// `x_total` is family `x_total`). What 2.0 cannot carry is reported as a loss: series it cannot
// write (a summary or histogram without count or sum, reserved label names), exemplars without
// a timestamp, start timestamps of gauge histograms, units of info and stateset families. Each
// family's text is read back by OpenMetrics2Parser before it is appended; a family it rejects
// (or whose exemplars it would drop) is not written and is reported with the parser's reason.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/strcat.h"
#include "model/model_access.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "promtool/openmetrics2_parser.h"
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

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out->append(buf, end);
}

// `units` / `divisor` as an exact decimal without trailing zeros (divisor 10^digits).
void AppendScaled(Int128 units, uint64_t divisor, int digits, std::string* out) {
  if (units < 0) {
    out->push_back('-');
    units = -units;
  }
  const auto whole = static_cast<Uint128>(units) / divisor;
  auto frac = static_cast<uint64_t>(static_cast<Uint128>(units) % divisor);
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

// A count of a float histogram: always in float syntax ("5.0", not "5"), so that the reader
// (and Prometheus) tells it from an integer histogram.
void AppendFloatCount(double v, std::string* out) {
  const size_t at = out->size();
  AppendFloat(v, out);
  if (std::string_view(*out).substr(at).find_first_not_of("+-0123456789") ==
      std::string_view::npos) {
    out->append(".0");
  }
}

bool IsUnitChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':';
}

// A histogram whose counts are floats in the model (any of its count fields uses the float
// form): all its counts are written in float syntax.
bool FloatHistogram(const pb::Histogram& h) {
  if (FloatCountWins(h.has_sample_count_float(), h.sample_count_float(), h.sample_count()) ||
      FloatCountWins(h.has_zero_count_float(), h.zero_count_float(), h.zero_count()) ||
      h.positive_count_size() > 0 || h.negative_count_size() > 0) {
    return true;
  }
  for (const pb::Bucket& b : h.bucket()) {
    if (FloatCountWins(b.has_cumulative_count_float(), b.cumulative_count_float(),
                       b.cumulative_count())) {
      return true;
    }
  }
  return false;
}

bool SameExemplar(const pb::Exemplar& a, const pb::Exemplar& b) {
  if (a.value() != b.value() || a.label_size() != b.label_size() ||
      a.timestamp().seconds() != b.timestamp().seconds() ||
      a.timestamp().nanos() != b.timestamp().nanos()) {
    return false;
  }
  for (int i = 0; i < a.label_size(); ++i) {
    if (a.label(i).name() != b.label(i).name() || a.label(i).value() != b.label(i).value()) {
      return false;
    }
  }
  return true;
}

class OpenMetrics2Writer final : public FamilyWriter {
 public:
  OpenMetrics2Writer(const WriteOptions& options, LossReport* losses)
      : options_(options), losses_(losses) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily& p = family.proto;
    const std::string& name = p.name();
    if (name.empty()) return absl::InvalidArgumentError("a metric family has no name");
    if (absl::Status s = CheckUtf8(family, /*check_help=*/true); !s.ok()) return s;
    escaped_.clear();
    refused_.clear();
    exemplars_lost_ = created_lost_ = 0;
    buf_.clear();

    // The name as written: bare when it is a legacy name, else quoted (allow-utf-8) or escaped.
    name_.clear();
    quoted_name_ = false;
    if (IsLegacyMetricName(name) && options_.escaping != Escaping::kDots) {
      name_ = name;
    } else if (options_.escaping == Escaping::kAllowUtf8) {
      quoted_name_ = !IsLegacyMetricName(name);
      name_ = name;
    } else if (options_.escaping == Escaping::kNone) {
      return absl::InvalidArgumentError(
          StrCat("family \"", name,
                 "\": the name is not a legacy metric name and --escaping=none forbids quoting "
                 "or escaping it (use --escaping=allow-utf-8, underscores, dots or values)"));
    } else {
      AppendEscapedName(name, options_.escaping, &name_);
      if (name_ != name) NoteEscaped(name);
    }

    // Info families end in _info (2.0 requires it); a stateset needs its state label on every
    // series. Otherwise they are written as gauges.
    MetricType type = family.type;
    if (type == MetricType::kUntyped) type = MetricType::kUnknown;
    if (type == MetricType::kInfo && !std::string_view(name_).ends_with("_info")) {
      type = MetricType::kGauge;
    } else if (type == MetricType::kStateSet) {
      for (const pb::Metric& m : p.metric()) {
        bool has_state = false;
        for (const pb::LabelPair& l : m.label()) has_state = has_state || l.name() == name;
        if (!has_state) {
          type = MetricType::kGauge;
          break;
        }
      }
    }
    const bool type_changed = type != family.type && family.type != MetricType::kUntyped;

    buf_.append("# TYPE ");
    AppendMetadataName();
    buf_.push_back(' ');
    buf_.append(OpenMetricsTypeName(type));
    buf_.push_back('\n');
    bool unit_lost = false;
    if (p.has_unit()) {  // an empty UNIT line too, when the input had one
      bool fits = p.unit().empty() || (type != MetricType::kInfo && type != MetricType::kStateSet);
      for (char c : p.unit()) fits = fits && IsUnitChar(c);
      if (fits) {
        buf_.append("# UNIT ");
        AppendMetadataName();
        buf_.push_back(' ');
        buf_.append(p.unit());
        buf_.push_back('\n');
      } else {
        unit_lost = true;
      }
    }
    if (p.has_help() && !p.help().empty()) {
      buf_.append("# HELP ");
      AppendMetadataName();
      buf_.push_back(' ');
      AppendEscaped(p.help(), EscapeSet::kLabelValue, &buf_);
      buf_.push_back('\n');
    }

    uint64_t dropped = 0;
    std::string first_problem;
    for (const pb::Metric& m : p.metric()) {
      // An le label is refused only beside classic buckets: a native-only histogram may have
      // one in 2.0 (LabelSetProblem refuses it for every histogram, as the text formats must).
      const bool native_only =
          (type == MetricType::kHistogram || type == MetricType::kGaugeHistogram) &&
          m.histogram().bucket_size() == 0 && IsNativeHistogram(m.histogram());
      std::string why = LabelSetProblem(m, native_only ? MetricType::kUnknown : family.type,
                                        &label_names_, family.utf8_checked);
      if (why.empty()) why = SeriesProblem(m, type);
      if (!why.empty()) {
        if (dropped++ == 0) first_problem = std::move(why);
        continue;
      }
      switch (type) {
        case MetricType::kCounter:
          WriteCounter(m);
          break;
        case MetricType::kGauge:
        case MetricType::kStateSet:
        case MetricType::kInfo:
          WriteNumber(m, m.gauge().value());
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
          WriteNumber(m, m.untyped().value());
          break;
      }
    }
    if (!refused_.empty()) {
      return absl::InvalidArgumentError(
          StrCat("family \"", name, "\": label name \"", refused_,
                 "\" is not a legacy label name and --escaping=none forbids quoting or escaping "
                 "it (use --escaping=allow-utf-8, underscores, dots or values)"));
    }
    if (std::string rejected = Rejection(); !rejected.empty()) {
      if (losses_ != nullptr) {
        losses_->Add(name, LossKind::kFamilyDropped, 1,
                     StrCat("the OpenMetrics 2.0 parser rejects it: ", rejected));
      }
      return absl::OkStatus();
    }
    if (dropped > 0 && losses_ != nullptr) {
      losses_->Add(name, LossKind::kSeriesDropped, dropped, first_problem);
    }
    if (type_changed) Loss(name, LossKind::kType, 1, {});
    if (unit_lost) {
      Loss(name, LossKind::kUnit, 1,
           "OpenMetrics 2.0 allows no unit on info and stateset families, and only the "
           "characters [a-zA-Z0-9_:]");
    }
    Loss(name, LossKind::kExemplar, exemplars_lost_,
         "OpenMetrics 2.0 needs a timestamp on every exemplar");
    Loss(name, LossKind::kCreatedTimestamp, created_lost_,
         "OpenMetrics 2.0 gauge histograms have no start timestamp");
    Loss(name, LossKind::kNameEscaped, escaped_.size(), {});
    out->append(buf_);
    return absl::OkStatus();
  }

  absl::Status Finish(std::string* out) override {
    out->append("# EOF\n");
    return absl::OkStatus();
  }

 private:
  void Loss(std::string_view family, LossKind kind, uint64_t count, std::string_view detail) {
    if (count > 0 && losses_ != nullptr) losses_->Add(family, kind, count, detail);
  }

  void NoteEscaped(std::string_view from) {
    for (const std::string& e : escaped_) {
      if (e == from) return;
    }
    escaped_.emplace_back(from);
  }

  // Why series `m` cannot be written as a sample of `type` (empty when it can).
  static std::string SeriesProblem(const pb::Metric& m, MetricType type) {
    for (const pb::LabelPair& l : m.label()) {
      if (l.name().starts_with('_') && l.name() != "__type__" && l.name() != "__unit__") {
        return StrCat("label name ", GoQuote(l.name()),
                      " starts with '_', which OpenMetrics 2.0 reserves");
      }
    }
    if (type == MetricType::kSummary) {
      const pb::Summary& s = m.summary();
      if (!s.has_sample_count() || !s.has_sample_sum()) {
        return "a summary without count or sum (an OpenMetrics 2.0 summary has both)";
      }
    } else if (type == MetricType::kHistogram || type == MetricType::kGaugeHistogram) {
      const pb::Histogram& h = m.histogram();
      // Without a count, the +Inf bucket gives it; without either the count is unknown.
      const bool inf_bucket = h.bucket_size() > 0 &&
                              std::isinf(h.bucket(h.bucket_size() - 1).upper_bound()) &&
                              h.bucket(h.bucket_size() - 1).upper_bound() > 0;
      if (!h.has_sample_sum() || (!HasHistogramCount(h) && !inf_bucket)) {
        return "a histogram without count or sum (an OpenMetrics 2.0 histogram has both)";
      }
    }
    return {};
  }

  // The family name on a TYPE, UNIT or HELP line (quoted when it is not a legacy name).
  void AppendMetadataName() {
    if (!quoted_name_) {
      buf_.append(name_);
      return;
    }
    buf_.push_back('"');
    AppendEscaped(name_, EscapeSet::kLabelValue, &buf_);
    buf_.push_back('"');
  }

  void AppendLabelName(std::string_view n) {
    if (IsLegacyLabelName(n) && options_.escaping != Escaping::kDots) {
      buf_.append(n);
      return;
    }
    if (options_.escaping == Escaping::kNone) {
      if (refused_.empty()) refused_.assign(n);
      buf_.append(n);
      return;
    }
    if (options_.escaping == Escaping::kAllowUtf8) {
      buf_.push_back('"');
      AppendEscaped(n, EscapeSet::kLabelValue, &buf_);
      buf_.push_back('"');
      return;
    }
    const size_t before = buf_.size();
    AppendEscapedName(n, options_.escaping, &buf_);
    if (std::string_view(buf_).substr(before) != n) NoteEscaped(n);
  }

  // `{label="v",...}` after an opening already written (`first`: nothing written yet in it).
  void AppendLabelList(const google::protobuf::RepeatedPtrField<pb::LabelPair>& labels,
                       bool first) {
    for (const pb::LabelPair& l : labels) {
      if (!first) buf_.push_back(',');
      first = false;
      AppendLabelName(l.name());
      buf_.append("=\"");
      AppendEscaped(l.value(), EscapeSet::kLabelValue, &buf_);
      buf_.push_back('"');
    }
    buf_.push_back('}');
  }

  // The sample's name and labels, then a space.
  void Head(const pb::Metric& m) {
    if (quoted_name_) {
      buf_.append("{\"");
      AppendEscaped(name_, EscapeSet::kLabelValue, &buf_);
      buf_.push_back('"');
      AppendLabelList(m.label(), false);
    } else {
      buf_.append(name_);
      if (m.label_size() > 0) {
        buf_.push_back('{');
        AppendLabelList(m.label(), true);
      }
    }
    buf_.push_back(' ');
  }

  // Timestamp and start timestamp after the value.
  void Tail(const pb::Metric& m, const google::protobuf::Timestamp* start) {
    if (m.has_timestamp_ms()) {
      buf_.push_back(' ');
      AppendMillis(m.timestamp_ms(), &buf_);
    }
    if (start != nullptr) {
      buf_.append(" st@");
      AppendTimestamp(*start, &buf_);
    }
  }

  void WriteExemplar(const pb::Exemplar& ex) {
    if (!ex.has_timestamp()) {
      ++exemplars_lost_;
      return;
    }
    buf_.append(" # {");
    AppendLabelList(ex.label(), true);
    buf_.push_back(' ');
    AppendFloat(ex.value(), &buf_);
    buf_.push_back(' ');
    AppendTimestamp(ex.timestamp(), &buf_);
  }

  void WriteNumber(const pb::Metric& m, double v) {
    Head(m);
    AppendFloat(v, &buf_);
    Tail(m, nullptr);
    buf_.push_back('\n');
  }

  void WriteCounter(const pb::Metric& m) {
    const pb::Counter& c = m.counter();
    Head(m);
    AppendFloat(c.value(), &buf_);
    Tail(m, c.has_created_timestamp() ? &c.created_timestamp() : nullptr);
    if (c.has_exemplar()) WriteExemplar(c.exemplar());
    buf_.push_back('\n');
  }

  void WriteSummary(const pb::Metric& m) {
    const pb::Summary& s = m.summary();
    Head(m);
    buf_.append("{count:");
    AppendUint(s.sample_count(), &buf_);
    buf_.append(",sum:");
    AppendFloat(s.sample_sum(), &buf_);
    buf_.append(",quantile:[");
    bool first = true;
    for (const pb::Quantile& q : s.quantile()) {
      if (!first) buf_.push_back(',');
      first = false;
      AppendFloat(q.quantile(), &buf_);
      buf_.push_back(':');
      AppendFloat(q.value(), &buf_);
    }
    buf_.append("]}");
    Tail(m, s.has_created_timestamp() ? &s.created_timestamp() : nullptr);
    buf_.push_back('\n');
  }

  void AppendCount(bool floats, bool has_float, double f, uint64_t u) {
    if (!floats) {
      AppendUint(u, &buf_);
    } else {
      AppendFloatCount(FloatCountWins(has_float, f, u) ? f : static_cast<double>(u), &buf_);
    }
  }

  void AppendSpans(const google::protobuf::RepeatedPtrField<pb::BucketSpan>& spans) {
    buf_.push_back('[');
    bool first = true;
    for (const pb::BucketSpan& s : spans) {
      if (!first) buf_.push_back(',');
      first = false;
      AppendInt(s.offset(), &buf_);
      buf_.push_back(':');
      AppendUint(s.length(), &buf_);
    }
    buf_.push_back(']');
  }

  // Absolute bucket counts: integer deltas summed up, or the float counts as they are.
  void AppendNativeBuckets(bool floats, const google::protobuf::RepeatedField<int64_t>& deltas,
                           const google::protobuf::RepeatedField<double>& counts) {
    buf_.push_back('[');
    bool first = true;
    if (counts.size() > 0) {
      for (double c : counts) {
        if (!first) buf_.push_back(',');
        first = false;
        AppendFloatCount(c, &buf_);
      }
    } else {
      int64_t abs = 0;
      for (int64_t d : deltas) {
        if (!first) buf_.push_back(',');
        first = false;
        abs += d;
        if (floats) {
          AppendFloatCount(static_cast<double>(abs), &buf_);
        } else {
          AppendInt(abs, &buf_);
        }
      }
    }
    buf_.push_back(']');
  }

  void WriteHistogram(const pb::Metric& m, bool gauge) {
    const pb::Histogram& h = m.histogram();
    const bool floats = FloatHistogram(h);
    const bool native = IsNativeHistogram(h);
    Head(m);
    buf_.append(gauge ? "{gcount:" : "{count:");
    const size_t count_at = buf_.size();
    if (HasHistogramCount(h)) {
      AppendCount(floats, h.has_sample_count_float(), h.sample_count_float(), h.sample_count());
    } else {  // no count: the +Inf bucket's (SeriesProblem made sure there is one)
      const pb::Bucket& last = h.bucket(h.bucket_size() - 1);
      AppendCount(floats, last.has_cumulative_count_float(), last.cumulative_count_float(),
                  last.cumulative_count());
    }
    count_text_.assign(buf_, count_at);
    buf_.append(gauge ? ",gsum:" : ",sum:");
    AppendFloat(h.sample_sum(), &buf_);
    if (native) {
      buf_.append(",schema:");
      AppendInt(h.schema(), &buf_);
      buf_.append(",zero_threshold:");
      AppendFloat(h.zero_threshold(), &buf_);
      buf_.append(",zero_count:");
      AppendCount(floats, h.has_zero_count_float(), h.zero_count_float(), h.zero_count());
      if (h.negative_span_size() > 0) {
        buf_.append(",negative_spans:");
        AppendSpans(h.negative_span());
        buf_.append(",negative_buckets:");
        AppendNativeBuckets(floats, h.negative_delta(), h.negative_count());
      }
      if (h.positive_span_size() > 0) {
        buf_.append(",positive_spans:");
        AppendSpans(h.positive_span());
        buf_.append(",positive_buckets:");
        AppendNativeBuckets(floats, h.positive_delta(), h.positive_count());
      }
    }
    if (h.bucket_size() > 0 || !native) {
      buf_.append(",bucket:[");
      bool has_inf = false;
      for (const pb::Bucket& b : h.bucket()) {
        if (std::isinf(b.upper_bound()) && b.upper_bound() > 0) has_inf = true;
        AppendFloat(b.upper_bound(), &buf_);
        buf_.push_back(':');
        AppendCount(floats, b.has_cumulative_count_float(), b.cumulative_count_float(),
                    b.cumulative_count());
        buf_.push_back(',');
      }
      if (has_inf) {
        buf_.pop_back();
      } else {  // classic buckets end with +Inf, whose count is the histogram's count
        buf_.append("+Inf:");
        buf_.append(count_text_);
      }
      buf_.push_back(']');
    }
    buf_.push_back('}');
    const google::protobuf::Timestamp* start = nullptr;
    if (h.has_created_timestamp()) {
      if (gauge) {
        ++created_lost_;
      } else {
        start = &h.created_timestamp();
      }
    }
    Tail(m, start);
    for (const pb::Exemplar& ex : h.exemplars()) WriteExemplar(ex);
    for (const pb::Bucket& b : h.bucket()) {
      if (!b.has_exemplar()) continue;
      bool written = false;
      for (const pb::Exemplar& ex : h.exemplars())
        written = written || SameExemplar(ex, b.exemplar());
      if (!written) WriteExemplar(b.exemplar());
    }
    buf_.push_back('\n');
  }

  // Why OpenMetrics2Parser rejects buf_ (read on its own, ended by "# EOF"), or empty when it
  // accepts it with no exemplar dropped.
  std::string Rejection() {
    const size_t full = buf_.size();
    buf_.append("# EOF\n");
    std::string rejected;
    {
      std::unique_ptr<Source> source = MemorySource(buf_);
      OpenMetrics2Parser parser(*source);
      for (bool more = true; more;) {
        switch (parser.Next()) {
          case Entry::kEnd:
            more = false;
            break;
          case Entry::kError:
            rejected = parser.Error().message;
            more = false;
            break;
          default:
            break;
        }
      }
      if (rejected.empty() && !parser.notes().empty()) rejected = parser.notes().front().message;
    }
    buf_.resize(full);
    return rejected;
  }

  WriteOptions options_;
  LossReport* losses_;
  std::string name_;  // the family name as written (unquoted)
  bool quoted_name_ = false;
  std::string buf_;                            // the family's text until it is complete
  std::string count_text_;                     // the histogram count as written
  std::vector<std::string_view> label_names_;  // LabelSetProblem's scratch
  std::vector<std::string> escaped_;           // names rewritten in this family
  std::string refused_;                        // a label name --escaping=none cannot write
  uint64_t exemplars_lost_ = 0, created_lost_ = 0;
};

}  // namespace

std::unique_ptr<FamilyWriter> NewOpenMetrics2Writer(const WriteOptions& options,
                                                    LossReport* losses) {
  return std::make_unique<OpenMetrics2Writer>(options, losses);
}

}  // namespace promtool
