// The text-format FamilyStream: FamilyReader's views copied into the owning model, with label
// values and quoted names unescaped.
#include <cmath>
#include <limits>
#include <string>

#include "common/strcat.h"
#include "model/owned_family.h"
#include "promtool/escape.h"
#include "promtool/family_reader.h"

namespace promtool {
namespace {

// True when `v` is a whole number that a uint64 holds exactly.
bool IsCount(double v) { return v >= 0 && v < 18446744073709551616.0 && std::floor(v) == v; }

class TextFamilyStream final : public FamilyStream {
 public:
  TextFamilyStream(Source& source, const TextOptions& options, LossReport* losses,
                   uint32_t max_part_series)
      : parser_(source, options),
        reader_(parser_),
        losses_(losses),
        max_family_bytes_(options.max_family_bytes) {
    reader_.SetMaxPartSeries(max_part_series);
    reader_.SetMaxFamilyBytes(max_family_bytes_);
  }

  const OwnedFamily* Next() override {
    if (failed_) return nullptr;
    const FamilyView* view = reader_.Next();
    if (view == nullptr) return nullptr;
    if (max_family_bytes_ > 0) {
      if (Estimate(*view) > max_family_bytes_) {
        error_ = model_cost::TooLarge(
            StrCat("family \"", view->name, "\" (", view->series.size(), " series)"), view->offset,
            max_family_bytes_);
        // The family's first line is still in the window: the error says where it starts.
        const LineCol at = parser_.source().Locate(view->offset);
        error_.line = at.line;
        error_.column = at.column;
        failed_ = true;
        return nullptr;
      }
    }
    Fill(*view);
    return &family_;
  }

  const Error* error() const override { return failed_ ? &error_ : reader_.error(); }

 private:
  // What Fill() would build, in bytes (model_cost); stops counting past the bound.
  uint64_t Estimate(const FamilyView& view) const {
    uint64_t bytes = 0;
    for (const Series& s : view.series) {
      bytes += model_cost::Metric(view.type) + s.buckets.size() * model_cost::Bucket() +
               s.quantiles.size() * model_cost::Quantile();
      for (const Label& l : s.labels) bytes += model_cost::Label(l.name.size(), l.value.size());
      if (bytes > max_family_bytes_) break;
    }
    return bytes;
  }

  void SetLabels(const Series& s, pb::Metric* m) {
    for (const Label& l : s.labels) {
      pb::LabelPair* pair = m->add_label();
      if (l.name_quoted) {
        pair->set_name(std::string(Unescape(l.name, &scratch_)));
      } else {
        pair->set_name(l.name.data(), l.name.size());
      }
      std::string_view value = Unescape(l.value, &scratch_);
      pair->set_value(value.data(), value.size());
    }
  }

  void Fill(const FamilyView& view) {
    family_.Clear();
    pb::MetricFamily& mf = family_.proto;
    family_.offset = view.offset;
    family_.continued = view.continued;
    family_.part = view.part;
    family_.utf8_checked = true;  // the text parser validated every label name and value
    mf.set_name(view.name.data(), view.name.size());
    if (view.has_help) mf.set_help(view.help.data(), view.help.size());
    MetricType type = view.type;
    if (type == MetricType::kGaugeHistogram) {
      // Text 0.0.4 has no gauge histogram layout: promtool reads its lines as plain samples.
      losses_->Add(view.name, LossKind::kType);
      type = MetricType::kUntyped;
    }
    family_.type = type;
    mf.set_type(WireType(type));
    for (const Series& s : view.series) {
      pb::Metric* m = mf.add_metric();
      SetLabels(s, m);
      if (s.has_timestamp) m->set_timestamp_ms(s.timestamp_ms);
      switch (type) {
        case MetricType::kCounter:
          m->mutable_counter()->set_value(s.value);
          break;
        case MetricType::kGauge:
          m->mutable_gauge()->set_value(s.value);
          break;
        case MetricType::kSummary: {
          pb::Summary* sum = m->mutable_summary();
          for (const Quantile& q : s.quantiles) {
            pb::Quantile* pq = sum->add_quantile();
            pq->set_quantile(q.quantile);
            pq->set_value(q.value);
          }
          if (s.has_sum) sum->set_sample_sum(s.sum);
          if (s.has_count) {
            // Summary.sample_count is an integer; a fractional count cannot be carried.
            if (!IsCount(s.count)) losses_->Add(view.name, LossKind::kType);
            sum->set_sample_count(IsCount(s.count) ? static_cast<uint64_t>(s.count) : 0);
          }
          break;
        }
        case MetricType::kHistogram: {
          pb::Histogram* h = m->mutable_histogram();
          for (const Bucket& b : s.buckets) {
            pb::Bucket* pbk = h->add_bucket();
            pbk->set_upper_bound(b.upper_bound);
            if (IsCount(b.cumulative_count)) {
              pbk->set_cumulative_count(static_cast<uint64_t>(b.cumulative_count));
            } else {
              pbk->set_cumulative_count_float(b.cumulative_count);
            }
          }
          if (s.has_sum) h->set_sample_sum(s.sum);
          if (s.has_count) {
            if (IsCount(s.count)) {
              h->set_sample_count(static_cast<uint64_t>(s.count));
            } else {
              h->set_sample_count_float(s.count);
            }
          }
          break;
        }
        default:
          m->mutable_untyped()->set_value(s.value);
          break;
      }
    }
  }

  TextParser parser_;
  FamilyReader reader_;
  LossReport* losses_;
  OwnedFamily family_;
  std::string scratch_;
  const uint64_t max_family_bytes_;
  bool failed_ = false;
  Error error_;  // the family over max_family_bytes_
};

}  // namespace

std::unique_ptr<FamilyStream> NewTextFamilyStream(Source& source, const TextOptions& options,
                                                  LossReport* losses, uint32_t max_part_series) {
  return std::make_unique<TextFamilyStream>(source, options, losses, max_part_series);
}

}  // namespace promtool
