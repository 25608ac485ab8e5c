// counter-negative: a counter's value is never negative and never NaN.
#include <cmath>

#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class CounterNegative final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kCounter) return;
    for (const Series& s : family.series) {
      if (s.value >= 0) continue;
      std::string where = LabelsText(s);
      if (!where.empty()) where = " in " + where;
      sink.Report(kInfo, family.name, s.offset,
                  std::isnan(s.value)
                      ? "counter value is NaN" + where
                      : "counter value " + FormatNumber(s.value) + " is negative" + where);
    }
  }

 private:
  static constexpr RuleInfo kInfo{"counter-negative", "a counter value is negative or NaN",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeCounterNegative() { return std::make_unique<CounterNegative>(); }

}  // namespace promtool::lint
