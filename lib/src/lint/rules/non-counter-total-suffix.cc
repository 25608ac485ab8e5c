// non-counter-total-suffix: only counters end in "_total" (untyped families are exempt).
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class NonCounterTotalSuffix final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kCounter && family.type != MetricType::kUntyped &&
        family.name.ends_with("_total")) {
      sink.Report(kInfo, family.name, family.offset,
                  "non-counter metrics should not have \"_total\" suffix");
    }
  }

 private:
  static constexpr RuleInfo kInfo{"non-counter-total-suffix",
                                  "a typed family other than a counter ends in _total",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeNonCounterTotalSuffix() {
  return std::make_unique<NonCounterTotalSuffix>();
}

}  // namespace promtool::lint
