// The registry of `check exporter` checks: id, level, the spec sentence each enforces, and a fix.
#include <cctype>
#include <string>

#include "promtool/exporter_check.h"

namespace promtool::exporter {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kMay:
      return "MAY";
    case Level::kShould:
      return "SHOULD";
    case Level::kMust:
      return "MUST";
  }
  return "MUST";
}

std::optional<Level> ParseLevel(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "must") return Level::kMust;
  if (lower == "should") return Level::kShould;
  if (lower == "may") return Level::kMay;
  return std::nullopt;
}

namespace {

constexpr std::string_view kNegotiation = "prometheus/docs content_negotiation.md";

}  // namespace

const std::vector<CheckInfo>& Checks() {
  static const std::vector<CheckInfo> kChecks = {
      // Negotiation matrix.
      {"http-status", Level::kMust, "negotiation",
       "a scrape with a protocol's Accept header gets a 2xx response",
       "Implementers MUST expose metrics in the OpenMetrics text format in response to a simple "
       "HTTP GET request to a documented URL for a given process or device.",
       "OpenMetrics 1.0, Overview", "serve /metrics with 200 for every Accept header; never 406"},
      {"content-type-present", Level::kMust, "negotiation", "the response has a Content-Type",
       "The Content-Type header MUST include: 1. The appropriate MIME type.", kNegotiation,
       "set Content-Type to the negotiated format (client_golang: promhttp.HandlerFor; "
       "client_python: prometheus_client.exposition.choose_encoder)"},
      {"content-type-known", Level::kMust, "negotiation",
       "the Content-Type names a scrape protocol's MIME type (and the protobuf parameters)",
       "Each protocol MUST be associated with a specific MIME type and version", kNegotiation,
       "use text/plain, application/openmetrics-text or application/vnd.google.protobuf with "
       "proto=io.prometheus.client.MetricFamily;encoding=delimited"},
      {"content-type-version", Level::kMust, "negotiation",
       "text and OpenMetrics Content-Types carry a known version parameter",
       "The Content-Type header MUST include: [...] 2. The version parameter.", kNegotiation,
       "send e.g. text/plain; version=0.0.4; charset=utf-8"},
      {"content-type-escaping", Level::kMust, "negotiation",
       "a PrometheusText1.0.0 response names its escaping scheme (the one asked for)",
       "The Content-Type header MUST include: [...] 3. For text formats version 1.0.0 and above, "
       "the escaping scheme parameter.",
       kNegotiation,
       "append ; escaping=<scheme> with the scheme of the Accept header (expfmt.NegotiateAccept "
       "does this)"},
      {"content-type-escaping-om", Level::kShould, "negotiation",
       "an OpenMetricsText1.0.0 response names its escaping scheme (the one asked for)",
       "For text formats version 1.0.0 and above, the escaping scheme parameter. (Read as SHOULD "
       "for OpenMetrics 1.0.0, whose own specification fixes its Content-Type without it.)",
       kNegotiation, "append ; escaping=<scheme> to the OpenMetrics Content-Type"},
      {"content-type-charset", Level::kShould, "negotiation",
       "a text/plain Content-Type declares charset=utf-8",
       "text/plain; version=0.0.4; charset=utf-8 (the exposition format's documented "
       "Content-Type; names and values are UTF-8)",
       "prometheus/docs exposition_formats.md", "append ; charset=utf-8"},
      {"content-type-om-charset", Level::kMust, "negotiation",
       "an OpenMetrics Content-Type declares charset=utf-8",
       "The content type MUST be: application/openmetrics-text; version=1.0.0; charset=utf-8",
       "OpenMetrics 1.0, Text format", "append ; charset=utf-8"},
      {"negotiation-highest-weight", Level::kMust, "negotiation",
       "the target serves the highest-weighted protocol of the Accept header it supports",
       "It MUST use the protocol in the Accept header with the highest weighting that is "
       "supported by Prometheus.",
       kNegotiation,
       "negotiate with the q values (client_golang: expfmt.NegotiateAccept; client_python: "
       "choose_encoder honours the order, not q)"},
      {"negotiation-last-resort", Level::kMust, "negotiation",
       "when no protocol of the Accept header is supported, the target serves PrometheusText0.0.4",
       "If no fallback is specified, the target MUST use PrometheusText0.0.4 as a last resort.",
       kNegotiation, "fall back to text/plain; version=0.0.4 instead of a fixed format or a 406"},
      {"content-encoding-accepted", Level::kShould, "negotiation",
       "the Content-Encoding is one the request accepted (identity when asked for identity)",
       "If a non-empty Accept-Encoding header field is present in a request and none of the "
       "available content codings for the response are acceptable, the origin server SHOULD "
       "send a response without any content coding",
       "RFC 9110, 12.5.3 Accept-Encoding", "compress only when Accept-Encoding names gzip"},
      {"gzip-content-encoding", Level::kMust, "negotiation",
       "a gzip-compressed body is announced with Content-Encoding: gzip",
       "The \"Content-Encoding\" header field indicates what content codings have been applied "
       "to the representation, beyond those inherent in the media type, and thus what decoding "
       "mechanisms have to be applied in order to obtain data in the media type referenced by "
       "the Content-Type header field.",
       "RFC 9110, 8.4 Content-Encoding",
       "set Content-Encoding: gzip on compressed bodies (or do not compress)"},
      {"vary", Level::kShould, "negotiation",
       "a target that negotiates names Accept (and Accept-Encoding when it compresses) in Vary",
       "An origin server SHOULD send a Vary header field when its algorithm for selecting a "
       "representation varies based on aspects of the request message other than the method "
       "and target URI",
       "RFC 9110, 12.5.5 Vary", "send Vary: Accept, Accept-Encoding"},
      {"body-format-mismatch", Level::kMust, "negotiation",
       "the body is in the format the Content-Type names (not OpenMetrics or protobuf under "
       "another type)",
       "Each protocol MUST be associated with a specific MIME type and version", kNegotiation,
       "announce the format actually written (an OpenMetrics encoder needs "
       "application/openmetrics-text)"},
      {"body-om-eof", Level::kMust, "negotiation", "an OpenMetrics body ends with # EOF",
       "exposition = metricset HASH SP eof [ LF ] (the ABNF's only top-level rule: every "
       "exposition ends with \"# EOF\")",
       "OpenMetrics 1.0, ABNF",
       "close the OpenMetrics encoder (expfmt: Close(); client_python: "
       "generate_latest of prometheus_client.openmetrics.exposition)"},
      {"body-valid", Level::kMust, "negotiation", "the body parses strictly in the served format",
       "Each protocol MUST be associated with a specific MIME type and version (a body is read "
       "with the grammar of the format its Content-Type names)",
       kNegotiation, "fix the line the parser names (see docs/formats.md for the error codes)"},
      // Cross-format equivalence.
      {"formats-agree", Level::kMust, "equivalence",
       "every served format carries the same families, types and series",
       "The same self-contained exposition MUST be provided to existing and new ingestors.",
       "OpenMetrics 1.0, Statelessness",
       "build every format from one registry (client_golang and client_python do); a custom "
       "encoder must not drop or add series"},
      {"formats-agree-values", Level::kShould, "equivalence",
       "a value that did not change between two scrapes of one format is the same in the others",
       "The same self-contained exposition MUST be provided to existing and new ingestors. "
       "(SHOULD here: values are sampled at different moments)",
       "OpenMetrics 1.0, Statelessness", "encode one snapshot per request in every format"},
      // Over time.
      {"scrape-timeout", Level::kMust, "over-time",
       "every scrape finishes within the scrape timeout (--timeout)",
       "scrape_timeout: Per-scrape timeout when scraping this job. (a scrape that runs past it "
       "fails)",
       "prometheus/docs configuration.md, scrape_config",
       "make collection faster or asynchronous, or raise scrape_timeout"},
      {"scrape-timeout-header", Level::kShould, "over-time",
       "a slow target answers within X-Prometheus-Scrape-Timeout-Seconds",
       "Prometheus sends X-Prometheus-Scrape-Timeout-Seconds with every scrape so that a target "
       "can bound its work by the scraper's timeout.",
       "Prometheus scrape loop (scrape/scrape.go)",
       "read the header and cut collection short before it (blackbox_exporter does)"},
      {"scrape-limits", Level::kMust, "over-time",
       "the body and its samples stay within --body-size-limit and --sample-limit",
       "body_size_limit / sample_limit: if more than this many bytes / samples are present "
       "after metric relabeling the entire scrape will be treated as failed.",
       "prometheus/docs configuration.md, scrape_config",
       "expose fewer series, or raise the limits where the target is scraped"},
      {"series-duplicate", Level::kMust, "over-time", "no series appears twice in one exposition",
       "Every Metric within a MetricFamily MUST have a unique LabelSet.",
       "OpenMetrics 1.0, MetricFamily",
       "register each label set once (client_golang: use a *Vec; client_python: one labels() "
       "call per label set)"},
      {"counter-monotonic", Level::kMust, "over-time",
       "counters and histogram/summary counts never decrease without a restart",
       "A Total is a non-NaN and MUST be monotonically non-decreasing over time, starting from 0.",
       "OpenMetrics 1.0, Counter",
       "never Set() a counter from a value that can go down; use a gauge, or a ConstMetric with "
       "a _created timestamp that changes on reset"},
      {"timestamp-monotonic", Level::kMust, "over-time",
       "a series' explicit timestamps never go backwards between scrapes",
       "If more than one MetricPoint is exposed for a Metric, then its MetricPoints MUST have "
       "monotonically increasing timestamps.",
       "OpenMetrics 1.0, Metric",
       "drop explicit timestamps (writing_exporters.md: you should "
       "not set timestamps on the metrics you expose)"},
      {"series-churn", Level::kShould, "over-time",
       "families and series do not appear and disappear between scrapes",
       "Metrics and samples SHOULD NOT appear and disappear from exposition to exposition",
       "OpenMetrics 1.0, Exposition Across Time and Metric Evolution",
       "initialise every label set at start-up and keep exposing it (client_golang: "
       "WithLabelValues at start; client_python: labels() at start)"},
      {"label-value-volatile", Level::kShould, "over-time",
       "no label value changes on every scrape (timestamps, durations, readings in labels)",
       "Do not use labels to store dimensions with high cardinality (many different label "
       "values), such as user IDs, email addresses, or other unbounded sets of values.",
       "prometheus/docs practices/naming.md, Labels",
       "move the changing quantity into the sample value (or an _info gauge's fixed labels)"},
      // Fuzzing.
      {"fuzz-server-error", Level::kMust, "fuzz", "an odd request never gets a 5xx",
       "Targets MUST validate the Accept header to prevent potential injection attacks [...] the "
       "target MUST use PrometheusText0.0.4 as a last resort.",
       kNegotiation, "treat unparsable Accept/Accept-Encoding values as absent"},
      {"fuzz-hang", Level::kMust, "fuzz", "an odd request gets an answer within the timeout",
       "Implementers MUST expose metrics [...] in response to a simple HTTP GET request",
       "OpenMetrics 1.0, Overview", "bound the handler's work; never wait on the client"},
      {"fuzz-reset", Level::kMust, "fuzz", "an odd request is answered, not dropped",
       "Implementers MUST expose metrics [...] in response to a simple HTTP GET request",
       "OpenMetrics 1.0, Overview", "recover from errors in the handler and answer 400/500"},
      {"fuzz-invalid-body", Level::kMust, "fuzz",
       "a 2xx answer to an odd request has a valid body in its Content-Type's format",
       "Each protocol MUST be associated with a specific MIME type and version", kNegotiation,
       "negotiate once, then write the whole body with that format's encoder"},
      {"fuzz-target-dead", Level::kMust, "fuzz",
       "the target still answers a normal scrape after an odd request",
       "Implementers MUST expose metrics [...] in response to a simple HTTP GET request",
       "OpenMetrics 1.0, Overview",
       "never let a request crash the process (recover in the handler)"},
  };
  return kChecks;
}

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& c : Checks()) {
    if (c.id == id) return &c;
  }
  if (id.starts_with("lint/")) {
    static const CheckInfo kLint = {
        "lint/",
        Level::kShould,
        "lint",
        "a promlint rule (see docs/lint-rules.md)",
        "the Prometheus naming and instrumentation best practices (promlint)",
        "prometheus/docs practices/naming.md",
        "see docs/lint-rules.md for the rule"};
    return &kLint;
  }
  return nullptr;
}

}  // namespace promtool::exporter
