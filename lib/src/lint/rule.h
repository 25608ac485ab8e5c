// The internal shape of a lint rule and the factories of every rule, one per rules/*.cc file,
// and what the linter and the cardinality counter share.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "promtool/family.h"
#include "promtool/lint.h"

namespace promtool::lint {

// When a rule runs. Family rules see the family once, at the end of input, with its final
// name, HELP and TYPE and no series; series rules see every view (and its series) as it
// streams, and only the series promtool would not have merged into an earlier one.
enum class Scope : uint8_t { kFamily, kSeries };

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  virtual Scope scope() const = 0;
  virtual void Check(const FamilyView& family, ProblemSink& sink) = 0;
  // Forgets any state kept between views (the input has ended).
  virtual void Reset() {}
  // Takes the thresholds of the options (called once, before the first Check).
  virtual void Configure(const LintOptions& /*options*/) {}
};

// True for the types whose lines promtool groups into one series per label set.
inline bool IsGrouped(MetricType type) {
  return type == MetricType::kSummary || type == MetricType::kHistogram;
}

// Sets each row's fraction of `total` and orders the rows as CardinalityCounter::Finish()
// returns them: largest first, equal cardinalities by family name. Defined in cardinality.cc.
void OrderCardinalityRows(std::vector<CardinalityRow>* rows, uint64_t total);

// True when `name` contains "_" + word + "_" or ends with "_" + word.
bool HasWordSegment(std::string_view name, std::string_view word);

// True when a lower-case ASCII letter is followed by an upper-case one (promtool's camelCase
// test, the regexp [a-z][A-Z]). Defined in rules/camel-case-metric.cc.
bool IsCamelCase(std::string_view name);

// Factories, one per file in rules/, named after the rule id.
std::unique_ptr<Rule> MakeNoHelp();
std::unique_ptr<Rule> MakeBaseUnit();
std::unique_ptr<Rule> MakeCounterTotalSuffix();
std::unique_ptr<Rule> MakeNonCounterTotalSuffix();
std::unique_ptr<Rule> MakeHistogramSuffixes();
std::unique_ptr<Rule> MakeLeLabel();
std::unique_ptr<Rule> MakeQuantileLabel();
std::unique_ptr<Rule> MakeTypeInName();
std::unique_ptr<Rule> MakeReservedChars();
std::unique_ptr<Rule> MakeCamelCaseMetric();
std::unique_ptr<Rule> MakeCamelCaseLabel();
std::unique_ptr<Rule> MakeAbbreviatedUnits();
std::unique_ptr<Rule> MakeMetricNotUnique();
// Semantic rules beyond promlint (RuleInfo::default_on false).
std::unique_ptr<Rule> MakeHistogramNoInfBucket();
std::unique_ptr<Rule> MakeHistogramBucketsCumulative();
std::unique_ptr<Rule> MakeHistogramCountMismatch();
std::unique_ptr<Rule> MakeSumCountPair();
std::unique_ptr<Rule> MakeSummaryQuantileRange();
std::unique_ptr<Rule> MakeCounterNegative();
std::unique_ptr<Rule> MakeDuplicateLabelName();
std::unique_ptr<Rule> MakeGaugeTotalSuffix();
std::unique_ptr<Rule> MakeLabelCardinality();
std::unique_ptr<Rule> MakeTimestampRange();
std::unique_ptr<Rule> MakeNativeHistogram();
std::unique_ptr<Rule> MakeOpenMetricsLegacyLines();

// The registry: one instance of every rule, in Rules() order.
std::vector<std::unique_ptr<Rule>> MakeAllRules();

}  // namespace promtool::lint
