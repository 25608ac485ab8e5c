// Black-box conformance checks of a live exporter (the library call behind `promtool-cpp check
// exporter`): content negotiation, cross-format equivalence, behaviour over repeated scrapes and
// request fuzzing, each check with an id, a level from the spec sentence it enforces and a fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "promtool/error.h"
#include "promtool/scrape.h"

namespace promtool::exporter {

// The requirement level of a check, from the RFC 2119 word of the sentence it enforces.
enum class Level : uint8_t { kMay, kShould, kMust };

// "MAY", "SHOULD", "MUST".
std::string_view LevelName(Level level);
// "may", "should", "must" (any case); nullopt otherwise.
std::optional<Level> ParseLevel(std::string_view name);

// One check of the registry.
struct CheckInfo {
  std::string_view id;  // stable, kebab-case (docs/exporter-checks.md)
  Level level = Level::kMust;
  std::string_view area;     // "negotiation", "equivalence", "over-time", "fuzz", "lint"
  std::string_view summary;  // what is checked, one line
  std::string_view spec;     // the sentence it enforces, quoted
  std::string_view source;   // where the sentence is (document and section)
  std::string_view hint;     // how to fix it
};

// Every check in report order. Lint rules are not listed: their findings carry the id
// "lint/<rule id>" and level SHOULD.
const std::vector<CheckInfo>& Checks();
// The check with this id ("lint/<rule>" gives a lint entry); nullptr for an unknown id.
const CheckInfo* FindCheck(std::string_view id);

// --- Content-Type and Accept (pure functions; tests/ops/exporter_negotiation_test.cc) ---------

// A media type with its parameters: names lower-cased, values unquoted.
struct MediaType {
  std::string type;  // "text/plain", lower-cased
  std::vector<std::pair<std::string, std::string>> params;
  bool valid = false;  // type/subtype syntax held
  // The value of parameter `name` (lower-case); nullopt when absent.
  std::optional<std::string> Param(std::string_view name) const;
};

// Parses a Content-Type value (`type/subtype *(; name=value)`, values token or quoted-string).
MediaType ParseMediaType(std::string_view value);

// The scrape protocol a Content-Type names: text/plain version 0.0.4 (or none) or 1.0.0,
// application/openmetrics-text version 0.0.1 (or none) or 1.0.0, application/vnd.google.protobuf
// with proto=io.prometheus.client.MetricFamily and encoding=delimited. nullopt otherwise.
std::optional<ScrapeProtocol> ProtocolOfContentType(const MediaType& content_type);

// One media range of an Accept header with its weight.
struct AcceptRange {
  MediaType range;  // may be "*/*" or "type/*"
  double q = 1;     // 0..1; an unparsable q is 0 and sets `valid` false
  bool valid = true;
};

// Splits an Accept header into its ranges (empty items skipped).
std::vector<AcceptRange> ParseAccept(std::string_view accept);

// The weight `accept` gives `protocol`: the q of the most specific matching range (exact type
// with matching version/proto parameters beats type/* beats */*); -1 when none matches. A range
// without a version matches every version of its type (text/plain without a version is 0.0.4
// to expfmt, but the spec does not say so).
double AcceptWeight(const std::vector<AcceptRange>& accept, ScrapeProtocol protocol);

// One violation found by a check.
struct Violation {
  std::string check;  // check id
  std::string message;
};

// The Content-Type checks of one 2xx response (content-type-present, -known, -version,
// -escaping, -escaping-om, -charset, -om-charset). `requested_escaping` is the escaping the
// request's Accept asked for the served protocol ("" when none). Appends to `out`; returns the
// served protocol when the Content-Type names one.
std::optional<ScrapeProtocol> CheckContentType(std::string_view content_type,
                                               std::string_view requested_escaping,
                                               std::vector<Violation>* out);

// The negotiation checks of one response: given the protocols the target has been seen to serve
// (`supported`), the Accept sent (nullopt: none) and the protocol served, appends
// negotiation-highest-weight or negotiation-last-resort violations. Returns the id of the check
// that applied ("" without an Accept header: any format is acceptable then).
std::string_view CheckNegotiation(const std::optional<std::string>& accept,
                                  const std::vector<ScrapeProtocol>& supported,
                                  ScrapeProtocol served, std::vector<Violation>* out);

// --- Fuzz requests ----------------------------------------------------------------------------

// One request the fuzzer sent, replayable.
struct FuzzRequest {
  std::string kind;  // what it probes: "accept", "accept-encoding", "query", "head",
                     // "concurrent", "slow-read"
  std::string method = "GET";
  std::string query;                           // appended to the URL ("?name[]=x"), "" for none
  std::optional<std::string> accept;           // nullopt: none sent
  std::optional<std::string> accept_encoding;  // nullopt: none sent
  uint32_t concurrency = 1;                    // parallel copies sent at once
  uint64_t recv_bytes_per_second = 0;          // > 0: the body is read this slowly

