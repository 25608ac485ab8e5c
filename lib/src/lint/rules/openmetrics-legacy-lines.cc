// openmetrics-legacy-lines: an OpenMetrics 2.0 exposition that still writes OpenMetrics 1.0
// constructs
// (_created, expanded _bucket lines with their _count/_sum, _gcount/_gsum lines), which 2.0 reads
// as separate families of unknown type.
#include <string>
#include <string_view>

#include "lint/rule.h"
#include "model/owned_family.h"

namespace promtool::lint {
namespace {

bool HasLabel(const FamilyView& family, std::string_view name) {
  for (const Series& s : family.series) {
    for (const Label& l : s.labels) {
      if (l.name == name) return true;
    }
  }
  return false;
}

class OpenMetricsLegacyLines final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kSeries; }
  void Reset() override { bucket_base_.clear(); }

  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (family.owned == nullptr || !family.owned->openmetrics2 || family.part) return;
    const std::string_view name = family.name;
    auto base_of = [&](std::string_view suffix) -> std::string_view {
      return name.size() > suffix.size() && name.ends_with(suffix)
                 ? name.substr(0, name.size() - suffix.size())
                 : std::string_view();
    };
    auto report = [&](const std::string& text) { sink.Report(kInfo, name, family.offset, text); };
    if (family.type != MetricType::kUnknown && family.type != MetricType::kUntyped) return;
    if (std::string_view base = base_of("_bucket"); !base.empty() && HasLabel(family, "le")) {
      bucket_base_.assign(base);
      report("expanded histogram bucket lines (" + std::string(name) +
             "{le=...}); OpenMetrics 2.0 writes the buckets inside one sample " +
             std::string(base) + " with a CompositeValue");
      return;
    }
    for (std::string_view suffix : {"_count", "_sum"}) {
      const std::string_view base = base_of(suffix);
      if (!base.empty() && base == bucket_base_) {
        report("a separate " + std::string(suffix) + " sample of " + std::string(base) +
               "; OpenMetrics 2.0 writes count and sum inside the CompositeValue");
        return;
      }
    }
    for (std::string_view suffix : {"_gcount", "_gsum"}) {
      if (!base_of(suffix).empty()) {
        report("a separate " + std::string(suffix) + " sample of " + std::string(base_of(suffix)) +
               "; OpenMetrics 2.0 writes a gauge histogram as one sample {gcount:...,gsum:...}");
        return;
      }
    }
    if (const std::string_view base = base_of("_created"); !base.empty()) {
      report("a _created sample of " + std::string(base) +
             "; OpenMetrics 2.0 writes the start time as st@<timestamp> on the sample itself");
      return;
    }
  }

 private:
  static constexpr RuleInfo kInfo{"openmetrics-legacy-lines",
                                  "an OpenMetrics 2.0 exposition writes OpenMetrics 1.0 sample "
                                  "lines (_created, _bucket with _count/_sum, _gcount/_gsum)",
                                  Severity::kWarning, false};
  std::string bucket_base_;
};

}  // namespace

std::unique_ptr<Rule> MakeOpenMetricsLegacyLines() {
  return std::make_unique<OpenMetricsLegacyLines>();
}

}  // namespace promtool::lint
