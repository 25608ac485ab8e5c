// Builds seeded, fully deterministic kube-state-metrics-like text payloads of a requested size.
#include "generator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <vector>

namespace promtool::bench {

namespace {

// SplitMix64: tiny, fast and identical everywhere (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1p-53; }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t a, uint64_t b) {
  Rng r(a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL));
  return r.Next();
}

// A Kubernetes object kind: its metric prefix, the label naming the object, and how many
// objects it has relative to the others.
struct Kind {
  const char* prefix;
  const char* label;
  uint32_t weight;
};

constexpr Kind kKinds[] = {
    {"pod", "pod", 8},
    {"pod_container", "pod", 10},
    {"node", "node", 1},
    {"deployment", "deployment", 3},
    {"statefulset", "statefulset", 1},
    {"daemonset", "daemonset", 1},
    {"replicaset", "replicaset", 4},
    {"job", "job_name", 2},
    {"cronjob", "cronjob", 1},
    {"service", "service", 2},
    {"endpoint", "endpoint", 2},
    {"ingress", "ingress", 1},
    {"namespace", "namespace", 1},
    {"configmap", "configmap", 3},
    {"secret", "secret", 3},
    {"persistentvolumeclaim", "persistentvolumeclaim", 2},
    {"horizontalpodautoscaler", "horizontalpodautoscaler", 1},
};

// The metric families written for every kind, in this order: 17 kinds x 6 = 102 per cycle.
enum class Template : uint8_t { kInfo, kCreated, kUpdates, kReconcile, kSyncLatency, kGeneration };
constexpr Template kTemplates[] = {Template::kInfo,        Template::kCreated,
                                   Template::kUpdates,     Template::kReconcile,
                                   Template::kSyncLatency, Template::kGeneration};

constexpr const char* kNamespaces[] = {
    "default",       "kube-system",   "kube-public",   "monitoring",    "ingress-nginx",
    "cert-manager",  "istio-system",  "argocd",        "payments-prod", "payments-staging",
    "checkout-prod", "search-prod",   "data-pipeline", "ml-training",   "team-a-dev",
    "team-b-dev",    "observability", "logging",       "vault",         "external-dns",
};

constexpr const char* kApps[] = {
    "coredns",
    "kube-proxy",
    "metrics-server",
    "prometheus-server",
    "alertmanager",
    "grafana",
    "node-exporter",
    "kube-state-metrics",
    "ingress-nginx-controller",
    "cert-manager-webhook",
    "istiod",
    "argocd-repo-server",
    "payments-api",
    "payments-worker",
    "checkout-frontend",
    "search-indexer",
    "kafka-broker",
    "zookeeper",
    "redis-master",
    "postgres-primary",
    "fluent-bit",
    "vault-agent-injector",
    "external-dns",
    "cluster-autoscaler",
};

constexpr const char* kCreators[] = {"ReplicaSet", "StatefulSet", "DaemonSet", "Job", "<none>"};
constexpr const char* kPriorities[] = {"", "system-cluster-critical", "system-node-critical",
                                       "high-priority", "batch-low"};
constexpr const char* kRegions[] = {"eu-west-1", "us-east-1", "ap-southeast-2"};
constexpr const char* kReasons[] = {"Completed",         "OOMKilled",        "Error",
                                    "ContainerCreating", "CrashLoopBackOff", "Running"};

// Optional labels after namespace, the kind's own label and uid, in this order.
constexpr const char* kExtraLabels[] = {
    "node",   "container",      "created_by_kind", "created_by_name", "host_ip",
    "pod_ip", "priority_class", "image",           "reason",          "description"};

constexpr char kAlnum[] = "bcdfghjklmnpqrstvwxz2456789";
constexpr char kHex[] = "0123456789abcdef";

template <size_t N>
const char* Pick(const char* const (&list)[N], uint64_t h) {
  return list[h % N];
}

