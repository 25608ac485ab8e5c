// no-help: every family should say what it measures in a HELP line.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class NoHelp final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (!family.has_help) sink.Report(kInfo, family.name, family.offset, "no help text");
  }

 private:
  static constexpr RuleInfo kInfo{"no-help", "the family has no HELP line (or an empty one)",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeNoHelp() { return std::make_unique<NoHelp>(); }

}  // namespace promtool::lint
