// metric-not-unique: no two series of a family may have the same label list.
#include "lint/rule.h"
#include "lint/series_key.h"

namespace promtool::lint {
namespace {

class MetricNotUnique final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  // client_golang 1.20 (#1472) added the check; promtool 2.42 (profile k2) has none.
  void Configure(const LintOptions& options) override {
    enabled_ = options.profile == PromtoolProfile::k3;
  }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (!enabled_) return;
    // promtool merges histogram and summary lines with equal labels, so only the other types
    // can hold duplicates. Labels are compared in the order written, as promtool does; k equal
    // series give k-1 problems, each at the offset of a repeated series.
    if (IsGrouped(family.type)) return;
    for (const Series& s : family.series) {
      if (!seen_.Insert(family.name, OrderedKey(family.name, s))) {
        sink.Report(kInfo, family.name, s.offset, "metric not unique");
      }
    }
  }
  void Reset() override { seen_.Clear(); }

 private:
  static constexpr RuleInfo kInfo{"metric-not-unique",
                                  "two series of a family have the same labels", Severity::kError};
  // One key per series seen (family name and label list), across the whole input: the parts of
  // a family split by other families are one family to promtool.
  SeriesKeySet seen_;
  bool enabled_ = true;
};

}  // namespace

std::unique_ptr<Rule> MakeMetricNotUnique() { return std::make_unique<MetricNotUnique>(); }

}  // namespace promtool::lint
