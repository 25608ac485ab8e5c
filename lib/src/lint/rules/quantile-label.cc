// quantile-label: the "quantile" label is reserved for summary quantiles.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class QuantileLabel final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type == MetricType::kUntyped || family.type == MetricType::kSummary) return;
    for (const Series& s : family.series) {
      for (const Label& l : s.labels) {
        if (l.name == "quantile") {
          sink.Report(kInfo, family.name, s.offset,
                      "non-summary metrics should not have \"quantile\" label");
        }
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{
      "quantile-label", "a series of a typed non-summary has a quantile label", Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeQuantileLabel() { return std::make_unique<QuantileLabel>(); }

}  // namespace promtool::lint
