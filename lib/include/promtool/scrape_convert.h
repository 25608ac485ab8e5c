// Scrape-to-X: converting an HTTP response body while it arrives, with the scrape limits checked
// on every family (the operations layer: it joins the HTTP client and the writers).
#pragma once

#include "promtool/convert.h"
#include "promtool/output.h"
#include "promtool/scrape.h"

namespace promtool {

// Converts an open response's body to `output` while it arrives, enforcing the family-level
// limits of `options` on every family before it is written (an exceeded limit stops the
// conversion with an error of code kLimit, naming the limit, the family and the value). A
// transfer that stops early ends the conversion with a parse error whose message is
// response.body->error().
ConvertResult ConvertScrape(ScrapeResponse& response, Sink& output, const ConvertOptions& options,
                            const ScrapeOptions& limits);

}  // namespace promtool
