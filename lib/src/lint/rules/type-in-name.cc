// type-in-name: a name should not repeat its own type (x_counter, x_gauge_total).
#include <string>

#include "lint/rule.h"

namespace promtool::lint {
namespace {

class TypeInName final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Configure(const LintOptions& options) override { profile_ = options.profile; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    std::string lower(family.name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    auto check = [&](std::string_view type) {
      if (HasWordSegment(lower, type)) {
        std::string message = "metric name should not include type '";
        message.append(type).append("'");
        sink.Report(kInfo, family.name, family.offset, message);
      }
    };
    if (profile_ == PromtoolProfile::k2) {
      // client_golang 1.14: every type word, whatever the family's type (untyped too).
      for (std::string_view type :
           {"counter", "gauge", "summary", "histogram", "gauge_histogram"}) {
        check(type);
      }
      return;
    }
    // client_golang >= 1.20 (#1453): the family's own type only, never for untyped.
    if (family.type == MetricType::kUntyped) return;
    check(MetricTypeName(family.type));
  }

 private:
  static constexpr RuleInfo kInfo{
      "type-in-name", "the name contains the family's own type as a word", Severity::kWarning};
  PromtoolProfile profile_ = PromtoolProfile::k3;
};

}  // namespace

std::unique_ptr<Rule> MakeTypeInName() { return std::make_unique<TypeInName>(); }

}  // namespace promtool::lint
