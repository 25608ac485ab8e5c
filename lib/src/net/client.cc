// The HTTP client over libcurl: Fetch (scrape with negotiation, limits, auth, TLS and manual
// redirects that keep credentials on their origin) and Push (to a Pushgateway).
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include "common/strcat.h"
#include "net/limits.h"
#include "promtool/scrape.h"
#include "promtool/source.h"

#ifndef PROMTOOL_VERSION
#define PROMTOOL_VERSION "0"
#endif

namespace promtool {
namespace {

using Clock = std::chrono::steady_clock;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistCleanup {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlCleanup {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlPtr = std::unique_ptr<CURL, CurlCleanup>;
using SlistPtr = std::unique_ptr<curl_slist, SlistCleanup>;
using UrlPtr = std::unique_ptr<CURLU, UrlCleanup>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The parts of a URL that decide where it goes.
struct UrlParts {
  std::string scheme, host, port, password;
  std::string Origin() const { return StrCat(scheme, "://", Lower(host), ":", port); }
};

std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

absl::StatusOr<UrlParts> ParseUrl(const std::string& url) {
  UrlPtr u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(StrCat("invalid URL \"", RedactUrl(url), "\""));
  }
  UrlParts p;
  p.scheme = Lower(UrlPart(u.get(), CURLUPART_SCHEME));
  p.host = UrlPart(u.get(), CURLUPART_HOST);
  p.port = UrlPart(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  p.password = UrlPart(u.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  if (p.scheme != "http" && p.scheme != "https") {
    return absl::InvalidArgumentError(
        StrCat("unsupported URL scheme \"", p.scheme, "\" (want http or https)"));
  }
  return p;
}

// `url` with its host replaced.
std::string WithHost(const std::string& url, const std::string& host) {
  UrlPtr u(curl_url());
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return url;
  if (curl_url_set(u.get(), CURLUPART_HOST, host.c_str(), 0) != CURLUE_OK) return url;
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

// Replaces every secret in `text` by <secret>.
std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "<secret>");
      pos += 8;
    }
  }
  return text;
}

bool IsCredentialHeader(std::string_view name) {
  const std::string n = Lower(name);
  return n == "authorization" || n == "cookie" || n == "cookie2" || n == "proxy-authorization" ||
         n == "www-authenticate";
}

std::vector<std::string> Secrets(const ClientOptions& o, const UrlParts& url) {
  std::vector<std::string> out = {o.bearer_token, o.basic_auth_password, url.password};
  for (const auto& [name, value] : o.headers) {
    if (IsCredentialHeader(name)) out.push_back(value);
  }
  if (auto proxy = ParseUrl(o.proxy_url); proxy.ok()) out.push_back(proxy->password);
  return out;
}

// The response of one request.
struct Response {
  long status = 0;
  std::string reason;
  std::string content_type;
  std::string body;
  uint64_t limit = 0;  // 0: none
  bool over_limit = false;
  std::string redirect_url;
  CURLcode code = CURLE_OK;
  std::string curl_error;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  Response* r = static_cast<Response*>(user);
  const size_t len = size * n;
  const size_t need = r->body.size() + len;
  if (r->limit > 0 && need > r->limit) {
    r->over_limit = true;
    return 0;  // aborts the transfer: nothing beyond the limit is held
  }
  if (need > r->body.capacity()) {
    // Grow geometrically, but never past the limit, so the buffer stays bounded by it.
    size_t cap = std::max(need, r->body.capacity() * 2);
    if (r->limit > 0) cap = std::min<size_t>(cap, r->limit);
    r->body.reserve(cap);
  }
  r->body.append(data, len);
  return len;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  Response* r = static_cast<Response*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // "HTTP/1.1 500 Internal Server Error\r\n": keep the reason phrase of the last response.
    size_t sp = line.find(' ');
    size_t sp2 = sp == std::string_view::npos ? sp : line.find(' ', sp + 1);
    r->reason.clear();
    if (sp2 != std::string_view::npos) {
      std::string_view reason = line.substr(sp2 + 1);
      while (!reason.empty() && (reason.back() == '\r' || reason.back() == '\n')) {
        reason.remove_suffix(1);
      }
      r->reason = reason;
    }
  }
  return size * n;
}

struct Request {
  std::string url;  // as the user gave it (or the redirect target)
  UrlParts parts;
  const char* method = "GET";
  std::string_view body;  // PUT/POST
  bool send_body = false;
  bool credentials = true;           // same origin as the first URL
  std::vector<std::string> headers;  // "Name: value", besides credentials and custom headers
  std::string accept_encoding;       // non-empty: libcurl asks for it and decodes
  double timeout_seconds = 10;
  uint64_t body_limit = 0;
};

void Perform(CURL* c, const Request& q, const ClientOptions& o, Response* r) {
  curl_easy_reset(c);
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string url = q.url;
  std::string connect_to;
  SlistPtr connect_list;
  if (!o.tls.server_name.empty() && q.parts.scheme == "https") {
    // Verify and send SNI for server_name, but connect to the URL's host and port.
    url = WithHost(q.url, o.tls.server_name);
    connect_to = StrCat(o.tls.server_name, ":", q.parts.port, ":", q.parts.host, ":", q.parts.port);
    connect_list.reset(curl_slist_append(nullptr, connect_to.c_str()));
    curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_list.get());
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "promtool-cpp/" PROMTOOL_VERSION);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max(1.0, q.timeout_seconds * 1000.0)));
  // An empty proxy turns off the environment's http_proxy/https_proxy too.
  curl_easy_setopt(c, CURLOPT_PROXY, o.proxy_url.c_str());
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, o.tls.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, o.tls.insecure_skip_verify ? 0L : 2L);
  if (!o.tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.tls.ca_file.c_str());
  if (!o.tls.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, o.tls.cert_file.c_str());
  if (!o.tls.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, o.tls.key_file.c_str());
  if (!q.accept_encoding.empty()) {
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, q.accept_encoding.c_str());
  }

  SlistPtr headers;
  auto add = [&](const std::string& h) {
    curl_slist* l = curl_slist_append(headers.get(), h.c_str());
    if (l != nullptr) {
      (void)headers.release();
      headers.reset(l);
    }
  };
  for (const std::string& h : q.headers) add(h);
  add("Expect:");  // no 100-continue round trip for pushes
  if (q.credentials) {
    if (!o.bearer_token.empty()) add(StrCat("Authorization: Bearer ", o.bearer_token));
    if (!o.basic_auth_user.empty()) {
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(c, CURLOPT_USERNAME, o.basic_auth_user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, o.basic_auth_password.c_str());
    }
  }
  for (const auto& [name, value] : o.headers) {
    if (!q.credentials && IsCredentialHeader(name)) continue;
    add(value.empty() ? StrCat(name, ";") : StrCat(name, ": ", value));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  if (std::string_view(q.method) != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q.method);
  }
  if (q.send_body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, q.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(q.body.size()));
  }
  r->limit = q.body_limit;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, r);

  r->code = curl_easy_perform(c);
  r->curl_error = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(r->code);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
  char* ct = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct != nullptr) {
    r->content_type = ct;
  }
  char* location = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location != nullptr) {
    r->redirect_url = location;
    // A target on the server name is the URL's own host (the name only replaced it for TLS).
    if (!o.tls.server_name.empty() && q.parts.scheme == "https") {
      if (auto parts = ParseUrl(r->redirect_url);
          parts.ok() && Lower(parts->host) == Lower(o.tls.server_name)) {
        r->redirect_url = WithHost(r->redirect_url, q.parts.host);
      }
    }
  }
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
}

