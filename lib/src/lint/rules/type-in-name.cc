// type-in-name: a name should not repeat its own type (x_counter, x_gauge_total).
#include <string>

#include "lint/rule.h"

namespace promtool::lint {
namespace {

class TypeInName final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type == MetricType::kUntyped) return;
    std::string_view type = MetricTypeName(family.type);
    std::string lower(family.name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (HasWordSegment(lower, type)) {
      std::string message = "metric name should not include type '";
      message.append(type).append("'");
      sink.Report(kInfo, family.name, family.offset, message);
    }
  }

 private:
  static constexpr RuleInfo kInfo{
      "type-in-name", "the name contains the family's own type as a word", Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeTypeInName() { return std::make_unique<TypeInName>(); }

}  // namespace promtool::lint