void AppendUint(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendChars(const char* alphabet, size_t alphabet_size, size_t n, uint64_t h,
                 std::string* out) {
  for (size_t i = 0; i < n; ++i) {
    if (h < alphabet_size) h = Mix(h, i);
    out->push_back(alphabet[h % alphabet_size]);
    h /= alphabet_size;
  }
}

class Generator {
 public:
  Generator(const PayloadOptions& options, uint32_t scale, std::string* out, std::FILE* file)
      : options_(options), scale_(scale), rng_(options.seed), out_(out), file_(file) {
    start_ = out_->size();
  }

  // Writes cycles of families until the target is reached (or `max_cycles` cycles).
  void Run(uint32_t max_cycles) {
    for (uint32_t cycle = 0; cycle < max_cycles && !done_; ++cycle) {
      for (size_t k = 0; k < std::size(kKinds) && !done_; ++k) {
        for (Template t : kTemplates) {
          if (done_) break;
          WriteFamily(cycle, static_cast<uint32_t>(k), t);
        }
      }
    }
    Flush(true);
  }

  const PayloadStats& stats() const { return stats_; }
  bool failed() const { return failed_; }
  uint64_t written() const { return flushed_ + (out_->size() - start_); }

 private:
  void Flush(bool force) {
    if (file_ == nullptr) return;
    if (!force && out_->size() < (size_t{1} << 20)) return;
    if (!out_->empty() && std::fwrite(out_->data(), 1, out_->size(), file_) != out_->size()) {
      failed_ = true;
      done_ = true;
    }
    flushed_ += out_->size();
    out_->clear();
  }

  void WriteFamily(uint32_t cycle, uint32_t kind_index, Template t) {
    const Kind& kind = kKinds[kind_index];
    const uint64_t fam_hash = Mix(Mix(options_.seed, cycle), kind_index * 8 + uint32_t(t));
    // The name: kube_<kind>_<metric>_<cycle>, keeping _total last on counters.
    name_.assign("kube_");
    name_.append(kind.prefix);
    const char* type = "gauge";
    switch (t) {
      case Template::kInfo:
        name_.append("_info_");
        break;
      case Template::kCreated:
        name_.append("_created_");
        break;
      case Template::kUpdates:
        name_.append("_status_updates_");
        type = "counter";
        break;
      case Template::kReconcile:
        name_.append("_reconcile_duration_seconds_");
        type = "histogram";
        break;
      case Template::kSyncLatency:
        name_.append("_sync_latency_seconds_");
        type = "summary";
        break;
      case Template::kGeneration:
        name_.append("_metadata_generation_");
        type = "untyped";
        break;
    }
    AppendUint(cycle, &name_);
    if (t == Template::kUpdates) name_.append("_total");

    std::string& o = *out_;
    o.append("# HELP ");
    o.append(name_);
    switch (t) {
      case Template::kInfo:
        o.append(" Information about the ");
        break;
      case Template::kCreated:
        o.append(" Unix creation timestamp of the ");
        break;
      case Template::kUpdates:
        o.append(" Number of status updates observed for the ");
        break;
      case Template::kReconcile:
        o.append(" Time spent reconciling the ");
        break;
      case Template::kSyncLatency:
        o.append(" Latency of informer syncs for the ");
        break;
      case Template::kGeneration:
        o.append(" Sequence number of the desired state of the ");
        break;
    }
    o.append(kind.prefix);
    o.append(" object.");
    if (fam_hash % 7 == 0) o.append(" Escapes in HELP: C:\\\\kube\\\\config and\\na second line.");
    o.append("\n# TYPE ");
    o.append(name_);
    o.push_back(' ');
    o.append(type);
    o.push_back('\n');
    ++stats_.families;

    const uint32_t label_count = 5 + static_cast<uint32_t>((fam_hash >> 8) % 6);  // 5..10
    const uint32_t series = std::max<uint32_t>(1, scale_ * kind.weight / 4);
    const bool timestamps = t == Template::kGeneration && fam_hash % 3 == 0;
    Buckets(fam_hash, t);
    for (uint32_t i = 0; i < series && !done_; ++i) {
      BuildLabels(kind_index, i, label_count);
      switch (t) {
        case Template::kInfo:
          Line("", 1.0);
          break;
        case Template::kCreated:
          Line("", 1.6e9 + static_cast<double>(Mix(kind_index, i) % 100000000));
          break;
        case Template::kUpdates:
          Line("", CounterValue());
          break;
        case Template::kReconcile:
          Histogram();
          break;
        case Template::kSyncLatency:
          Summary();
          break;
        case Template::kGeneration: {
          double v = static_cast<double>(1 + rng_.Below(40));
          uint32_t odd = rng_.Below(200);
          if (odd == 0) v = std::numeric_limits<double>::quiet_NaN();
          if (odd == 1) v = std::numeric_limits<double>::infinity();
          if (odd == 2) v = -std::numeric_limits<double>::infinity();
          Line("", v, timestamps ? 1700000000000 + int64_t{rng_.Below(1u << 30)} : -1);
          break;
        }
      }
      ++stats_.series;
      if (written() >= options_.target_bytes) done_ = true;
      Flush(false);
    }
  }

  // Counter values: small integers, large integers ("1.234567e+06") and decimals.
  double CounterValue() {
    uint32_t r = rng_.Below(10);
    if (r < 4) return static_cast<double>(rng_.Below(1000));
    if (r < 8) return static_cast<double>(1000000 + (rng_.Next() % 5000000000ULL));
    return static_cast<double>(rng_.Below(10000000)) / 100.0;
  }

  // The bucket layout of a histogram family: 10 to 20 bounds, the last one +Inf.
  void Buckets(uint64_t fam_hash, Template t) {
    bounds_.clear();
    if (t != Template::kReconcile) return;
    const size_t n = 10 + (fam_hash >> 16) % 11;
    switch ((fam_hash >> 24) % 3) {
      case 0: {  // exponential, client_golang ExponentialBuckets(0.005, 2, n-1)
        double b = 0.005;
        for (size_t i = 0; i + 1 < n; ++i, b *= 2) bounds_.push_back(b);
        break;
      }
      case 1: {  // DefBuckets, extended
        constexpr double kDef[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,  1,    2.5, 5,
                                   10,    25,   50,    100,  250, 500,  1000, 2500, 5000};
        for (size_t i = 0; i + 1 < n; ++i) bounds_.push_back(kDef[i]);
        break;
      }
      default:  // linear in milliseconds
        for (size_t i = 0; i + 1 < n; ++i) bounds_.push_back(static_cast<double>(i + 1) * 0.05);
        break;
    }
    bounds_.push_back(std::numeric_limits<double>::infinity());
  }

  void Histogram() {
    const uint64_t total = rng_.Below(4) == 0 ? rng_.Below(20) : rng_.Next() % 2000000;
    uint64_t cumulative = 0;
    double sum = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      if (i + 1 == bounds_.size()) {
        cumulative = total;
      } else if (total > cumulative) {
        cumulative += (total - cumulative) * rng_.Below(60) / 100;
      }
      le_.clear();
      AppendGoFloat(bounds_[i], &le_);
      Line("_bucket", static_cast<double>(cumulative), -1, "le", le_);
    }
    sum = static_cast<double>(total) * (0.001 + rng_.Unit() * 0.5);
    sum = std::round(sum * 1e6) / 1e6;
    Line("_sum", sum);
    Line("_count", static_cast<double>(total));
  }

  void Summary() {
    static constexpr const char* kQuantiles[] = {"0.5", "0.9", "0.99", "0.999"};
    const bool empty = rng_.Below(50) == 0;  // no observations in the window: NaN quantiles
    const uint32_t count = empty ? 0 : 1 + rng_.Below(100000);
    double q = 0.0005 + rng_.Unit() * 0.01;
    for (const char* quantile : kQuantiles) {
      double v = empty ? std::numeric_limits<double>::quiet_NaN() : q;
      Line("", v, -1, "quantile", quantile);
      q *= 1.5 + rng_.Unit() * 3;
    }
    Line("_sum", empty ? 0.0 : std::round(count * q * 1e3) / 1e6);
    Line("_count", count);
  }

  // One sample line: name+suffix, the series' labels plus an optional extra label, value and
  // optional timestamp (ms, -1 for none).
  void Line(std::string_view suffix, double value, int64_t timestamp_ms = -1,
            std::string_view extra_name = {}, std::string_view extra_value = {}) {
    std::string& o = *out_;
    o.append(name_);
    o.append(suffix);
    o.push_back('{');
    o.append(labels_);
    if (!extra_name.empty()) {
      o.push_back(',');
      o.append(extra_name);
      o.append("=\"");
      o.append(extra_value);
      o.push_back('"');
    }
    o.append("} ");
    AppendGoFloat(value, &o);
    if (timestamp_ms >= 0) {
      o.push_back(' ');
      AppendUint(static_cast<uint64_t>(timestamp_ms), &o);
    }
    o.push_back('\n');
    ++stats_.samples;
  }

  void Label(const char* label_name, std::string_view value) {
    if (!labels_.empty()) labels_.push_back(',');
    labels_.append(label_name);
    labels_.append("=\"");
    // About 1% of label values carry one of the three escapes.
    if (rng_.Below(100) == 0) {
      switch (rng_.Below(3)) {
        case 0:
          labels_.append("say \\\"hello\\\" ");
          break;
        case 1:
          labels_.append("C:\\\\data\\\\");
          break;
        default:
          labels_.append("first line\\nsecond line ");
          break;
      }
    }
    labels_.append(value);
    labels_.push_back('"');
  }

  // The label set of object `i` of a kind: the same object gets the same values in every
  // family of a cycle (and of later cycles).
  void BuildLabels(uint32_t kind_index, uint32_t i, uint32_t count) {
    const Kind& kind = kKinds[kind_index];
    const uint64_t h = Mix(Mix(options_.seed ^ 0xabcdef, kind_index), i);
    const char* app = Pick(kApps, h >> 3);
    labels_.clear();
    uint32_t written = 0;
    auto want = [&]() { return written < count; };

    // namespace
    const char* ns = Pick(kNamespaces, h >> 11);
    if (std::strcmp(kind.label, "namespace") == 0) {
      value_.assign(ns);
      value_.push_back('-');
      AppendUint(i, &value_);
    } else {
      value_.assign(ns);
    }
    Label("namespace", value_);
    ++written;
    // the object's own name
    if (std::strcmp(kind.label, "namespace") != 0) {
      if (std::strcmp(kind.label, "node") == 0) {
        NodeName(h, i, &value_);
      } else {
        value_.assign(app);
        value_.push_back('-');
        AppendChars(kHex, 16, 10, Mix(h, 1), &value_);
        value_.push_back('-');
        AppendChars(kAlnum, sizeof(kAlnum) - 1, 5, Mix(h, 2), &value_);
      }
      Label(kind.label, value_);
      ++written;
    }
    // uid
    value_.clear();
    for (int part : {8, 4, 4, 4, 12}) {
      if (!value_.empty()) value_.push_back('-');
      AppendChars(kHex, 16, static_cast<size_t>(part), Mix(h, 3 + value_.size()), &value_);
    }
    Label("uid", value_);
    ++written;
    for (const char* extra : kExtraLabels) {
      if (!want()) break;
      if (std::strcmp(extra, kind.label) == 0) continue;
      value_.clear();
      if (std::strcmp(extra, "node") == 0) {
        NodeName(h >> 7, static_cast<uint32_t>(h % 97), &value_);
      } else if (std::strcmp(extra, "container") == 0) {
        value_.assign((h >> 20) % 5 == 0 ? "istio-proxy" : app);
      } else if (std::strcmp(extra, "created_by_kind") == 0) {
        value_.assign(Pick(kCreators, h >> 23));
      } else if (std::strcmp(extra, "created_by_name") == 0) {
        value_.assign(app);
        value_.push_back('-');
        AppendChars(kHex, 16, 10, Mix(h, 1), &value_);
      } else if (std::strcmp(extra, "host_ip") == 0) {
        Ip(10, h >> 13, &value_);
      } else if (std::strcmp(extra, "pod_ip") == 0) {
        Ip(100, h >> 29, &value_);
      } else if (std::strcmp(extra, "priority_class") == 0) {
        value_.assign(Pick(kPriorities, h >> 31));
      } else if (std::strcmp(extra, "image") == 0) {
        value_.assign("registry.example.com/platform/");
        value_.append(app);
        value_.append(":v1.");
        AppendUint((h >> 37) % 30, &value_);
        value_.push_back('.');
        AppendUint((h >> 41) % 10, &value_);
      } else if (std::strcmp(extra, "reason") == 0) {
        value_.assign(Pick(kReasons, h >> 43));
      } else {  // description
        value_.assign("Managed by ");
        value_.append(app);
        value_.append(" operator; owner team ");
        AppendChars(kAlnum, sizeof(kAlnum) - 1, 4, Mix(h, 9), &value_);
      }
      Label(extra, value_);
      ++written;
    }
  }

  static void NodeName(uint64_t h, uint32_t i, std::string* out) {
    out->assign("ip-10-");
    AppendUint((h >> 5) % 8, out);
    out->push_back('-');
    AppendUint(i % 256, out);
    out->push_back('-');
    AppendUint((h >> 17) % 254 + 1, out);
    out->push_back('.');
    out->append(Pick(kRegions, h >> 27));
    out->append(".compute.internal");
  }

  static void Ip(uint32_t first, uint64_t h, std::string* out) {
    AppendUint(first, out);
    for (int i = 0; i < 3; ++i) {
      out->push_back('.');
      AppendUint(h % 254 + (i == 2 ? 1 : 0), out);
      h /= 254;
    }
  }

  PayloadOptions options_;
  uint32_t scale_;
  Rng rng_;
  std::string* out_;
  std::FILE* file_;
  size_t start_ = 0;
  uint64_t flushed_ = 0;
  bool done_ = false;
  bool failed_ = false;
  PayloadStats stats_;
  std::string name_, labels_, value_, le_;
  std::vector<double> bounds_;
};