// The error for a failed transfer.
std::string TransferError(const Response& r, const Request& q) {
  if (r.over_limit) {
    return StrCat("response body exceeds the body size limit of ", Bytes(q.body_limit),
                  " (counted after decompression); transfer stopped");
  }
  if (r.code == CURLE_OPERATION_TIMEDOUT) {
    return StrCat("timed out after ", Seconds(q.timeout_seconds), "s: ", r.curl_error);
  }
  return r.curl_error;
}

std::string StatusError(const Response& r) {
  std::string out = StrCat("HTTP status ", r.status);
  if (!r.reason.empty()) StrAppend(&out, " ", r.reason);
  if (!r.body.empty()) StrAppend(&out, ": ", QuoteStart(r.body, 256));
  return out;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

double Elapsed(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

FetchResult Fetch(std::string_view url_in, const ScrapeOptions& options) {
  GlobalInit();
  const Clock::time_point start = Clock::now();
  FetchResult result;
  std::string url(url_in);
  result.url = RedactUrl(url);
  auto first = ParseUrl(url);
  if (!first.ok()) {
    result.error = std::string(first.status().message());
    return result;
  }
  const std::vector<std::string> secrets = Secrets(options, *first);
  if (!options.bearer_token.empty() && !options.basic_auth_user.empty()) {
    result.error = "a bearer token and basic auth cannot be used together";
    return result;
  }
  CurlPtr curl(curl_easy_init());
  if (!curl) {
    result.error = "cannot initialise libcurl";
    return result;
  }
  const std::string origin = first->Origin();
  Request q;
  q.headers.push_back(StrCat("Accept: ", AcceptHeader(options.protocols)));
  if (options.compression) {
    q.accept_encoding = "gzip";
  } else {
    q.headers.push_back("Accept-Encoding: identity");
  }
  q.headers.push_back(
      StrCat("X-Prometheus-Scrape-Timeout-Seconds: ", Seconds(options.timeout_seconds)));
  q.body_limit = options.body_size_limit;

  Response r;
  UrlParts parts = *first;
  for (int hop = 0;; ++hop) {
    q.url = url;
    q.parts = parts;
    q.credentials = parts.Origin() == origin;
    q.timeout_seconds = options.timeout_seconds - Elapsed(start);
    if (q.timeout_seconds <= 0) {
      result.error = StrCat("timed out after ", Seconds(options.timeout_seconds), "s");
      break;
    }
    r = Response();
    Perform(curl.get(), q, options, &r);
    result.url = RedactUrl(url);
    if (r.code != CURLE_OK) {
      if (r.code == CURLE_OPERATION_TIMEDOUT) q.timeout_seconds = options.timeout_seconds;
      result.error = TransferError(r, q);
      break;
    }
    if (IsRedirect(r.status) && !r.redirect_url.empty()) {
      if (hop >= options.max_redirects) {
        result.error = StrCat("stopped after ", options.max_redirects, " redirects");
        break;
      }
      auto next = ParseUrl(r.redirect_url);
      if (!next.ok()) {
        result.error =
            StrCat("redirect to an unusable URL: ", std::string(next.status().message()));
        break;
      }
      url = r.redirect_url;
      parts = *next;
      continue;
    }
    break;
  }
  result.status = r.status;
  result.content_type = r.content_type;
  result.seconds = Elapsed(start);
  if (result.error.empty() && (r.status < 200 || r.status > 299)) result.error = StatusError(r);
  if (result.error.empty()) {
    result.body = std::move(r.body);
    std::optional<PayloadFormat> format = FormatFromContentType(result.content_type);
    if (!format && options.fallback) format = ProtocolFormat(*options.fallback);
    if (!format) {
      result.error = result.content_type.empty()
                         ? "the response has no Content-Type (set a fallback protocol)"
                         : StrCat("unsupported Content-Type \"", result.content_type,
                                  "\" (set a fallback protocol)");
    } else {
      result.format = *format;
      std::unique_ptr<Source> source = MemorySource(result.body, result.url);
      net::ParseAndCheck(*source, result.format, options, &result);
    }
  }
  result.error = Scrub(std::move(result.error), secrets);
  return result;
}

PushResult Push(std::string_view gateway_url, std::string_view job,
                const std::vector<std::pair<std::string, std::string>>& grouping, PushMethod method,
                std::string_view body, const ClientOptions& options) {
  GlobalInit();
  PushResult result;
  auto path = PushPath(job, grouping);
  std::string base(gateway_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  result.url = RedactUrl(base);
  if (!path.ok()) {
    result.error = std::string(path.status().message());
    return result;
  }
  const std::string url = base + *path;
  result.url = RedactUrl(url);
  auto parts = ParseUrl(url);
  if (!parts.ok()) {
    result.error = std::string(parts.status().message());
    return result;
  }
  if (!options.bearer_token.empty() && !options.basic_auth_user.empty()) {
    result.error = "a bearer token and basic auth cannot be used together";
    return result;
  }
  CurlPtr curl(curl_easy_init());
  if (!curl) {
    result.error = "cannot initialise libcurl";
    return result;
  }
  Request q;
  q.url = url;
  q.parts = *parts;
  q.timeout_seconds = options.timeout_seconds;
  q.body_limit = uint64_t{1} << 20;  // the gateway's answer: text, short
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
  Response r;
  Perform(curl.get(), q, options, &r);
  result.status = r.status;
  result.body = std::move(r.body);
  if (r.code != CURLE_OK) {
    result.error = TransferError(r, q);
  } else if (r.status < 200 || r.status > 299) {
    r.body = result.body;
    result.error = StatusError(r);
  }
  result.error = Scrub(std::move(result.error), Secrets(options, *parts));
  return result;
}

}  // namespace promtool
