// histogram-count-mismatch: a histogram's _count must equal its "+Inf" bucket.
#include <cmath>

#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class HistogramCountMismatch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kHistogram && family.type != MetricType::kGaugeHistogram) {
      return;
    }
    for (const Series& s : family.series) {
      if (!s.has_count) continue;
      for (const Bucket& b : s.buckets) {
        if (!(std::isinf(b.upper_bound) && b.upper_bound > 0)) continue;
        if (b.cumulative_count != s.count) {
          std::string where = LabelsText(s);
          if (!where.empty()) where = " in " + where;
          sink.Report(kInfo, family.name, s.offset,
                      "_count " + FormatNumber(s.count) + " differs from the \"+Inf\" bucket " +
                          FormatNumber(b.cumulative_count) + where);
        }
        break;
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"histogram-count-mismatch",
                                  "a histogram's _count differs from its +Inf bucket",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeHistogramCountMismatch() {
  return std::make_unique<HistogramCountMismatch>();
}

}  // namespace promtool::lint
