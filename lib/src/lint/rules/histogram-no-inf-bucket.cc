// histogram-no-inf-bucket: a classic histogram series must end with a "+Inf" bucket.
#include <cmath>

#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class HistogramNoInfBucket final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    // Text input only: the OpenMetrics parser already refuses a histogram without +Inf, and
    // protobuf leaves the +Inf bucket implicit (client_golang does not send it).
    if (family.owned != nullptr) return;
    if (family.type != MetricType::kHistogram && family.type != MetricType::kGaugeHistogram) {
      return;
    }
    for (const Series& s : family.series) {
      if (s.buckets.empty() && !s.has_count) continue;  // not a classic histogram series
      bool has_inf = false;
      for (const Bucket& b : s.buckets)
        has_inf = has_inf || (std::isinf(b.upper_bound) && b.upper_bound > 0);
      if (!has_inf) {
        sink.Report(kInfo, family.name, s.offset,
                    "histogram series " + LabelsText(s) + (s.labels.empty() ? "" : " ") +
                        "has no \"+Inf\" bucket");
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"histogram-no-inf-bucket",
                                  "a classic histogram series has no +Inf bucket", Severity::kError,
                                  false};
};

}  // namespace

std::unique_ptr<Rule> MakeHistogramNoInfBucket() {
  return std::make_unique<HistogramNoInfBucket>();
}

}  // namespace promtool::lint
