// Maps the HTTP client's command-line options to promtool::ClientOptions / ScrapeOptions.
#include "client_flags.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "promtool/output.h"
#include "usage.h"

namespace promtool::cli {
namespace {

std::string TrimSpace(std::string s) {
  const char* blanks = " \t\r\n";
  size_t b = s.find_first_not_of(blanks);
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(blanks);
  return s.substr(b, e - b + 1);
}

// ReadFileAtMost() with the flag's name before its error.
absl::StatusOr<std::string> ReadBounded(const std::string& flag, const std::string& path,
                                        size_t bound) {
  auto data = ReadFileAtMost(path, bound);
  if (!data.ok()) {
    return absl::FailedPreconditionError(flag + ": " + std::string(data.status().message()));
  }
  return data;
}

// A credential goes into a request header (token) or is base64-encoded (password): a NUL would
// silently cut it, a line break would end the header. Surrounding white space (a trailing
// newline) is trimmed first, as Prometheus does (strings.TrimSpace); what is left must not hold
// a control character (a password may hold a tab).
absl::Status CheckSecret(const std::string& what, std::string_view secret, bool allow_tab) {
  for (size_t i = 0; i < secret.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(secret[i]);
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) {
      const char* name = c == 0      ? "a NUL byte"
                         : c == '\n' ? "a line break"
                         : c == '\r' ? "a carriage return"
                                     : "a control character";
      return absl::FailedPreconditionError(what + " holds " + name + " at byte " +
                                           std::to_string(i + 1) +
                                           " (only surrounding white space is trimmed)");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadSecretFile(const std::string& flag, const std::string& path, std::string* out,
                            bool allow_tab) {
  auto data = ReadBounded(flag, path, kSecretFileBound);
  if (!data.ok()) return data.status();
  *out = TrimSpace(std::move(*data));
  if (out->empty()) return absl::FailedPreconditionError(flag + ": " + path + " is empty");
  return CheckSecret(flag + ": " + path, *out, allow_tab);
}

}  // namespace

absl::StatusOr<std::string> ReadTargetsFile(const std::string& path) {
  return ReadBounded("--targets", path, kTargetsFileBound);
}

void AddHttpFlags(CLI::App* app, HttpFlags& f, const std::string& group) {
  app->add_option("--timeout", f.timeout,
                  "Timeout of the whole request (Go duration: 10s, 500ms, 1m); also sent as "
                  "X-Prometheus-Scrape-Timeout-Seconds")
      ->check(DurationValidator())
      ->capture_default_str()
      ->group(group);
  app->add_option("--bearer-token-file", f.bearer_token_file,
                  "Send 'Authorization: Bearer <token>' with the token read from FILE")
      ->group(group);
  app->add_option("--bearer-token-env", f.bearer_token_env,
                  "Send 'Authorization: Bearer <token>' with the token read from the environment "
                  "variable NAME")
      ->group(group);
  app->add_option("--basic-auth-user", f.basic_auth_user, "Basic auth user name")->group(group);
  app->add_option("--basic-auth-password-file", f.basic_auth_password_file,
                  "Basic auth password, read from FILE")
      ->group(group);
  app->add_option("--header", f.headers, "Extra request header 'Name: value' (repeatable)")
      ->allow_extra_args(false)
      ->group(group);
  app->add_option("--ca-file", f.ca_file, "CA certificates (PEM) to verify the server with")
      ->group(group);
  app->add_option("--cert-file", f.cert_file, "Client certificate (PEM)")->group(group);
  app->add_option("--key-file", f.key_file, "Client certificate key (PEM)")->group(group);
  app->add_option("--server-name", f.server_name,
                  "Name to verify the server certificate against and send as SNI")
      ->group(group);
  app->add_flag("--insecure-skip-verify", f.insecure_skip_verify,
                "Do not verify the server certificate")
      ->group(group);
  app->add_option("--proxy-url", f.proxy_url,
                  "HTTP proxy URL (proxy environment variables are ignored)")
      ->group(group);
}

void AddScrapeFlags(CLI::App* app, ScrapeFlags& f, const std::string& group) {
  app->add_option("--scrape-protocols", f.scrape_protocols,
                  "Protocols to negotiate, in order: PrometheusProto, OpenMetricsText1.0.0, "
                  "OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4, "
                  "OpenMetricsText2.0.0 (comma-separated)")
      ->group(group);
  app->add_option("--fallback-protocol", f.fallback_protocol,
                  "Protocol to assume when the response's Content-Type is missing or unknown "
                  "(otherwise an error)")
      ->group(group);
  app->add_flag("--no-compression", f.no_compression,
                "Ask for an uncompressed body (Accept-Encoding: identity)")
      ->group(group);
  app->add_option("--body-size-limit", f.body_size_limit,
                  "Largest body accepted, counted after decompression (64MiB, 1GB, 0 = none)")
      ->check(ByteSizeValidator())
      ->capture_default_str()
      ->group(group);
  app->add_option("--sample-limit", f.sample_limit, "Most samples accepted (0 = none)")
      ->group(group);
  app->add_option("--label-limit", f.label_limit, "Most labels per sample (0 = none)")
      ->group(group);
  app->add_option("--label-name-length-limit", f.label_name_length_limit,
                  "Longest label name in bytes (0 = none)")
      ->group(group);
  app->add_option("--label-value-length-limit", f.label_value_length_limit,
                  "Longest label value (metric names included) in bytes (0 = none)")
      ->group(group);
  AddHttpFlags(app, f, group);
}

absl::Status FillClientOptions(const HttpFlags& f, ClientOptions* o) {
  std::optional<double> timeout = ParseDurationSeconds(f.timeout);
  if (!timeout || *timeout <= 0) {
    return absl::InvalidArgumentError("--timeout: invalid duration \"" + f.timeout + "\"");
  }
  o->timeout_seconds = *timeout;
  if (!f.bearer_token_file.empty() && !f.bearer_token_env.empty()) {
    return absl::InvalidArgumentError(
        "--bearer-token-file and --bearer-token-env cannot be used together");
  }
  if (!f.bearer_token_file.empty()) {
    absl::Status st =
        ReadSecretFile("--bearer-token-file", f.bearer_token_file, &o->bearer_token, false);
    if (!st.ok()) return st;
  }
  if (!f.bearer_token_env.empty()) {
    const char* value = std::getenv(f.bearer_token_env.c_str());
    o->bearer_token = TrimSpace(value == nullptr ? "" : value);
    if (o->bearer_token.empty()) {
      return absl::InvalidArgumentError("--bearer-token-env: the environment variable " +
                                        f.bearer_token_env + " is not set or empty");
    }
    absl::Status st =
        CheckSecret("--bearer-token-env: the environment variable " + f.bearer_token_env,
                    o->bearer_token, false);
    if (!st.ok()) return st;
  }
  if (!f.basic_auth_password_file.empty() && f.basic_auth_user.empty()) {
    return absl::InvalidArgumentError("--basic-auth-password-file needs --basic-auth-user");
  }
  o->basic_auth_user = f.basic_auth_user;
  if (!f.basic_auth_password_file.empty()) {
    absl::Status st = ReadSecretFile("--basic-auth-password-file", f.basic_auth_password_file,
                                     &o->basic_auth_password, true);
    if (!st.ok()) return st;
  }
  if (!o->bearer_token.empty() && !o->basic_auth_user.empty()) {
    return absl::InvalidArgumentError("a bearer token and basic auth cannot be used together");
  }
  for (const std::string& h : f.headers) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      // Never echo the header: it may be a credential.
      return absl::InvalidArgumentError("--header: want 'Name: value'");
    }
    if (h.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      // A line break would start another header (or end the request's headers).
      return absl::InvalidArgumentError("--header: a header holds a line break or a NUL byte");
    }
    o->headers.emplace_back(TrimSpace(h.substr(0, colon)), TrimSpace(h.substr(colon + 1)));
  }
  if (f.cert_file.empty() != f.key_file.empty()) {
    return absl::InvalidArgumentError("--cert-file and --key-file go together");
  }
  o->tls.ca_file = f.ca_file;
  o->tls.cert_file = f.cert_file;
  o->tls.key_file = f.key_file;
  o->tls.server_name = f.server_name;
  o->tls.insecure_skip_verify = f.insecure_skip_verify;
  o->proxy_url = f.proxy_url;
  return absl::OkStatus();
}

int ClientOptionsExitCode(const absl::Status& status) {
  return absl::IsInvalidArgument(status) ? kUsageExitCode : 1;
}

absl::Status FillScrapeOptions(const ScrapeFlags& f, ScrapeOptions* o) {
  absl::Status st = FillClientOptions(f, o);
  if (!st.ok()) return st;
  if (!f.scrape_protocols.empty()) {
    auto protocols = ParseScrapeProtocols(f.scrape_protocols);
    if (!protocols.ok()) {
      return absl::InvalidArgumentError("--scrape-protocols: " +
                                        std::string(protocols.status().message()));
    }
    o->protocols = std::move(*protocols);
  }
  if (!f.fallback_protocol.empty()) {
    o->fallback = ParseScrapeProtocol(f.fallback_protocol);
    if (!o->fallback) {
      return absl::InvalidArgumentError("--fallback-protocol: unknown protocol \"" +
                                        f.fallback_protocol + "\"");
    }
  }
  o->compression = !f.no_compression;
  std::optional<uint64_t> limit = ParseByteSize(f.body_size_limit);
  if (!limit) {
    return absl::InvalidArgumentError("--body-size-limit: invalid size \"" + f.body_size_limit +
                                      "\"");
  }
  o->body_size_limit = *limit;
  o->sample_limit = f.sample_limit;
  o->label_limit = f.label_limit;
  o->label_name_length_limit = f.label_name_length_limit;
  o->label_value_length_limit = f.label_value_length_limit;
  return absl::OkStatus();
}

}  // namespace promtool::cli
