// camel-case-label: label names are snake_case; reported once per series per label.
#include "lint/rule.h"

namespace promtool::lint {

namespace {

class CamelCaseLabel final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    for (const Series& s : family.series) {
      for (const Label& l : s.labels) {
        if (IsCamelCase(l.name)) {
          sink.Report(kInfo, family.name, s.offset,
                      "label names should be written in 'snake_case' not 'camelCase'");
        }
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"camel-case-label", "a label name is camelCase",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeCamelCaseLabel() { return std::make_unique<CamelCaseLabel>(); }

}  // namespace promtool::lint
