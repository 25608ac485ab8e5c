// Family-level checks of a fetched body: counts and the scrape limits (see ScrapeOptions).
#pragma once

#include "promtool/scrape.h"
#include "promtool/source.h"

namespace promtool::net {

// Reads `source` in `format` family by family, adding to result->families and ->samples. The
// first exceeded limit sets result->error (naming the limit, the family and the value) and
// stops; a parse error sets result->parse_error and result->error.
void ParseAndCheck(Source& source, const PayloadFormat& format, const ScrapeOptions& options,
                   FetchResult* result);

}  // namespace promtool::net
