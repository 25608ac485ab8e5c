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

    const uint64_t family_start = written();
    const uint64_t series_before = stats_.series;
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
    if (written() - family_start > stats_.largest_family_bytes) {
      stats_.largest_family_bytes = written() - family_start;
      stats_.largest_family_series = stats_.series - series_before;
      stats_.largest_family = name_;
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

// ---- The large-family shape: kube-state-metrics' own families ----

// The object a family describes: its labels before the family's own.
enum class Obj : uint8_t {
  kPod,
  kContainer,
  kInitContainer,
  kNode,
  kDeployment,
  kReplicaSet,
  kStatefulSet,
  kDaemonSet,
  kJob,
  kCronJob,
  kService,
  kEndpoint,
  kNamespace,
  kConfigMap,
  kSecret,
  kPvc,
  kPv,
  kHpa,
  kIngress,
  kSelf,  // kube-state-metrics' own telemetry: no object labels
};

// The label naming an object of each kind (none for pods and containers, which carry pod and
// uid, nor for kSelf).
constexpr const char* kObjLabel[] = {
    "",
    "",
    "",
    "node",
    "deployment",
    "replicaset",
    "statefulset",
    "daemonset",
    "job_name",
    "cronjob",
    "service",
    "endpoint",
    "namespace",
    "configmap",
    "secret",
    "persistentvolumeclaim",
    "persistentvolume",
    "horizontalpodautoscaler",
    "ingress",
    "",
};
static_assert(std::size(kObjLabel) == static_cast<size_t>(Obj::kSelf) + 1);

// What a family adds after the object's labels. The group extras write one series per member
// for every object (kube_pod_status_phase: one per phase), the others one series per object.
enum class Extra : uint8_t {
  kNone,
  kPodLabels,
  kAnnotations,
  kPodInfo,
  kOwner,
  kContainerInfo,
  kNodeInfo,
  kNodeLabels,
  kTaint,
  kSecretType,
  kServiceType,
  // groups
  kPhase,
  kCondition,
  kPodReason,
  kQos,
  kWaitReason,
  kTermReason,
  kResource,
  kNodeCondition,
  kNodeResource,
  kListResult,
  kHttp,
};

enum class Value : uint8_t {
  kOne,        // 1 (info, labels)
  kTimestamp,  // Unix seconds, as client_golang writes them ("1.6789e+09")
  kOneHot,     // 1 for one member of a group, 0 for the others
  kSmall,      // a small integer (replicas, exit codes, generations)
  kBool,       // 0 or 1
  kCount,      // a counter
  kAmount,     // a resource amount: cores, bytes, pods
  kHistogram,
  kSummary,
};

struct LargeFamily {
  const char* name;
  const char* type;
  Obj obj;
  Extra extra;
  Value value;
  uint16_t weight;  // share of the payload's bytes, in tenths of a percent; 0: a fixed set
};

// 115 families; the weights sum to 1000 and kube_pod_labels' is 190.
constexpr LargeFamily kLargeFamilies[] = {
    {"kube_configmap_info", "gauge", Obj::kConfigMap, Extra::kNone, Value::kOne, 4},
    {"kube_configmap_created", "gauge", Obj::kConfigMap, Extra::kNone, Value::kTimestamp, 3},
    {"kube_cronjob_info", "gauge", Obj::kCronJob, Extra::kNone, Value::kOne, 1},
    {"kube_cronjob_labels", "gauge", Obj::kCronJob, Extra::kPodLabels, Value::kOne, 2},
    {"kube_cronjob_created", "gauge", Obj::kCronJob, Extra::kNone, Value::kTimestamp, 1},
    {"kube_cronjob_status_active", "gauge", Obj::kCronJob, Extra::kNone, Value::kSmall, 1},
    {"kube_cronjob_status_last_schedule_time", "gauge", Obj::kCronJob, Extra::kNone,
     Value::kTimestamp, 1},
    {"kube_cronjob_spec_suspend", "gauge", Obj::kCronJob, Extra::kNone, Value::kBool, 1},
    {"kube_daemonset_labels", "gauge", Obj::kDaemonSet, Extra::kPodLabels, Value::kOne, 1},
    {"kube_daemonset_created", "gauge", Obj::kDaemonSet, Extra::kNone, Value::kTimestamp, 1},
    {"kube_daemonset_status_current_number_scheduled", "gauge", Obj::kDaemonSet, Extra::kNone,
     Value::kSmall, 1},
    {"kube_daemonset_status_desired_number_scheduled", "gauge", Obj::kDaemonSet, Extra::kNone,
     Value::kSmall, 1},
    {"kube_daemonset_status_number_available", "gauge", Obj::kDaemonSet, Extra::kNone,
     Value::kSmall, 1},
    {"kube_daemonset_status_number_ready", "gauge", Obj::kDaemonSet, Extra::kNone, Value::kSmall,
     1},
    {"kube_deployment_labels", "gauge", Obj::kDeployment, Extra::kPodLabels, Value::kOne, 8},
    {"kube_deployment_annotations", "gauge", Obj::kDeployment, Extra::kAnnotations, Value::kOne, 3},
    {"kube_deployment_created", "gauge", Obj::kDeployment, Extra::kNone, Value::kTimestamp, 2},
    {"kube_deployment_metadata_generation", "gauge", Obj::kDeployment, Extra::kNone, Value::kSmall,
     2},
    {"kube_deployment_spec_paused", "gauge", Obj::kDeployment, Extra::kNone, Value::kBool, 2},
    {"kube_deployment_spec_replicas", "gauge", Obj::kDeployment, Extra::kNone, Value::kSmall, 2},
    {"kube_deployment_status_condition", "gauge", Obj::kDeployment, Extra::kCondition,
     Value::kOneHot, 6},
    {"kube_deployment_status_observed_generation", "gauge", Obj::kDeployment, Extra::kNone,
     Value::kSmall, 2},
    {"kube_deployment_status_replicas", "gauge", Obj::kDeployment, Extra::kNone, Value::kSmall, 2},
    {"kube_deployment_status_replicas_available", "gauge", Obj::kDeployment, Extra::kNone,
     Value::kSmall, 2},
    {"kube_deployment_status_replicas_ready", "gauge", Obj::kDeployment, Extra::kNone,
     Value::kSmall, 2},
    {"kube_deployment_status_replicas_unavailable", "gauge", Obj::kDeployment, Extra::kNone,
     Value::kSmall, 2},
    {"kube_deployment_status_replicas_updated", "gauge", Obj::kDeployment, Extra::kNone,
     Value::kSmall, 2},
    {"kube_endpoint_info", "gauge", Obj::kEndpoint, Extra::kNone, Value::kOne, 2},
    {"kube_endpoint_address", "gauge", Obj::kEndpoint, Extra::kPodInfo, Value::kBool, 8},
    {"kube_endpoint_created", "gauge", Obj::kEndpoint, Extra::kNone, Value::kTimestamp, 2},
    {"kube_horizontalpodautoscaler_info", "gauge", Obj::kHpa, Extra::kNone, Value::kOne, 1},
    {"kube_horizontalpodautoscaler_spec_max_replicas", "gauge", Obj::kHpa, Extra::kNone,
     Value::kSmall, 1},
    {"kube_horizontalpodautoscaler_spec_min_replicas", "gauge", Obj::kHpa, Extra::kNone,
     Value::kSmall, 1},
    {"kube_horizontalpodautoscaler_status_current_replicas", "gauge", Obj::kHpa, Extra::kNone,
     Value::kSmall, 1},
    {"kube_ingress_info", "gauge", Obj::kIngress, Extra::kNone, Value::kOne, 1},
    {"kube_ingress_created", "gauge", Obj::kIngress, Extra::kNone, Value::kTimestamp, 1},
    {"kube_job_info", "gauge", Obj::kJob, Extra::kNone, Value::kOne, 2},
    {"kube_job_labels", "gauge", Obj::kJob, Extra::kPodLabels, Value::kOne, 5},
    {"kube_job_owner", "gauge", Obj::kJob, Extra::kOwner, Value::kOne, 3},
    {"kube_job_created", "gauge", Obj::kJob, Extra::kNone, Value::kTimestamp, 2},
    {"kube_job_complete", "gauge", Obj::kJob, Extra::kCondition, Value::kOneHot, 4},
    {"kube_job_failed", "gauge", Obj::kJob, Extra::kCondition, Value::kOneHot, 4},
    {"kube_job_spec_completions", "gauge", Obj::kJob, Extra::kNone, Value::kSmall, 2},
    {"kube_job_status_active", "gauge", Obj::kJob, Extra::kNone, Value::kSmall, 2},
    {"kube_job_status_failed", "gauge", Obj::kJob, Extra::kNone, Value::kSmall, 2},
    {"kube_job_status_succeeded", "gauge", Obj::kJob, Extra::kNone, Value::kSmall, 2},
    {"kube_job_status_start_time", "gauge", Obj::kJob, Extra::kNone, Value::kTimestamp, 2},
    {"kube_job_status_completion_time", "gauge", Obj::kJob, Extra::kNone, Value::kTimestamp, 2},
    {"kube_namespace_labels", "gauge", Obj::kNamespace, Extra::kPodLabels, Value::kOne, 1},
    {"kube_namespace_created", "gauge", Obj::kNamespace, Extra::kNone, Value::kTimestamp, 1},
    {"kube_namespace_status_phase", "gauge", Obj::kNamespace, Extra::kPhase, Value::kOneHot, 1},
    {"kube_node_info", "gauge", Obj::kNode, Extra::kNodeInfo, Value::kOne, 3},
    {"kube_node_labels", "gauge", Obj::kNode, Extra::kNodeLabels, Value::kOne, 3},
    {"kube_node_created", "gauge", Obj::kNode, Extra::kNone, Value::kTimestamp, 1},
    {"kube_node_spec_taint", "gauge", Obj::kNode, Extra::kTaint, Value::kOne, 1},
    {"kube_node_spec_unschedulable", "gauge", Obj::kNode, Extra::kNone, Value::kBool, 1},
    {"kube_node_status_allocatable", "gauge", Obj::kNode, Extra::kNodeResource, Value::kAmount, 2},
    {"kube_node_status_capacity", "gauge", Obj::kNode, Extra::kNodeResource, Value::kAmount, 2},
    {"kube_node_status_condition", "gauge", Obj::kNode, Extra::kNodeCondition, Value::kOneHot, 6},
    {"kube_persistentvolume_info", "gauge", Obj::kPv, Extra::kNone, Value::kOne, 2},
    {"kube_persistentvolume_capacity_bytes", "gauge", Obj::kPv, Extra::kNone, Value::kAmount, 1},
    {"kube_persistentvolume_status_phase", "gauge", Obj::kPv, Extra::kPhase, Value::kOneHot, 3},
    {"kube_persistentvolumeclaim_info", "gauge", Obj::kPvc, Extra::kNone, Value::kOne, 2},
    {"kube_persistentvolumeclaim_resource_requests_storage_bytes", "gauge", Obj::kPvc, Extra::kNone,
     Value::kAmount, 1},
    {"kube_persistentvolumeclaim_status_phase", "gauge", Obj::kPvc, Extra::kPhase, Value::kOneHot,
     3},
    {"kube_pod_labels", "gauge", Obj::kPod, Extra::kPodLabels, Value::kOne, 190},
    {"kube_pod_annotations", "gauge", Obj::kPod, Extra::kAnnotations, Value::kOne, 35},
    {"kube_pod_info", "gauge", Obj::kPod, Extra::kPodInfo, Value::kOne, 66},
    {"kube_pod_owner", "gauge", Obj::kPod, Extra::kOwner, Value::kOne, 25},
    {"kube_pod_created", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 12},
    {"kube_pod_start_time", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 12},
    {"kube_pod_completion_time", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 3},
    {"kube_pod_restart_policy", "gauge", Obj::kPod, Extra::kNone, Value::kOne, 10},
    {"kube_pod_status_phase", "gauge", Obj::kPod, Extra::kPhase, Value::kOneHot, 50},
    {"kube_pod_status_qos_class", "gauge", Obj::kPod, Extra::kQos, Value::kOneHot, 28},
    {"kube_pod_status_ready", "gauge", Obj::kPod, Extra::kCondition, Value::kOneHot, 28},
    {"kube_pod_status_reason", "gauge", Obj::kPod, Extra::kPodReason, Value::kOneHot, 38},
    {"kube_pod_status_scheduled", "gauge", Obj::kPod, Extra::kCondition, Value::kOneHot, 28},
    {"kube_pod_status_scheduled_time", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 10},
    {"kube_pod_status_ready_time", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 10},
    {"kube_pod_status_initialized_time", "gauge", Obj::kPod, Extra::kNone, Value::kTimestamp, 8},
    {"kube_pod_container_info", "gauge", Obj::kContainer, Extra::kContainerInfo, Value::kOne, 45},
    {"kube_pod_container_resource_limits", "gauge", Obj::kContainer, Extra::kResource,
     Value::kAmount, 26},
    {"kube_pod_container_resource_requests", "gauge", Obj::kContainer, Extra::kResource,
     Value::kAmount, 26},
    {"kube_pod_container_state_started", "gauge", Obj::kContainer, Extra::kNone, Value::kTimestamp,
     10},
    {"kube_pod_container_status_last_terminated_reason", "gauge", Obj::kContainer,
     Extra::kTermReason, Value::kOneHot, 14},
    {"kube_pod_container_status_last_terminated_exitcode", "gauge", Obj::kContainer, Extra::kNone,
     Value::kSmall, 8},
    {"kube_pod_container_status_ready", "gauge", Obj::kContainer, Extra::kNone, Value::kBool, 12},
    {"kube_pod_container_status_restarts_total", "counter", Obj::kContainer, Extra::kNone,
     Value::kCount, 12},
    {"kube_pod_container_status_running", "gauge", Obj::kContainer, Extra::kNone, Value::kBool, 12},
    {"kube_pod_container_status_terminated", "gauge", Obj::kContainer, Extra::kNone, Value::kBool,
     12},
    {"kube_pod_container_status_terminated_reason", "gauge", Obj::kContainer, Extra::kTermReason,
     Value::kOneHot, 14},
    {"kube_pod_container_status_waiting", "gauge", Obj::kContainer, Extra::kNone, Value::kBool, 12},
    {"kube_pod_container_status_waiting_reason", "gauge", Obj::kContainer, Extra::kWaitReason,
     Value::kOneHot, 18},
    {"kube_pod_init_container_info", "gauge", Obj::kInitContainer, Extra::kContainerInfo,
     Value::kOne, 8},
    {"kube_pod_init_container_resource_requests", "gauge", Obj::kInitContainer, Extra::kResource,
     Value::kAmount, 4},
    {"kube_pod_init_container_status_ready", "gauge", Obj::kInitContainer, Extra::kNone,
     Value::kBool, 3},
    {"kube_pod_init_container_status_restarts_total", "counter", Obj::kInitContainer, Extra::kNone,
     Value::kCount, 3},
    {"kube_pod_init_container_status_terminated_reason", "gauge", Obj::kInitContainer,
     Extra::kTermReason, Value::kOneHot, 4},
    {"kube_replicaset_labels", "gauge", Obj::kReplicaSet, Extra::kPodLabels, Value::kOne, 20},
    {"kube_replicaset_owner", "gauge", Obj::kReplicaSet, Extra::kOwner, Value::kOne, 7},
    {"kube_replicaset_created", "gauge", Obj::kReplicaSet, Extra::kNone, Value::kTimestamp, 4},
    {"kube_replicaset_spec_replicas", "gauge", Obj::kReplicaSet, Extra::kNone, Value::kSmall, 4},
    {"kube_replicaset_status_ready_replicas", "gauge", Obj::kReplicaSet, Extra::kNone,
     Value::kSmall, 4},
    {"kube_replicaset_status_replicas", "gauge", Obj::kReplicaSet, Extra::kNone, Value::kSmall, 4},
    {"kube_secret_info", "gauge", Obj::kSecret, Extra::kNone, Value::kOne, 4},
    {"kube_secret_type", "gauge", Obj::kSecret, Extra::kSecretType, Value::kOne, 5},
    {"kube_secret_created", "gauge", Obj::kSecret, Extra::kNone, Value::kTimestamp, 3},
    {"kube_service_info", "gauge", Obj::kService, Extra::kPodInfo, Value::kOne, 4},
    {"kube_service_spec_type", "gauge", Obj::kService, Extra::kServiceType, Value::kOne, 2},
    {"kube_statefulset_replicas", "gauge", Obj::kStatefulSet, Extra::kNone, Value::kSmall, 1},
    {"kube_statefulset_status_replicas_ready", "gauge", Obj::kStatefulSet, Extra::kNone,
     Value::kSmall, 1},
    {"kube_state_metrics_list_total", "counter", Obj::kSelf, Extra::kListResult, Value::kCount, 0},
    {"http_request_duration_seconds", "histogram", Obj::kSelf, Extra::kHttp, Value::kHistogram, 0},
    {"go_gc_duration_seconds", "summary", Obj::kSelf, Extra::kNone, Value::kSummary, 0},
};

constexpr uint32_t TotalWeight() {
  uint32_t total = 0;
  for (const LargeFamily& f : kLargeFamilies) total += f.weight;
  return total;
}
static_assert(TotalWeight() == 1000 && std::size(kLargeFamilies) == 115);

struct GroupMember {
  const char* label;
  const char* value;
};

// The members of a group extra (one series each), or an empty span.
std::vector<std::vector<GroupMember>> GroupOf(Extra extra) {
  auto one = [](const char* label, std::initializer_list<const char*> values) {
    std::vector<std::vector<GroupMember>> g;
    for (const char* v : values) g.push_back({{label, v}});
    return g;
  };
  switch (extra) {
    case Extra::kPhase:
      return one("phase", {"Pending", "Running", "Succeeded", "Failed", "Unknown"});
    case Extra::kCondition:
      return one("condition", {"true", "false", "unknown"});
    case Extra::kPodReason:
      return one("reason",
                 {"Evicted", "NodeAffinity", "NodeLost", "Shutdown", "UnexpectedAdmissionError"});
    case Extra::kQos:
      return one("qos_class", {"BestEffort", "Burstable", "Guaranteed"});
    case Extra::kWaitReason:
      return one("reason",
                 {"ContainerCreating", "CrashLoopBackOff", "CreateContainerConfigError",
                  "ErrImagePull", "ImagePullBackOff", "CreateContainerError", "InvalidImageName"});
    case Extra::kTermReason:
      return one("reason", {"OOMKilled", "Completed", "Error", "ContainerCannotRun",
                            "DeadlineExceeded", "Evicted"});
    case Extra::kResource:
      return {{{"resource", "cpu"}, {"unit", "core"}}, {{"resource", "memory"}, {"unit", "byte"}}};
    case Extra::kNodeResource:
      return {{{"resource", "cpu"}, {"unit", "core"}},
              {{"resource", "ephemeral_storage"}, {"unit", "byte"}},
              {{"resource", "memory"}, {"unit", "byte"}},
              {{"resource", "pods"}, {"unit", "integer"}}};
    case Extra::kNodeCondition: {
      std::vector<std::vector<GroupMember>> g;
      for (const char* c :
           {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"}) {
        for (const char* st : {"true", "false", "unknown"}) {
          g.push_back({{"condition", c}, {"status", st}});
        }
      }
      return g;
    }
    case Extra::kListResult: {
      std::vector<std::vector<GroupMember>> g;
      for (const char* r :
           {"configmaps", "cronjobs", "daemonsets", "deployments", "endpoints", "jobs",
            "namespaces", "nodes", "pods", "replicasets", "secrets", "services", "statefulsets"}) {
        for (const char* res : {"success", "error"})
          g.push_back({{"resource", r}, {"result", res}});
      }
      return g;
    }
    case Extra::kHttp:
      return {{{"handler", "metrics"}, {"method", "get"}, {"code", "200"}},
              {{"handler", "metrics"}, {"method", "get"}, {"code", "500"}},
              {{"handler", "healthz"}, {"method", "get"}, {"code", "200"}}};
    default:
      return {{}};
  }
}

class LargeGenerator {
 public:
  LargeGenerator(const PayloadOptions& options, std::string* out, std::FILE* file)
      : options_(options), rng_(options.seed), out_(out), file_(file) {
    start_ = out_->size();
    for (const LargeFamily& f : kLargeFamilies) total_weight_ += f.weight;
  }

  void Run() {
    for (const LargeFamily& f : kLargeFamilies) {
      if (failed_) break;
      WriteFamily(f);
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
    }
    flushed_ += out_->size();
    out_->clear();
  }

  void WriteFamily(const LargeFamily& f) {
    const uint64_t family_start = written();
    const uint64_t series_before = stats_.series;
    const uint64_t budget = f.weight == 0 ? 0 : options_.target_bytes * f.weight / total_weight_;
    name_ = f.name;
    std::string& o = *out_;
    o.append("# HELP ");
    o.append(name_);
    o.append(f.obj == Obj::kSelf ? " " : " [STABLE] ");
    // The help text: the name's words after the kube_ prefix.
    std::string_view words = name_;
    if (words.starts_with("kube_")) words.remove_prefix(5);
    for (char c : words) o.push_back(c == '_' ? ' ' : c);
    o.append(".\n# TYPE ");
    o.append(name_);
    o.push_back(' ');
    o.append(f.type);
    o.push_back('\n');
    ++stats_.families;
    const auto group = GroupOf(f.extra);
    Bounds(f);
    for (uint32_t i = 0;; ++i) {
      const uint64_t h = Mix(Mix(options_.seed ^ 0x5eed, static_cast<uint64_t>(f.obj)), i);
      ObjectLabels(f.obj, i, h);
      SingleExtra(f.extra, h);
      const uint32_t hot = static_cast<uint32_t>((h >> 17) % group.size());
      for (size_t m = 0; m < group.size(); ++m) {
        labels_ = base_;
        for (const GroupMember& g : group[m]) AddLabel(&labels_, g.label, g.value);
        Series(f, m == hot, group[m].empty() ? "" : group[m].back().value);
        ++stats_.series;
      }
      Flush(false);
      if (failed_ || f.weight == 0 || written() - family_start >= budget) break;
    }
    if (written() - family_start > stats_.largest_family_bytes) {
      stats_.largest_family_bytes = written() - family_start;
      stats_.largest_family_series = stats_.series - series_before;
      stats_.largest_family = name_;
    }
  }

  static void AddLabel(std::string* labels, std::string_view name, std::string_view value) {
    if (!labels->empty()) labels->push_back(',');
    labels->append(name);
    labels->append("=\"");
    labels->append(value);
    labels->push_back('"');
  }

  // namespace, the object's name and uid, as kube-state-metrics writes them.
  void ObjectLabels(Obj obj, uint32_t i, uint64_t h) {
    base_.clear();
    if (obj == Obj::kSelf) return;
    // 1.4 containers per pod (the app, and on 2 pods of 5 an istio-proxy), an init container on
    // 3 pods of 10.
    uint32_t pod = i;
    bool sidecar = false;
    if (obj == Obj::kContainer) {
      pod = static_cast<uint32_t>(uint64_t{i} * 5 / 7);
      sidecar = i != static_cast<uint32_t>((uint64_t{pod} * 7 + 4) / 5);
    } else if (obj == Obj::kInitContainer) {
      pod = static_cast<uint32_t>(uint64_t{i} * 10 / 3);
    }
    const uint64_t ph = Mix(options_.seed ^ 0xabcdef, pod);
    app_ = Pick(kApps, ph >> 3);
    if (obj == Obj::kNode) {
      NodeName(i, h, &value_);
      AddLabel(&base_, "node", value_);
      return;
    }
    value_.assign(Pick(kNamespaces, ph >> 11));
    if (obj == Obj::kNamespace) {
      value_.push_back('-');
      AppendUint(i, &value_);
    }
    AddLabel(&base_, "namespace", value_);
    const bool pod_like = obj == Obj::kPod || obj == Obj::kContainer || obj == Obj::kInitContainer;
    if (obj != Obj::kNamespace) {
      value_.assign(app_);
      value_.push_back('-');
      AppendChars(kHex, 16, 10, Mix(pod_like ? ph : h, 1), &value_);
      if (pod_like) {
        value_.push_back('-');
        AppendChars(kAlnum, sizeof(kAlnum) - 1, 5, Mix(ph, 2), &value_);
      }
      AddLabel(&base_, pod_like ? "pod" : kObjLabel[static_cast<size_t>(obj)], value_);
    }
    if (pod_like) {
      value_.clear();
      for (int part : {8, 4, 4, 4, 12}) {
        if (!value_.empty()) value_.push_back('-');
        AppendChars(kHex, 16, static_cast<size_t>(part), Mix(ph, 3 + value_.size()), &value_);
      }
      AddLabel(&base_, "uid", value_);
    }
    if (obj == Obj::kContainer || obj == Obj::kInitContainer) {
      const char* container = obj == Obj::kInitContainer ? "init-config"
                              : sidecar                  ? "istio-proxy"
                                                         : app_;
      AddLabel(&base_, "container", container);
    }
  }

  // The name of node `index` (unique up to 2^24 nodes), in a region picked by `h`.
  static void NodeName(uint32_t index, uint64_t h, std::string* out) {
    out->assign("ip-10-");
    AppendUint((index >> 16) & 255, out);
    out->push_back('-');
    AppendUint((index >> 8) & 255, out);
    out->push_back('-');
    AppendUint(index & 255, out);
    out->push_back('.');
    out->append(Pick(kRegions, h >> 27));
    out->append(".compute.internal");
  }

  // The labels of a non-group extra, appended to base_.
  void SingleExtra(Extra extra, uint64_t h) {
    switch (extra) {
      case Extra::kPodLabels: {
        AddLabel(&base_, "label_app_kubernetes_io_name", app_);
        value_.assign(app_);
        value_.append(h % 3 == 0 ? "-canary" : "-main");
        AddLabel(&base_, "label_app_kubernetes_io_instance", value_);
        value_.assign("v1.");
        AppendUint((h >> 37) % 30, &value_);
        value_.push_back('.');
        AppendUint((h >> 41) % 10, &value_);
        AddLabel(&base_, "label_app_kubernetes_io_version", value_);
        AddLabel(&base_, "label_app_kubernetes_io_component",
                 (h >> 3) % 3 == 0 ? "worker" : ((h >> 3) % 3 == 1 ? "server" : "frontend"));
        AddLabel(&base_, "label_app_kubernetes_io_part_of", Pick(kNamespaces, h >> 13));
        AddLabel(&base_, "label_app_kubernetes_io_managed_by", (h >> 7) % 4 ? "Helm" : "argocd");
        value_.assign(app_);
        value_.append("-");
        AppendUint((h >> 19) % 40, &value_);
        value_.append(".2.");
        AppendUint((h >> 23) % 9, &value_);
        AddLabel(&base_, "label_helm_sh_chart", value_);
        value_.clear();
        AppendChars(kHex, 16, 10, Mix(h, 7), &value_);
        AddLabel(&base_, "label_pod_template_hash", value_);
        value_.assign("team-");
        AppendChars(kAlnum, sizeof(kAlnum) - 1, 4, Mix(h, 9), &value_);
        AddLabel(&base_, "label_team", value_);
        AddLabel(&base_, "label_environment", (h >> 29) % 3 == 0 ? "staging" : "production");
        AddLabel(&base_, "label_tier", (h >> 31) % 2 ? "backend" : "web");
        break;
      }
      case Extra::kAnnotations:
        value_.assign("2024-0");
        AppendUint(1 + (h >> 5) % 9, &value_);
        value_.append("-1");
        AppendUint((h >> 9) % 10, &value_);
        value_.append("T08:15:0");
        AppendUint((h >> 13) % 10, &value_);
        value_.append("Z");
        AddLabel(&base_, "annotation_kubectl_kubernetes_io_restarted_at", value_);
        AddLabel(&base_, "annotation_prometheus_io_scrape", (h >> 3) % 2 ? "true" : "false");
        break;
      case Extra::kPodInfo:
        value_.clear();
        Ip(10, h >> 13, &value_);
        AddLabel(&base_, "host_ip", value_);
        value_.clear();
        Ip(100, h >> 29, &value_);
        AddLabel(&base_, "pod_ip", value_);
        NodeName(static_cast<uint32_t>((h >> 7) % 1000), h >> 17, &value_);
        AddLabel(&base_, "node", value_);
        AddLabel(&base_, "created_by_kind", Pick(kCreators, h >> 23));
        value_.assign(app_);
        value_.push_back('-');
        AppendChars(kHex, 16, 10, Mix(h, 1), &value_);
        AddLabel(&base_, "created_by_name", value_);
        AddLabel(&base_, "priority_class", Pick(kPriorities, h >> 31));
        AddLabel(&base_, "host_network", (h >> 33) % 20 ? "false" : "true");
        break;
      case Extra::kOwner:
        AddLabel(&base_, "owner_kind", Pick(kCreators, h >> 23));
        value_.assign(app_);
        value_.push_back('-');
        AppendChars(kHex, 16, 10, Mix(h, 1), &value_);
        AddLabel(&base_, "owner_name", value_);
        AddLabel(&base_, "owner_is_controller", "true");
        break;
      case Extra::kContainerInfo:
        value_.assign("registry.example.com/platform/");
        value_.append(app_);
        value_.append(":v1.");
        AppendUint((h >> 37) % 30, &value_);
        AddLabel(&base_, "image_spec", value_);
        AddLabel(&base_, "image", value_);
        value_.append("@sha256:");
        AppendChars(kHex, 16, 64, Mix(h, 11), &value_);
        AddLabel(&base_, "image_id", value_);
        value_.assign("containerd://");
        AppendChars(kHex, 16, 64, Mix(h, 12), &value_);
        AddLabel(&base_, "container_id", value_);
        break;
      case Extra::kNodeInfo:
        AddLabel(&base_, "kernel_version", "6.1.0-18-cloud-amd64");
        AddLabel(&base_, "os_image", "Debian GNU/Linux 12 (bookworm)");
        AddLabel(&base_, "container_runtime_version", "containerd://1.6.20");
        AddLabel(&base_, "kubelet_version", "v1.28.4");
        AddLabel(&base_, "kubeproxy_version", "v1.28.4");
        value_.assign("aws:///eu-west-1a/i-0");
        AppendChars(kHex, 16, 16, Mix(h, 5), &value_);
        AddLabel(&base_, "provider_id", value_);
        value_.clear();
        Ip(10, h >> 13, &value_);
        AddLabel(&base_, "internal_ip", value_);
        break;
      case Extra::kNodeLabels:
        AddLabel(&base_, "label_kubernetes_io_arch", (h >> 3) % 4 ? "amd64" : "arm64");
        AddLabel(&base_, "label_kubernetes_io_os", "linux");
        AddLabel(&base_, "label_node_kubernetes_io_instance_type",
                 (h >> 5) % 2 ? "m6i.2xlarge" : "c6g.4xlarge");
        AddLabel(&base_, "label_topology_kubernetes_io_region", Pick(kRegions, h >> 27));
        break;
      case Extra::kTaint:
        AddLabel(&base_, "key", "node.kubernetes.io/unschedulable");
        AddLabel(&base_, "value", "");
        AddLabel(&base_, "effect", "NoSchedule");
        break;
      case Extra::kSecretType:
        AddLabel(&base_, "type",
                 (h >> 3) % 3 == 0 ? "kubernetes.io/service-account-token" : "Opaque");
        break;
      case Extra::kServiceType:
        AddLabel(&base_, "type", (h >> 3) % 5 == 0 ? "LoadBalancer" : "ClusterIP");
        break;
      default:
        break;
    }
  }

  // One series (a histogram or summary writes several lines).
  void Series(const LargeFamily& f, bool hot, std::string_view member) {
    switch (f.value) {
      case Value::kOne:
        Line("", 1);
        break;
      case Value::kTimestamp:
        Line("", 1.6e9 + static_cast<double>(rng_.Next() % 100000000));
        break;
      case Value::kOneHot:
        Line("", hot ? 1 : 0);
        break;
      case Value::kSmall:
        Line("", rng_.Below(8));
        break;
      case Value::kBool:
        Line("", rng_.Below(10) == 0 ? 0 : 1);
        break;
      case Value::kCount:
        Line("", rng_.Below(4) == 0 ? rng_.Below(200) : 0);
        break;
      case Value::kAmount:
        if (member == "core") {
          Line("", static_cast<double>(1 + rng_.Below(40)) * 0.05);
        } else if (member == "integer") {
          Line("", 110);
        } else {
          Line("", static_cast<double>((1 + rng_.Below(64)) * (uint64_t{1} << 26)));
        }
        break;
      case Value::kHistogram: {
        const uint64_t total = rng_.Next() % 200000;
        uint64_t cumulative = 0;
        for (size_t b = 0; b < bounds_.size(); ++b) {
          cumulative = b + 1 == bounds_.size()
                           ? total
                           : cumulative + (total - cumulative) * rng_.Below(50) / 100;
          le_.clear();
          AppendGoFloat(bounds_[b], &le_);
          Line("_bucket", static_cast<double>(cumulative), "le", le_);
        }
        Line("_sum", std::round(static_cast<double>(total) * 0.0123 * 1e6) / 1e6);
        Line("_count", static_cast<double>(total));
        break;
      }
      case Value::kSummary: {
        static constexpr const char* kQuantiles[] = {"0", "0.25", "0.5", "0.75", "1"};
        double q = 2e-05 + rng_.Unit() * 1e-5;
        for (const char* quantile : kQuantiles) {
          Line("", q, "quantile", quantile);
          q *= 1.2 + rng_.Unit();
        }
        Line("_sum", 0.0123 + rng_.Unit());
        Line("_count", 1000 + rng_.Below(100000));
        break;
      }
    }
  }

  void Bounds(const LargeFamily& f) {
    bounds_.clear();
    if (f.value != Value::kHistogram) return;
    for (double b : {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0}) {
      bounds_.push_back(b);
    }
    bounds_.push_back(std::numeric_limits<double>::infinity());
  }

  void Line(std::string_view suffix, double value, std::string_view extra_name = {},
            std::string_view extra_value = {}) {
    std::string& o = *out_;
    o.append(name_);
    o.append(suffix);
    if (!labels_.empty() || !extra_name.empty()) {
      o.push_back('{');
      o.append(labels_);
      if (!extra_name.empty()) {
        if (!labels_.empty()) o.push_back(',');
        o.append(extra_name);
        o.append("=\"");
        o.append(extra_value);
        o.push_back('"');
      }
      o.push_back('}');
    }
    o.push_back(' ');
    AppendGoFloat(value, &o);
    o.push_back('\n');
    ++stats_.samples;
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
  Rng rng_;
  std::string* out_;
  std::FILE* file_;
  size_t start_ = 0;
  uint64_t flushed_ = 0;
  uint64_t total_weight_ = 0;
  bool failed_ = false;
  PayloadStats stats_;
  const char* app_ = "";
  std::string name_, base_, labels_, value_, le_;
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
  out->reserve(out->size() + options.target_bytes + (1 << 20));
  if (options.shape == PayloadShape::kLarge) {
    LargeGenerator g(options, out, nullptr);
    g.Run();
    PayloadStats stats = g.stats();
    stats.bytes = g.written();
    return stats;
  }
  const uint32_t scale = ScaleFor(options);
  Generator g(options, scale, out, nullptr);
  g.Run(std::numeric_limits<uint32_t>::max());
  PayloadStats stats = g.stats();
  stats.bytes = g.written();
  return stats;
}

bool WritePayload(const PayloadOptions& options, std::FILE* out, PayloadStats* stats) {
  std::string buffer;
  buffer.reserve(size_t{2} << 20);
  if (options.shape == PayloadShape::kLarge) {
    LargeGenerator g(options, &buffer, out);
    g.Run();
    if (stats != nullptr) {
      *stats = g.stats();
      stats->bytes = g.written();
    }
    return !g.failed() && std::fflush(out) == 0;
  }
  const uint32_t scale = ScaleFor(options);
  Generator g(options, scale, &buffer, out);
  g.Run(std::numeric_limits<uint32_t>::max());
  if (stats != nullptr) {
    *stats = g.stats();
    stats->bytes = g.written();
  }
  return !g.failed() && std::fflush(out) == 0;
}

bool ParsePayloadShape(std::string_view text, PayloadShape* shape) {
  if (text == "cycles") {
    *shape = PayloadShape::kCycles;
    return true;
  }
  if (text == "large") {
    *shape = PayloadShape::kLarge;
    return true;
  }
  return false;
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
