// camel-case-metric: metric names are snake_case (a lower-case letter followed by an upper-case
// one is camelCase).
#include <cstdint>
#include <cstring>

#include "lint/rule.h"

namespace promtool::lint {

bool IsCamelCase(std::string_view name) {
  // Eight bytes at a time (camel-case-label runs on every label of every series): for bytes
  // under 0x80, byte + (0x80 - lo) reaches bit 7 exactly when byte >= lo, and no byte carries
  // into the next, so [lo, hi] is (x + (0x80 - lo)) & ~(x + (0x7f - hi)) & 0x80 in each byte.
  // A lower-case flag moved up one byte (little-endian) meets an upper-case flag where a
  // lower-case letter precedes an upper-case one; the last lower-case flag of a word carries
  // into the next. Words with a byte >= 0x80, and the last bytes, go byte by byte.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x80 * kOnes;
  const char* p = name.data();
  size_t i = 0;
  uint64_t carry = 0;  // 1: the byte before p + i is a lower-case letter
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, p + i, 8);
    if ((x & kHigh) != 0) break;
    const uint64_t upper = (x + (0x80 - 'A') * kOnes) & ~(x + (0x7f - 'Z') * kOnes) & kHigh;
    const uint64_t lower = (x + (0x80 - 'a') * kOnes) & ~(x + (0x7f - 'z') * kOnes) & kHigh;
    if ((((lower << 8) | (carry << 7)) & upper) != 0) return true;
    carry = lower >> 63;
  }
  bool prev_lower = carry != 0;
  for (; i < name.size(); ++i) {
    const char c = p[i];
    if (prev_lower && c >= 'A' && c <= 'Z') return true;
    prev_lower = c >= 'a' && c <= 'z';
  }
  return false;
}

namespace {

class CamelCaseMetric final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Scope scope() const override { return Scope::kFamily; }
  void Check(const FamilyView& family, ProblemSink& sink) override {
    if (IsCamelCase(family.name)) {
      sink.Report(kInfo, family.name, family.offset,
                  "metric names should be written in 'snake_case' not 'camelCase'");
    }
  }

 private:
  static constexpr RuleInfo kInfo{"camel-case-metric", "the metric name is camelCase",
                                  Severity::kWarning};
};

}  // namespace

std::unique_ptr<Rule> MakeCamelCaseMetric() { return std::make_unique<CamelCaseMetric>(); }

}  // namespace promtool::lint