// Series per object weight unit. Both the series per family and the number of cycles grow
// with the target (about as its square root), so bigger payloads have bigger families and
// more of them.
uint32_t ScaleFor(const PayloadOptions& options) {
  PayloadOptions probe = options;
  probe.target_bytes = std::numeric_limits<uint64_t>::max();
  std::string scratch;
  constexpr uint32_t kProbeScale = 4;
  Generator g(probe, kProbeScale, &scratch, nullptr);
  g.Run(1);
  const double per_cycle_per_scale = static_cast<double>(scratch.size()) / kProbeScale;
  const double scale = std::sqrt(static_cast<double>(options.target_bytes) / per_cycle_per_scale);
  return static_cast<uint32_t>(std::clamp(scale, 1.0, 1e6));
}

}  // namespace

void AppendGoFloat(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out->append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[64];
  // Shortest round-trip digits, as d.ddde±XX.
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  const char* p = buf;
  const char* e = std::find(buf, r.ptr, 'e');
  bool negative = *p == '-';
  if (negative) ++p;
  char digits[32];
  size_t nd = 0;
  for (const char* q = p; q < e; ++q) {
    if (*q != '.') digits[nd++] = *q;
  }
  int exp = 0;
  std::from_chars(e + 1 + (e[1] == '+' ? 1 : 0), r.ptr, exp);
  if (v == 0) exp = 0;
  if (exp < -4 || exp >= 6) {
    // %e: Go writes at least two exponent digits, like to_chars does.
    out->append(buf, r.ptr);
    return;
  }
  if (negative) out->push_back('-');
  // %f with exactly the shortest digits: decimal point after exp+1 digits.
  const int dp = exp + 1;
  if (dp <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-dp), '0');
    out->append(digits, nd);
    return;
  }
  if (static_cast<size_t>(dp) >= nd) {
    out->append(digits, nd);
    out->append(static_cast<size_t>(dp) - nd, '0');
    return;
  }
  out->append(digits, static_cast<size_t>(dp));
  out->push_back('.');
  out->append(digits + dp, nd - static_cast<size_t>(dp));
}

