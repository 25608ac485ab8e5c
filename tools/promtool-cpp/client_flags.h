// Command-line options of the HTTP client (auth, TLS, proxy, negotiation, limits), shared by
// `scrape`, `push` and the URL inputs of `check metrics` and `validate`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "promtool/input.h"
#include "promtool/scrape.h"

namespace promtool::cli {

// Options of every HTTP request.
struct HttpFlags {
  std::string timeout = "10s";
  std::string bearer_token_file;
  std::string bearer_token_env;
  std::string basic_auth_user;
  std::string basic_auth_password_file;
  std::vector<std::string> headers;  // "Name: value"
  std::string ca_file, cert_file, key_file, server_name;
  bool insecure_skip_verify = false;
  std::string proxy_url;
};

// Options of a scrape.
struct ScrapeFlags : HttpFlags {
  std::string scrape_protocols;  // empty: the command's default
  std::string fallback_protocol;
  bool no_compression = false;
  std::string body_size_limit = "64MiB";
  uint64_t sample_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
};

// The most bytes read from a token or password file, and from a --targets file: a larger file
// (or a device such as /dev/zero) is an error naming the file and the bound.
inline constexpr size_t kSecretFileBound = 64 * 1024;
inline constexpr size_t kTargetsFileBound = 16 * 1024 * 1024;

// Reads a --targets file, at most kTargetsFileBound bytes.
absl::StatusOr<std::string> ReadTargetsFile(const std::string& path);

// Adds the options to `app` under the help section `group`.
void AddHttpFlags(CLI::App* app, HttpFlags& flags, const std::string& group);
void AddScrapeFlags(CLI::App* app, ScrapeFlags& flags, const std::string& group);

// Turns the flags into library options, reading the token and password files (at most
// kSecretFileBound bytes each, surrounding white space trimmed) and the token's environment
// variable. A token holding a control character (a line break, a NUL) or a password holding one
// other than a tab is an error, as is a --header holding a line break. Errors name the flag or
// file, never a secret. A bad option value is InvalidArgument (a usage error); a token, password
// or file that cannot be read or holds what a header cannot carry is FailedPrecondition (an
// input error).
absl::Status FillClientOptions(const HttpFlags& flags, ClientOptions* options);
// Also the negotiation and limits; `options->protocols` is kept when --scrape-protocols is unset.
absl::Status FillScrapeOptions(const ScrapeFlags& flags, ScrapeOptions* options);
// The exit code for a failed FillClientOptions/FillScrapeOptions: 2 for a usage error, 1 for an
// unreadable or unusable secret file (docs/cli.md, exit codes).
int ClientOptionsExitCode(const absl::Status& status);

}  // namespace promtool::cli
