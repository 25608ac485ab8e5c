// Loading prometheus.yml's scrape settings (global, scrape_configs, static and file service
// discovery) field by field as Prometheus 3 reads them, with the line and column of every error.
#include "promtool/prometheus_config.h"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <set>
#include <span>

#include "common/strcat.h"
#include "config/load.h"
#include "config/utf8.h"
#include "promtool/escape.h"
#include "promtool/suggest.h"
#include "yaml-cpp/yaml.h"

namespace promtool {
namespace {

using Fields = std::initializer_list<std::string_view>;

struct Failure {
  ConfigError error;
};

[[noreturn]] void Fail(const YAML::Node& at, ConfigErrorKind kind, std::string message) {
  const YAML::Mark m = at.Mark();
  throw Failure{{kind, "", m.line + 1, m.column + 1, std::move(message)}};
}

[[noreturn]] void Invalid(const YAML::Node& at, std::string message) {
  Fail(at, ConfigErrorKind::kInvalid, std::move(message));
}

// The closest of `candidates` to `name` when it is close enough to be a misspelling.
std::string DidYouMean(std::string_view name,
                       std::initializer_list<std::span<const std::string_view>> lists) {
  std::string_view best;
  size_t best_d = SIZE_MAX;
  for (std::span<const std::string_view> list : lists) {
    for (std::string_view c : list) {
      const size_t d = EditDistance(name, c);
      if (d < best_d) best_d = d, best = c;
    }
  }
  if (best_d <= std::max<size_t>(2, name.size() / 3))
    return StrCat("; did you mean \"", best, "\"?");
  return "";
}

// Every service discovery Prometheus knows; only file_sd_configs and static_configs are read.
constexpr std::string_view kServiceDiscovery[] = {
    "azure_sd_configs",      "consul_sd_configs",      "digitalocean_sd_configs",
    "docker_sd_configs",     "dockerswarm_sd_configs", "dns_sd_configs",
    "ec2_sd_configs",        "eureka_sd_configs",      "gce_sd_configs",
    "hetzner_sd_configs",    "http_sd_configs",        "ionos_sd_configs",
    "kubernetes_sd_configs", "kuma_sd_configs",        "lightsail_sd_configs",
    "linode_sd_configs",     "marathon_sd_configs",    "nerve_sd_configs",
    "nomad_sd_configs",      "openstack_sd_configs",   "ovhcloud_sd_configs",
    "puppetdb_sd_configs",   "scaleway_sd_configs",    "serverset_sd_configs",
    "stackit_sd_configs",    "triton_sd_configs",      "uyuni_sd_configs",
    "vultr_sd_configs",
};

// Calls handle(key, value) for each entry of the mapping `node`, after checking that the key is
// given once and is one of `supported`. A key in `unsupported` (known to Prometheus, not read
// by promtool-cpp) or unknown to both lists is an error at the key.
template <typename Handle>
void ForFields(const YAML::Node& node, std::string_view where, Fields supported, Fields unsupported,
               Handle&& handle, bool service_discovery = false) {
  if (node.IsNull()) return;
  if (!node.IsMap()) Invalid(node, StrCat(where, ": expected a mapping of fields"));
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (!seen.insert(key).second) {
      Invalid(entry.first, StrCat("field \"", key, "\" is given twice in ", where));
    }
    if (std::find(supported.begin(), supported.end(), key) != supported.end()) {
      handle(key, entry.second);
      continue;
    }
    if (service_discovery && std::find(std::begin(kServiceDiscovery), std::end(kServiceDiscovery),
                                       key) != std::end(kServiceDiscovery)) {
      Fail(entry.first, ConfigErrorKind::kUnsupported,
           StrCat("service discovery \"", key, "\" in ", where,
                  " is not supported: promtool-cpp reads static_configs and file_sd_configs "
                  "(write the targets to a file_sd file, e.g. from Prometheus' /api/v1/targets)"));
    }
    if (std::find(unsupported.begin(), unsupported.end(), key) != unsupported.end()) {
      Fail(entry.first, ConfigErrorKind::kUnsupported,
           StrCat("field \"", key, "\" in ", where, " is not supported by promtool-cpp"));
    }
    Fail(entry.first, ConfigErrorKind::kUnknownField,
         StrCat("unknown field \"", key, "\" in ", where,
                service_discovery ? DidYouMean(key, {supported, unsupported, kServiceDiscovery})
                                  : DidYouMean(key, {supported, unsupported})));
  }
}

std::string Str(const YAML::Node& value, std::string_view field) {
  if (value.IsNull()) return "";
  if (!value.IsScalar()) Invalid(value, StrCat(field, ": expected a string"));
  return value.Scalar();
}

// A secret: its value is never part of a message.
std::string Secret(const YAML::Node& value, std::string_view field) {
  if (value.IsNull()) return "";
  if (!value.IsScalar()) Invalid(value, StrCat(field, ": expected a string (a secret)"));
  return value.Scalar();
}

bool Bool(const YAML::Node& value, std::string_view field) {
  const std::string s = value.IsScalar() ? value.Scalar() : "";
  // YAML 1.1 booleans, as Go's yaml.v2 reads them.
  for (std::string_view t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
    if (s == t) return true;
  }
  for (std::string_view f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}) {
    if (s == f) return false;
  }
  Invalid(value, StrCat(field, ": expected true or false, found \"", s, "\""));
}

