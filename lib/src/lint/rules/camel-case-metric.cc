// camel-case-metric: metric names are snake_case (a lower-case letter followed by an upper-case
// one is camelCase).
#include "lint/rule.h"

namespace promtool::lint {

bool IsCamelCase(std::string_view name) {
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i - 1] >= 'a' && name[i - 1] <= 'z' && name[i] >= 'A' && name[i] <= 'Z') return true;
  }
  return false;
}

namespace {

class CamelCaseMetric final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (IsCamelCase(family.name)) {
      sink.Report(kInfo, family.name, family.offset,
                  "metric names should be written in 'snake_case' not 'camelCase'");
    }
  }

 private:
  static constexpr RuleInfo kInfo{"camel-case-metric", "the metric name is camelCase",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeCamelCaseMetric() { return std::make_unique<CamelCaseMetric>(); }

}  // namespace promtool::lint
