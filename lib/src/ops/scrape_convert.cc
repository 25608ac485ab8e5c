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
  if (!HasFamilyLimits(limits)) return Convert(*response.body, output, options);
  net::LimitCounter counter(limits);
  return ConvertChecked(*response.body, output, options, [&](const OwnedFamily& family) {
    std::string refused = counter.Add(family);
    return refused.empty() ? Error{} : Error::Unlocated(ErrorCode::kLimit, std::move(refused));
  });
}

}  // namespace promtool