uint64_t UInt(const YAML::Node& value, std::string_view field) {
  const std::string s = value.IsScalar() ? value.Scalar() : "";
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    Invalid(value, StrCat(field, ": expected an unsigned integer, found \"", s, "\""));
  }
  return v;
}

int64_t Duration(const YAML::Node& value, std::string_view field) {
  const std::string s = value.IsScalar() ? value.Scalar() : "";
  auto d = ParsePrometheusDuration(s);
  if (!d) {
    Invalid(value, StrCat(field, ": not a valid duration string: \"", s,
                          "\" (units ms, s, m, h, d, w, y, largest first, e.g. 1m30s)"));
  }
  return *d;
}

// units.Base2Bytes: "0", or a count with a unit B, KB/KiB, MB/MiB, GB/GiB, TB/TiB, PB/PiB,
// EB/EiB (all powers of 1024), possibly several ("1GB512MB").
std::optional<uint64_t> ParseBase2Bytes(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!s.empty()) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end == s.data()) return std::nullopt;
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    size_t u = 0;
    while (u < s.size() && ((s[u] >= 'A' && s[u] <= 'Z') || (s[u] >= 'a' && s[u] <= 'z'))) ++u;
    const std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    int shift = -1;
    constexpr std::string_view kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    constexpr std::string_view kIUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    for (int i = 0; i < 7; ++i) {
      if (unit == kUnits[i] || unit == kIUnits[i]) shift = 10 * i;
    }
    if (shift < 0) return std::nullopt;
    if (shift > 0 && n > (UINT64_MAX >> shift)) return std::nullopt;
    const uint64_t add = n << shift;
    if (total > UINT64_MAX - add) return std::nullopt;
    total += add;
  }
  return total;
}

uint64_t ByteSize(const YAML::Node& value, std::string_view field) {
  const std::string s = value.IsScalar() ? value.Scalar() : "";
  auto v = ParseBase2Bytes(s);
  if (!v) {
    Invalid(value, StrCat(field,
                          ": expected a size such as 64MB or 1GiB (units B, KB, MB, GB, "
                          "TB, PB, EB, base 2), found \"",
                          s, "\""));
  }
  return *v;
}

std::vector<std::string> StrList(const YAML::Node& value, std::string_view field) {
  std::vector<std::string> out;
  if (value.IsNull()) return out;
  if (!value.IsSequence()) Invalid(value, StrCat(field, ": expected a list of strings"));
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) Invalid(item, StrCat(field, ": expected a list of strings"));
    out.push_back(item.Scalar());
  }
  return out;
}

bool ValidLabelName(std::string_view name, LabelNameValidation validation) {
  if (name.empty()) return false;
  if (validation == LabelNameValidation::kUtf8) return ValidUtf8(name);
  if (name[0] >= '0' && name[0] <= '9') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

LabelSet Labels(const YAML::Node& value, std::string_view field, LabelNameValidation validation) {
  LabelSet out;
  if (value.IsNull()) return out;
  if (!value.IsMap())
    Invalid(value, StrCat(field, ": expected a mapping of label names to values"));
  std::set<std::string> seen;
  for (const auto& entry : value) {
    const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (!ValidLabelName(name, validation)) {
      Invalid(entry.first, StrCat("\"", name, "\" is not a valid label name"));
    }
    if (!seen.insert(name).second) {
      Invalid(entry.first, StrCat("label \"", name, "\" is given twice"));
    }
    if (!entry.second.IsNull() && !entry.second.IsScalar()) {
      Invalid(entry.second, StrCat(field, ": the value of label \"", name, "\" must be a string"));
    }
    std::string v = entry.second.IsNull() ? "" : entry.second.Scalar();
    if (!ValidUtf8(v)) Invalid(entry.second, StrCat("\"", v, "\" is not a valid label value"));
    if (!v.empty()) out.emplace_back(name, std::move(v));  // an empty value is no label
  }
  std::sort(out.begin(), out.end());
  return out;
}

constexpr std::string_view kProtocols[] = {"OpenMetricsText0.0.1", "OpenMetricsText1.0.0",
                                           "PrometheusProto", "PrometheusText0.0.4",
                                           "PrometheusText1.0.0"};

void CheckProtocol(const YAML::Node& at, std::string_view p, std::string_view field) {
  if (std::find(std::begin(kProtocols), std::end(kProtocols), p) != std::end(kProtocols)) return;
  Invalid(at, StrCat(field, ": unknown scrape protocol ", p,
                     ", supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto "
                     "PrometheusText0.0.4 PrometheusText1.0.0]",
                     DidYouMean(p, {kProtocols})));
}

std::vector<std::string> Protocols(const YAML::Node& value, std::string_view where) {
  std::vector<std::string> list = StrList(value, "scrape_protocols");
  if (list.empty()) Invalid(value, StrCat("scrape_protocols cannot be empty for ", where));
  std::set<std::string> seen;
  size_t i = 0;
  for (const YAML::Node& item : value) {
    const std::string& p = list[i++];
    std::string lower = p;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!seen.insert(lower).second) {
      Invalid(item, StrCat("duplicated protocol in scrape_protocols for ", where, ": ", p));
    }
    CheckProtocol(item, p, "scrape_protocols");
  }
  return list;
}

