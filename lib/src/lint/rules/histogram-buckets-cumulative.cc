// histogram-buckets-cumulative: bucket bounds must increase and bucket counts must not decrease.
#include <cmath>

#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class HistogramBucketsCumulative final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kHistogram && family.type != MetricType::kGaugeHistogram) {
      return;
    }
    for (const Series& s : family.series) {
      // One problem per series: the first violation, in input order.
      for (size_t i = 1; i < s.buckets.size(); ++i) {
        const Bucket& prev = s.buckets[i - 1];
        const Bucket& b = s.buckets[i];
        std::string where = LabelsText(s);
        if (!where.empty()) where = " in " + where;
        if (!(b.upper_bound > prev.upper_bound)) {
          sink.Report(kInfo, family.name, s.offset,
                      "bucket le=\"" + FormatNumber(b.upper_bound) + "\" follows le=\"" +
                          FormatNumber(prev.upper_bound) + "\"" + where +
                          ": bucket bounds must increase");
          break;
        }
        if (b.cumulative_count < prev.cumulative_count) {
          sink.Report(kInfo, family.name, s.offset,
                      "bucket le=\"" + FormatNumber(b.upper_bound) + "\" counts " +
                          FormatNumber(b.cumulative_count) + ", less than le=\"" +
                          FormatNumber(prev.upper_bound) + "\" (" +
                          FormatNumber(prev.cumulative_count) + ")" + where +
                          ": bucket counts must be cumulative");
          break;
        }
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"histogram-buckets-cumulative",
                                  "bucket bounds do not increase or counts are not cumulative",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeHistogramBucketsCumulative() {
  return std::make_unique<HistogramBucketsCumulative>();
}

}  // namespace promtool::lint
