// summary-quantile-range: a summary's quantile label must lie in [0, 1].
#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class SummaryQuantileRange final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kSummary) return;
    for (const Series& s : family.series) {
      for (const Quantile& q : s.quantiles) {
        if (q.quantile >= 0 && q.quantile <= 1) continue;  // NaN fails both
        std::string where = LabelsText(s);
        if (!where.empty()) where = " in " + where;
        sink.Report(kInfo, family.name, s.offset,
                    "quantile " + FormatNumber(q.quantile) + " is outside [0, 1]" + where);
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"summary-quantile-range", "a summary quantile is outside [0, 1]",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeSummaryQuantileRange() {
  return std::make_unique<SummaryQuantileRange>();
}

}  // namespace promtool::lint
