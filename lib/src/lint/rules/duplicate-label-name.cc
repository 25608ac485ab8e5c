// duplicate-label-name: a series names each label once (only protobuf input can break this:
// the text and OpenMetrics parsers refuse such a line).
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class DuplicateLabelName final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    for (const Series& s : family.series) {
      // Label lists are short; quadratic is cheaper than hashing here.
      for (size_t i = 0; i < s.labels.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (s.labels[j].name != s.labels[i].name) continue;
          sink.Report(kInfo, family.name, s.offset,
                      "label \"" + std::string(s.labels[i].name) + "\" appears more than once");
          break;
        }
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"duplicate-label-name", "a series names a label twice",
                                  Severity::kError, false};
};

}  // namespace

std::unique_ptr<Rule> MakeDuplicateLabelName() { return std::make_unique<DuplicateLabelName>(); }

}  // namespace promtool::lint
