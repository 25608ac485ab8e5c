// Targets from a Prometheus configuration (target relabeling, URL, client options) and scraping
// them as Prometheus ingests: the operations layer joining config/, net/ and the relabel stream.
#include "promtool/prometheus_targets.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <thread>

#include "common/strcat.h"
#include "promtool/escape.h"
#include "promtool/relabel_stream.h"
#include "promtool/source.h"
#include "promtool/suggest.h"

namespace promtool {
namespace {

const std::string* Find(const LabelSet& labels, std::string_view name) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  return it != labels.end() && it->first == name ? &it->second : nullptr;
}

std::string Get(const LabelSet& labels, std::string_view name) {
  const std::string* v = Find(labels, name);
  return v != nullptr ? *v : std::string();
}

// labels.Builder.Set: an empty value deletes the label.
void Set(LabelSet& labels, std::string_view name, std::string value) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view k) { return l.first < k; });
  const bool found = it != labels.end() && it->first == name;
  if (value.empty()) {
    if (found) labels.erase(it);
  } else if (found) {
    it->second = std::move(value);
  } else {
    labels.emplace(it, std::string(name), std::move(value));
  }
}

// Go's url.QueryEscape.
std::string QueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Go's url.URL.EscapedPath for a path without a valid RawPath: escape(path, encodePath).
std::string PathEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == '$' || c == '&' || c == '+' || c == ',' ||
        c == '/' || c == ':' || c == ';' || c == '=' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Target.URL(): scheme://address/path?params, the params of the config with __param_<name>
// labels replacing their first value (or adding the parameter), encoded sorted by name.
std::string TargetUrl(const ScrapeJobConfig& job, const LabelSet& labels) {
  std::vector<std::pair<std::string, std::vector<std::string>>> params = job.params;
  for (const auto& [name, value] : labels) {
    if (name.rfind("__param_", 0) != 0) continue;
    const std::string key = name.substr(8);
    auto it =
        std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == key; });
    if (it == params.end()) {
      params.emplace_back(key, std::vector<std::string>{value});
    } else if (it->second.empty()) {
      it->second.push_back(value);
    } else {
      it->second[0] = value;
    }
  }
  std::sort(params.begin(), params.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string query;
  for (const auto& [k, values] : params) {
    for (const std::string& v : values) {
      StrAppend(&query, query.empty() ? "" : "&", QueryEscape(k), "=", QueryEscape(v));
    }
  }
  const std::string address = Get(labels, "__address__");
  std::string path = Get(labels, "__metrics_path__");
  std::string url = StrCat(Get(labels, "__scheme__"), "://", address);
  if (!path.empty() && path[0] != '/' && !address.empty()) url += '/';
  url += PathEscape(path);
  if (!query.empty()) StrAppend(&url, "?", query);
  return url;
}

// scrape.PopulateLabels for one target of a group.
ScrapeTarget Populate(const ScrapeJobConfig& job, const RelabelRules& rules,
                      const TargetGroup& group, const std::string& address) {
  ScrapeTarget t;
  t.job = job.job_name;
  LabelSet lb;
  Set(lb, "__address__", address);
  for (const auto& [n, v] : group.labels) {
    if (n != "__address__") Set(lb, n, v);
  }
  if (!group.source.empty()) Set(lb, "__meta_filepath", group.source);
  const std::pair<std::string_view, std::string> defaults[] = {
      {"job", job.job_name},
      {"__scrape_interval__", FormatPrometheusDuration(job.scrape_interval_ms)},
      {"__scrape_timeout__", FormatPrometheusDuration(job.scrape_timeout_ms)},
      {"__metrics_path__", job.metrics_path},
      {"__scheme__", job.scheme},
  };
  for (const auto& [n, v] : defaults) {
    if (Get(lb, n).empty()) Set(lb, n, v);
  }
  for (const auto& [k, values] : job.params) {
    const std::string name = StrCat("__param_", k);
    if (!values.empty() && Get(lb, name).empty()) Set(lb, name, values[0]);
  }
  t.discovered = lb;
  auto invalid = [&](std::string message) {
    t.error = {ConfigErrorKind::kInvalid, "", group.line, 0, std::move(message)};
    return t;
  };
  if (!rules.Apply(lb)) {
    t.dropped = true;
    return t;
  }
  const std::string addr = Get(lb, "__address__");
  if (addr.empty()) return invalid("no address");
  if (addr.find('/') != std::string::npos) {
    return invalid(StrCat("\"", addr, "\" is not a valid hostname"));
  }
  const std::string interval = Get(lb, "__scrape_interval__");
  const std::optional<int64_t> iv = ParsePrometheusDuration(interval);
  if (!iv) {
    return invalid(
        StrCat("error parsing scrape interval: not a valid duration string: \"", interval, "\""));
  }
  if (*iv == 0) return invalid("scrape interval cannot be 0");
  const std::string timeout = Get(lb, "__scrape_timeout__");
  const std::optional<int64_t> tv = ParsePrometheusDuration(timeout);
  if (!tv) {
    return invalid(
        StrCat("error parsing scrape timeout: not a valid duration string: \"", timeout, "\""));
  }
  if (*tv == 0) return invalid("scrape timeout cannot be 0");
  if (*tv > *iv) {
    return invalid(StrCat("scrape timeout cannot be greater than scrape interval (\"", timeout,
                          "\" > \"", interval, "\")"));
  }
  t.interval_ms = *iv;
  t.timeout_ms = *tv;
  // Meta labels go; the other internal labels stay for the URL.
  std::erase_if(lb, [](const auto& l) { return l.first.rfind("__meta_", 0) == 0; });
  if (Get(lb, "instance").empty()) Set(lb, "instance", addr);
  for (const auto& [n, v] : lb) {
    if (!ValidUtf8(v)) return invalid(StrCat("invalid label value for \"", n, "\": \"", v, "\""));
  }
  t.url = TargetUrl(job, lb);
  for (auto& l : lb) {
    if (l.first.rfind("__", 0) != 0) t.labels.push_back(l);
  }
  return t;
}

