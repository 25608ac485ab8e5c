// base-unit: a name segment naming a unit should use the base unit (seconds, not milliseconds).
#include <array>
#include <string>
#include <utility>

#include "lint/rule.h"

namespace promtool::lint {
namespace {

// Units promtool knows, each with its base unit (a base unit maps to itself).
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kUnits{{
    {"amperes", "amperes"},    {"bytes", "bytes"},     {"celsius", "celsius"},
    {"grams", "grams"},        {"joules", "joules"},   {"kelvin", "kelvin"},
    {"meters", "meters"},      {"metres", "metres"},   {"seconds", "seconds"},
    {"volts", "volts"},        {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"},       {"weeks", "seconds"},   {"kelvins", "kelvin"},
    {"fahrenheit", "celsius"}, {"rankine", "celsius"}, {"inches", "meters"},
    {"yards", "meters"},       {"miles", "meters"},    {"bits", "bytes"},
    {"calories", "joules"},    {"pounds", "grams"},    {"ounces", "grams"},
}};

// SI and binary prefixes, in promtool's order ("mibi" is promtool's spelling, so "mebibytes"
// is not recognised).
constexpr std::array<std::string_view, 18> kPrefixes{
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo",
    "kibi", "mega", "mibi",  "giga",  "gibi",  "tera", "tebi", "peta",  "pebi"};

std::string_view BaseOf(std::string_view unit) {
  if (unit.empty()) return {};
  for (const auto& [name, base] : kUnits) {
    if (name == unit) return base;
  }
  return {};
}

class BaseUnit final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    // The first '_'-separated segment that names a unit, exactly or after a prefix, decides.
    std::string_view rest = family.name;
    for (;;) {
      size_t cut = rest.find('_');
      std::string_view segment = rest.substr(0, cut);
      std::string_view base = BaseOf(segment);
      for (size_t i = 0; base.empty() && i < kPrefixes.size(); ++i) {
        if (segment.starts_with(kPrefixes[i])) base = BaseOf(segment.substr(kPrefixes[i].size()));
      }
      if (!base.empty()) {
        if (base != segment) {
          std::string message = "use base unit \"";
          message.append(base).append("\" instead of \"").append(segment).append("\"");
          sink.Report(kInfo, family.name, family.offset, message);
        }
        return;
      }
      if (cut == std::string_view::npos) return;
      rest.remove_prefix(cut + 1);
    }
  }

 private:
  static constexpr RuleInfo kInfo{
      "base-unit", "a unit in the name is not the base unit (milliseconds instead of seconds)",
      Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeBaseUnit() { return std::make_unique<BaseUnit>(); }

}  // namespace promtool::lint
