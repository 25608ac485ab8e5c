// le-label: the "le" label is reserved for histogram buckets.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class LeLabel final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type == MetricType::kUntyped || family.type == MetricType::kHistogram) return;
    for (const Series& s : family.series) {
      for (const Label& l : s.labels) {
        if (l.name == "le") {
          sink.Report(kInfo, family.name, s.offset,
                      "non-histogram metrics should not have \"le\" label");
        }
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"le-label", "a series of a typed non-histogram has an le label",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeLeLabel() { return std::make_unique<LeLabel>(); }

}  // namespace promtool::lint
