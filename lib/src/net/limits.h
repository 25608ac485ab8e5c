// Family-level checks of a fetched body: counts and the scrape limits (see ScrapeOptions).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool {
struct OwnedFamily;
}

namespace promtool::net {

// Counts families and samples as Prometheus does and checks the family-level limits, one family
// at a time (so it runs on a stream).
class LimitCounter {
 public:
  explicit LimitCounter(const ScrapeOptions& options) : options_(options) {}
  // Empty when the family is within the limits; otherwise the error, naming the limit, the
  // family and the value.
  std::string Add(const OwnedFamily& family);
  uint64_t families() const { return families_; }
  uint64_t samples() const { return samples_; }

 private:
  const ScrapeOptions& options_;
  uint64_t families_ = 0;
  uint64_t samples_ = 0;
};

// The samples a family stands for as Prometheus counts them (and the text formats write them): a
// classic histogram series is its buckets (+Inf included), _sum and _count, a summary its
// quantiles, _sum and _count, a native histogram one sample. validate counts protobuf input so
// too, so that it agrees with `scrape --targets`.
uint64_t PrometheusSamples(const OwnedFamily& family);

// Reads `source` in `format` family by family, adding to result->families and ->samples. The
// first exceeded limit sets result->error (naming the limit, the family and the value) and
// stops; a parse error sets result->parse_error and result->error. When the source itself
// failed (a stream's transfer stopped early), result->error is its error and parse_error stays
// empty.
// Past `deadline` (checked after each family) the read stops with a timeout error: --timeout
// covers parsing a downloaded body too.
void ParseAndCheck(
    Source& source, const PayloadFormat& format, const ScrapeOptions& options, FetchResult* result,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

}  // namespace promtool::net