LabelNameValidation Validation(const YAML::Node& value) {
  const std::string s = Str(value, "metric_name_validation_scheme");
  if (s == "utf8" || s.empty()) return LabelNameValidation::kUtf8;
  if (s == "legacy") return LabelNameValidation::kLegacy;
  Invalid(value,
          StrCat("metric_name_validation_scheme: must be either '', 'legacy' or 'utf8', got ", s));
}

// Go's filepath.Clean of a '/'-separated path.
std::string CleanPath(std::string_view path) {
  const bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
        continue;
      }
      if (absolute) continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) StrAppend(&out, k ? "/" : "", parts[k]);
  if (out.empty()) out = ".";
  return out;
}

// prometheus/common's config.JoinDir: a relative, non-empty file name joined with `dir`.
std::string JoinDir(const std::string& dir, const std::string& file) {
  if (file.empty() || file[0] == '/') return file;
  return CleanPath(StrCat(dir, "/", file));
}

class Loader {
 public:
  explicit Loader(PrometheusConfig* config) : config_(*config) {}

  void Root(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) return;  // an empty file: defaults, no jobs
    YAML::Node global, scrape_configs;
    ForFields(root, "the configuration",
              {"global", "scrape_configs", "alerting", "rule_files", "remote_write", "remote_read",
               "storage", "tracing", "otlp", "runtime"},
              {"scrape_config_files"}, [&](const std::string& key, const YAML::Node& value) {
                if (key == "global") {
                  global = value;
                } else if (key == "scrape_configs") {
                  scrape_configs = value;
                } else {
                  int line = 0;
                  for (const auto& e : root) {
                    if (e.first.IsScalar() && e.first.Scalar() == key)
                      line = e.first.Mark().line + 1;
                  }
                  config_.notes.push_back(StrCat("section \"", key, "\" (line ", line,
                                                 ") does not affect scraping; not read"));
                }
              });
    if (global.IsDefined()) Global(global);
    if (!scrape_configs.IsDefined() || scrape_configs.IsNull()) return;
    if (!scrape_configs.IsSequence()) {
      Invalid(scrape_configs, "scrape_configs: expected a list of scrape configs");
    }
    std::set<std::string> names;
    for (const YAML::Node& item : scrape_configs) {
      ScrapeJobConfig job = Job(item);
      if (!names.insert(job.job_name).second) {
        Invalid(item["job_name"],
                StrCat("found multiple scrape configs with job name \"", job.job_name, "\""));
      }
      config_.scrape_configs.push_back(std::move(job));
    }
  }

 private:
  void Global(const YAML::Node& node) {
    GlobalScrapeConfig& g = config_.global;
    int64_t interval = 0, timeout = 0;
    YAML::Node timeout_node;
    ForFields(node, "global",
              {"scrape_interval", "scrape_timeout", "scrape_protocols", "evaluation_interval",
               "rule_query_offset", "query_log_file", "scrape_failure_log_file", "external_labels",
               "body_size_limit", "sample_limit", "target_limit", "label_limit",
               "label_name_length_limit", "label_value_length_limit", "keep_dropped_targets",
               "metric_name_validation_scheme", "extra_scrape_metrics"},
              {"metric_name_escaping_scheme", "scrape_native_histograms",
               "convert_classic_histograms_to_nhcb", "always_scrape_classic_histograms"},
              [&](const std::string& key, const YAML::Node& value) {
                if (key == "scrape_interval") {
                  interval = Duration(value, key);
                } else if (key == "scrape_timeout") {
                  timeout = Duration(value, key);
                  timeout_node = value;
                } else if (key == "scrape_protocols") {
                  g.scrape_protocols = Protocols(value, "global config");
                } else if (key == "evaluation_interval" || key == "rule_query_offset") {
                  Duration(value, key);  // checked, used by rules only
                } else if (key == "external_labels") {
                  // Not attached to scraped series (only to remote write, federation and alerts).
                  Labels(value, key, LabelNameValidation::kUtf8);
                } else if (key == "body_size_limit") {
                  g.body_size_limit = ByteSize(value, key);
                } else if (key == "sample_limit") {
                  g.sample_limit = UInt(value, key);
                } else if (key == "target_limit" || key == "keep_dropped_targets") {
                  UInt(value, key);
                } else if (key == "label_limit") {
                  g.label_limit = UInt(value, key);
                } else if (key == "label_name_length_limit") {
                  g.label_name_length_limit = UInt(value, key);
                } else if (key == "label_value_length_limit") {
                  g.label_value_length_limit = UInt(value, key);
                } else if (key == "metric_name_validation_scheme") {
                  g.validation = Validation(value);
                } else if (key == "extra_scrape_metrics") {
                  Bool(value, key);
                } else {
                  Str(value, key);  // log files: not written by promtool-cpp
                }
              });
    if (interval == 0) interval = 60 * 1000;
    if (timeout > interval) {
      Invalid(timeout_node.IsDefined() ? timeout_node : node,
              "global scrape timeout greater than scrape interval");
    }
    if (timeout == 0) timeout = std::min<int64_t>(10 * 1000, interval);
    g.scrape_interval_ms = interval;
    g.scrape_timeout_ms = timeout;
  }

  TargetGroup StaticGroup(const YAML::Node& node, LabelNameValidation validation) {
    TargetGroup group;
    group.line = node.Mark().line + 1;
    ForFields(node, "a static config", {"targets", "labels"}, {},
              [&](const std::string& key, const YAML::Node& value) {
                if (key == "targets") {
                  group.targets = StrList(value, key);
                } else {
                  group.labels = Labels(value, key, validation);
                }
              });
    return group;
  }

  FileSdConfig FileSd(const YAML::Node& node) {
    FileSdConfig sd;
    sd.line = node.Mark().line + 1;
    YAML::Node files;
    ForFields(node, "a file_sd config", {"files", "refresh_interval"}, {},
              [&](const std::string& key, const YAML::Node& value) {
                if (key == "files") {
                  files = value;
                  sd.files = StrList(value, key);
                } else {
                  sd.refresh_interval_ms = Duration(value, key);
                }
              });
    if (sd.files.empty()) {
      Invalid(node, "file service discovery config must contain at least one path name");
    }
    size_t i = 0;
    for (const YAML::Node& item : files) {
      std::string& f = sd.files[i++];
      // Prometheus: ^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$
      const size_t star = f.find('*');
      bool valid = star == std::string::npos || (f.find('*', star + 1) == std::string::npos &&
                                                 f.find('/', star) == std::string::npos);
      const size_t dot = f.rfind('.');
      const std::string ext = dot == std::string::npos ? "" : f.substr(dot + 1);
      valid = valid && dot != std::string::npos &&
              (ext == "json" || ext == "yml" || ext == "yaml" || ext == "JSON" || ext == "YML" ||
               ext == "YAML");
      if (!valid) Invalid(item, StrCat("path name \"", f, "\" is not valid for file discovery"));
      f = JoinDir(config_.directory, f);
    }
    return sd;
  }

  void Tls(const YAML::Node& node, HttpClientConfig& http) {
    ForFields(node, "tls_config",
              {"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"},
              {"ca", "cert", "key", "ca_ref", "cert_ref", "key_ref", "min_version", "max_version"},
              [&](const std::string& key, const YAML::Node& value) {
                if (key == "ca_file") {
                  http.ca_file = JoinDir(config_.directory, Str(value, key));
                } else if (key == "cert_file") {
                  http.cert_file = JoinDir(config_.directory, Str(value, key));
                } else if (key == "key_file") {
                  http.key_file = JoinDir(config_.directory, Str(value, key));
                } else if (key == "server_name") {
                  http.server_name = Str(value, key);
                } else {
                  http.insecure_skip_verify = Bool(value, key);
                }
              });
    if (!http.cert_file.empty() && http.key_file.empty()) {
      Invalid(node,
              "exactly one of key or key_file must be configured when a client certificate is "
              "configured");
    }
    if (http.cert_file.empty() && !http.key_file.empty()) {
      Invalid(node,
              "exactly one of cert or cert_file must be configured when a client key is "
              "configured");
    }
  }

  ScrapeJobConfig Job(const YAML::Node& item) {
    ScrapeJobConfig job;
    job.line = item.Mark().line + 1;
    if (item.IsNull()) Invalid(item, "empty or null scrape config section");
    if (item.IsMap() && item["job_name"].IsDefined() && item["job_name"].IsScalar()) {
      job.job_name = item["job_name"].Scalar();
    }
    const std::string where = StrCat("scrape config \"", job.job_name, "\"");
    const GlobalScrapeConfig& g = config_.global;
    int64_t interval = 0, timeout = 0;
    YAML::Node timeout_node, relabel, metric_relabel, authorization, basic_auth, bearer;
    std::vector<YAML::Node> static_nodes, file_nodes;
    bool validation_set = false;
    std::string bearer_token, bearer_token_file;
    bool has_bearer = false;
    ForFields(
        item, where,
        {"job_name",
         "honor_labels",
         "honor_timestamps",
         "track_timestamps_staleness",
         "params",
         "scrape_interval",
         "scrape_timeout",
         "scrape_protocols",
         "fallback_scrape_protocol",
         "scrape_failure_log_file",
         "metrics_path",
         "scheme",
         "enable_compression",
         "body_size_limit",
         "sample_limit",
         "target_limit",
         "label_limit",
         "label_name_length_limit",
         "label_value_length_limit",
         "keep_dropped_targets",
         "metric_name_validation_scheme",
         "extra_scrape_metrics",
         "authorization",
         "basic_auth",
         "bearer_token",
         "bearer_token_file",
         "tls_config",
         "proxy_url",
         "follow_redirects",
         "enable_http2",
         "static_configs",
         "file_sd_configs",
         "relabel_configs",
         "metric_relabel_configs"},
        {"oauth2", "http_headers", "no_proxy", "proxy_from_environment", "proxy_connect_header",
         "scrape_native_histograms", "always_scrape_classic_histograms",
         "convert_classic_histograms_to_nhcb", "native_histogram_bucket_limit",
         "native_histogram_min_bucket_factor", "metric_name_escaping_scheme"},
        [&](const std::string& key, const YAML::Node& value) {
          if (key == "job_name") {
            job.job_name = Str(value, key);
          } else if (key == "honor_labels") {
            job.honor_labels = Bool(value, key);
          } else if (key == "honor_timestamps") {
            job.honor_timestamps = Bool(value, key);
          } else if (key == "track_timestamps_staleness" || key == "extra_scrape_metrics") {
            Bool(value, key);  // no effect on a single scrape
          } else if (key == "params") {
            if (!value.IsMap() && !value.IsNull()) {
              Invalid(value, "params: expected a mapping of parameter names to lists of values");
            }
            if (value.IsMap()) {
              for (const auto& p : value) {
                job.params.emplace_back(Str(p.first, "params"), StrList(p.second, "params"));
              }
            }
            std::sort(job.params.begin(), job.params.end());
          } else if (key == "scrape_interval") {
            interval = Duration(value, key);
          } else if (key == "scrape_timeout") {
            timeout = Duration(value, key);
            timeout_node = value;
          } else if (key == "scrape_protocols") {
            job.scrape_protocols =
                Protocols(value, StrCat("scrape config with job name \"", job.job_name, "\""));
          } else if (key == "fallback_scrape_protocol") {
            job.fallback_scrape_protocol = Str(value, key);
            CheckProtocol(value, job.fallback_scrape_protocol, key);
          } else if (key == "scrape_failure_log_file") {
            Str(value, key);
          } else if (key == "metrics_path") {
            job.metrics_path = Str(value, key);
          } else if (key == "scheme") {
            job.scheme = Str(value, key);
          } else if (key == "enable_compression") {
            job.enable_compression = Bool(value, key);
          } else if (key == "body_size_limit") {
            job.body_size_limit = ByteSize(value, key);
          } else if (key == "sample_limit") {
            job.sample_limit = UInt(value, key);
          } else if (key == "target_limit" || key == "keep_dropped_targets") {
            UInt(value, key);
          } else if (key == "label_limit") {
            job.label_limit = UInt(value, key);
          } else if (key == "label_name_length_limit") {
            job.label_name_length_limit = UInt(value, key);
          } else if (key == "label_value_length_limit") {
            job.label_value_length_limit = UInt(value, key);
          } else if (key == "metric_name_validation_scheme") {
            job.validation = Validation(value);
            validation_set = !Str(value, key).empty();
          } else if (key == "authorization") {
            authorization = value;
          } else if (key == "basic_auth") {
            basic_auth = value;
          } else if (key == "bearer_token") {
            bearer_token = Secret(value, key);
            has_bearer = true;
            bearer = value;
          } else if (key == "bearer_token_file") {
            bearer_token_file = JoinDir(config_.directory, Str(value, key));
            has_bearer = true;
            bearer = value;
          } else if (key == "tls_config") {
            Tls(value, job.http);
          } else if (key == "proxy_url") {
            job.http.proxy_url = Secret(value, key);  // may hold user:password
          } else if (key == "follow_redirects") {
            job.http.follow_redirects = Bool(value, key);
          } else if (key == "enable_http2") {
            job.http.enable_http2 = Bool(value, key);
          } else if (key == "static_configs" || key == "file_sd_configs") {
            if (value.IsNull()) return;
            if (!value.IsSequence()) Invalid(value, StrCat(key, ": expected a list"));
            for (const YAML::Node& c : value) {
              (key == "static_configs" ? static_nodes : file_nodes).push_back(c);
            }
          } else if (key == "relabel_configs") {
            relabel = value;
          } else if (key == "metric_relabel_configs") {
            metric_relabel = value;
          }
        },
        /*service_discovery=*/true);
    if (job.job_name.empty()) Invalid(item, "job_name is empty");
    if (!validation_set) job.validation = g.validation;

    // HTTP client: Prometheus' HTTPClientConfig.Validate, in its order and wording.
    if (authorization.IsDefined() && !authorization.IsNull()) {
      job.http.has_authorization = true;
      job.http.authorization_type = "Bearer";
      ForFields(authorization, "authorization", {"type", "credentials", "credentials_file"},
                {"credentials_ref"}, [&](const std::string& key, const YAML::Node& value) {
                  if (key == "type") {
                    job.http.authorization_type = Str(value, key);
                  } else if (key == "credentials") {
                    job.http.credentials = Secret(value, key);
                  } else {
                    job.http.credentials_file = JoinDir(config_.directory, Str(value, key));
                  }
                });
      if (job.http.authorization_type.empty()) job.http.authorization_type = "Bearer";
      std::string lower = job.http.authorization_type;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "basic") {
        Invalid(authorization,
                "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (!job.http.credentials.empty() && !job.http.credentials_file.empty()) {
        Invalid(authorization,
                "at most one of authorization credentials & credentials_file must be configured");
      }
    }
    if (basic_auth.IsDefined() && !basic_auth.IsNull()) {
      job.http.has_basic_auth = true;
      ForFields(basic_auth, "basic_auth", {"username", "password", "password_file"},
                {"username_file", "username_ref", "password_ref"},
                [&](const std::string& key, const YAML::Node& value) {
                  if (key == "username") {
                    job.http.username = Str(value, key);
                  } else if (key == "password") {
                    job.http.password = Secret(value, key);
                  } else {
                    job.http.password_file = JoinDir(config_.directory, Str(value, key));
                  }
                });
      if (!job.http.password.empty() && !job.http.password_file.empty()) {
        Invalid(basic_auth,
                "at most one of basic_auth password & password_file must be configured");
      }
    }
    if (has_bearer) {
      if (!bearer_token.empty() && !bearer_token_file.empty()) {
        Invalid(bearer, "at most one of bearer_token & bearer_token_file must be configured");
      }
      if (job.http.has_basic_auth) {
        Invalid(bearer,
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                "configured");
      }
      if (job.http.has_authorization) {
        Invalid(bearer, "authorization is not compatible with bearer_token & bearer_token_file");
      }
      if (!bearer_token.empty() || !bearer_token_file.empty()) {
        job.http.has_authorization = true;
        job.http.authorization_type = "Bearer";
        job.http.credentials = bearer_token;
        job.http.credentials_file = bearer_token_file;
      }
    }
    if (job.http.has_basic_auth && job.http.has_authorization) {
      Invalid(basic_auth, "at most one of basic_auth, oauth2 & authorization must be configured");
    }

    // Global defaults, as ScrapeConfig.Validate fills them.
    if (interval == 0) interval = g.scrape_interval_ms;
    if (timeout > interval) {
      Invalid(timeout_node.IsDefined() ? timeout_node : item,
              StrCat("scrape timeout greater than scrape interval for scrape config with job name "
                     "\"",
                     job.job_name, "\""));
    }
    if (timeout == 0) timeout = std::min(g.scrape_timeout_ms, interval);
    job.scrape_interval_ms = interval;
    job.scrape_timeout_ms = timeout;
    if (job.body_size_limit == 0) job.body_size_limit = g.body_size_limit;
    if (job.sample_limit == 0) job.sample_limit = g.sample_limit;
    if (job.label_limit == 0) job.label_limit = g.label_limit;
    if (job.label_name_length_limit == 0) job.label_name_length_limit = g.label_name_length_limit;
    if (job.label_value_length_limit == 0) {
      job.label_value_length_limit = g.label_value_length_limit;
    }
    if (job.scrape_protocols.empty()) {
      job.scrape_protocols =
          g.scrape_protocols.empty()
              ? std::vector<std::string>{"OpenMetricsText1.0.0", "OpenMetricsText0.0.1",
                                         "PrometheusText1.0.0", "PrometheusText0.0.4"}
              : g.scrape_protocols;
    }

    for (const YAML::Node& n : static_nodes)
      job.static_configs.push_back(StaticGroup(n, job.validation));
    for (const YAML::Node& n : file_nodes) job.file_sd_configs.push_back(FileSd(n));
    if (relabel.IsDefined()) {
      RelabelLoadResult loaded =
          relabel_internal::LoadRelabelConfigNode(relabel, job.validation, "");
      if (loaded.error) {
        const RelabelLoadError& rerr = *loaded.error;
        throw Failure{{ConfigErrorKind::kInvalid, "", rerr.line, rerr.column, rerr.message}};
      }
      job.relabel_configs = std::move(loaded.configs);
    }
    if (metric_relabel.IsDefined()) {
      RelabelLoadResult loaded =
          relabel_internal::LoadRelabelConfigNode(metric_relabel, job.validation, "");
      if (loaded.error) {
        const RelabelLoadError& rerr = *loaded.error;
        throw Failure{{ConfigErrorKind::kInvalid, "", rerr.line, rerr.column, rerr.message}};
      }
      job.metric_relabel_configs = std::move(loaded.configs);
    }
    // Prometheus' check for URLs written as static targets, when no rule could rewrite them.
    if (job.relabel_configs.empty()) {
      size_t k = 0;
      for (const TargetGroup& group : job.static_configs) {
        for (const std::string& t : group.targets) {
          if (t.find('/') != std::string::npos) {
            const YAML::Node targets = static_nodes[k]["targets"];
            YAML::Node at = targets;
            for (const YAML::Node& n : targets) {
              if (n.IsScalar() && n.Scalar() == t) {
                at = n;
                break;
              }
            }
            Invalid(at, StrCat("\"", t,
                               "\" is not a valid hostname (a target is host:port; the scheme "
                               "and path are set by scheme and metrics_path)"));
          }
        }
        ++k;
      }
    }
    return job;
  }

  PrometheusConfig& config_;
};

