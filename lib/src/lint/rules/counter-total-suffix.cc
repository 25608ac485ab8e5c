// counter-total-suffix: counter names end in "_total".
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class CounterTotalSuffix final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type == MetricType::kCounter && !family.name.ends_with("_total")) {
      sink.Report(kInfo, family.name, family.offset,
                  "counter metrics should have \"_total\" suffix");
    }
  }

 private:
  static constexpr RuleInfo kInfo{"counter-total-suffix", "a counter's name does not end in _total",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeCounterTotalSuffix() { return std::make_unique<CounterTotalSuffix>(); }

}  // namespace promtool::lint
