// Scraping a metrics endpoint and pushing to a Pushgateway over HTTP(S): the library calls
// behind `promtool-cpp scrape`, `push` and the URL inputs of `check metrics` and `validate`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "promtool/error.h"
#include "promtool/input_format.h"
#include "promtool/source.h"
#include "promtool/types.h"
#include "promtool/validate.h"

namespace promtool {

// Prometheus' scrape protocol names (scrape_protocols / fallback_scrape_protocol).
enum class ScrapeProtocol : uint8_t {
  kPrometheusProto,       // "PrometheusProto": delimited protobuf
  kOpenMetricsText1_0_0,  // "OpenMetricsText1.0.0"
  kOpenMetricsText0_0_1,  // "OpenMetricsText0.0.1"
  kPrometheusText1_0_0,   // "PrometheusText1.0.0" (UTF-8 names)
  kPrometheusText0_0_4,   // "PrometheusText0.0.4"
  kOpenMetricsText2_0_0,  // "OpenMetricsText2.0.0" (OpenMetrics 2.0.0-rc0, experimental)
};

std::optional<ScrapeProtocol> ParseScrapeProtocol(std::string_view name);
std::string_view ScrapeProtocolName(ScrapeProtocol protocol);
// Prometheus 3's default order: OpenMetricsText1.0.0, OpenMetricsText0.0.1,
// PrometheusText1.0.0, PrometheusText0.0.4.
std::vector<ScrapeProtocol> DefaultScrapeProtocols();
// Parses "A,B,C" (Prometheus' names, no duplicates). The error names the offending item.
absl::StatusOr<std::vector<ScrapeProtocol>> ParseScrapeProtocols(std::string_view list);

// The Accept header Prometheus sends for `protocols` in order of preference: each media type
// with a descending q value (the first gets q=0.(n+1)), `escaping=allow-utf-8` on the 1.0.0
// text formats, and a final `*/*`. For the default protocols:
// application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,
// application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;
// q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1 (one line, no blanks).
std::string AcceptHeader(const std::vector<ScrapeProtocol>& protocols);

// How to parse a body.
struct PayloadFormat {
  InputFormat format = InputFormat::kText;
  NameScheme names = NameScheme::kLegacy;  // text: quoted UTF-8 names allowed (text 1.0.0)
};

// The format a response's Content-Type announces: text/plain (version 0.0.4, 1.0.0 or none),
// application/openmetrics-text (version 0.0.1, 1.0.0 or none) or
// application/vnd.google.protobuf with proto=io.prometheus.client.MetricFamily and
// encoding=delimited. Media types and parameter names are case-insensitive, values may be
// quoted. nullopt when the Content-Type is empty or names anything else.
std::optional<PayloadFormat> FormatFromContentType(std::string_view content_type);
// The format a protocol implies (for --fallback-protocol).
PayloadFormat ProtocolFormat(ScrapeProtocol protocol);

// `url` with the password of its userinfo replaced by "xxxxx" (user:xxxxx@host), as Go's
// URL.Redacted() does; a URL without a password is returned unchanged.
std::string RedactUrl(std::string_view url);

// The Pushgateway path for a job and grouping key: /metrics/job/<job>{/<label>/<value>}. A
// value containing '/' is written as <label>@base64/<URL-safe base64 without padding>, an empty
// value as <label>@base64/=; other values are percent-encoded as a path segment. Errors: empty
// job, invalid or repeated label names, a grouping label named "job".
absl::StatusOr<std::string> PushPath(
    std::string_view job, const std::vector<std::pair<std::string, std::string>>& grouping);

// "64MiB", "16MB" (base 2, as Prometheus' body_size_limit), "1024B", "1024"; nullopt if invalid.
std::optional<uint64_t> ParseByteSize(std::string_view text);
// Go-style durations: "10s", "1m30s", "500ms", "1.5s", or bare seconds "10"; nullopt if invalid
// or negative.
std::optional<double> ParseDurationSeconds(std::string_view text);

struct TlsOptions {
  std::string ca_file;    // PEM CA bundle; empty: the system's
  std::string cert_file;  // client certificate (PEM)
  std::string key_file;   // its key (PEM)
  // The name the certificate is verified against and sent as SNI; the connection still goes to
  // the URL's host and port.
  std::string server_name;
  bool insecure_skip_verify = false;  // verification is on unless this is set
};

// Options shared by Fetch and Push. Secrets (bearer_token, basic_auth_password, values of
// Authorization/Cookie headers, the URL's password) never appear in errors: they are scrubbed.
struct ClientOptions {
  double timeout_seconds = 10;  // the whole exchange, redirects included
  std::string bearer_token;     // Authorization: Bearer <token>
  std::string basic_auth_user;  // with basic_auth_password: basic auth
  std::string basic_auth_password;
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  TlsOptions tls;
  std::string proxy_url;  // empty: no proxy (environment variables are ignored)
  int max_redirects = 10;
};

// The secrets a request to `url` with `options` carries (bearer token, basic-auth password,
// credential header values, the URL's and the proxy URL's passwords, even in an invalid URL),
// each in the forms a server or libcurl could echo: as is, JSON-escaped, percent-encoded, and
// the base64 "user:password" of basic auth. For ScrubSecrets.
std::vector<std::string> RequestSecrets(const ClientOptions& options, std::string_view url);
// `text` with every occurrence of each of `secrets` replaced by "<secret>". Run it on raw bytes,
// before escaping or cutting them, so no secret survives in an altered or partial form.
std::string ScrubSecrets(std::string_view text, const std::vector<std::string>& secrets);
// For a diagnostic on a fetched body: `line` (the body's source line) and the error's message and
// hint with every secret replaced by "<secret>", and the error's column moved to match the
// scrubbed line. The line is returned.
std::string ScrubDiagnostic(std::string_view line, const std::vector<std::string>& secrets,
                            Error* error);

struct ScrapeOptions : ClientOptions {
  std::vector<ScrapeProtocol> protocols = DefaultScrapeProtocols();
  // Used when the response has no Content-Type or an unknown one; without it that is an error.
  std::optional<ScrapeProtocol> fallback;
  bool compression = true;                        // Accept-Encoding: gzip (else identity)
  uint64_t body_size_limit = uint64_t{64} << 20;  // decompressed bytes; 0: none
  // 0: no limit. Counted on the parsed families as Prometheus counts them: every sample line of
  // the text formats (a histogram series is its buckets, _sum and _count), and every label of a
  // sample including __name__ (whose value is the metric name), le and quantile.
  uint64_t sample_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  // Streamed bodies (OpenScrape, FetchBody::kStream): the most bytes held at once, i.e. the
  // largest line or family the parser may keep. 0: half of body_size_limit (1 GiB without a
  // limit), so that even a body that is one endless line (a gzip bomb of zeros) stays well under
  // the limit in memory. Beyond it the transfer keeps counting without storing, so a body that
  // also passes body_size_limit is reported as that.
  uint64_t max_window_bytes = 0;