// A secret file's contents, whitespace-trimmed as Prometheus reads it; errors name the file.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, std::string_view field) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::FailedPreconditionError(
        StrCat(field, ": cannot read \"", path, "\": ", std::strerror(errno)));
  }
  std::string out;
  char buf[4096];
  size_t n;
  constexpr size_t kBound = 64 * 1024;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() <= kBound) out.append(buf, n);
  std::fclose(f);
  if (out.size() > kBound) {
    return absl::FailedPreconditionError(StrCat(field, ": \"", path, "\" is larger than 64 KiB"));
  }
  const size_t b = out.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string::npos) return std::string();
  return out.substr(b, out.find_last_not_of(" \t\r\n\f\v") - b + 1);
}

}  // namespace

TargetsResult TargetsFromConfig(const PrometheusConfig& config, std::string_view job_name) {
  TargetsResult result;
  if (!job_name.empty() && config.Job(job_name) == nullptr) {
    std::string_view best;
    size_t best_d = SIZE_MAX;
    for (const ScrapeJobConfig& j : config.scrape_configs) {
      const size_t d = EditDistance(job_name, j.job_name);
      if (d < best_d) best_d = d, best = j.job_name;
    }
    std::string names;
    for (const ScrapeJobConfig& j : config.scrape_configs) {
      StrAppend(&names, names.empty() ? "" : ", ", "\"", j.job_name, "\"");
    }
    result.error = {ConfigErrorKind::kInvalid, config.file, 0, 0,
                    StrCat("no scrape config with job name \"", job_name, "\"",
                           best_d <= std::max<size_t>(2, job_name.size() / 3)
                               ? StrCat("; did you mean \"", best, "\"?")
                           : names.empty() ? std::string("; the file has no scrape configs")
                                           : StrCat("; jobs: ", names))};
    return result;
  }
  for (const ScrapeJobConfig& job : config.scrape_configs) {
    if (!job_name.empty() && job.job_name != job_name) continue;
    auto rules = RelabelRules::Compile(job.relabel_configs, job.validation);
    if (!rules.ok()) {
      result.error = {ConfigErrorKind::kInvalid, config.file, job.line, 0,
                      StrCat("relabel_configs of job \"", job.job_name,
                             "\": ", std::string(rules.status().message()))};
      return result;
    }
    JobTargetGroupsResult groups = JobTargetGroups(job);
    for (std::string& note : groups.notes) result.notes.push_back(std::move(note));
    if (!groups.ok()) {
      result.error = std::move(groups.error);
      if (result.error.file.empty()) result.error.file = config.file;
      return result;
    }
    const size_t first = result.targets.size();
    for (const TargetGroup& group : groups.groups) {
      for (const std::string& address : group.targets) {
        ScrapeTarget t = Populate(job, *rules, group, address);
        if (t.error.file.empty() && !t.error.ok()) {
          t.error.file = group.source.empty() ? config.file : group.source;
        }
        // Prometheus scrapes a target once however often it is discovered.
        const bool duplicate =
            t.ok() && !t.dropped &&
            std::any_of(result.targets.begin() + static_cast<ptrdiff_t>(first),
                        result.targets.end(), [&](const ScrapeTarget& o) {
                          return o.ok() && !o.dropped && o.labels == t.labels && o.url == t.url;
                        });
        if (duplicate) {
          result.notes.push_back(StrCat("job \"", job.job_name, "\": target ", t.url,
                                        " is discovered more than once; scraped once"));
          continue;
        }
        result.targets.push_back(std::move(t));
      }
    }
  }
  return result;
}