// Reads a whole (small) file.
bool ReadWhole(const std::string& path, std::string* out, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  constexpr size_t kBound = size_t{64} << 20;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    out->append(buf, n);
    if (out->size() > kBound) {
      std::fclose(f);
      *error = "larger than 64 MiB";
      return false;
    }
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) *error = "read error";
  return !failed;
}

}  // namespace

std::string_view ConfigErrorKindName(ConfigErrorKind kind) {
  switch (kind) {
    case ConfigErrorKind::kNone:
      return "none";
    case ConfigErrorKind::kSyntax:
      return "syntax";
    case ConfigErrorKind::kUnknownField:
      return "unknown-field";
    case ConfigErrorKind::kUnsupported:
      return "unsupported";
    case ConfigErrorKind::kInvalid:
      return "invalid";
    case ConfigErrorKind::kIo:
      return "io";
  }
  return "?";
}

std::optional<int64_t> ParsePrometheusDuration(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  struct Unit {
    std::string_view name;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                    {"w", 7LL * 24 * 3600 * 1000},
                                    {"d", 24LL * 3600 * 1000},
                                    {"h", 3600LL * 1000},
                                    {"m", 60LL * 1000},
                                    {"s", 1000},
                                    {"ms", 1}};
  size_t next = 0;  // units must come largest first, each once
  int64_t total = 0;
  while (!s.empty()) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end == s.data() || s[0] == '-' || s[0] == '+') return std::nullopt;
    s.remove_prefix(static_cast<size_t>(end - s.data()));
    size_t u = 0;
    while (u < s.size() && s[u] >= 'a' && s[u] <= 'z') ++u;
    const std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    size_t k = next;
    while (k < std::size(kUnits) && kUnits[k].name != unit) ++k;
    if (k == std::size(kUnits)) return std::nullopt;
    next = k + 1;
    if (n > INT64_MAX / kUnits[k].ms || total > INT64_MAX - n * kUnits[k].ms) return std::nullopt;
    total += n * kUnits[k].ms;
  }
  return total;
}

