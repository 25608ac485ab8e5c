// Writes families as prom2json's JSON: one array of families, every number a string formatted
// like Go's fmt.Sprint, objects from maps with sorted keys, strings escaped like encoding/json.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/chars.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/numbers.h"
#include "write/writer.h"

namespace promtool {
namespace {

template <typename T>
void AppendInt(T v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

// A number as a JSON string, as fmt.Sprint(float64) writes it.
void AppendFloatString(double v, std::string* out) {
  out->push_back('"');
  AppendFloat(v, out);
  out->push_back('"');
}

template <typename T>
void AppendIntString(T v, std::string* out) {
  out->push_back('"');
  AppendInt(v, out);
  out->push_back('"');
}

// Upper bound of native-histogram bucket `index` at `schema`: base^index with
// base = 2^(2^-schema).
double NativeBound(int64_t index, int32_t schema) {
  if (schema <= 0 && schema >= -4) {
    const int64_t exp = index * (int64_t{1} << -schema);
    return std::ldexp(1.0, static_cast<int>(std::clamp<int64_t>(exp, -2000, 2000)));
  }
  if (schema > 0 && schema <= 8) {
    const int64_t per_octave = int64_t{1} << schema;
    const int64_t frac_index = index & (per_octave - 1);  // index mod 2^schema, non-negative
    const int64_t exp = ((index - frac_index) / per_octave) + 1;
    const double frac =
        std::exp2(static_cast<double>(frac_index) / static_cast<double>(per_octave)) / 2;
    return std::ldexp(frac, static_cast<int>(std::clamp<int64_t>(exp, -2000, 2000)));
  }
  // Outside the defined schemas: the plain formula.
  return std::exp2(std::ldexp(static_cast<double>(index), -schema));
}

struct NativeBucket {
  int rule;  // 0 (lower, upper], 1 [lower, upper), 2 (lower, upper), 3 [lower, upper]
  double lower;
  double upper;
  double count;
};

// Appends the non-empty buckets of one side of a native histogram, in increasing index order.
void CollectSide(const google::protobuf::RepeatedPtrField<pb::BucketSpan>& spans,
                 const google::protobuf::RepeatedField<int64_t>& deltas,
                 const google::protobuf::RepeatedField<double>& counts, int32_t schema,
                 bool negative, std::vector<NativeBucket>* out) {
  const bool use_deltas = !deltas.empty();
  int64_t index = 0;
  int k = 0;
  int64_t running = 0;
  for (const pb::BucketSpan& span : spans) {
    index += span.offset();
    for (uint32_t j = 0; j < span.length(); ++j, ++index, ++k) {
      double count = 0;
      if (use_deltas) {
        if (k >= deltas.size()) return;
        running += deltas[k];
        count = static_cast<double>(running);
      } else {
        if (k >= counts.size()) return;
        count = counts[k];
      }
      if (count == 0) continue;
      const double upper = NativeBound(index, schema);
      const double lower = NativeBound(index - 1, schema);
      if (negative) {
        out->push_back(NativeBucket{1, -upper, -lower, count});
      } else {
        out->push_back(NativeBucket{0, lower, upper, count});
      }
    }
  }
}

class JsonWriter final : public FamilyWriter {
 public:
  JsonWriter(const WriteOptions& options, LossReport* losses)
      : options_(options), losses_(losses) {}

  absl::Status Write(const OwnedFamily& family, std::string* out) override {
    const pb::MetricFamily& f = family.proto;
    if (options_.escaping == Escaping::kNone) {
      absl::Status status = CheckLegacyNames(f);
      if (!status.ok()) return status;
    }
    const pb::MetricType wire = WireType(family.type);
    escaped_ = 0;

    if (family.part && open_) {
      // The next series of the open family object (text input read in parts).
      for (const pb::Metric& m : f.metric()) {
        if (any_metric_) out->push_back(',');
        any_metric_ = true;
        AppendMetric(m, wire, out);
      }
      ReportLosses(family);
      return absl::OkStatus();
    }
    EndFamily(out);  // Convert() has already called it; kept for other callers
    out->push_back(started_ ? ',' : '[');
    started_ = true;
    out->append("{\"name\":");
    AppendName(f.name(), out);
    out->append(",\"help\":");
    AppendJsonString(f.help(), out);
    out->append(",\"type\":\"");
    out->append(pb::MetricType_Name(wire));
    out->push_back('"');
    // Always an array, even empty: prom2json never writes a family without metrics (expfmt's
    // text parser drops it), so `jq '.[].metrics[]'` pipelines expect the key on every object.
    out->append(",\"metrics\":[");
    any_metric_ = false;
    for (const pb::Metric& m : f.metric()) {
      if (any_metric_) out->push_back(',');
      any_metric_ = true;
      AppendMetric(m, wire, out);
    }
    // The object stays open until the next family that is not a part of this one (or Finish).
    open_ = true;

    ReportLosses(family);
    return absl::OkStatus();
  }

  // The view's FillFromView() model written from the view (text input; same bytes and losses
  // as Write()). Left to Write(): escaping schemes, gauge histograms and fractional summary
  // counts (the fill reports both as losses).
  absl::Status WriteView(const FamilyView& view, std::string* out, bool* written) override {
    *written = false;
    if (!FillsWithoutLoss(view, options_.escaping)) return absl::OkStatus();
    const pb::MetricType wire = WireType(view.type);
    *written = true;
    if (!(view.part && open_)) {
      EndFamily(out);
      out->push_back(started_ ? ',' : '[');
      started_ = true;
      out->append("{\"name\":");
      AppendJsonString(view.name, out);
      out->append(",\"help\":");
      AppendJsonString(view.has_help ? view.help : std::string_view(), out);
      out->append(",\"type\":\"");
      out->append(pb::MetricType_Name(wire));
      out->append("\",\"metrics\":[");
      any_metric_ = false;
      open_ = true;
    }
    for (const Series& s : view.series) {
      if (any_metric_) out->push_back(',');
      any_metric_ = true;
      AppendSeries(s, view.type, out);
    }
    if (losses_ != nullptr) {
      const uint64_t not_utf8 =
          !chars::ValidUtf8(view.name) + (view.has_help ? !chars::ValidUtf8(view.help) : 0);
      if (not_utf8 > 0) losses_->Add(view.name, LossKind::kInvalidUtf8, not_utf8);
    }
    return absl::OkStatus();
  }

  void EndFamily(std::string* out) override {
    if (!open_) return;
    out->append("]}");
    open_ = false;
  }

  absl::Status Finish(std::string* out) override {
    EndFamily(out);
    out->append(started_ ? "]\n" : "[]\n");
    return absl::OkStatus();
  }

 private:
  absl::Status CheckLegacyNames(const pb::MetricFamily& f) const {
    if (!IsLegacyMetricName(f.name())) {
      return absl::InvalidArgumentError(
          StrCat("family \"", f.name(),
                 "\": the metric name is not a legacy name and no escaping scheme was chosen"));
    }
    for (const pb::Metric& m : f.metric()) {
      for (const pb::LabelPair& l : m.label()) {
        if (!IsLegacyLabelName(l.name())) {
          return absl::InvalidArgumentError(
              StrCat("family \"", f.name(), "\": label name \"", l.name(),
                     "\" is not a legacy name and no escaping scheme was chosen"));
        }
      }
    }
    return absl::OkStatus();
  }

  // A metric or label name, rewritten by the escaping scheme when one was chosen.
  void AppendName(const std::string& name, std::string* out) {
    if (options_.escaping == Escaping::kAllowUtf8 || options_.escaping == Escaping::kNone) {
      AppendJsonString(name, out);
      return;
    }
    name_.clear();
    AppendEscapedName(name, options_.escaping, &name_);
    if (name_ != name) ++escaped_;
    AppendJsonString(name_, out);
  }

  void AppendMetric(const pb::Metric& m, pb::MetricType wire, std::string* out) {
    out->push_back('{');
    bool comma = AppendLabels(m, out);
    if (m.has_timestamp_ms()) {
      if (comma) out->push_back(',');
      out->append("\"timestamp_ms\":");
      AppendIntString(m.timestamp_ms(), out);
      comma = true;
    }
    if (comma) out->push_back(',');
    switch (wire) {
      case pb::SUMMARY:
        AppendSummary(m.summary(), out);
        break;
      case pb::HISTOGRAM:
      case pb::GAUGE_HISTOGRAM:
        AppendHistogram(m.histogram(), out);
        break;
      default:
        out->append("\"value\":");
        // prom2json takes the first value present: gauge, counter, untyped; else 0.
        AppendFloatString(m.has_gauge()     ? m.gauge().value()
                          : m.has_counter() ? m.counter().value()
                          : m.has_untyped() ? m.untyped().value()
                                            : 0.0,
                          out);
    }
    out->push_back('}');
  }

  // AppendMetric() of the series' FillFromView() model.
  void AppendSeries(const Series& s, MetricType type, std::string* out) {
    out->push_back('{');
    bool comma = false;
    if (!s.labels.empty()) {
      pairs_used_ = 0;
      for (const Label& l : s.labels) {
        auto& p = NextPair();
        p.first.assign(l.name_quoted ? Unescape(l.name, &unescape_) : l.name);
        p.second.assign(Unescape(l.value, &unescape_));
      }
      AppendSortedMap("labels", /*quote_values=*/true, out);
      comma = true;
    }
    if (s.has_timestamp) {
      if (comma) out->push_back(',');
      out->append("\"timestamp_ms\":");
      AppendIntString(s.timestamp_ms, out);
      comma = true;
    }
    if (comma) out->push_back(',');
    switch (type) {
      case MetricType::kSummary:
        if (!s.quantiles.empty()) {
          pairs_used_ = 0;
          for (const Quantile& q : s.quantiles) {
            auto& p = NextPair();
            p.first.clear();
            AppendFloat(q.quantile, &p.first);
            p.second.clear();
            AppendFloat(q.value, &p.second);
          }
          AppendSortedMap("quantiles", /*quote_values=*/true, out);
          out->push_back(',');
        }
        out->append("\"count\":");
        AppendIntString(s.has_count ? static_cast<uint64_t>(s.count) : 0, out);
        out->append(",\"sum\":");
        AppendFloatString(s.has_sum ? s.sum : 0.0, out);
        break;
      case MetricType::kHistogram:
        if (!s.buckets.empty()) {
          pairs_used_ = 0;
          for (const Bucket& b : s.buckets) {
            auto& p = NextPair();
            p.first.clear();
            AppendFloat(b.upper_bound, &p.first);
            p.second.clear();
            AppendCount(b.cumulative_count, &p.second);
          }
          AppendSortedMap("buckets", /*quote_values=*/true, out);
          out->push_back(',');
        }
        out->append("\"count\":\"");
        AppendCount(s.has_count ? s.count : 0.0, out);
        out->append("\",\"sum\":");
        AppendFloatString(s.has_sum ? s.sum : 0.0, out);
        break;
      default:
        out->append("\"value\":");
        AppendFloatString(s.value, out);
    }
    out->push_back('}');
  }

  // A histogram count as AppendHistogram() writes the model's: the integer field when the fill
  // keeps it whole, else the float field when it is positive, else the unset integer (0).
  static void AppendCount(double c, std::string* out) {
    if (IsWholeUint64(c)) {
      AppendInt(static_cast<uint64_t>(c), out);
    } else if (c > 0) {
      AppendFloat(c, out);
    } else {
      out->push_back('0');
    }
  }

  // "labels":{...} with keys sorted (a Go map; the last of duplicate names wins). Returns
  // whether anything was written (empty labels are omitted).
  bool AppendLabels(const pb::Metric& m, std::string* out) {
    if (m.label_size() == 0) return false;
    pairs_used_ = 0;
    for (const pb::LabelPair& l : m.label()) {
      std::string& key = NextPair().first;
      key.clear();
      if (options_.escaping == Escaping::kAllowUtf8 || options_.escaping == Escaping::kNone) {
        key.append(l.name());
      } else {
        AppendEscapedName(l.name(), options_.escaping, &key);
        if (key != l.name()) ++escaped_;
      }
      pairs_[pairs_used_ - 1].second.assign(l.value());
    }
    AppendSortedMap("labels", /*quote_values=*/true, out);
    return true;
  }

  void AppendSummary(const pb::Summary& s, std::string* out) {
    if (s.quantile_size() > 0) {
      pairs_used_ = 0;
      for (const pb::Quantile& q : s.quantile()) {
        auto& p = NextPair();
        p.first.clear();
        AppendFloat(q.quantile(), &p.first);
        p.second.clear();
        AppendFloat(q.value(), &p.second);
      }
      AppendSortedMap("quantiles", /*quote_values=*/true, out);
      out->push_back(',');
    }
    out->append("\"count\":");
    AppendIntString(s.sample_count(), out);
    out->append(",\"sum\":");
    AppendFloatString(s.sample_sum(), out);
  }

  void AppendHistogram(const pb::Histogram& h, std::string* out) {
    if (h.positive_span_size() + h.negative_span_size() > 0) {
      AppendNativeBuckets(h, out);
    } else if (h.bucket_size() > 0) {
      pairs_used_ = 0;
      for (const pb::Bucket& b : h.bucket()) {
        auto& p = NextPair();
        p.first.clear();
        AppendFloat(b.upper_bound(), &p.first);
        p.second.clear();
        if (b.cumulative_count_float() > 0) {
          AppendFloat(b.cumulative_count_float(), &p.second);
        } else {
          AppendInt(b.cumulative_count(), &p.second);
        }
      }
      AppendSortedMap("buckets", /*quote_values=*/true, out);
      out->push_back(',');
    }
    out->append("\"count\":");
    if (h.sample_count_float() > 0) {
      AppendFloatString(h.sample_count_float(), out);
    } else {
      AppendIntString(h.sample_count(), out);
    }
    out->append(",\"sum\":");
    AppendFloatString(h.sample_sum(), out);
  }

  // Native buckets as the Prometheus query API lists them: negative buckets (most negative
  // first), the zero bucket, positive buckets; empty buckets left out.
  void AppendNativeBuckets(const pb::Histogram& h, std::string* out) {
    native_.clear();
    CollectSide(h.negative_span(), h.negative_delta(), h.negative_count(), h.schema(),
                /*negative=*/true, &native_);
    std::reverse(native_.begin(), native_.end());
    const double zero_count =
        h.zero_count_float() > 0 ? h.zero_count_float() : static_cast<double>(h.zero_count());
    if (zero_count != 0) {
      native_.push_back(NativeBucket{3, -h.zero_threshold(), h.zero_threshold(), zero_count});
    }
    CollectSide(h.positive_span(), h.positive_delta(), h.positive_count(), h.schema(),
                /*negative=*/false, &native_);
    if (native_.empty()) return;  // an empty slice: omitted like prom2json's omitempty
    out->append("\"buckets\":[");
    bool first = true;
    for (const NativeBucket& b : native_) {
      if (!first) out->push_back(',');
      first = false;
      out->push_back('[');
      AppendInt(b.rule, out);
      out->push_back(',');
      AppendFloatString(b.lower, out);
      out->push_back(',');
      AppendFloatString(b.upper, out);
      out->push_back(',');
      AppendFloatString(b.count, out);
      out->push_back(']');
    }
    out->append("],");
  }

  std::pair<std::string, std::string>& NextPair() {
    if (pairs_used_ == pairs_.size()) pairs_.emplace_back();
    return pairs_[pairs_used_++];
  }

  // Writes pairs_[0, pairs_used_) as a JSON object sorted by key like Go's encoding/json
  // sorts map keys (byte-wise); of equal keys the last one wins, as in a Go map.
  void AppendSortedMap(std::string_view field, bool quote_values, std::string* out) {
    order_.clear();
    for (size_t i = 0; i < pairs_used_; ++i) order_.push_back(i);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return pairs_[a].first < pairs_[b].first; });
    out->push_back('"');
    out->append(field);
    out->append("\":{");
    bool first = true;
    for (size_t k = 0; k < order_.size(); ++k) {
      if (k + 1 < order_.size() && pairs_[order_[k + 1]].first == pairs_[order_[k]].first) {
        continue;  // a later duplicate overrides this one
      }
      const auto& p = pairs_[order_[k]];
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(p.first, out);
      out->push_back(':');
      if (quote_values) {
        AppendJsonString(p.second, out);
      } else {
        out->append(p.second);
      }
    }
    out->push_back('}');
  }

