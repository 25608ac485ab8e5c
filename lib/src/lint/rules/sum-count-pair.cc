// sum-count-pair: a histogram or summary series has both _sum and _count, or neither.
#include "lint/rule.h"
#include "lint/rule_util.h"

namespace promtool::lint {
namespace {

class SumCountPair final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type != MetricType::kHistogram && family.type != MetricType::kSummary &&
        family.type != MetricType::kGaugeHistogram) {
      return;
    }
    for (const Series& s : family.series) {
      if (s.has_sum == s.has_count) continue;
      std::string where = LabelsText(s);
      if (!where.empty()) where = " in " + where;
      sink.Report(kInfo, family.name, s.offset,
                  s.has_sum ? "_sum without _count" + where : "_count without _sum" + where);
    }
  }

 private:
  static constexpr RuleInfo kInfo{"sum-count-pair",
                                  "a histogram or summary series has _sum without _count or the "
                                  "reverse",
                                  Severity::kWarning, false};
};

}  // namespace

std::unique_ptr<Rule> MakeSumCountPair() { return std::make_unique<SumCountPair>(); }

}  // namespace promtool::lint