std::string FormatPrometheusDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string r;
  if (ms < 0) {
    r = "-";
    ms = -ms;
  }
  auto f = [&](std::string_view unit, int64_t mult, bool exact) {
    if (exact && ms % mult != 0) return;
    if (const int64_t v = ms / mult; v > 0) {
      StrAppend(&r, v, unit);
      ms -= v * mult;
    }
  };
  f("y", 365LL * 24 * 3600 * 1000, true);
  f("w", 7LL * 24 * 3600 * 1000, true);
  f("d", 24LL * 3600 * 1000, false);
  f("h", 3600LL * 1000, false);
  f("m", 60LL * 1000, false);
  f("s", 1000, false);
  f("ms", 1, false);
  return r;
}

const ScrapeJobConfig* PrometheusConfig::Job(std::string_view name) const {
  for (const ScrapeJobConfig& j : scrape_configs) {
    if (j.job_name == name) return &j;
  }
  return nullptr;
}

PrometheusConfigResult LoadPrometheusConfig(std::string_view yaml, std::string_view name) {
  PrometheusConfigResult result;
  result.config.file = std::string(name);
  const size_t slash = name.rfind('/');
  result.config.directory = slash == std::string_view::npos ? "."
                            : slash == 0                    ? "/"
                                                            : std::string(name.substr(0, slash));
  try {
    Loader loader(&result.config);
    loader.Root(YAML::Load(std::string(yaml)));
  } catch (const Failure& f) {
    result.error = f.error;
  } catch (const YAML::Exception& e) {
    result.error = {ConfigErrorKind::kSyntax, "", e.mark.line + 1, e.mark.column + 1, e.msg};
  }
  if (!result.error.ok()) {
    result.error.file = std::string(name);
    result.config.scrape_configs.clear();
  }
  return result;
}

