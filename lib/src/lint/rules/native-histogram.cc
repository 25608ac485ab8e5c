// native-histogram: the spans, bucket counts, schema and zero bucket of a native histogram
// (protobuf input) must agree with each other.
#include <cmath>
#include <string>

#include "lint/rule.h"
#include "lint/rule_util.h"
#include "model/model_access.h"
#include "model/owned_family.h"

namespace promtool::lint {
namespace {

bool IsNative(const pb::Histogram& h) {
  return h.has_schema() || h.positive_span_size() > 0 || h.negative_span_size() > 0 ||
         h.has_zero_threshold() || h.has_zero_count() || h.has_zero_count_float();
}

class NativeHistogram final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.owned == nullptr) return;
    const pb::MetricFamily& proto = family.owned->proto;
    for (int i = 0; i < proto.metric_size(); ++i) {
      const pb::Metric& m = proto.metric(i);
      if (!m.has_histogram() || !IsNative(m.histogram())) continue;
      const pb::Histogram& h = m.histogram();
      const Series* s = static_cast<size_t>(i) < family.series.size() ? &family.series[i] : nullptr;
      const uint64_t offset = s != nullptr ? s->offset : family.offset;
      std::string where = s != nullptr ? LabelsText(*s) : "";
      if (!where.empty()) where = " in " + where;
      auto report = [&](const std::string& text) {
        sink.Report(kInfo, family.name, offset, "native histogram " + text + where);
      };
      // Schemas -4..8 are exponential; -53 is Prometheus' custom-bucket schema.
      if (h.schema() != -53 && (h.schema() < -4 || h.schema() > 8)) {
        report("schema " + std::to_string(h.schema()) + " is outside -4..8");
      }
      if (std::isnan(h.zero_threshold()) || h.zero_threshold() < 0) {
        report("zero threshold " + FormatNumber(h.zero_threshold()) + " is negative or NaN");
      }
      if (h.has_zero_count_float() && !(h.zero_count_float() >= 0)) {
        report("zero bucket count " + FormatNumber(h.zero_count_float()) + " is negative");
      }
      double total =
          h.has_zero_count_float() ? h.zero_count_float() : static_cast<double>(h.zero_count());
      bool counts_ok = true;
      auto check_side = [&](const char* side, const auto& spans, const auto& deltas,
                            const auto& counts) {
        uint64_t covered = 0;
        for (int k = 0; k < spans.size(); ++k) {
          covered += spans.Get(k).length();
          if (k > 0 && spans.Get(k).offset() < 0) {
            report(std::string(side) + " span " + std::to_string(k) + " has a negative offset " +
                   std::to_string(spans.Get(k).offset()));
          }
        }
        const bool floats = counts.size() > 0;
        const uint64_t given = floats ? counts.size() : deltas.size();
        if (covered != given) {
          report(std::string(side) + " spans cover " + std::to_string(covered) + " buckets but " +
                 std::to_string(given) + (floats ? " counts" : " deltas") + " are given");
          counts_ok = false;
        }
        if (floats) {
          for (int k = 0; k < counts.size(); ++k) {
            if (!(counts.Get(k) >= 0)) {
              report(std::string(side) + " bucket " + std::to_string(k) + " has count " +
                     FormatNumber(counts.Get(k)));
              counts_ok = false;
              break;
            }
            total += counts.Get(k);
          }
        } else {
          int64_t running = 0;
          for (int k = 0; k < deltas.size(); ++k) {
            running += deltas.Get(k);
            if (running < 0) {
              report(std::string(side) + " bucket " + std::to_string(k) + " has a negative count " +
                     std::to_string(running));
              counts_ok = false;
              break;
            }
            total += static_cast<double>(running);
          }
        }
      };
      check_side("positive", h.positive_span(), h.positive_delta(), h.positive_count());
      check_side("negative", h.negative_span(), h.negative_delta(), h.negative_count());
      const double count = HistogramCount(h);
      if (counts_ok && HasHistogramCount(h) && count < total) {
        report("count " + FormatNumber(count) + " is less than its buckets' total " +
               FormatNumber(total));
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"native-histogram",
                                  "a native histogram's spans, counts, schema or zero bucket "
                                  "disagree",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeNativeHistogram() { return std::make_unique<NativeHistogram>(); }

}  // namespace promtool::lint
