// OpenInput() for every kind of input, http(s) URLs included: the operations layer's entry point
// (it joins the core opener of promtool/input.h with the HTTP client of promtool/scrape.h).
#pragma once

#include <string>

#include "promtool/input.h"
#include "promtool/scrape.h"

namespace promtool {

// Opens `name` as OpenInput(name, options) does, and an http(s) URL with `scrape`: the request is
// sent and the body is a stream Source read while it arrives (memory bounded by the largest
// family), in the format its Content-Type announces unless options.format names one.
//
// The one rule for holding a body whole: a URL body is streamed unless the consumer needs the
// whole input before it reads it, which is the case for two kinds of consumer: one that locates
// problems after the read (ReadOptions::whole: the CI linter), and one that builds no families on
// which the family-level limits could be counted (ReadOptions::check_family_limits with a sample
// or label limit set: validate, check metrics). Then Fetch downloads the body (bounded by
// --body-size-limit) and checks those limits first; a limit is the input's error, a parse error
// is left to the consumer (it reports it with its position). Input::name is the URL finally
// fetched (after redirects), redacted.
Input OpenInput(const std::string& name, const ReadOptions& options, const ScrapeOptions& scrape);

}  // namespace promtool