  // One line: `replay-v1` then tab-separated key=value fields, values percent-encoded.
  std::string Serialize() const;
  // The inverse; the error names the field.
  static absl::StatusOr<FuzzRequest> Parse(std::string_view line);
};

// Reads a --replay file: one Serialize()d request per line; blank lines and lines starting with
// '#' are skipped. Errors name `name` and the line.
absl::StatusOr<std::vector<FuzzRequest>> ParseReplay(std::string_view text, std::string_view name);

// The requests `--fuzz` sends for `seed`, in order (the same seed gives the same list).
// `families` are names of families the target exposes (for the name[]= filter).
std::vector<FuzzRequest> GenerateFuzz(uint64_t seed, uint32_t count,
                                      const std::vector<std::string>& families);

// --- The check run ----------------------------------------------------------------------------

struct ExporterCheckOptions {
  // The HTTP client: timeout (per request, sent as X-Prometheus-Scrape-Timeout-Seconds), auth,
  // TLS, proxy, body_size_limit and sample_limit (checked as scrape-limits when set; bodies are
  // streamed, so the body size limit bounds what is read, not what is held). protocols, fallback,
  // compression and the request overrides are set per request by the checker. Redirects are never
  // followed.
  ScrapeOptions client;
  bool limits_given = false;  // body_size_limit or sample_limit came from the user

  uint32_t scrapes = 1;         // repeated scrapes (over-time checks need 2 or more)
  double interval_seconds = 1;  // between them
  bool fuzz = false;            // send GenerateFuzz(seed, fuzz_count) requests
  uint32_t fuzz_count = 30;
  double fuzz_seconds = 10;  // fuzzing stops after this long, whatever is left
  uint64_t seed = 1;
  std::vector<FuzzRequest> replay;  // when not empty: sent instead of the generated requests

  // Cross-format value comparison (counters, histograms and summaries only; gauges move between
  // requests): |a - b| <= max(abs, rel * max(|a|, |b|)).
  double abs_tolerance = 0;
  double rel_tolerance = 1e-9;
  // RE2 patterns (partial match) of families whose values are never compared across formats.
  std::vector<std::string> ignore_values;
  bool lint = true;  // lint the served text body (default promlint rules)
  // Add OpenMetricsText2.0.0 (application/openmetrics-text;version=2.0.0, experimental) to the
  // negotiation matrix.
  bool openmetrics2 = false;
};

// One request of the negotiation matrix, for the report's table.
struct Exchange {
  std::string target;           // redacted URL
  std::string label;            // "PrometheusProto", "Prometheus 3.x default", "no Accept", ...
  std::string accept_encoding;  // "gzip" or "identity"
  long status = 0;
  std::string content_type;
  std::string content_encoding;
  std::string vary;
  std::string served;    // protocol name the Content-Type names ("" when none)
  std::string required;  // protocol(s) the Accept weights required ("" when not decided)
  uint64_t bytes = 0;    // decoded body bytes
  double seconds = 0;
  std::string error;  // transport or HTTP error, "" when a body came back
};

// One failed evaluation of a check.
struct Finding {
  std::string check;  // id (lint findings: "lint/<rule>")
  Level level = Level::kMust;
  std::string target;   // redacted URL
  std::string request;  // the request it concerns ("GET PrometheusProto, gzip"), "" if several
  std::string family;   // the family it concerns, "" if none
  std::string message;
  std::string replay;  // fuzz findings: the FuzzRequest line that reproduces it
  uint64_t count = 1;  // identical findings (check, family, message) of one target merged
};

// How often one check was evaluated against one target and how often it failed.
struct Outcome {
  std::string check;
  Level level = Level::kMust;
  std::string target;
  uint64_t evaluated = 0;
  uint64_t failed = 0;
  bool passed() const { return failed == 0; }
};

// What a run could not check fully, and why (a body too large to compare across formats, series
// beyond the number the over-time checks track, a body that could not be linted). Not a failure;
// every report shows it.
struct Note {
  std::string target;  // redacted URL
  std::string message;
};

struct ExporterCheckResult {
  // A setup error (no target, an invalid ignore pattern); nothing was checked then.
  Error error;
  std::vector<std::string> targets;  // redacted
  std::vector<Exchange> exchanges;   // the negotiation matrix, in order
  std::vector<Outcome> outcomes;     // per target, in Checks() order, then lint rules
  std::vector<Finding> findings;     // per target, in Checks() order, then lint rules
  std::vector<Note> notes;           // per target, in the order they arose
  double seconds = 0;

  bool ok() const { return error.ok(); }
  // Checks at `level` that were evaluated, and those of them that passed (over all targets).
  uint64_t Evaluated(Level level) const;
  uint64_t Passed(Level level) const;
  // True when a check at `level` or above failed.
  bool FailsAt(Level level) const;
};

// Runs every check against each URL in turn: the negotiation matrix (one request per scrape
// protocol and Accept header of interest, with gzip and identity), cross-format equivalence,
// `scrapes` repeated scrapes, then fuzzing. Contacts only the given URLs. Every body is read as a
// stream and never held whole, so memory does not grow with the body's size: a body being read
// holds one line (validation) or one family (text families in parts of 4096 series); the
// cross-format comparison reads bodies of at most 16 MiB (the diff engine indexes one of each
// pair; larger bodies are not compared, and a note says so) and keeps two digests of the
// reference body's counter-like values; the over-time checks keep a state for at most 100000
// series per target (a note names the rest). Never prints; blocks until done.
ExporterCheckResult CheckExporter(const std::vector<std::string>& urls,
                                  const ExporterCheckOptions& options);

}  // namespace promtool::exporter