  // Request overrides for `check exporter` (nullopt keeps the default above): the Accept header
  // sent as is instead of AcceptHeader(protocols), "" sending none; the Accept-Encoding as is
  // instead of gzip/identity, "" sending none; the X-Prometheus-Scrape-Timeout-Seconds value
  // instead of timeout_seconds, "" sending none.
  std::optional<std::string> accept;
  std::optional<std::string> accept_encoding;
  std::optional<std::string> scrape_timeout_header;
  bool head = false;                       // HEAD instead of GET: no body is read
  uint64_t max_recv_bytes_per_second = 0;  // > 0: the body is read at most this fast
};

// True when any of the family-level limits (sample, label count, name and value length) is set.
bool HasFamilyLimits(const ScrapeOptions& options);

struct FetchResult {
  std::string url;  // the URL finally fetched (after redirects), redacted
  long status = 0;  // HTTP status of the last response; 0 when none was received
  std::string content_type;
  std::string body;      // decompressed
  PayloadFormat format;  // from the Content-Type (or the fallback protocol)
  // ok() when the scrape succeeded. Otherwise why not, the message for people: connection, TLS
  // (kNetwork), timeout (kTimeout), HTTP status with the start of the body, Content-Type
  // (kHttp), body size or a limit naming the limit, the family and the value (kLimit), all not
  // located; or the body's first parse error, located (offsets into body), whose message says
  // "invalid FORMAT payload at line L, column C: ..." (protobuf: "at byte N").
  Error error;
  uint64_t families = 0;  // families and samples read (up to an error)
  uint64_t samples = 0;
  double seconds = 0;  // wall time of the exchange
  // The final response's header fields in order, names as sent, values trimmed (at most 64).
  std::vector<std::pair<std::string, std::string>> headers;

