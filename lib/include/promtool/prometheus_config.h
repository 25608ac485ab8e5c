// Loading the scrape part of a Prometheus configuration file (prometheus.yml) as Prometheus 3
// reads it: global defaults, scrape_configs with their HTTP client settings, static and file
// service discovery, target and metric relabel configs. Unsupported fields are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "promtool/relabel.h"

namespace promtool {

// Why a configuration (or a target file it names) was rejected.
enum class ConfigErrorKind : uint8_t {
  kNone,
  kSyntax,        // not YAML / not JSON
  kUnknownField,  // a field Prometheus does not know (the message suggests the closest one)
  kUnsupported,   // a field or service discovery Prometheus knows but promtool-cpp does not read
  kInvalid,       // a value Prometheus would refuse (wrong type, bad duration, failed validation)
  kIo,            // a file that cannot be read
};

// "syntax", "unknown-field", "unsupported", "invalid", "io".
std::string_view ConfigErrorKindName(ConfigErrorKind kind);

// A configuration error: the file it is in, its 1-based line and column (0 when unknown) and
// what is wrong. Messages never hold a secret (password, credentials, bearer token).
struct ConfigError {
  ConfigErrorKind kind = ConfigErrorKind::kNone;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  bool ok() const { return kind == ConfigErrorKind::kNone; }
};

// Prometheus durations (model.ParseDuration): "0", or units y w d h m s ms in that order, each
// at most once, integer counts ("1h30m", "90s", "500ms"). In milliseconds; nullopt if invalid.
std::optional<int64_t> ParsePrometheusDuration(std::string_view text);
// As Prometheus prints a duration (model.Duration.String): "1m", "1h30m", "0s"; years and weeks
// only when they divide the duration exactly.
std::string FormatPrometheusDuration(int64_t milliseconds);

// One target group: its targets (the __address__ of each) and the labels they share.
struct TargetGroup {
  std::vector<std::string> targets;
  LabelSet labels;     // sorted by name
  std::string source;  // the file a file_sd group came from (its __meta_filepath), else ""
  int line = 0;        // the group's line in its file
};

struct FileSdConfig {
  std::vector<std::string> files;  // patterns, already joined with the config's directory
  int64_t refresh_interval_ms = 5 * 60 * 1000;
  int line = 0;
};

// The HTTP client settings of a scrape config (prometheus/common's HTTPClientConfig subset).
// File names are joined with the config file's directory, as Prometheus does.
struct HttpClientConfig {
  // Authorization header: type ("Bearer" by default) and credentials or credentials_file. The
  // older bearer_token / bearer_token_file are read into these, as Prometheus does.
  bool has_authorization = false;
  std::string authorization_type;
  std::string credentials;
  std::string credentials_file;
  bool has_basic_auth = false;
  std::string username;
  std::string password;
  std::string password_file;
  std::string ca_file, cert_file, key_file, server_name;
  bool insecure_skip_verify = false;
  std::string proxy_url;
  bool follow_redirects = true;
  bool enable_http2 = true;
};

// One scrape_config after Prometheus' validation, with the global defaults filled in.
struct ScrapeJobConfig {
  std::string job_name;
  int line = 0;  // the line of the job's list item
  bool honor_labels = false;
  bool honor_timestamps = true;
  std::string scheme = "http";
  std::string metrics_path = "/metrics";
  // params: name -> values, sorted by name (Go's url.Values encodes them sorted).
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  int64_t scrape_interval_ms = 0;
  int64_t scrape_timeout_ms = 0;
  std::vector<std::string> scrape_protocols;  // Prometheus' protocol names, preferred first
  std::string fallback_scrape_protocol;       // "" when unset
  bool enable_compression = true;
  uint64_t body_size_limit = 0;  // bytes; 0: none
  uint64_t sample_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  LabelNameValidation validation = LabelNameValidation::kUtf8;
  HttpClientConfig http;
  std::vector<TargetGroup> static_configs;
  std::vector<FileSdConfig> file_sd_configs;
  std::vector<RelabelConfig> relabel_configs;
  std::vector<RelabelConfig> metric_relabel_configs;
};

struct GlobalScrapeConfig {
  int64_t scrape_interval_ms = 60 * 1000;
  int64_t scrape_timeout_ms = 10 * 1000;
  std::vector<std::string> scrape_protocols;  // empty: Prometheus' default order
  uint64_t body_size_limit = 0;
  uint64_t sample_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  LabelNameValidation validation = LabelNameValidation::kUtf8;
};

struct PrometheusConfig {
  std::string file;       // as given to LoadPrometheusConfig
  std::string directory;  // relative file names are joined with it
  GlobalScrapeConfig global;
  std::vector<ScrapeJobConfig> scrape_configs;
  // Sections read but not used, because they do not change what a scrape ingests
  // (e.g. "alerting at line 4 does not affect scraping"). For the user to see.
  std::vector<std::string> notes;

  // The job named `name`, or nullptr.
  const ScrapeJobConfig* Job(std::string_view name) const;
};

struct PrometheusConfigResult {
  PrometheusConfig config;
  ConfigError error;
  bool ok() const { return error.ok(); }
};

// Loads `yaml`, the contents of the file `name` (used in errors and to resolve relative file
// names against its directory). Reads the sections that decide what is scraped and ingested;
// alerting, rule_files, remote_write and the other server sections are noted, not read. Every
// field not in the supported subset is an error naming it, with its line and column; a
// misspelled field suggests the closest valid one.
PrometheusConfigResult LoadPrometheusConfig(std::string_view yaml, std::string_view name);

// Reads the target groups of a file_sd target file (JSON when its name ends in .json, YAML
// otherwise): a list of {targets: [...], labels: {...}}. Each group's source is `path`.
struct TargetFileResult {
  std::vector<TargetGroup> groups;
  ConfigError error;
  bool ok() const { return error.ok(); }
};
TargetFileResult LoadTargetFile(std::string_view contents, std::string_view path);

// The target groups of a job: its static_configs, then for each file_sd_configs entry the files
// matching its patterns (sorted), read with LoadTargetFile. A pattern matching no file is not an
// error (Prometheus waits for the file); an unreadable or invalid file is.
struct JobTargetGroupsResult {
  std::vector<TargetGroup> groups;
  std::vector<std::string> notes;  // patterns that matched no file
  ConfigError error;
  bool ok() const { return error.ok(); }
};
JobTargetGroupsResult JobTargetGroups(const ScrapeJobConfig& job);

}  // namespace promtool
