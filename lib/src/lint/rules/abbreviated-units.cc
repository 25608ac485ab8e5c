// abbreviated-units: names spell units out (seconds, not s or sec); one problem per abbreviation.
#include <array>
#include <string>

#include "lint/rule.h"

namespace promtool::lint {
namespace {

constexpr std::array<std::string_view, 14> kAbbreviations{"s",  "ms", "us", "ns", "sec", "b", "kb",
                                                          "mb", "gb", "tb", "pb", "m",   "h", "d"};

class AbbreviatedUnits final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    std::string lower(family.name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (std::string_view abbreviation : kAbbreviations) {
      if (HasWordSegment(lower, abbreviation)) {
        sink.Report(kInfo, family.name, family.offset,
                    "metric names should not contain abbreviated units");
      }
    }
  }

 private:
  static constexpr RuleInfo kInfo{"abbreviated-units",
                                  "the name contains an abbreviated unit (ms, sec, kb, ...)",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeAbbreviatedUnits() { return std::make_unique<AbbreviatedUnits>(); }

}  // namespace promtool::lint