JobRelabel ResolveJobRelabel(const PrometheusConfig& config, std::string_view job_name,
                             std::string_view url) {
  JobRelabel result;
  TargetsResult targets;
  if (!url.empty() || config.Job(job_name) == nullptr) {
    targets = TargetsFromConfig(config, job_name);  // an unknown job: the error with a suggestion
  }
  if (!targets.ok()) {
    result.error = std::move(targets.error);
    return result;
  }
  result.job = config.Job(job_name);
  auto rules = RelabelRules::Compile(result.job->metric_relabel_configs, result.job->validation);
  if (!rules.ok()) {
    result.error = {ConfigErrorKind::kInvalid, config.file, 0, 0,
                    std::string(rules.status().message())};
    return result;
  }
  result.metric_rules = *std::move(rules);
  if (url.empty()) return result;
  std::string urls;
  for (const ScrapeTarget& t : targets.targets) {
    if (!t.ok() || t.dropped) continue;
    if (t.url == url) result.target = t;  // the last one, as listed
    StrAppend(&urls, "\n  ", RedactUrl(t.url));
  }
  if (!result.target) {
    result.error = {ConfigErrorKind::kInvalid, config.file, 0, 0,
                    StrCat("no target of job \"", job_name, "\" has the URL ", RedactUrl(url),
                           "; its targets:", urls.empty() ? std::string(" none") : urls)};
  }
  return result;
}

absl::StatusOr<RelabelTestJob> ResolveRelabelTestJob(const std::string& config_path,
                                                     const std::string& job_name) {
  auto yaml = ReadFile(config_path);
  if (!yaml.ok()) return absl::InvalidArgumentError(yaml.status().message());
  PrometheusConfigResult loaded = LoadPrometheusConfig(*yaml, config_path);
  auto located = [](const ConfigError& e) {
    if (e.line > 0 && e.column > 0)
      return StrCat(e.file, ":", e.line, ":", e.column, ": ", e.message);
    if (e.line > 0) return StrCat(e.file, ":", e.line, ": ", e.message);
    return StrCat(e.file, ": ", e.message);
  };
  if (!loaded.ok()) return absl::InvalidArgumentError(located(loaded.error));
  TargetsResult targets = TargetsFromConfig(loaded.config, job_name);
  if (!targets.ok()) {
    if (loaded.config.Job(job_name) == nullptr) return absl::NotFoundError(targets.error.message);
    return absl::InvalidArgumentError(located(targets.error));
  }
  RelabelTestJob result;
  result.configs = loaded.config.Job(job_name)->metric_relabel_configs;
  bool first = true;
  for (const ScrapeTarget& t : targets.targets) {
    if (!t.ok() || t.dropped) continue;
    if (first) {
      result.target_labels = t.labels;
      first = false;
      continue;
    }
    LabelSet shared;
    std::set_intersection(result.target_labels.begin(), result.target_labels.end(),
                          t.labels.begin(), t.labels.end(), std::back_inserter(shared));
    result.target_labels = std::move(shared);
  }
  if (first) result.target_labels = {{"job", job_name}};
  return result;
}

absl::StatusOr<ScrapeOptions> TargetScrapeOptions(const ScrapeJobConfig& job,
                                                  const ScrapeTarget& target) {
  ScrapeOptions o;
  o.protocols.clear();
  for (const std::string& p : job.scrape_protocols) {
    if (auto sp = ParseScrapeProtocol(p)) o.protocols.push_back(*sp);
  }
  if (!job.fallback_scrape_protocol.empty()) {
    o.fallback = ParseScrapeProtocol(job.fallback_scrape_protocol);
  }
  o.compression = job.enable_compression;
  o.body_size_limit = job.body_size_limit;
  o.timeout_seconds = static_cast<double>(target.timeout_ms) / 1000.0;
  const HttpClientConfig& h = job.http;
  if (h.has_authorization) {
    std::string credentials = h.credentials;
    if (!h.credentials_file.empty()) {
      auto read = ReadSecretFile(h.credentials_file, "authorization credentials_file");
      if (!read.ok()) return read.status();
      credentials = *std::move(read);
    }
    if (h.authorization_type == "Bearer") {
      o.bearer_token = credentials;
    } else {
      o.headers.emplace_back("Authorization", StrCat(h.authorization_type, " ", credentials));
    }
  }
  if (h.has_basic_auth) {
    o.basic_auth_user = h.username;
    o.basic_auth_password = h.password;
    if (!h.password_file.empty()) {
      auto read = ReadSecretFile(h.password_file, "basic_auth password_file");
      if (!read.ok()) return read.status();
      o.basic_auth_password = *std::move(read);
    }
  }
  o.tls.ca_file = h.ca_file;
  o.tls.cert_file = h.cert_file;
  o.tls.key_file = h.key_file;
  o.tls.server_name = h.server_name;
  o.tls.insecure_skip_verify = h.insecure_skip_verify;
  o.proxy_url = h.proxy_url;
  o.max_redirects = h.follow_redirects ? 10 : 0;
  return o;
}