TargetFileResult LoadTargetFile(std::string_view contents, std::string_view path) {
  TargetFileResult result;
  try {
    const YAML::Node root = YAML::Load(std::string(contents));
    if (root.IsDefined() && !root.IsNull()) {
      if (!root.IsSequence()) {
        Invalid(root, "expected a list of target groups ({targets: [...], labels: {...}})");
      }
      for (const YAML::Node& item : root) {
        TargetGroup group;
        group.line = item.Mark().line + 1;
        group.source = std::string(path);
        ForFields(item, "a target group", {"targets", "labels"}, {},
                  [&](const std::string& key, const YAML::Node& value) {
                    if (key == "targets") {
                      group.targets = StrList(value, key);
                    } else {
                      group.labels = Labels(value, key, LabelNameValidation::kUtf8);
                    }
                  });
        result.groups.push_back(std::move(group));
      }
    }
  } catch (const Failure& f) {
    result.error = f.error;
  } catch (const YAML::Exception& e) {
    result.error = {ConfigErrorKind::kSyntax, "", e.mark.line + 1, e.mark.column + 1, e.msg};
  }
  if (!result.error.ok()) {
    result.error.file = std::string(path);
    result.groups.clear();
  }
  return result;
}

JobTargetGroupsResult JobTargetGroups(const ScrapeJobConfig& job) {
  JobTargetGroupsResult result;
  result.groups = job.static_configs;
  for (const FileSdConfig& sd : job.file_sd_configs) {
    for (const std::string& pattern : sd.files) {
      glob_t g{};
      const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
      std::vector<std::string> files;
      if (rc == 0) {
        for (size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
      }
      globfree(&g);
      if (rc != 0 && rc != GLOB_NOMATCH) {
        result.error = {ConfigErrorKind::kIo, "", sd.line, 0,
                        StrCat("file_sd pattern \"", pattern, "\" of job \"", job.job_name,
                               "\" cannot be expanded")};
        return result;
      }
      if (files.empty()) {
        result.notes.push_back(StrCat("file \"", pattern, "\" for file_sd in scrape job \"",
                                      job.job_name, "\" does not exist"));
      }
      std::sort(files.begin(), files.end());
      for (const std::string& file : files) {
        std::string contents, why;
        if (!ReadWhole(file, &contents, &why)) {
          result.error = {ConfigErrorKind::kIo, file, 0, 0,
                          StrCat("cannot read file_sd file of job \"", job.job_name, "\": ", why)};
          return result;
        }
        TargetFileResult r = LoadTargetFile(contents, file);
        if (!r.ok()) {
          result.error = std::move(r.error);
          return result;
        }
        for (TargetGroup& group : r.groups) result.groups.push_back(std::move(group));
      }
    }
  }
  return result;
}

}  // namespace promtool
