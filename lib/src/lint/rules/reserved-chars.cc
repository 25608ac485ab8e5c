// reserved-chars: ':' in metric names is reserved for recording rules.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class ReservedChars final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.name.find(':') != std::string_view::npos) {
      sink.Report(kInfo, family.name, family.offset, "metric names should not contain ':'");
    }
  }

 private:
  static constexpr RuleInfo kInfo{
      "reserved-chars", "the name contains ':' (reserved for recording rules)", Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeReservedChars() { return std::make_unique<ReservedChars>(); }

}  // namespace promtool::lint