TargetScrapeResult ScrapeJobTarget(const ScrapeJobConfig& job, const ScrapeTarget& target,
                                   const RelabelRules& metric_rules, Sink& output,
                                   const JobScrapeOptions& options) {
  TargetScrapeResult result;
  result.url = RedactUrl(target.url);
  auto scrape_options = TargetScrapeOptions(job, target);
  if (!scrape_options.ok()) {
    result.error.code = ErrorCode::kIo;
    result.error.message = std::string(scrape_options.status().message());
    return result;
  }
  const std::vector<std::string> secrets = RequestSecrets(*scrape_options, target.url);
  ScrapeResponse r = OpenScrape(target.url, *scrape_options);
  result.url = r.url.empty() ? result.url : r.url;
  result.status = r.status;
  result.format = r.format.format;
  result.seconds = r.seconds;
  if (!r.ok()) {
    result.error = r.error;
    result.error.message = ScrubSecrets(r.error.message, secrets);
    return result;
  }
  RelabelStreamOptions ro;
  ro.from = r.format.format;
  ro.text.names = r.format.names;
  ro.to = options.to;
  ro.escaping = options.escaping;
  ro.diff = options.diff;
  ro.target_labels = target.labels;
  ro.honor_labels = job.honor_labels;
  ro.honor_timestamps = job.honor_timestamps;
  ro.sample_limit = job.sample_limit;
  ro.label_limit = job.label_limit;
  ro.label_name_length_limit = job.label_name_length_limit;
  ro.label_value_length_limit = job.label_value_length_limit;
  Source& body = *r.body;
  RelabelStreamResult rs = RelabelStream(body, output, metric_rules, ro);
  result.series = rs.series;
  result.samples_ingested = rs.samples_kept;
  result.dropped = rs.dropped;
  for (const std::string& loss : rs.losses) result.losses.push_back(ScrubSecrets(loss, secrets));
  if (!rs.error.ok() && !body.error().empty()) {
    // The transfer stopped: a limit (body_size_limit), a timeout, the connection.
    result.error.code = body.error_code();
    result.error.message = ScrubSecrets(body.error(), secrets);
  } else if (!rs.error.ok() && rs.error.located()) {
    result.error = rs.error;
    result.line = ScrubDiagnostic(body.LineAt(rs.error.offset), secrets, &result.error);
  } else if (!rs.error.ok()) {  // a limit after relabeling, a split series, the output
    result.error = rs.error;
    result.error.message = ScrubSecrets(rs.error.message, secrets);
  }
  result.seconds = r.seconds;
  return result;
}

std::vector<TargetScrape> ScrapeTargets(const PrometheusConfig& config,
                                        const std::vector<ScrapeTarget>& targets, unsigned parallel,
                                        const JobScrapeOptions& options) {
  std::vector<TargetScrape> scrapes;
  for (const ScrapeTarget& t : targets) {
    if (t.ok() && !t.dropped) scrapes.push_back({t, {}, {}});
  }
  // Each job's metric rules, compiled once (they were validated when the config was loaded).
  std::vector<std::pair<const ScrapeJobConfig*, std::optional<RelabelRules>>> rules;
  std::vector<absl::Status> rule_errors;
  for (const ScrapeJobConfig& job : config.scrape_configs) {
    auto compiled = RelabelRules::Compile(job.metric_relabel_configs, job.validation);
    rule_errors.push_back(compiled.status());
    rules.emplace_back(
        &job, compiled.ok() ? std::optional<RelabelRules>(*std::move(compiled)) : std::nullopt);
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < scrapes.size();) {
      TargetScrape& s = scrapes[i];
      size_t j = 0;
      while (j < rules.size() && rules[j].first->job_name != s.target.job) ++j;
      if (j == rules.size() || !rules[j].second) {
        s.result.url = RedactUrl(s.target.url);
        s.result.error.code = ErrorCode::kUnsupported;
        s.result.error.message = j == rules.size() ? "no such job"
                                                   : StrCat("metric_relabel_configs: ",
                                                            std::string(rule_errors[j].message()));
        continue;
      }
      StringSink sink;
      s.result = ScrapeJobTarget(*rules[j].first, s.target, *rules[j].second, sink, options);
      s.output = std::move(sink.data);
    }
  };
  const size_t threads = std::min<size_t>(std::max(1u, parallel), scrapes.size());
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  return scrapes;
}

}  // namespace promtool