  void ReportLosses(const OwnedFamily& family) {
    if (losses_ == nullptr) return;
    const pb::MetricFamily& f = family.proto;
    uint64_t exemplars = 0, created = 0, not_utf8 = 0;
    auto check_utf8 = [&](const std::string& s) { not_utf8 += !chars::ValidUtf8(s); };
    check_utf8(f.name());
    check_utf8(f.help());
    for (const pb::Metric& m : f.metric()) {
      if (!family.utf8_checked) {  // text and OpenMetrics parsers rejected non-UTF-8 labels
        for (const pb::LabelPair& l : m.label()) {
          check_utf8(l.name());
          check_utf8(l.value());
        }
      }
      if (m.has_counter()) {
        exemplars += m.counter().has_exemplar();
        created += m.counter().has_created_timestamp();
      }
      if (m.has_summary()) created += m.summary().has_created_timestamp();
      if (m.has_histogram()) {
        const pb::Histogram& h = m.histogram();
        created += h.has_created_timestamp();
        exemplars += static_cast<uint64_t>(h.exemplars_size());
        for (const pb::Bucket& b : h.bucket()) exemplars += b.has_exemplar();
      }
    }
    if (family.type == MetricType::kStateSet || family.type == MetricType::kInfo ||
        family.type == MetricType::kUnknown) {
      losses_->Add(f.name(), LossKind::kType);
    }
    if (f.has_unit() && !f.unit().empty()) losses_->Add(f.name(), LossKind::kUnit);
    if (exemplars > 0) losses_->Add(f.name(), LossKind::kExemplar, exemplars);
    if (created > 0) losses_->Add(f.name(), LossKind::kCreatedTimestamp, created);
    if (escaped_ > 0) losses_->Add(f.name(), LossKind::kNameEscaped, escaped_);
    if (not_utf8 > 0) losses_->Add(f.name(), LossKind::kInvalidUtf8, not_utf8);
  }

  WriteOptions options_;
  LossReport* losses_;
  bool started_ = false;
  bool open_ = false;        // a family object whose "metrics" array is not closed yet
  bool any_metric_ = false;  // the open object has a metric (the next one needs a comma)
  uint64_t escaped_ = 0;
  std::string name_;
  std::vector<std::pair<std::string, std::string>> pairs_;
  size_t pairs_used_ = 0;
  std::vector<size_t> order_;
  std::vector<NativeBucket> native_;
  std::string unescape_;
};

}  // namespace

std::unique_ptr<FamilyWriter> NewJsonWriter(const WriteOptions& options, LossReport* losses) {
  return std::make_unique<JsonWriter>(options, losses);
}

}  // namespace promtool