  bool ok() const { return error.ok(); }
};

// A response whose body is read from the network while it is parsed (see OpenScrape).
struct ScrapeResponse {
  std::string url;  // the URL finally fetched (after redirects), redacted
  long status = 0;  // HTTP status of the last response; 0 when none was received
  std::string content_type;
  PayloadFormat format;  // from the Content-Type (or the fallback protocol)
  // ok() when the final response is a 2xx with a usable Content-Type (or a fallback): `body` is
  // then set. Otherwise why not (never located), as FetchResult::error: an invalid URL or
  // credentials (kOption), connection, TLS (kNetwork), timeout (kTimeout), HTTP status with the
  // first 256 bytes of the body, Content-Type, redirects (kHttp).
  Error error;
  // The decompressed body as a stream Source (named by `url`). It holds only the bytes the
  // parser keeps plus the newest chunk; Refill() runs the transfer until more bytes arrive. When
  // the transfer stops early, its error() says why (body_size_limit, a line or family larger than
  // max_window_bytes, a timeout, the connection), scrubbed of secrets. The timeout covers the
  // whole exchange, so the time the consumer takes counts too.
  std::unique_ptr<Source> body;
  double seconds = 0;  // wall time until the final response's headers were in
  // The final response's header fields in order, names as sent, values trimmed (at most 64).
  std::vector<std::pair<std::string, std::string>> headers;

  bool ok() const { return error.ok(); }
};

// Sends the request for `url` as Fetch does (negotiation, compression, auth, TLS, redirects) and
// returns once the final response's headers are in; the body is left to be read through
// `response.body`. Never prints; safe to call from several threads.
ScrapeResponse OpenScrape(std::string_view url, const ScrapeOptions& options);

// What Fetch does with the body.
enum class FetchBody : uint8_t {
  kKeep,    // downloaded whole into FetchResult::body (bounded by body_size_limit), then parsed
  kStream,  // parsed while it arrives and not kept: memory bounded by the largest family
};

// Fetches `url` (http or https) with content negotiation, decompression, limits, auth and TLS
// as configured, then parses the body in the announced format to count families and samples
// and enforce the limits. Redirects are followed up to max_redirects, but credentials (bearer
// token, basic auth, Authorization and Cookie headers) are sent only to the URL's own origin
// (scheme, host, port). Never prints; safe to call from several threads.
FetchResult Fetch(std::string_view url, const ScrapeOptions& options,
                  FetchBody body = FetchBody::kKeep);

enum class PushMethod : uint8_t { kPut, kPost, kDelete };

struct PushResult {
  std::string url;  // redacted
  long status = 0;
  std::string body;  // the response body (the Pushgateway's error text on failure)
  // ok() on success (2xx); otherwise not located: kOption (job, grouping, URL, credentials),
  // kNetwork, kTimeout, kLimit (the answer's size), kHttp (status).
  Error error;
  bool ok() const { return error.ok(); }
};

// Sends `body` (delimited protobuf MetricFamily records) to the Pushgateway at `gateway_url`
// (a base URL; /metrics/job/... is appended) with PUT or POST, or deletes the group with
// DELETE (no body). Redirects are not followed. Never prints.
PushResult Push(std::string_view gateway_url, std::string_view job,
                const std::vector<std::pair<std::string, std::string>>& grouping, PushMethod method,
                std::string_view body, const ClientOptions& options);

// The Content-Type of a protobuf push.
inline constexpr std::string_view kProtobufContentType =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
    "encoding=delimited";

}  // namespace promtool
