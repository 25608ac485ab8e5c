// gauge-total-suffix: a gauge named like a counter (`_total`) is probably a mistyped counter.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class GaugeTotalSuffix final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kGauge || !family.name.ends_with("_total")) return;
    sink.Report(kInfo, family.name, family.offset,
                "gauge has a \"_total\" suffix: if it only goes up, declare it a counter");
  }

 private:
  static constexpr RuleInfo kInfo{"gauge-total-suffix",
                                  "a gauge is named like a counter (_total suffix)",
                                  Severity::kWarning, false};
};

}  // namespace

std::unique_ptr<Rule> MakeGaugeTotalSuffix() { return std::make_unique<GaugeTotalSuffix>(); }

}  // namespace promtool::lint