PayloadStats AppendPayload(const PayloadOptions& options, std::string* out) {
  const uint32_t scale = ScaleFor(options);
  out->reserve(out->size() + options.target_bytes + (1 << 20));
  Generator g(options, scale, out, nullptr);
  g.Run(std::numeric_limits<uint32_t>::max());
  PayloadStats stats = g.stats();
  stats.bytes = g.written();
  return stats;
}

bool WritePayload(const PayloadOptions& options, std::FILE* out, PayloadStats* stats) {
  const uint32_t scale = ScaleFor(options);
  std::string buffer;
  buffer.reserve(size_t{2} << 20);
  Generator g(options, scale, &buffer, out);
  g.Run(std::numeric_limits<uint32_t>::max());
  if (stats != nullptr) {
    *stats = g.stats();
    stats->bytes = g.written();
  }
  return !g.failed() && std::fflush(out) == 0;
}

bool ParseByteSize(std::string_view text, uint64_t* bytes) {
  if (text.empty()) return false;
  uint64_t multiplier = 1;
  switch (text.back()) {
    case 'k':
    case 'K':
      multiplier = uint64_t{1} << 10;
      break;
    case 'm':
    case 'M':
      multiplier = uint64_t{1} << 20;
      break;
    case 'g':
    case 'G':
      multiplier = uint64_t{1} << 30;
      break;
    default:
      break;
  }
  if (multiplier != 1) text.remove_suffix(1);
  uint64_t n = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || text.empty()) return false;
  if (n > std::numeric_limits<uint64_t>::max() / multiplier) return false;
  *bytes = n * multiplier;
  return true;
}

const std::string& CachedPayload(int64_t mib) {
  static auto* cache = new std::map<int64_t, std::string>();
  auto it = cache->find(mib);
  if (it == cache->end()) {
    PayloadOptions options;
    options.target_bytes = static_cast<uint64_t>(mib) << 20;
    options.seed = 1;
    std::string payload;
    AppendPayload(options, &payload);
    it = cache->emplace(mib, std::move(payload)).first;
  }
  return it->second;
}

}  // namespace promtool::bench
