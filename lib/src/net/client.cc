// The HTTP client over libcurl's multi interface (libcurl loaded on first use, curl_api.h):
// OpenScrape (the response body as a stream Source), Fetch (scrape with negotiation, limits, auth,
// TLS and manual redirects that keep credentials on their origin) and Push (to a Pushgateway).
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/strcat.h"
#include "model/owned_family.h"
#include "net/curl_api.h"
#include "net/limits.h"
#include "net/secrets.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

#ifndef PROMTOOL_VERSION
#define PROMTOOL_VERSION "0"
#endif

namespace promtool {
namespace {

// The CA bundle used when --ca-file is not given: $SSL_CERT_FILE, else the first bundle found at
// the paths where Linux distributions keep one (the list Go's crypto/x509 searches), so that a
// statically linked binary verifies peers on Debian, RHEL, SUSE and Alpine alike. Empty: none
// found, libcurl's built-in default applies.
const std::string& SystemCaBundle() {
  static const std::string bundle = [] {
    if (const char* env = std::getenv("SSL_CERT_FILE"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    for (const char* path :
         {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
          "/etc/ssl/ca-bundle.pem", "/etc/pki/tls/cacert.pem",
          "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem"}) {
      if (access(path, R_OK) == 0) return std::string(path);
    }
    return std::string();
  }();
  return bundle;
}

using Clock = std::chrono::steady_clock;

struct SlistCleanup {
  void operator()(curl_slist* l) const { net::Curl().slist_free_all(l); }
};
struct UrlCleanup {
  void operator()(CURLU* u) const { net::Curl().url_cleanup(u); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistCleanup>;
using UrlPtr = std::unique_ptr<CURLU, UrlCleanup>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The parts of a URL that decide where it goes.
struct UrlParts {
  std::string scheme, host, port, user, password;
  std::string Origin() const { return StrCat(scheme, "://", Lower(host), ":", port); }
};

std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (net::Curl().url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  net::Curl().free(value);
  return out;
}

absl::StatusOr<UrlParts> ParseUrl(const std::string& url) {
  UrlPtr u(net::Curl().url());
  if (!u || net::Curl().url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(StrCat("invalid URL \"", RedactUrl(url), "\""));
  }
  UrlParts p;
  p.scheme = Lower(UrlPart(u.get(), CURLUPART_SCHEME));
  p.host = UrlPart(u.get(), CURLUPART_HOST);
  p.port = UrlPart(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  p.user = UrlPart(u.get(), CURLUPART_USER, CURLU_URLDECODE);
  p.password = UrlPart(u.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  if (p.scheme != "http" && p.scheme != "https") {
    return absl::InvalidArgumentError(
        StrCat("unsupported URL scheme \"", p.scheme, "\" (want http or https)"));
  }
  return p;
}

// `url` with its host replaced.
std::string WithHost(const std::string& url, const std::string& host) {
  UrlPtr u(net::Curl().url());
  if (net::Curl().url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return url;
  if (net::Curl().url_set(u.get(), CURLUPART_HOST, host.c_str(), 0) != CURLUE_OK) return url;
  std::string out = UrlPart(u.get(), CURLUPART_URL);
  return out.empty() ? url : out;
}

// Quotes up to `max` bytes of `s` for an error message, control characters escaped.
std::string QuoteStart(std::string_view s, size_t max) {
  std::string out = "\"";
  for (unsigned char c : s.substr(0, max)) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  if (s.size() > max) out += " (truncated)";
  return out;
}

std::string Bytes(uint64_t n) {
  if (n >= (uint64_t{1} << 20) && n % (uint64_t{1} << 20) == 0) {
    return StrCat(n >> 20, " MiB");
  }
  if (n >= 1024 && n % 1024 == 0) return StrCat(n >> 10, " KiB");
  return StrCat(n, " bytes");
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

using net::Scrub;

size_t Longest(const std::vector<std::string>& secrets) {
  size_t n = 0;
  for (const std::string& s : secrets) n = std::max(n, s.size());
  return n;
}

// The start of a response body for an error message: scrubbed of the secrets first (on the raw
// bytes, so a secret holding '"' or '\\' is found), then cut to `max` bytes and quoted with
// control characters escaped. `raw` must extend at least the longest secret past `max`, so a
// secret that starts before the cut is whole in it and never leaves a prefix.
std::string Snippet(std::string_view raw, const std::vector<std::string>& secrets, size_t max) {
  return QuoteStart(Scrub(std::string(raw), secrets), max);
}

bool IsCredentialHeader(std::string_view name) {
  const std::string n = Lower(name);
  return n == "authorization" || n == "cookie" || n == "cookie2" || n == "proxy-authorization" ||
         n == "www-authenticate";
}

std::vector<std::string> Secrets(const ClientOptions& o, const std::string& url,
                                 const UrlParts& parts) {
  std::vector<std::string> out = RequestSecrets(o, url);
  for (std::string& s : net::SecretForms(o, parts.user, parts.password))
    out.push_back(std::move(s));
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Request {
  std::string url;  // as the user gave it (or the redirect target)
  UrlParts parts;
  const char* method = "GET";
  std::string_view body;  // PUT/POST
  bool send_body = false;
  bool credentials = true;           // same origin as the first URL
  bool follow_redirects = true;      // a 3xx with a Location ends the transfer at its headers
  std::vector<std::string> headers;  // "Name: value", besides credentials and custom headers
  double timeout_seconds = 10;       // what is left of the exchange's time
  double timeout_label = 10;         // the configured timeout, for the error
  uint64_t body_limit = 0;           // decompressed bytes; 0: none
  uint64_t max_window = 0;           // the most body bytes held at once; 0: no cap
  uint64_t recv_rate = 0;            // bytes per second; 0: unthrottled
};

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == prefix;
}

// The Content-Encoding of a response, as far as the client decodes it.
enum class Encoding : uint8_t { kIdentity, kGzip, kRefused };

// Only gzip (x-gzip) and identity are decoded, one layer: a stacked list ("gzip, gzip") or any
// other coding (br, zstd, deflate, compress) is refused, so no decoder but ours, bounded by the
// body-size limit and the window, ever runs.
Encoding ParseContentEncoding(std::string_view value) {
  int gzip = 0, other = 0;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string token = Lower(value.substr(pos, comma - pos));
    const size_t b = token.find_first_not_of(" \t");
    token = b == std::string::npos ? "" : token.substr(b, token.find_last_not_of(" \t") - b + 1);
    if (token == "gzip" || token == "x-gzip") {
      ++gzip;
    } else if (!token.empty() && token != "identity") {
      ++other;
    }
    pos = comma + 1;
  }
  if (other > 0 || gzip > 1) return Encoding::kRefused;
  return gzip == 1 ? Encoding::kGzip : Encoding::kIdentity;
}

// True when a socket cannot be created because the process (EMFILE) or the system (ENFILE) ran
// out of file descriptors: what "Couldn't connect" hides then.
bool OutOfFileDescriptors() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0) {
    ::close(fd);
    return false;
  }
  return errno == EMFILE || errno == ENFILE;
}

constexpr std::string_view kFdMessage =
    "out of file descriptors (too many open files): raise the limit (ulimit -n) or lower "
    "--parallel";

// One HTTP exchange on its own multi handle, whose decoded body is a stream Source. libcurl
// decodes nothing (CURLOPT_ACCEPT_ENCODING is unset): a gzip body is inflated here with zlib,
// into a 64 KiB scratch buffer and from there into the window, so every inflated byte is counted
// against the body-size limit and the window as it is produced. The write callback appends into
// the window (after the bytes the parser pinned); Refill() drops what the parser released and
// runs the transfer until new bytes came in. After a chunk's worth of new bytes the callback
// keeps the compressed input it has not inflated yet (at most one network read) and pauses the
// transfer, so a refill holds at most one chunk plus one scratch buffer more than the parser
// keeps. Reused across redirect hops: the body of a redirect is discarded, so offsets start at 0
// on the final hop.
class HttpTransfer final : public Source {
 public:
  static constexpr size_t kChunk = 256 * 1024;
  static constexpr size_t kInflateOut = 64 * 1024;

  HttpTransfer() : Source("") {
    multi_ = net::Curl().multi_init();
    easy_ = net::Curl().easy_init();
  }
  ~HttpTransfer() override {
    if (added_to_multi_) net::Curl().multi_remove_handle(multi_, easy_);
    if (easy_ != nullptr) net::Curl().easy_cleanup(easy_);
    if (multi_ != nullptr) net::Curl().multi_cleanup(multi_);
    if (z_init_) inflateEnd(&zs_);
    std::free(buffer_);
  }
  bool initialised() const { return multi_ != nullptr && easy_ != nullptr; }

  // Ends any previous request and starts `q`.
  void Start(const Request& q, const ClientOptions& o, const std::vector<std::string>& secrets) {
    if (added_to_multi_) net::Curl().multi_remove_handle(multi_, easy_);
    added_to_multi_ = false;
    q_ = q;
    secrets_ = secrets;
    name_ = RedactUrl(q.url);
    deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(q.timeout_seconds));
    status_line_status_ = 0;
    has_location_ = headers_done_ = discard_ = redirect_ = false;
    done_ = paused_ = over_limit_ = overflow_ = timed_out_ = false;
    code_ = CURLE_OK;
    total_ = added_ = 0;
    size_ = 0;
    reason_.clear();
    content_encoding_.clear();
    encoding_ = Encoding::kIdentity;
    pending_.clear();
    decode_error_.clear();
    z_end_ = z_any_ = false;
    errbuf_[0] = '\0';
    Configure(o);
    if (net::Curl().multi_add_handle(multi_, easy_) != CURLM_OK) {
      done_ = true;
      code_ = CURLE_FAILED_INIT;
      return;
    }
    added_to_multi_ = true;
  }

  // Runs until the final response's headers are in (1xx responses skipped) or the transfer
  // ended; false when it failed before (TransferError()).
  bool AwaitHeaders() {
    while (!headers_done_ && !done_) Step();
    if (!headers_done_ && (!done_ || code_ != CURLE_OK)) return false;
    net::Curl().easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status_);
    char* ct = nullptr;
    if (net::Curl().easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr) {
      content_type_ = ct;
    } else {
      content_type_.clear();
    }
    redirect_url_.clear();
    char* location = nullptr;
    if (net::Curl().easy_getinfo(easy_, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
        location != nullptr) {
      redirect_url_ = location;
    }
    return true;
  }

  // True when the response is a redirect to follow (its body was discarded).
  bool redirect() const { return redirect_ && !redirect_url_.empty(); }
  long status() const { return status_; }
  const std::string& reason() const { return reason_; }
  const std::string& content_type() const { return content_type_; }
  const std::string& redirect_url() const { return redirect_url_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return fields_; }
  void set_redirect_url(std::string url) { redirect_url_ = std::move(url); }
  // Checks the sample and label limits on each line of a text or OpenMetrics body as it arrives
  // (net::LineLimitScanner): the first line over a limit is not shown to the parser, and the
  // next refill fails with the limit's error.
  void SetLineLimits(const ScrapeOptions& options) {
    scanner_ = std::make_unique<net::LineLimitScanner>(options);
    scanned_ = offset_;
    ScanNew();
  }

  // Why the body cannot be decoded ("" when it can): a Content-Encoding other than gzip or
  // identity, or more than one.
  std::string EncodingError() const {
    if (encoding_ != Encoding::kRefused) return "";
    return StrCat("unsupported Content-Encoding ", QuoteStart(content_encoding_, 64),
                  ": only gzip and identity are decoded, one layer (ask the server for gzip, or "
                  "use --no-compression)");
  }

  // The kind of failure TransferError() describes (the same branches).
  ErrorCode TransferCode() const {
    if (over_limit_) return ErrorCode::kLimit;
    if (!decode_error_.empty()) return ErrorCode::kIo;
    if (encoding_ == Encoding::kRefused && headers_done_ && !discard_) return ErrorCode::kHttp;
    if (overflow_) return ErrorCode::kLimit;
    if (timed_out_ || code_ == CURLE_OPERATION_TIMEDOUT) return ErrorCode::kTimeout;
    return ErrorCode::kNetwork;
  }

  // Why the transfer failed, scrubbed of secrets.
  std::string TransferError() const {
    std::string out;
    if (over_limit_) {
      out = StrCat("response body exceeds the body size limit of ", Bytes(q_.body_limit),
                   " (counted after decompression; raise it with --body-size-limit); transfer "
                   "stopped");
    } else if (!decode_error_.empty()) {
      out = decode_error_;
    } else if (encoding_ == Encoding::kRefused && headers_done_ && !discard_) {
      out = EncodingError();
    } else if (overflow_) {
      out = StrCat("one line or family of the response is larger than ", Bytes(q_.max_window),
                   ", the most of a streamed body held at once (half of --body-size-limit); "
                   "transfer stopped");
    } else if (timed_out_ || code_ == CURLE_OPERATION_TIMEDOUT) {
      out = StrCat("timed out after ", Seconds(q_.timeout_label),
                   "s (--timeout covers the whole exchange: connecting, reading and parsing)");
      if (code_ == CURLE_OPERATION_TIMEDOUT) StrAppend(&out, ": ", CurlError());
    } else if (code_ == CURLE_OUT_OF_MEMORY && !headers_done_) {
      out = StrCat(
          "the response's headers are too large (libcurl accepts at most 100 KiB of "
          "header lines): ",
          CurlError());
    } else if ((code_ == CURLE_COULDNT_CONNECT || code_ == CURLE_FAILED_INIT ||
                code_ == CURLE_COULDNT_RESOLVE_HOST) &&
               OutOfFileDescriptors()) {
      out = StrCat(kFdMessage, " (", CurlError(), ")");
    } else {
      out = CurlError();
    }
    return Scrub(std::move(out), secrets_);
  }

  // Reads on (keeping every byte) until the window holds at least `n` bytes or the body ended;
  // the start of a body for an error message.
  std::string_view ReadPrefix(size_t n) {
    while (size_ < n && Refill(offset_)) {
    }
    return window().substr(0, std::min(n, size_));
  }

  bool Refill(uint64_t keep_from) override {
    if (eof_ || !error_.empty()) return false;
    const uint64_t keep = std::clamp<uint64_t>(keep_from, offset_, offset_ + size_);
    const size_t drop = static_cast<size_t>(keep - offset_);
    if (drop > 0) {
      AccountDropped(drop);
      std::memmove(buffer_, buffer_ + drop, size_ - drop);
      size_ -= drop;
      offset_ += drop;
    }
    added_ = 0;
    if (!limit_error_.empty()) {
      SetError(ErrorCode::kLimit, Scrub(limit_error_, secrets_));
      return false;
    }
    if (Clock::now() > deadline_) {
      // The consumer (a parser) took the time: the timeout covers it too.
      timed_out_ = true;
      SetError(TransferCode(), TransferError());
      return false;
    }
    for (;;) {
      if (!pending_.empty() && !DrainPending()) break;
      if (added_ > 0 || Failed()) break;
      if (paused_ && !done_) {
        // Delivers what libcurl held back when the callback paused, then reads on.
        paused_ = false;
        net::Curl().easy_pause(easy_, CURLPAUSE_CONT);
        continue;
      }
      if (done_) break;
      Step();
    }
    if (added_ > 0 && scanner_) {
      const size_t before = size_ - added_;
      ScanNew();
      if (!limit_error_.empty() && size_ <= before) {
        SetError(ErrorCode::kLimit, Scrub(limit_error_, secrets_));
        return false;
      }
    }
    const bool clean_end =
        done_ && code_ == CURLE_OK && pending_.empty() && !overflow_ && limit_error_.empty();
    if (added_ > 0 && !Failed()) {
      if (clean_end && CheckEnd()) eof_ = true;
      return true;
    }
    if (clean_end && !Failed() && CheckEnd()) {
      eof_ = true;
    } else {
      SetError(TransferCode(), TransferError());
    }
    return false;
  }

 private:
  std::string CurlError() const {
    return errbuf_[0] != '\0' ? std::string(errbuf_)
                              : std::string(net::Curl().easy_strerror(code_));
  }

  bool Failed() const { return over_limit_ || !decode_error_.empty(); }

  // Scans the bytes appended since the last scan; on a limit, the window ends before the line.
  void ScanNew() {
    if (!scanner_ || !limit_error_.empty()) return;
    const uint64_t end = offset_ + size_;
    if (scanned_ < offset_) scanned_ = offset_;
    const size_t from = static_cast<size_t>(scanned_ - offset_);
    const size_t at = scanner_->Scan(std::string_view(buffer_ + from, size_ - from));
    scanned_ = end;
    if (at != std::string_view::npos) {
      limit_error_ = scanner_->error();
      size_ = from + at;
    }
  }

  // At the end of a gzip body: the compressed stream must have ended too.
  bool CheckEnd() {
    if (encoding_ == Encoding::kGzip && z_any_ && !z_end_) {
      decode_error_ = "the gzip-compressed body ends early (truncated stream)";
      return false;
    }
    return true;
  }

  // One round: perform, note the end of the transfer, and wait for the network when nothing
  // came in.
  void Step() {
    const uint64_t before = added_;
    const bool had_headers = headers_done_;
    int running = 0;
    CURLMcode mc = net::Curl().multi_perform(multi_, &running);
    int queued = 0;
    while (CURLMsg* msg = net::Curl().multi_info_read(multi_, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy_) {
        done_ = true;
        code_ = msg->data.result;
      }
    }
    if (mc != CURLM_OK && !done_) {
      done_ = true;
      code_ = CURLE_RECV_ERROR;
      std::snprintf(errbuf_, sizeof errbuf_, "%s", net::Curl().multi_strerror(mc));
    }
    if (done_ || added_ != before || headers_done_ != had_headers || !pending_.empty()) return;
    net::Curl().multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }

  void Configure(const ClientOptions& o) {
    CURL* c = easy_;
    net::Curl().easy_reset(c);
    std::string url = q_.url;
    connect_list_.reset();
    if (!o.tls.server_name.empty() && q_.parts.scheme == "https") {
      // Verify and send SNI for server_name, but connect to the URL's host and port.
      url = WithHost(q_.url, o.tls.server_name);
      const std::string connect_to =
          StrCat(o.tls.server_name, ":", q_.parts.port, ":", q_.parts.host, ":", q_.parts.port);
      connect_list_.reset(net::Curl().slist_append(nullptr, connect_to.c_str()));
      net::SetOpt(c, CURLOPT_CONNECT_TO, connect_list_.get());
    }
    net::SetOpt(c, CURLOPT_URL, url.c_str());
    net::SetOpt(c, CURLOPT_ERRORBUFFER, errbuf_);
    net::SetOpt(c, CURLOPT_NOSIGNAL, 1L);
    net::SetOpt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    net::SetOpt(c, CURLOPT_FOLLOWLOCATION, 0L);
    net::SetOpt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
    net::SetOpt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    net::SetOpt(c, CURLOPT_USERAGENT, "promtool-cpp/" PROMTOOL_VERSION);
    // The body reaches the write callback as sent: libcurl decodes no Content-Encoding (the
    // option that would is left unset) and no Transfer-Encoding but chunked.
    net::SetOpt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    net::SetOpt(c, CURLOPT_HTTP_TRANSFER_DECODING, 1L);
    // HTTP/1.1 only: an HTTP/2 stream keeps receiving into libcurl's buffers while the callback
    // pauses (up to its window), which would break the memory bound.
    net::SetOpt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    net::SetOpt(c, CURLOPT_TIMEOUT_MS,
                static_cast<long>(std::max(1.0, q_.timeout_seconds * 1000.0)));
    // An empty proxy turns off the environment's http_proxy/https_proxy too.
    net::SetOpt(c, CURLOPT_PROXY, o.proxy_url.c_str());
    net::SetOpt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    net::SetOpt(c, CURLOPT_SSL_VERIFYPEER, o.tls.insecure_skip_verify ? 0L : 1L);
    net::SetOpt(c, CURLOPT_SSL_VERIFYHOST, o.tls.insecure_skip_verify ? 0L : 2L);
    if (!o.tls.ca_file.empty()) {
      net::SetOpt(c, CURLOPT_CAINFO, o.tls.ca_file.c_str());
    } else if (const std::string& system = SystemCaBundle(); !system.empty()) {
      net::SetOpt(c, CURLOPT_CAINFO, system.c_str());
    }
    if (!o.tls.cert_file.empty()) net::SetOpt(c, CURLOPT_SSLCERT, o.tls.cert_file.c_str());
    if (!o.tls.key_file.empty()) net::SetOpt(c, CURLOPT_SSLKEY, o.tls.key_file.c_str());

    headers_.reset();
    auto add = [&](const std::string& h) {
      curl_slist* l = net::Curl().slist_append(headers_.get(), h.c_str());
      if (l != nullptr) {
        (void)headers_.release();
        headers_.reset(l);
      }
    };
    for (const std::string& h : q_.headers) add(h);
    add("Expect:");  // no 100-continue round trip for pushes
    if (q_.credentials) {
      if (!o.bearer_token.empty()) add(StrCat("Authorization: Bearer ", o.bearer_token));
      if (!o.basic_auth_user.empty()) {
        net::SetOpt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        net::SetOpt(c, CURLOPT_USERNAME, o.basic_auth_user.c_str());
        net::SetOpt(c, CURLOPT_PASSWORD, o.basic_auth_password.c_str());
      }
    }
    for (const auto& [name, value] : o.headers) {
      if (!q_.credentials && IsCredentialHeader(name)) continue;
      add(value.empty() ? StrCat(name, ";") : StrCat(name, ": ", value));
    }
    net::SetOpt(c, CURLOPT_HTTPHEADER, headers_.get());

    if (std::string_view(q_.method) == "HEAD") {
      net::SetOpt(c, CURLOPT_NOBODY, 1L);
    } else if (std::string_view(q_.method) != "GET") {
      net::SetOpt(c, CURLOPT_CUSTOMREQUEST, q_.method);
    }
    if (q_.recv_rate > 0) {
      net::SetOpt(c, CURLOPT_MAX_RECV_SPEED_LARGE, static_cast<curl_off_t>(q_.recv_rate));
    }
    if (q_.send_body) {
      net::SetOpt(c, CURLOPT_POSTFIELDS, q_.body.data());
      net::SetOpt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(q_.body.size()));
    }
    net::SetOpt(c, CURLOPT_WRITEFUNCTION, OnBody);
    net::SetOpt(c, CURLOPT_WRITEDATA, this);
    net::SetOpt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    net::SetOpt(c, CURLOPT_HEADERDATA, this);
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<HttpTransfer*>(user);
    std::string_view line(data, size * n);
    if (t->headers_done_) return size * n;  // trailers
    if (line.starts_with("HTTP/")) {
      // "HTTP/1.1 500 Internal Server Error\r\n": the status and reason of this response.
      t->status_line_status_ = 0;
      t->has_location_ = false;
      t->reason_.clear();
      t->content_encoding_.clear();
      t->fields_.clear();
      const size_t sp = line.find(' ');
      if (sp != std::string_view::npos) {
        std::string_view rest = line.substr(sp + 1);
        long code = 0;
        for (size_t i = 0; i < rest.size() && i < 3 && rest[i] >= '0' && rest[i] <= '9'; ++i) {
          code = code * 10 + (rest[i] - '0');
        }
        t->status_line_status_ = code;
        const size_t sp2 = rest.find(' ');
        if (sp2 != std::string_view::npos) {
          std::string_view reason = rest.substr(sp2 + 1);
          while (!reason.empty() && (reason.back() == '\r' || reason.back() == '\n')) {
            reason.remove_suffix(1);
          }
          t->reason_ = reason.substr(0, 128);
        }
      }
    } else if (line == "\r\n" || line == "\n") {
      // The end of a response's headers; an informational (1xx) response is followed by another.
      if (t->status_line_status_ < 100 || t->status_line_status_ >= 200) {
        t->headers_done_ = true;
        t->redirect_ =
            t->q_.follow_redirects && IsRedirect(t->status_line_status_) && t->has_location_;
        t->discard_ = t->redirect_;
        t->encoding_ = ParseContentEncoding(t->content_encoding_);
      }
    } else if (StartsWithNoCase(line, "location:")) {
      t->has_location_ = true;
      t->AddField(line);
    } else if (StartsWithNoCase(line, "content-encoding:")) {
      t->AddField(line);
      std::string_view value = line.substr(17);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' ||
                                value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
      }
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      if (t->content_encoding_.size() < 256) {
        if (!t->content_encoding_.empty()) t->content_encoding_ += ",";
        t->content_encoding_ += value.substr(0, 256);
      } else {
        t->content_encoding_ += ",...";  // a bomb of codings: refused anyway
      }
    } else {
      t->AddField(line);
    }
    return size * n;
  }

  // Keeps one header line as (name, trimmed value); at most 64 fields of 4 KiB each.
  void AddField(std::string_view line) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || fields_.size() >= 64) return;
    auto trim = [](std::string_view v) {
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() &&
             (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) {
        v.remove_suffix(1);
      }
      return v;
    };
    fields_.emplace_back(std::string(trim(line.substr(0, colon)).substr(0, 256)),
                         std::string(trim(line.substr(colon + 1)).substr(0, 4096)));
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<HttpTransfer*>(user);
    const size_t len = size * n;
    if (t->discard_) return len;                       // a redirect's body
    if (t->encoding_ == Encoding::kRefused) return 0;  // never decoded, never kept
    if (!t->pending_.empty() || (!t->overflow_ && t->added_ >= kChunk)) {
      t->paused_ = true;  // libcurl keeps this piece and hands it over again after the pause
      return CURL_WRITEFUNC_PAUSE;
    }
    if (t->encoding_ == Encoding::kIdentity) return t->Emit(data, len) ? len : 0;
    return t->Inflate(data, len) ? len : 0;
  }

  // Inflates compressed body bytes into the window until the refill has its chunk; the rest of
  // the input is kept in pending_ (at most one network read). False on a decoding error or a
  // limit.
  bool Inflate(const char* data, size_t len) {
    if (!z_init_) {
      std::memset(&zs_, 0, sizeof zs_);
      if (inflateInit2(&zs_, 15 + 16) != Z_OK) {  // 15 + 16: a gzip wrapper, a 32 KiB window
        decode_error_ = "cannot initialise the gzip decoder (out of memory)";
        return false;
      }
      z_init_ = true;
    } else if (!z_any_) {
      inflateReset(&zs_);
    }
    if (!scratch_) scratch_ = std::make_unique<char[]>(kInflateOut);
    z_any_ = z_any_ || len > 0;
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs_.avail_in = static_cast<uInt>(len);
    while (zs_.avail_in > 0) {
      if (!overflow_ && added_ >= kChunk) {
        pending_.assign(reinterpret_cast<const char*>(zs_.next_in), zs_.avail_in);
        return true;
      }
      if (z_end_) {
        // Another gzip member follows (concatenated members are one stream, as in Go).
        inflateReset(&zs_);
        z_end_ = false;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(scratch_.get());
      zs_.avail_out = static_cast<uInt>(kInflateOut);
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      const size_t produced = kInflateOut - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        z_end_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        decode_error_ = StrCat("the gzip-compressed body is invalid: ",
                               zs_.msg != nullptr ? zs_.msg : "data error");
        return false;
      }
      if (produced > 0 && !Emit(scratch_.get(), produced)) return false;
      if (rc == Z_BUF_ERROR && produced == 0) break;
    }
    return true;
  }

  // Inflates the compressed bytes kept back by a pause; false on an error.
  bool DrainPending() {
    const std::string in = std::move(pending_);
    pending_.clear();
    return Inflate(in.data(), in.size());
  }

  // Counts decoded body bytes against the limit and appends them to the window (or only counts
  // them past max_window). False when the limit is passed.
  bool Emit(const char* data, size_t len) {
    if (q_.body_limit > 0 && total_ + len > q_.body_limit) {
      over_limit_ = true;
      return false;  // aborts the transfer: nothing beyond the limit is read
    }
    total_ += len;
    if (overflow_) return true;  // counted against the limit, not kept
    const size_t need = size_ + len;
    if (q_.max_window > 0 && need > q_.max_window) {
      overflow_ = true;
      return true;
    }
    if (need > capacity_) {
      size_t cap = std::max({need, capacity_ * 2, 2 * kChunk});
      if (q_.max_window > 0) cap = std::min<size_t>(cap, q_.max_window);
      char* bigger = static_cast<char*>(std::realloc(buffer_, cap));
      if (bigger == nullptr) {
        decode_error_ = StrCat("out of memory for ", cap, " body bytes");
        return false;
      }
      buffer_ = bigger;
      capacity_ = cap;
      data_ = bigger;
    }
    std::memcpy(buffer_ + size_, data, len);
    size_ += len;
    added_ += len;
    return true;
  }

  CURLM* multi_ = nullptr;
  CURL* easy_ = nullptr;
  bool added_to_multi_ = false;
  Request q_;
  std::vector<std::string> secrets_;
  SlistPtr connect_list_, headers_;
  char errbuf_[CURL_ERROR_SIZE] = {0};
  Clock::time_point deadline_;
  bool timed_out_ = false;
  std::unique_ptr<net::LineLimitScanner> scanner_;
  uint64_t scanned_ = 0;     // absolute offset up to which the scanner has read
  std::string limit_error_;  // the first line over a limit

  // The response's headers.
  long status_line_status_ = 0;
  bool has_location_ = false;
  bool headers_done_ = false;
  bool redirect_ = false;
  bool discard_ = false;
  long status_ = 0;
  std::string reason_, content_type_, redirect_url_;
  std::string content_encoding_;  // the Content-Encoding header(s) of the current response
  std::vector<std::pair<std::string, std::string>> fields_;  // the current response's headers
  Encoding encoding_ = Encoding::kIdentity;

  // The gzip decoder.
  z_stream zs_{};
  bool z_init_ = false;
  bool z_any_ = false;  // compressed bytes came in on this response
  bool z_end_ = false;  // the current gzip member ended
  std::unique_ptr<char[]> scratch_;
  std::string pending_;  // compressed bytes not inflated yet (a pause came first)
  std::string decode_error_;

  // The body.
  char* buffer_ = nullptr;
  size_t capacity_ = 0;
  uint64_t total_ = 0;  // decoded bytes received (counted against body_limit)
  size_t added_ = 0;    // bytes appended since the current Refill began
  bool paused_ = false;
  bool over_limit_ = false;
  bool overflow_ = false;  // past max_window: counting only
  bool done_ = false;
  CURLcode code_ = CURLE_OK;
};

std::string StatusError(long status, const std::string& reason, std::string_view body,
                        const std::vector<std::string>& secrets) {
  std::string out = StrCat("HTTP status ", status);
  if (!reason.empty()) {
    std::string quoted = QuoteStart(Scrub(reason, secrets), 128);
    StrAppend(&out, " ", std::string_view(quoted).substr(1, quoted.rfind('"') - 1));
  }
  if (!body.empty()) StrAppend(&out, ": ", Snippet(body, secrets, 256));
  return out;
}

double Elapsed(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads the rest of a stream source into `out`, dropping every byte once copied.
void ReadAll(Source& source, std::string* out, uint64_t limit) {
  for (;;) {
    std::string_view w = source.window();
    const size_t need = out->size() + w.size();
    if (need > out->capacity()) {
      // Grow geometrically, but never past the limit, so the copy stays bounded by it.
      size_t cap = std::max(need, out->capacity() * 2);
      if (limit > 0) cap = std::min<size_t>(cap, std::max<uint64_t>(need, limit));
      out->reserve(cap);
    }
    out->append(w);
    if (!source.Refill(source.window_offset() + w.size())) break;
  }
}

}  // namespace

ScrapeResponse OpenScrape(std::string_view url_in, const ScrapeOptions& options) {
  const Clock::time_point start = Clock::now();
  ScrapeResponse response;
  std::string error;  // why the response cannot be used, and its kind
  ErrorCode code = ErrorCode::kOk;
  std::string url(url_in);
  response.url = RedactUrl(url);
  // libcurl is loaded here, by the first request of the process (curl_api.h).
  if (net::LoadCurl(&error) == nullptr) {
    response.error = Error::Unlocated(ErrorCode::kNetwork, std::move(error));
    return response;
  }
  // Known before the URL is parsed, so that even an invalid URL's password is scrubbed.
  std::vector<std::string> secrets = RequestSecrets(options, url);
  auto first = ParseUrl(url);
  if (!first.ok()) {
    response.error =
        Error::Unlocated(ErrorCode::kOption, Scrub(std::string(first.status().message()), secrets));
    return response;
  }
  if (!options.bearer_token.empty() && !options.basic_auth_user.empty()) {
    response.error = Error::Unlocated(ErrorCode::kOption,
                                      "a bearer token and basic auth cannot be used together");
    return response;
  }
  auto transfer = std::make_unique<HttpTransfer>();
  if (!transfer->initialised()) {
    response.error =
        Error::Unlocated(ErrorCode::kNetwork, OutOfFileDescriptors() ? std::string(kFdMessage)
                                                                     : "cannot initialise libcurl");
    return response;
  }
  secrets = Secrets(options, url, *first);
  const std::string origin = first->Origin();
  Request q;
  // An override of "" sends no such header ("Name:" removes libcurl's own Accept).
  auto header = [](std::string_view name, const std::string& value) {
    return value.empty() ? StrCat(name, ":") : StrCat(name, ": ", value);
  };
  q.headers.push_back(
      header("Accept", options.accept ? *options.accept : AcceptHeader(options.protocols)));
  // Sent by hand: libcurl's own Accept-Encoding would also make it decode (every coding it
  // knows, unbounded). A gzip body is decoded here whatever was asked, as Prometheus does.
  q.headers.push_back(header("Accept-Encoding", options.accept_encoding ? *options.accept_encoding
                                                : options.compression   ? "gzip"
                                                                        : "identity"));
  q.headers.push_back(header("X-Prometheus-Scrape-Timeout-Seconds",
                             options.scrape_timeout_header ? *options.scrape_timeout_header
                                                           : Seconds(options.timeout_seconds)));
  if (options.head) q.method = "HEAD";
  q.recv_rate = options.max_recv_bytes_per_second;
  q.body_limit = options.body_size_limit;
  q.max_window = options.max_window_bytes;
  if (q.max_window == 0) {
    q.max_window = options.body_size_limit > 0 ? options.body_size_limit / 2 : uint64_t{1} << 30;
  }
  q.timeout_label = options.timeout_seconds;

  UrlParts parts = *first;
  bool headers = false;
  int hop = 0;
  for (;; ++hop) {
    q.url = url;
    q.parts = parts;
    q.credentials = parts.Origin() == origin;
    q.timeout_seconds = options.timeout_seconds - Elapsed(start);
    response.url = RedactUrl(url);
    if (q.timeout_seconds <= 0) {
      error = StrCat("timed out after ", Seconds(options.timeout_seconds), "s");
      code = ErrorCode::kTimeout;
      break;
    }
    transfer->Start(q, options, secrets);
    if (!transfer->AwaitHeaders()) {
      error = transfer->TransferError();
      code = transfer->TransferCode();
      break;
    }
    if (transfer->redirect()) {
      std::string target = transfer->redirect_url();
      // A target on the server name is the URL's own host (the name only replaced it for TLS).
      if (!options.tls.server_name.empty() && parts.scheme == "https") {
        if (auto p = ParseUrl(target); p.ok() && Lower(p->host) == Lower(options.tls.server_name)) {
          target = WithHost(target, parts.host);
        }
      }
      if (hop >= options.max_redirects) {
        response.status = transfer->status();
        error = StrCat("stopped after ", options.max_redirects, " redirects");
        code = ErrorCode::kHttp;
        break;
      }
      auto next = ParseUrl(target);
      if (!next.ok()) {
        response.status = transfer->status();
        error = StrCat("redirect to an unusable URL: ", std::string(next.status().message()));
        code = ErrorCode::kHttp;
        break;
      }
      url = target;
      parts = *next;
      continue;
    }
    headers = true;
    break;
  }
  if (headers) {
    response.status = transfer->status();
    response.content_type = transfer->content_type();
    response.headers = transfer->headers();
    for (auto& field : response.headers) field.second = Scrub(std::move(field.second), secrets);
    if (response.status < 200 || response.status > 299) {
      // Only the start of the body is read: it is quoted in the error.
      // Only the start of the body is read: it is quoted in the error. It is read the longest
      // secret past the cut, so a secret starting before the cut is scrubbed whole.
      const std::string encoding = transfer->EncodingError();
      error = StatusError(response.status, transfer->reason(),
                          encoding.empty() ? transfer->ReadPrefix(257 + Longest(secrets)) : "",
                          secrets);
      if (!encoding.empty()) StrAppend(&error, " (body not shown: ", encoding, ")");
      code = ErrorCode::kHttp;
    } else if (std::string encoding = transfer->EncodingError(); !encoding.empty()) {
      error = std::move(encoding);
      code = ErrorCode::kHttp;
    } else {
      std::optional<PayloadFormat> format = FormatFromContentType(response.content_type);
      if (!format && options.fallback) format = ProtocolFormat(*options.fallback);
      if (!format) {
        error = response.content_type.empty()
                    ? "the response has no Content-Type (set a fallback protocol)"
                    : StrCat("unsupported Content-Type ", QuoteStart(response.content_type, 128),
                             " (set a fallback protocol)");
        code = ErrorCode::kHttp;
      } else {
        response.format = *format;
        if (HasFamilyLimits(options) && format->format != InputFormat::kProtobuf) {
          transfer->SetLineLimits(options);
        }
      }
    }
  }
  if (hop > 0 && !error.empty()) {
    // The error is about the last hop (response.url); name the URL given too.
    StrAppend(&error, " (after ", hop, hop == 1 ? " redirect" : " redirects", " from ",
              RedactUrl(url_in), ")");
  }
  response.seconds = Elapsed(start);
  if (error.empty()) {
    response.body = std::move(transfer);
  } else {
    response.error = Error::Unlocated(code, Scrub(std::move(error), secrets));
  }
  return response;
}

FetchResult Fetch(std::string_view url, const ScrapeOptions& options, FetchBody mode) {
  const Clock::time_point start = Clock::now();
  FetchResult result;
  const Clock::time_point deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(options.timeout_seconds));
  ScrapeResponse r = OpenScrape(url, options);
  result.url = r.url;
  result.status = r.status;
  result.content_type = r.content_type;
  result.format = r.format;
  result.headers = r.headers;
  if (!r.ok()) {
    result.error = std::move(r.error);
  } else if (mode == FetchBody::kStream) {
    net::ParseAndCheck(*r.body, r.format, options, &result, deadline);
  } else {
    ReadAll(*r.body, &result.body, options.body_size_limit);
    if (!r.body->error().empty()) {
      result.error = Error::Unlocated(r.body->error_code(), r.body->error());
      result.body.clear();
    } else {
      std::unique_ptr<Source> source = MemorySource(result.body, result.url);
      net::ParseAndCheck(*source, result.format, options, &result, deadline);
    }
  }
  // Parse and limit errors quote the body, which may echo a credential.
  if (!result.error.ok()) {
    const std::vector<std::string> secrets = RequestSecrets(options, url);
    result.error.message = Scrub(std::move(result.error.message), secrets);
    result.error.compat_message = Scrub(std::move(result.error.compat_message), secrets);
    result.error.hint = Scrub(std::move(result.error.hint), secrets);
  }
  result.seconds = Elapsed(start);
  return result;
}

PushResult Push(std::string_view gateway_url, std::string_view job,
                const std::vector<std::pair<std::string, std::string>>& grouping, PushMethod method,
                std::string_view body, const ClientOptions& options) {
  PushResult result;
  auto path = PushPath(job, grouping);
  std::string base(gateway_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  result.url = RedactUrl(base);
  if (std::string error; net::LoadCurl(&error) == nullptr) {
    result.error = Error::Unlocated(ErrorCode::kNetwork, std::move(error));
    return result;
  }
  if (!path.ok()) {
    result.error = Error::Unlocated(ErrorCode::kOption, std::string(path.status().message()));
    return result;
  }
  const std::string url = base + *path;
  result.url = RedactUrl(url);
  auto parts = ParseUrl(url);
  if (!parts.ok()) {
    result.error = Error::Unlocated(ErrorCode::kOption, Scrub(std::string(parts.status().message()),
                                                              RequestSecrets(options, url)));
    return result;
  }
  if (!options.bearer_token.empty() && !options.basic_auth_user.empty()) {
    result.error = Error::Unlocated(ErrorCode::kOption,
                                    "a bearer token and basic auth cannot be used together");
    return result;
  }
  HttpTransfer transfer;
  if (!transfer.initialised()) {
    result.error =
        Error::Unlocated(ErrorCode::kNetwork, OutOfFileDescriptors() ? std::string(kFdMessage)
                                                                     : "cannot initialise libcurl");
    return result;
  }
  Request q;
  q.url = url;
  q.parts = *parts;
  q.timeout_seconds = q.timeout_label = options.timeout_seconds;
  q.body_limit = uint64_t{1} << 20;  // the gateway's answer: text, short
  q.follow_redirects = false;
  switch (method) {
    case PushMethod::kPut:
      q.method = "PUT";
      break;
    case PushMethod::kPost:
      q.method = "POST";
      break;
    case PushMethod::kDelete:
      q.method = "DELETE";
      break;
  }
  if (method != PushMethod::kDelete) {
    q.send_body = true;
    q.body = body;
    q.headers.push_back(StrCat("Content-Type: ", kProtobufContentType));
  }
  const std::vector<std::string> secrets = Secrets(options, url, *parts);
  transfer.Start(q, options, secrets);
  if (!transfer.AwaitHeaders()) {
    result.error = Error::Unlocated(transfer.TransferCode(), transfer.TransferError());
    return result;
  }
  result.status = transfer.status();
  ReadAll(transfer, &result.body, q.body_limit);
  // The gateway may echo the request (its Authorization header included): never hand on a
  // secret, not even in the body.
  result.body = Scrub(std::move(result.body), secrets);
  if (!transfer.error().empty()) {
    result.error = Error::Unlocated(transfer.error_code(), transfer.error());
  } else if (result.status < 200 || result.status > 299) {
    result.error = Error::Unlocated(
        ErrorCode::kHttp, StatusError(result.status, transfer.reason(), result.body, secrets));
  }
  return result;
}

}  // namespace promtool
