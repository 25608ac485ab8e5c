// The bridge from OwnedFamily (OpenMetrics, protobuf) to FamilyView for the linter.
#include "lint/owned_view.h"

#include "model/model_access.h"

namespace promtool::lint {
namespace {

MetricType LintType(MetricType type) {
  switch (type) {
    case MetricType::kStateSet:
    case MetricType::kInfo:
      return MetricType::kGauge;
    case MetricType::kUnknown:
      return MetricType::kUntyped;
    default:
      return type;
  }
}

}  // namespace

const FamilyView& OwnedViewBuilder::Build(const OwnedFamily& family) {
  const pb::MetricFamily& proto = family.proto;
  series_.clear();
  labels_.clear();
  buckets_.clear();
  quantiles_.clear();
  // Sizes first, so the spans taken below stay valid.
  size_t n_labels = 0, n_buckets = 0, n_quantiles = 0;
  for (const pb::Metric& m : proto.metric()) {
    n_labels += m.label_size();
    if (m.has_histogram()) n_buckets += m.histogram().bucket_size();
    if (m.has_summary()) n_quantiles += m.summary().quantile_size();
  }
  labels_.reserve(n_labels);
  buckets_.reserve(n_buckets);
  quantiles_.reserve(n_quantiles);
  series_.reserve(proto.metric_size());
  for (const pb::Metric& m : proto.metric()) {
    Series s;
    const size_t label_start = labels_.size();
    for (const pb::LabelPair& l : m.label()) labels_.push_back(Label{l.name(), l.value(), false});
    s.labels = std::span<const Label>(labels_.data() + label_start, labels_.size() - label_start);
    if (m.has_counter()) s.value = m.counter().value();
    if (m.has_gauge()) s.value = m.gauge().value();
    if (m.has_untyped()) s.value = m.untyped().value();
    if (m.has_summary()) {
      const pb::Summary& sum = m.summary();
      const size_t start = quantiles_.size();
      for (const pb::Quantile& q : sum.quantile()) {
        quantiles_.push_back(Quantile{q.quantile(), q.value()});
      }
      s.quantiles = std::span<const Quantile>(quantiles_.data() + start, quantiles_.size() - start);
      s.has_sum = sum.has_sample_sum();
      s.sum = sum.sample_sum();
      s.has_count = sum.has_sample_count();
      s.count = static_cast<double>(sum.sample_count());
    }
    if (m.has_histogram()) {
      const pb::Histogram& h = m.histogram();
      const size_t start = buckets_.size();
      for (const pb::Bucket& b : h.bucket()) {
        buckets_.push_back(Bucket{b.upper_bound(), BucketCount(b)});
      }
      s.buckets = std::span<const Bucket>(buckets_.data() + start, buckets_.size() - start);
      s.has_sum = h.has_sample_sum();
      s.sum = h.sample_sum();
      // The counts as the writers read them (client_golang's rule: model_access.h).
      s.has_count = HasHistogramCount(h);
      s.count = HistogramCount(h);
    }
    s.has_timestamp = m.has_timestamp_ms();
    s.timestamp_ms = m.timestamp_ms();
    s.offset = family.offset;
    s.lines = 1;
    series_.push_back(s);
  }
  view_ = FamilyView{};
  view_.name = proto.name();
  view_.has_help = proto.has_help() && !proto.help().empty();
  view_.help = view_.has_help ? std::string_view(proto.help()) : std::string_view();
  view_.type = LintType(family.type);
  view_.type_declared = family.type != MetricType::kUnknown;
  view_.unit = proto.unit();
  view_.series = series_;
  view_.offset = family.offset;
  view_.continued = family.continued;
  view_.owned = &family;
  return view_;
}

}  // namespace promtool::lint
