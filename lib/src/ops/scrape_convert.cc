// ConvertScrape(): Convert() over a response body with net's LimitCounter checking each family.
#include "promtool/scrape_convert.h"

#include "model/owned_family.h"
#include "net/limits.h"
#include "write/convert_internal.h"

namespace promtool {

ConvertResult ConvertScrape(ScrapeResponse& response, Sink& output, const ConvertOptions& options,
                            const ScrapeOptions& limits) {
  if (!response.body) {
    ConvertResult result;
    result.error = response.error.ok() ? Error::Unlocated(ErrorCode::kNetwork, "no response body")
                                       : response.error;
    return result;
  }
  // Millions of tiny families must not grow the reader's per-name state past the body's bound
  // (as for every URL input, see OpenInput).
  ConvertOptions bounded = options;
  if (limits.body_size_limit > 0 && bounded.text.max_name_table_bytes == 0) {
    bounded.text.max_name_table_bytes = limits.body_size_limit / 2;
  }
  if (limits.body_size_limit > 0 && bounded.text.max_family_bytes == 0) {
    bounded.text.max_family_bytes = limits.body_size_limit / 2;
  }
  if (!HasFamilyLimits(limits)) return Convert(*response.body, output, bounded);
  net::LimitCounter counter(limits);
  return ConvertChecked(*response.body, output, bounded, [&](const OwnedFamily& family) {
    std::string refused = counter.Add(family);
    return refused.empty() ? Error{} : Error::Unlocated(ErrorCode::kLimit, std::move(refused));
  });
}

}  // namespace promtool
