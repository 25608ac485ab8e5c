// histogram-suffixes: "_bucket", "_count" and "_sum" are reserved for histograms and summaries.
#include "lint/rule.h"

namespace promtool::lint {
namespace {

class HistogramSuffixes final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.type == MetricType::kUntyped) return;
    const bool histogram = family.type == MetricType::kHistogram;
    const bool summary = family.type == MetricType::kSummary;
    if (!histogram && family.name.ends_with("_bucket")) {
      sink.Report(kInfo, family.name, family.offset,
                  "non-histogram metrics should not have \"_bucket\" suffix");
    }
    if (!histogram && !summary && family.name.ends_with("_count")) {
      sink.Report(kInfo, family.name, family.offset,
                  "non-histogram and non-summary metrics should not have \"_count\" suffix");
    }
    if (!histogram && !summary && family.name.ends_with("_sum")) {
      sink.Report(kInfo, family.name, family.offset,
                  "non-histogram and non-summary metrics should not have \"_sum\" suffix");
    }
  }

 private:
  static constexpr RuleInfo kInfo{
      "histogram-suffixes",
      "a typed family that is not a histogram (summary) ends in _bucket (_count, _sum)",
      Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeHistogramSuffixes() { return std::make_unique<HistogramSuffixes>(); }

}  // namespace promtool::lint
