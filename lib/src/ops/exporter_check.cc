// CheckExporter(): runs the negotiation matrix, the cross-format comparison, the repeated
// scrapes, the lint of the served text and the fuzzer against each target, and keeps one outcome
// per check and target plus the findings.
#include "promtool/exporter_check.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/strcat.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "promtool/diff.h"
#include "promtool/input_format.h"
#include "promtool/lint_run.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "promtool/validate.h"
#include "re2/re2.h"

namespace promtool::exporter {

uint64_t ExporterCheckResult::Evaluated(Level level) const {
  uint64_t n = 0;
  for (const Outcome& o : outcomes) n += o.level == level && o.evaluated > 0;
  return n;
}

uint64_t ExporterCheckResult::Passed(Level level) const {
  uint64_t n = 0;
  for (const Outcome& o : outcomes) n += o.level == level && o.evaluated > 0 && o.passed();
  return n;
}

bool ExporterCheckResult::FailsAt(Level level) const {
  for (const Outcome& o : outcomes) {
    if (o.level >= level && !o.passed()) return true;
  }
  return false;
}

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Header(const FetchResult& f, std::string_view name) {
  std::string out;
  for (const auto& [k, v] : f.headers) {
    if (Lower(k) == name) out += (out.empty() ? "" : ", ") + v;
  }
  return out;
}

bool TimedOut(const FetchResult& f) {
  return f.status == 0 && (f.error.code == ErrorCode::kTimeout ||
                           f.error.message.find("timed out") != std::string::npos);
}

// One request of the matrix.
struct Probe {
  std::string label;
  std::optional<std::string> accept;       // nullopt: none sent
  std::optional<ScrapeProtocol> protocol;  // single-protocol requests
};

std::string ProtocolAccept(ScrapeProtocol p, std::string_view escaping) {
  std::string out;
  switch (p) {
    case ScrapeProtocol::kPrometheusProto:
      return "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
             "encoding=delimited";
    case ScrapeProtocol::kOpenMetricsText1_0_0:
      out = "application/openmetrics-text;version=1.0.0";
      break;
    case ScrapeProtocol::kOpenMetricsText0_0_1:
      return "application/openmetrics-text;version=0.0.1";
    case ScrapeProtocol::kPrometheusText1_0_0:
      out = "text/plain;version=1.0.0";
      break;
    case ScrapeProtocol::kPrometheusText0_0_4:
      return "text/plain;version=0.0.4";
  }
  if (!escaping.empty()) StrAppend(&out, ";escaping=", escaping);
  return out;
}

// Prometheus 2.42's fixed Accept header, and 3.x's default (scrape_protocols unset).
constexpr std::string_view kPrometheus2Accept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

std::vector<Probe> MatrixProbes() {
  std::vector<Probe> out;
  out.push_back({"PrometheusProto", ProtocolAccept(ScrapeProtocol::kPrometheusProto, ""),
                 ScrapeProtocol::kPrometheusProto});
  out.push_back({"OpenMetricsText1.0.0",
                 ProtocolAccept(ScrapeProtocol::kOpenMetricsText1_0_0, "allow-utf-8"),
                 ScrapeProtocol::kOpenMetricsText1_0_0});
  out.push_back({"OpenMetricsText0.0.1", ProtocolAccept(ScrapeProtocol::kOpenMetricsText0_0_1, ""),
                 ScrapeProtocol::kOpenMetricsText0_0_1});
  for (std::string_view e : {"allow-utf-8", "underscores", "dots", "values"}) {
    out.push_back({StrCat("PrometheusText1.0.0 escaping=", e),
                   ProtocolAccept(ScrapeProtocol::kPrometheusText1_0_0, e),
                   ScrapeProtocol::kPrometheusText1_0_0});
  }
  out.push_back({"PrometheusText0.0.4", ProtocolAccept(ScrapeProtocol::kPrometheusText0_0_4, ""),
                 ScrapeProtocol::kPrometheusText0_0_4});
  out.push_back({"Prometheus 2.x default", std::string(kPrometheus2Accept), std::nullopt});
  out.push_back({"Prometheus 3.x default", AcceptHeader(DefaultScrapeProtocols()), std::nullopt});
  out.push_back({"no Accept", std::nullopt, std::nullopt});
  out.push_back({"*/*", std::string("*/*"), std::nullopt});
  return out;
}

// The escaping the Accept header asks for `served` ("" when none).
std::string RequestedEscaping(const std::optional<std::string>& accept, ScrapeProtocol served) {
  if (!accept) return "";
  const std::string_view type = served == ScrapeProtocol::kPrometheusText1_0_0
                                    ? "text/plain"
                                    : "application/openmetrics-text";
  const std::string_view version = "1.0.0";
  for (const AcceptRange& r : ParseAccept(*accept)) {
    if (r.range.type != type) continue;
    if (r.range.Param("version") != std::optional<std::string>(std::string(version))) continue;
    if (auto e = r.range.Param("escaping")) return *e;
  }
  return "";
}

InputFormat FormatOf(ScrapeProtocol p) {
  switch (p) {
    case ScrapeProtocol::kPrometheusProto:
      return InputFormat::kProtobuf;
    case ScrapeProtocol::kOpenMetricsText1_0_0:
    case ScrapeProtocol::kOpenMetricsText0_0_1:
      return InputFormat::kOpenMetrics;
    default:
      return InputFormat::kText;
  }
}

std::unique_ptr<FamilyStream> StreamOf(Source& source, ScrapeProtocol p, LossReport* losses) {
  switch (FormatOf(p)) {
    case InputFormat::kProtobuf:
      return NewProtobufFamilyStream(source, ProtobufReadOptions{}, losses);
    case InputFormat::kOpenMetrics:
      return NewOpenMetricsFamilyStream(source, losses);
    default: {
      TextOptions t;
      t.names = p == ScrapeProtocol::kPrometheusText1_0_0 ? NameScheme::kUtf8 : NameScheme::kLegacy;
      return NewTextFamilyStream(source, t, losses);
    }
  }
}

std::string LabelsText(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    StrAppend(&out, i ? "," : "", labels[i].first, "=\"", labels[i].second, "\"");
  }
  return out + "}";
}

std::vector<std::pair<std::string, std::string>> SortedLabels(const pb::Metric& m) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const pb::LabelPair& l : m.label()) out.emplace_back(l.name(), l.value());
  std::sort(out.begin(), out.end());
  return out;
}

// A body kept for the cross-format comparison.
struct Kept {
  std::string body;
  ScrapeProtocol protocol;
  size_t index = 0;  // order of the request
};

// Per-series state across the repeated scrapes.
struct SeriesState {
  std::string family;
  std::string labels;
  uint32_t seen = 0;
  uint32_t last_scrape = 0;
  bool counter = false;
  double value = 0;
  bool has_ts = false;
  int64_t ts = 0;
  double created = 0;
};

struct LabelGroup {
  std::string family, label;
  std::string last_value;
  uint32_t seen = 0, changes = 0, last_scrape = UINT32_MAX, in_scrape = 0;
  bool multi = false;
};

class TargetRun {
 public:
  TargetRun(std::string url, const ExporterCheckOptions& o, ExporterCheckResult* result)
      : url_(std::move(url)), target_(RedactUrl(url_)), o_(o), result_(result) {}

  void Run() {
    Matrix();
    if (!stopped_) Equivalence();
    if (!stopped_) OverTime();
    if (!stopped_) TimeoutHeader();
    if (o_.lint) Lint();
    if (!stopped_ && (o_.fuzz || !o_.replay.empty())) Fuzz();
    Flush();
  }

 private:
  // Records one evaluation of `id`; a failure adds (or merges into) a finding.
  void Eval(std::string_view id, bool ok, const std::string& request = "",
            const std::string& family = "", const std::string& message = "",
            const std::string& replay = "") {
    const CheckInfo* info = FindCheck(id);
    Outcome& o = outcomes_[std::string(id)];
    o.check = std::string(id);
    o.level = info ? info->level : Level::kShould;
    o.target = target_;
    ++o.evaluated;
    if (ok) return;
    ++o.failed;
    for (Finding& f : findings_) {
      if (f.check == id && f.family == family && f.message == message) {
        ++f.count;
        return;
      }
    }
    Finding f;
    f.check = std::string(id);
    f.level = o.level;
    f.target = target_;
    f.request = request;
    f.family = family;
    f.message = message;
    f.replay = replay;
    findings_.push_back(std::move(f));
  }

  ScrapeOptions Options(const std::optional<std::string>& accept, std::string_view encoding) const {
    ScrapeOptions so = o_.client;
    so.accept = accept ? *accept : std::string();
    so.accept_encoding = std::string(encoding);
    so.fallback = ScrapeProtocol::kPrometheusText0_0_4;  // unknown Content-Types: read anyway
    so.max_redirects = 0;                                // only the given target is contacted
    so.sample_limit = so.label_limit = so.label_name_length_limit = so.label_value_length_limit =
        0;  // counted here instead
    return so;
  }

  FetchResult Send(const ScrapeOptions& so, const std::string& query = "") {
    FetchResult f = Fetch(url_ + query, so, FetchBody::kKeep);
    if (f.status == 0) {
      // Three requests in a row without an answer: the target is down or hangs; stop here.
      if (++consecutive_timeouts_ >= 3) stopped_ = true;
    } else {
      consecutive_timeouts_ = 0;
    }
    if (f.status >= 200 && f.status < 300 && !TimedOut(f)) latencies_.push_back(f.seconds);
    return f;
  }

  // The body checks of a 2xx response; true when the body is valid in `served`.
  bool CheckBody(const FetchResult& f, ScrapeProtocol served, const std::string& request,
                 std::string_view invalid_id = "body-valid") {
    const bool gzip_magic = f.body.size() >= 2 && static_cast<unsigned char>(f.body[0]) == 0x1f &&
                            static_cast<unsigned char>(f.body[1]) == 0x8b;
    const bool fuzz = invalid_id != "body-valid";
    if (!fuzz) {
      Eval("gzip-content-encoding", !gzip_magic, request, "",
           "the body starts with the gzip magic bytes 1f 8b but the response has no "
           "Content-Encoding: gzip");
    }
    if (gzip_magic) return false;
    std::unique_ptr<Source> src = MemorySource(f.body, target_);
    const InputFormat detected = DetectFormat(*src);
    const InputFormat want = FormatOf(served);
    bool mismatch = false;
    if (want == InputFormat::kText && detected != InputFormat::kText) mismatch = true;
    if (want == InputFormat::kOpenMetrics && detected == InputFormat::kProtobuf) mismatch = true;
    if (want == InputFormat::kProtobuf && detected != InputFormat::kProtobuf && !f.body.empty()) {
      mismatch = true;
    }
    if (!fuzz) {
      Eval("body-format-mismatch", !mismatch, request, "",
           StrCat("the Content-Type names ", ScrapeProtocolName(served), " but the body is ",
                  detected == InputFormat::kOpenMetrics || detected == InputFormat::kOpenMetrics2
                      ? "OpenMetrics (it ends with # EOF)"
                  : detected == InputFormat::kProtobuf ? "delimited protobuf"
                                                       : "text"));
    }
    if (mismatch) {
      if (fuzz) {
        Eval(invalid_id, false, request, "",
             StrCat("the body is not ", ScrapeProtocolName(served), " as its Content-Type says"));
      }
      return false;
    }
    ValidateOptions vo;
    vo.format = want;
    vo.text.names =
        served == ScrapeProtocol::kPrometheusText1_0_0 ? NameScheme::kUtf8 : NameScheme::kLegacy;
    std::unique_ptr<Source> again = MemorySource(f.body, target_);
    ValidateResult v = Validate(*again, vo);
    const std::string where = v.error.line > 0 ? StrCat("line ", v.error.line, ": ")
                                               : StrCat("byte ", v.error.offset, ": ");
    const std::string message = StrCat(ScrapeProtocolName(served), " body, ", where,
                                       v.error.message, " [", ErrorCodeId(v.error.code), "]");
    if (fuzz) {
      Eval(invalid_id, v.error.ok(), request, "", message);
      return v.error.ok();
    }
    if (want == InputFormat::kOpenMetrics) {
      Eval("body-om-eof", v.error.code != ErrorCode::kOmEof, request, "", message);
      if (v.error.code == ErrorCode::kOmEof) return false;
    }
    // A label set repeated (adjacent or after other series) is a duplicate series.
    if (v.error.code == ErrorCode::kOmDuplicateSample ||
        v.error.code == ErrorCode::kOmSeriesOrder) {
      Eval("series-duplicate", false, request, "", message);
      return false;
    }
    Eval("body-valid", v.error.ok(), request, "", message);
    return v.error.ok();
  }

  void Matrix() {
    const std::vector<Probe> probes = MatrixProbes();
    struct Done {
      Probe probe;
      std::string encoding;
      std::optional<ScrapeProtocol> served;
      bool valid = false;
    };
    std::vector<Done> done;
    for (std::string_view encoding : {"identity", "gzip"}) {
      for (const Probe& p : probes) {
        if (stopped_) break;
        const std::string request = StrCat("GET ", p.label, ", ", encoding);
        FetchResult f = Send(Options(p.accept, encoding));
        Exchange x;
        x.target = target_;
        x.label = p.label;
        x.accept_encoding = std::string(encoding);
        x.status = f.status;
        x.content_type = f.content_type;
        x.content_encoding = Header(f, "content-encoding");
        x.vary = Header(f, "vary");
        x.bytes = f.body.size();
        x.seconds = f.seconds;
        Done d{p, std::string(encoding), std::nullopt, false};
        const bool timed_out = TimedOut(f);
        Eval("scrape-timeout", !timed_out, request, "",
             StrCat("no complete response within the ", Num(o_.client.timeout_seconds),
                    "s timeout"));
        const bool two = f.status >= 200 && f.status < 300;
        // A 2xx whose body could not be read (a refused coding, a limit, a broken gzip stream).
        const bool unreadable = two && f.body.empty() && !f.error.ok() && !f.error.located();
        if (!timed_out) {
          if (f.error.message.find("Content-Encoding") != std::string::npos) {
            // A coding the client does not decode.
            Eval("content-encoding-accepted", false, request, "",
                 StrCat("Content-Encoding \"", x.content_encoding,
                        "\" although the request accepted ", encoding, " only"));
          } else if (f.error.message.find("body size limit") != std::string::npos) {
            Eval("scrape-limits", false, request, "", f.error.message);
          } else if (unreadable) {
            Eval("body-valid", false, request, "", f.error.message);
          } else {
            Eval("http-status", two, request, "",
                 f.status == 0 ? StrCat("no HTTP response: ", f.error.message)
                               : StrCat("HTTP status ", f.status, " (", f.error.message, ")"));
          }
        }
        if (!two || unreadable) {
          x.error = f.error.message;
          result_->exchanges.push_back(std::move(x));
          done.push_back(std::move(d));
          continue;
        }
        // Content-Encoding against what was accepted.
        const std::string ce = Lower(x.content_encoding);
        if (!ce.empty()) {
          const bool gzip = ce.find("gzip") != std::string::npos;
          Eval("content-encoding-accepted", !(gzip && encoding == "identity"), request, "",
               StrCat("Content-Encoding \"", x.content_encoding,
                      "\" although the request accepted identity only"));
        } else {
          Eval("content-encoding-accepted", true);
        }
        if (!ce.empty() && ce.find("gzip") != std::string::npos) compressed_ = true;
        std::vector<Violation> v;
        // The escaping asked for the protocol the Content-Type names (known after parsing).
        const MediaType ct = ParseMediaType(f.content_type);
        std::optional<ScrapeProtocol> named = ProtocolOfContentType(ct);
        const std::string escaping = named ? RequestedEscaping(p.accept, *named) : "";
        std::optional<ScrapeProtocol> served = CheckContentType(f.content_type, escaping, &v);
        ContentTypeOutcomes(v, served, f.content_type, request);
        x.served = served ? std::string(ScrapeProtocolName(*served)) : "";
        d.served = served;
        if (served) {
          supported_.insert(*served);
          d.valid = CheckBody(f, *served, request);
          if (d.valid) valid_protocols_.insert(*served);
          if (d.valid) Keep(f.body, *served, done.size(), encoding == "gzip");
          if (d.valid && FormatOf(*served) != InputFormat::kProtobuf && lint_body_.empty()) {
            lint_body_ = f.body;
            lint_protocol_ = *served;
          }
          if (d.valid && families_.empty()) CollectNames(f.body, *served);
          vary_.push_back({request, Lower(x.vary)});
          body_bytes_ = std::max<uint64_t>(body_bytes_, f.body.size());
        }
        result_->exchanges.push_back(std::move(x));
        done.push_back(std::move(d));
      }
    }
    // Negotiation, once the protocols the target serves are known.
    const std::vector<ScrapeProtocol> supported(supported_.begin(), supported_.end());
    for (size_t i = 0; i < done.size(); ++i) {
      const Done& d = done[i];
      if (!d.served) continue;
      std::vector<Violation> v;
      std::string_view id = CheckNegotiation(d.probe.accept, supported, *d.served, &v);
      if (id.empty()) continue;
      const std::string request = StrCat("GET ", d.probe.label, ", ", d.encoding);
      result_->exchanges[result_->exchanges.size() - done.size() + i].required =
          v.empty() ? result_->exchanges[result_->exchanges.size() - done.size() + i].served
                    : std::string("(see ") + std::string(id) + ")";
      Eval(id, v.empty(), request, "", v.empty() ? "" : v[0].message);
    }
    // Vary: a target that negotiates (serves two protocols) or compresses says so.
    if (!vary_.empty() && (supported_.size() >= 2 || compressed_)) {
      uint64_t missing = 0;
      std::string example, need;
      if (supported_.size() >= 2) need = "Accept";
      if (compressed_) need += need.empty() ? "Accept-Encoding" : ", Accept-Encoding";
      for (const auto& [request, vary] : vary_) {
        bool ok = vary.find('*') != std::string::npos;
        if (!ok) {
          bool accept = false, encoding = false;
          size_t pos = 0;
          while (pos <= vary.size()) {
            size_t comma = vary.find(',', pos);
            if (comma == std::string::npos) comma = vary.size();
            std::string token = vary.substr(pos, comma - pos);
            token.erase(0, token.find_first_not_of(" \t"));
            token.erase(token.find_last_not_of(" \t") + 1);
            accept = accept || token == "accept";
            encoding = encoding || token == "accept-encoding";
            pos = comma + 1;
          }
          ok = (supported_.size() < 2 || accept) && (!compressed_ || encoding);
        }
        if (!ok) {
          ++missing;
          if (example.empty()) example = request;
        }
      }
      Eval("vary", missing == 0, example, "",
           StrCat(missing, " of ", vary_.size(), " responses lack Vary: ", need,
                  " (the target serves ", supported_.size(), " protocols",
                  compressed_ ? " and compresses" : "", "); first: ", example));
    }
  }

  void ContentTypeOutcomes(const std::vector<Violation>& v, std::optional<ScrapeProtocol> served,
                           const std::string& ct, const std::string& request) {
    auto failed = [&](std::string_view id) -> const Violation* {
      for (const Violation& x : v) {
        if (x.check == id) return &x;
      }
      return nullptr;
    };
    const MediaType m = ParseMediaType(ct);
    std::vector<std::string_view> applicable = {"content-type-present"};
    if (!ct.empty()) applicable.push_back("content-type-known");
    if (m.type == "text/plain" || m.type == "application/openmetrics-text") {
      applicable.push_back("content-type-version");
      applicable.push_back(m.type == "text/plain" ? "content-type-charset"
                                                  : "content-type-om-charset");
    }
    if (served == ScrapeProtocol::kPrometheusText1_0_0)
      applicable.push_back("content-type-escaping");
    if (served == ScrapeProtocol::kOpenMetricsText1_0_0) {
      applicable.push_back("content-type-escaping-om");
    }
    for (std::string_view id : applicable) {
      const Violation* x = failed(id);
      Eval(id, x == nullptr, request, "", x ? x->message : "");
    }
  }

  void Keep(const std::string& body, ScrapeProtocol p, size_t index, bool second_round) {
    auto& slot = second_round ? round2_ : round1_;
    if (slot.count(p)) return;
    slot[p] = Kept{body, p, index};
  }

  void CollectNames(const std::string& body, ScrapeProtocol p) {
    std::unique_ptr<Source> src = MemorySource(body, target_);
    LossReport losses;
    std::unique_ptr<FamilyStream> s = StreamOf(*src, p, &losses);
    while (const OwnedFamily* f = s->Next()) {
      if (families_.size() < 64) families_.push_back(f->proto.name());
    }
  }

  // --- Cross-format equivalence -----------------------------------------------------------------

  DiffResult Compare(const Kept& a, const Kept& b, bool ignore_values) {
    DiffOptions d;
    d.old_format = FormatOf(a.protocol);
    d.new_format = FormatOf(b.protocol);
    d.text.names = NameScheme::kUtf8;
    d.ignore_timestamps = true;
    d.ignore_values = ignore_values;
    d.abs_tolerance = o_.abs_tolerance;
    d.rel_tolerance = o_.rel_tolerance;
    const bool a_text = FormatOf(a.protocol) == InputFormat::kText;
    const bool b_text = FormatOf(b.protocol) == InputFormat::kText;
    if (a_text != b_text) d.ignore_metrics.push_back("_created$");
    std::unique_ptr<Source> sa = MemorySource(a.body, "a");
    std::unique_ptr<Source> sb = MemorySource(b.body, "b");
    return Diff(*sa, *sb, d);
  }

  static std::string SeriesKey(const Difference& d) {
    return StrCat(d.family, LabelsText(d.labels));
  }

  // A structural difference that a format's normal rendering explains (not a finding).
  static bool Explained(const Difference& d, bool text_involved, bool proto_involved,
                        const std::set<std::string>& removed, const std::set<std::string>& added) {
    switch (d.kind) {
      case DiffKind::kUnitChanged:
        return text_involved;
      case DiffKind::kTypeChanged: {
        auto gaugeish = [](const std::string& t) {
          return t == "gauge" || t == "info" || t == "stateset" || t == "untyped" || t == "unknown";
        };
        return (text_involved || proto_involved) && gaugeish(d.old_text) && gaugeish(d.new_text);
      }
      case DiffKind::kFamilyAdded:
      case DiffKind::kFamilyRemoved: {
        // A counter named without _total is x in text and x_total in OpenMetrics.
        const std::set<std::string>& other = d.kind == DiffKind::kFamilyAdded ? removed : added;
        if (d.family.ends_with("_total") && other.count(d.family.substr(0, d.family.size() - 6))) {
          return true;
        }
        return other.count(d.family + "_total") > 0;
      }
      case DiffKind::kBucketLayoutChanged:
        // A native-only histogram has no classic buckets in protobuf.
        return proto_involved && (d.old_items.empty() || d.new_items.empty());
      default:
        return false;
    }
  }

  static std::string Describe(const Difference& d, std::string_view a, std::string_view b) {
    switch (d.kind) {
      case DiffKind::kFamilyAdded:
        return StrCat("family only in ", b, " (", d.series, " series)");
      case DiffKind::kFamilyRemoved:
        return StrCat("family missing in ", b, " (", d.series, " series in ", a, ")");
      case DiffKind::kTypeChanged:
        return StrCat("type ", d.old_text, " in ", a, " but ", d.new_text, " in ", b);
      case DiffKind::kUnitChanged:
        return StrCat("unit \"", d.old_text, "\" in ", a, " but \"", d.new_text, "\" in ", b);
      case DiffKind::kHelpChanged:
        return StrCat("HELP differs between ", a, " and ", b);
      case DiffKind::kLabelNamesChanged:
        return StrCat("label names differ between ", a, " and ", b);
      case DiffKind::kBucketLayoutChanged:
        return StrCat("bucket bounds differ between ", a, " and ", b);
      case DiffKind::kSeriesAdded:
        return StrCat("series ", LabelsText(d.labels), " only in ", b);
      case DiffKind::kSeriesRemoved:
        return StrCat("series ", LabelsText(d.labels), " missing in ", b);
      default:
        return StrCat(DiffKindName(d.kind));
    }
  }

  static bool Structural(DiffKind k) {
    return k != DiffKind::kValueChanged && k != DiffKind::kCounterReset &&
           k != DiffKind::kTimestampChanged;
  }

  void Equivalence() {
    // The reference: PrometheusText0.0.4 when served, else the first protocol served.
    std::optional<ScrapeProtocol> ref;
    if (round1_.count(ScrapeProtocol::kPrometheusText0_0_4)) {
      ref = ScrapeProtocol::kPrometheusText0_0_4;
    } else if (!round1_.empty()) {
      ref = round1_.begin()->first;
    }
    if (!ref) return;
    const Kept& a1 = round1_.at(*ref);
    const Kept* a2 = round2_.count(*ref) ? &round2_.at(*ref) : nullptr;
    std::vector<std::unique_ptr<RE2>> ignore;
    for (const std::string& p : o_.ignore_values) ignore.push_back(std::make_unique<RE2>(p));
    // Series whose values moved between the two reference bodies: not compared across formats.
    std::set<std::string> unstable;
    if (a2 != nullptr) {
      DiffResult same = Compare(a1, *a2, false);
      for (const Difference& d : same.differences) unstable.insert(SeriesKey(d));
    }
    // Values are compared for counter-like families only: a monotonic value that did not move
    // between the two reference bodies cannot have moved in between; a gauge can.
    std::set<std::string> monotonic;
    {
      std::unique_ptr<Source> src = MemorySource(a1.body, target_);
      LossReport losses;
      std::unique_ptr<FamilyStream> s = StreamOf(*src, *ref, &losses);
      while (const OwnedFamily* f = s->Next()) {
        if (f->type == MetricType::kCounter || f->type == MetricType::kHistogram ||
            f->type == MetricType::kSummary) {
          monotonic.insert(f->proto.name());
        }
      }
    }
    const std::string a_name(ScrapeProtocolName(*ref));
    for (const auto& [p, b1] : round1_) {
      if (p == *ref) continue;
      const Kept* b2 = round2_.count(p) ? &round2_.at(p) : nullptr;
      const std::string b_name(ScrapeProtocolName(p));
      const bool text_involved =
          FormatOf(p) == InputFormat::kText || FormatOf(*ref) == InputFormat::kText;
      const bool proto_involved = p == ScrapeProtocol::kPrometheusProto;
      auto structural = [&](const DiffResult& r) {
        std::set<std::string> added, removed;
        for (const Difference& d : r.differences) {
          if (d.kind == DiffKind::kFamilyAdded) added.insert(d.family);
          if (d.kind == DiffKind::kFamilyRemoved) removed.insert(d.family);
        }
        std::map<std::string, const Difference*> out;
        for (const Difference& d : r.differences) {
          if (!Structural(d.kind) || Explained(d, text_involved, proto_involved, removed, added)) {
            continue;
          }
          out[StrCat(static_cast<int>(d.kind), "\x01", SeriesKey(d), "\x01", d.old_text, "\x01",
                     d.new_text)] = &d;
        }
        return out;
      };
      DiffResult r1 = Compare(a1, b1, false);
      if (!r1.ok()) continue;
      std::optional<DiffResult> r2;
      if (a2 != nullptr && b2 != nullptr) r2 = Compare(*a2, *b2, true);
      auto s1 = structural(r1);
      std::map<std::string, const Difference*> s2;
      if (r2 && r2->ok()) s2 = structural(*r2);
      // Per family: the confirmed differences (in both pairs when there are two).
      std::map<std::string, std::pair<uint64_t, std::string>> per_family;
      for (const auto& [key, d] : s1) {
        if (r2 && r2->ok() && !s2.count(key)) continue;
        auto& e = per_family[d->family];
        if (e.first++ == 0) e.second = Describe(*d, a_name, b_name);
      }
      for (const auto& [family, e] : per_family) {
        Eval("formats-agree", false, StrCat(a_name, " vs ", b_name), family,
             e.first == 1 ? e.second
                          : StrCat(e.second, " (and ", e.first - 1, " more differences)"));
      }
      Eval("formats-agree", true);
      // Values: the B body sampled between the two reference bodies.
      const Kept* mid = &b1;
      if (a2 != nullptr && b2 != nullptr && !(b1.index > a1.index && b1.index < a2->index)) {
        mid = b2;
      }
      if (a2 == nullptr) continue;
      DiffResult rv = mid == &b1 ? std::move(r1) : Compare(a1, *mid, false);
      std::map<std::string, std::pair<uint64_t, std::string>> values;
      for (const Difference& d : rv.differences) {
        if (d.kind != DiffKind::kValueChanged && d.kind != DiffKind::kCounterReset) continue;
        if (unstable.count(SeriesKey(d)) || !monotonic.count(d.family)) continue;
        bool skip = false;
        for (const auto& re : ignore) skip = skip || RE2::PartialMatch(d.family, *re);
        if (skip) continue;
        auto& e = values[d.family];
        if (e.first++ == 0) {
          e.second = StrCat(LabelsText(d.labels), " ", DiffFieldName(d.field), " ",
                            Num(d.old_value), " in ", a_name, " but ", Num(d.new_value), " in ",
                            b_name, " (stable across two ", a_name, " scrapes)");
        }
      }
      for (const auto& [family, e] : values) {
        Eval("formats-agree-values", false, StrCat(a_name, " vs ", b_name), family,
             e.first == 1 ? e.second : StrCat(e.second, " (and ", e.first - 1, " more values)"));
      }
      Eval("formats-agree-values", true);
    }
    round1_.clear();
    round2_.clear();
  }

  // --- Over time --------------------------------------------------------------------------------

  void OverTime() {
    const uint32_t n = std::max<uint32_t>(1, o_.scrapes);
    const std::optional<std::string> accept = AcceptHeader(DefaultScrapeProtocols());
    const Clock::time_point start = Clock::now();
    std::optional<double> last_start_time;
    uint32_t parsed = 0;
    for (uint32_t i = 0; i < n && !stopped_; ++i) {
      if (i > 0) {
        const double wait = i * o_.interval_seconds - Since(start);
        if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      }
      const std::string request = StrCat("GET Prometheus 3.x default, gzip (scrape ", i + 1, ")");
      ScrapeOptions so = Options(accept, "gzip");
      FetchResult f = Send(so);
      Eval("scrape-timeout", !TimedOut(f), request, "",
           StrCat("no complete response within the ", Num(o_.client.timeout_seconds), "s timeout"));
      if (o_.limits_given) {
        const bool too_big = f.error.message.find("body size limit") != std::string::npos;
        const bool too_many = o_.client.sample_limit > 0 && f.samples > o_.client.sample_limit;
        Eval("scrape-limits", !too_big && !too_many, request, "",
             too_big
                 ? f.error.message
                 : StrCat(f.samples, " samples exceed --sample-limit ", o_.client.sample_limit));
      }
      if (f.status < 200 || f.status > 299 || f.body.empty()) continue;
      std::optional<ScrapeProtocol> served = ProtocolOfContentType(ParseMediaType(f.content_type));
      if (!served) served = ScrapeProtocol::kPrometheusText0_0_4;
      std::unique_ptr<Source> src = MemorySource(f.body, target_);
      LossReport losses;
      std::unique_ptr<FamilyStream> stream = StreamOf(*src, *served, &losses);
      std::optional<double> start_time;
      std::set<std::string> seen_now;
      std::unordered_map<std::string, std::vector<std::string>> dups;
      std::vector<std::string> current;
      ++parsed;
      const uint32_t scrape = parsed;
      std::vector<std::tuple<std::string, std::string, double, bool, int64_t, double, bool>>
          samples;  // key, family, value, has_ts, ts, created, counter
      while (const OwnedFamily* fam = stream->Next()) {
        const std::string& name = fam->proto.name();
        for (const pb::Metric& m : fam->proto.metric()) {
          const auto labels = SortedLabels(m);
          const std::string labels_text = LabelsText(labels);
          const std::string key = name + labels_text;
          if (!seen_now.insert(key).second) {
            Eval("series-duplicate", false, request, name,
                 StrCat("series ", labels_text, " appears more than once in one exposition"));
            continue;
          }
          if (name == "process_start_time_seconds" && m.has_gauge()) {
            start_time = m.gauge().value();
          }
          bool counter = false;
          double value = 0, created = 0;
          if (m.has_counter()) {
            counter = fam->type == MetricType::kCounter;
            value = m.counter().value();
            created = m.counter().created_timestamp().seconds();
          } else if (m.has_histogram() && fam->type == MetricType::kHistogram) {
            counter = true;
            value = HistogramCount(m.histogram());
            created = m.histogram().created_timestamp().seconds();
          } else if (m.has_summary()) {
            counter = true;
            value = static_cast<double>(m.summary().sample_count());
            created = m.summary().created_timestamp().seconds();
          }
          samples.emplace_back(key, name, value, m.has_timestamp_ms(), m.timestamp_ms(), created,
                               counter);
          // Label groups: the other labels fixed, one label's value.
          for (size_t li = 0; li < labels.size(); ++li) {
            std::string rest = name + "\x01" + labels[li].first + "\x01";
            for (size_t lj = 0; lj < labels.size(); ++lj) {
              if (lj != li) StrAppend(&rest, labels[lj].first, "=", labels[lj].second, "\x02");
            }
            LabelGroup& g = groups_[rest];
            if (g.seen == 0 && g.last_scrape == UINT32_MAX) {
              g.family = name;
              g.label = labels[li].first;
            }
            if (g.last_scrape == scrape) {
              g.multi = true;
              continue;
            }
            if (g.seen > 0 && labels[li].second != g.last_value) ++g.changes;
            g.last_value = labels[li].second;
            g.last_scrape = scrape;
            ++g.seen;
          }
        }
      }
      Eval("series-duplicate", true);
      if (stream->error() != nullptr) {
        --parsed;  // reported by the matrix's body checks
        continue;
      }
      const bool restarted = start_time && last_start_time && *start_time != *last_start_time;
      if (start_time) last_start_time = start_time;
      for (const auto& [key, family, value, has_ts, ts, created, counter] : samples) {
        SeriesState& s = series_[key];
        if (s.seen > 0) {
          if (counter && s.counter) {
            const bool reset = value < s.value && !restarted && created == s.created;
            Eval("counter-monotonic", !reset, request, family,
                 StrCat("series ", key.substr(family.size()), " went from ", Num(s.value), " to ",
                        Num(value), " between scrapes ", s.last_scrape, " and ", scrape,
                        start_time ? " while process_start_time_seconds stayed the same"
                                   : " (no process_start_time_seconds tells of a restart)"));
          }
          if (has_ts && s.has_ts) {
            Eval("timestamp-monotonic", ts >= s.ts, request, family,
                 StrCat("series ", key.substr(family.size()), " timestamp went back from ", s.ts,
                        " to ", ts, " ms"));
          }
        }
        s.family = family;
        s.labels = key.substr(family.size());
        ++s.seen;
        s.last_scrape = scrape;
        s.counter = counter;
        s.value = value;
        s.has_ts = has_ts;
        s.ts = ts;
        s.created = created;
      }
    }
    if (parsed < 2) return;
    // Volatile labels: one series per group, a new value on every scrape.
    std::set<std::string> volatile_families;
    std::map<std::string, std::string> volatile_label;
    for (const auto& [key, g] : groups_) {
      if (!g.multi && g.seen == parsed && g.changes == parsed - 1) {
        volatile_families.insert(g.family);
        volatile_label.emplace(g.family, g.label);
      }
    }
    for (const auto& [family, label] : volatile_label) {
      Eval("label-value-volatile", false, "", family,
           StrCat("label \"", label, "\" has a new value on each of ", parsed,
                  " scrapes (a timestamp, duration or reading in a label makes a new series "
                  "every scrape)"));
    }
    Eval("label-value-volatile", true);
    // Churn: series missing from some scrapes.
    std::map<std::string, std::pair<uint64_t, std::string>> churn;
    for (const auto& [key, s] : series_) {
      if (s.seen == parsed || volatile_families.count(s.family)) continue;
      auto& e = churn[s.family];
      if (e.first++ == 0) e.second = s.labels;
    }
    for (const auto& [family, e] : churn) {
      Eval("series-churn", false, "", family,
           StrCat(e.first, " series present in only some of ", parsed, " scrapes (e.g. ", e.second,
                  ")"));
    }
    Eval("series-churn", true);
    Eval("counter-monotonic", true);
    series_.clear();
    groups_.clear();
  }

  void TimeoutHeader() {
    if (latencies_.empty()) return;
    std::vector<double> l = latencies_;
    std::sort(l.begin(), l.end());
    const double median = l[l.size() / 2];
    if (median < 0.2) return;  // fast: nothing to cut short
    const double header = median / 2;
    ScrapeOptions so = Options(AcceptHeader(DefaultScrapeProtocols()), "gzip");
    so.scrape_timeout_header = Num(header);
    FetchResult f = Send(so);
    const bool ok = !TimedOut(f) && f.seconds <= header * 1.5 + 0.1;
    Eval("scrape-timeout-header", ok,
         StrCat("GET with X-Prometheus-Scrape-Timeout-Seconds: ", Num(header)), "",
         StrCat("answered after ", Num(f.seconds), "s although the header allowed ", Num(header),
                "s (median scrape ", Num(median), "s)"));
  }

  // --- Lint -------------------------------------------------------------------------------------

  void Lint() {
    if (lint_body_.empty()) return;
    lint::SourceLintOptions lo;
    lo.format = FormatOf(lint_protocol_);
    lo.lint.rules = "default,-metric-not-unique";  // duplicates: series-duplicate
    lo.suppression_comments = false;
    std::unique_ptr<Source> src = MemorySource(lint_body_, target_);
    lint::SourceLintResult r = lint::LintSource(*src, lo);
    for (const lint::Problem& p : r.problems) {
      Eval(StrCat("lint/", p.rule), false, StrCat("GET ", ScrapeProtocolName(lint_protocol_)),
           p.family, p.message);
    }
    for (const lint::RuleInfo& rule : lint::Rules()) {
      if (!rule.default_on || rule.id == "metric-not-unique") continue;
      Eval(StrCat("lint/", rule.id), true);
    }
    lint_body_.clear();
    lint_body_.shrink_to_fit();
  }

  // --- Fuzz -------------------------------------------------------------------------------------

  bool Alive() {
    ScrapeOptions so = Options(AcceptHeader(DefaultScrapeProtocols()), "gzip");
    so.timeout_seconds = std::min(o_.client.timeout_seconds, 5.0);
    FetchResult f = Fetch(url_, so, FetchBody::kKeep);
    return f.status >= 200 && f.status < 300;
  }

  void Fuzz() {
    std::vector<FuzzRequest> requests =
        o_.replay.empty() ? GenerateFuzz(o_.seed, o_.fuzz_count, families_) : o_.replay;
    const Clock::time_point start = Clock::now();
    for (FuzzRequest& r : requests) {
      if (Since(start) > o_.fuzz_seconds && o_.replay.empty()) break;
      if (r.kind == "slow-read" && r.recv_bytes_per_second == 0) {
        // About 1.5 s for the largest body seen.
        r.recv_bytes_per_second = std::max<uint64_t>(4096, body_bytes_ * 2 / 3);
      }
      const std::string replay = r.Serialize();
      const std::string request = StrCat(
          r.kind, ": ", r.method, " ", r.query.empty() ? "" : r.query + " ",
          "Accept: ", r.accept ? "\"" + *r.accept + "\"" : "(none)",
          ", Accept-Encoding: ", r.accept_encoding ? "\"" + *r.accept_encoding + "\"" : "(none)",
          r.concurrency > 1 ? StrCat(", x", r.concurrency) : "",
          r.recv_bytes_per_second ? StrCat(", read at ", r.recv_bytes_per_second, " B/s") : "");
      ScrapeOptions so = Options(r.accept, r.accept_encoding ? *r.accept_encoding : "");
      if (!r.accept_encoding) so.accept_encoding = std::string();
      so.head = r.method == "HEAD";
      so.max_recv_bytes_per_second = r.recv_bytes_per_second;
      if (r.recv_bytes_per_second > 0) {
        so.timeout_seconds = std::max(o_.client.timeout_seconds, 5.0);
      }
      std::vector<FetchResult> results(r.concurrency);
      if (r.concurrency == 1) {
        results[0] = Fetch(url_ + r.query, so, FetchBody::kKeep);
      } else {
        std::vector<std::thread> threads;
        for (uint32_t k = 0; k < r.concurrency; ++k) {
          threads.emplace_back(
              [&, k] { results[k] = Fetch(url_ + r.query, so, FetchBody::kKeep); });
        }
        for (std::thread& t : threads) t.join();
      }
      bool no_response = false;
      std::string no_response_text;
      for (const FetchResult& f : results) {
        if (f.status == 0) {
          no_response = true;
          no_response_text = TimedOut(f) ? "no answer within the timeout" : f.error.message;
        }
      }
      if (no_response && !Alive()) {
        Eval("fuzz-target-dead", false, request, "",
             StrCat("the request got no response (", no_response_text,
                    ") and the target stopped answering normal scrapes"),
             replay);
        stopped_ = true;
        break;
      }
      for (const FetchResult& f : results) {
        if (f.status == 0) {
          if (TimedOut(f)) {
            Eval("fuzz-hang", false, request, "", "no answer within the timeout", replay);
          } else {
            Eval("fuzz-reset", false, request, "", StrCat("no HTTP response: ", f.error.message),
                 replay);
          }
          continue;
        }
        Eval("fuzz-hang", true);
        Eval("fuzz-reset", true);
        Eval("fuzz-server-error", f.status < 500, request, "",
             StrCat("HTTP status ", f.status, " (", f.error.message, ")"), replay);
        if (f.status >= 200 && f.status < 300 && !so.head) {
          std::optional<ScrapeProtocol> served =
              ProtocolOfContentType(ParseMediaType(f.content_type));
          // A protocol whose bodies the matrix found invalid was reported there already.
          if (served && valid_protocols_.count(*served) &&
              f.error.message.find("Content-Encoding") == std::string::npos) {
            CheckBody(f, *served, request, "fuzz-invalid-body");
            if (!findings_.empty() && findings_.back().check == "fuzz-invalid-body" &&
                findings_.back().replay.empty()) {
              findings_.back().replay = replay;
            }
          }
        }
      }
      if (!no_response && r.concurrency > 1) {
        // Concurrent scrapes can leave a target wedged without resetting a connection.
        if (!Alive()) {
          Eval("fuzz-target-dead", false, request, "",
               "the target stopped answering normal scrapes after concurrent scrapes", replay);
          stopped_ = true;
          break;
        }
      }
      Eval("fuzz-target-dead", true);
    }
  }

  void Flush() {
    for (const CheckInfo& c : Checks()) {
      auto it = outcomes_.find(std::string(c.id));
      if (it != outcomes_.end()) result_->outcomes.push_back(it->second);
    }
    for (const auto& [id, o] : outcomes_) {
      if (id.starts_with("lint/")) result_->outcomes.push_back(o);
    }
    auto rank = [](const std::string& id) {
      size_t i = 0;
      for (const CheckInfo& c : Checks()) {
        if (c.id == id) return i;
        ++i;
      }
      return i;
    };
    std::stable_sort(findings_.begin(), findings_.end(), [&](const Finding& a, const Finding& b) {
      const size_t ra = rank(a.check), rb = rank(b.check);
      if (ra != rb) return ra < rb;
      if (ra == Checks().size() && a.check != b.check) return a.check < b.check;
      return a.family < b.family;
    });
    for (Finding& f : findings_) result_->findings.push_back(std::move(f));
  }

  std::string url_, target_;
  const ExporterCheckOptions& o_;
  ExporterCheckResult* result_;
  std::map<std::string, Outcome> outcomes_;
  std::vector<Finding> findings_;
  bool stopped_ = false;
  int consecutive_timeouts_ = 0;
  std::vector<double> latencies_;
  std::set<ScrapeProtocol> supported_;
  std::set<ScrapeProtocol> valid_protocols_;  // served with a valid body in the matrix
  std::vector<std::pair<std::string, std::string>> vary_;
  bool compressed_ = false;
  std::map<ScrapeProtocol, Kept> round1_, round2_;
  std::string lint_body_;
  ScrapeProtocol lint_protocol_ = ScrapeProtocol::kPrometheusText0_0_4;
  std::vector<std::string> families_;
  uint64_t body_bytes_ = 0;
  std::unordered_map<std::string, SeriesState> series_;
  std::unordered_map<std::string, LabelGroup> groups_;
};

}  // namespace

ExporterCheckResult CheckExporter(const std::vector<std::string>& urls,
                                  const ExporterCheckOptions& options) {
  const Clock::time_point start = Clock::now();
  ExporterCheckResult result;
  if (urls.empty()) {
    result.error.code = ErrorCode::kUnsupported;
    result.error.message = "no target: give one or more http(s):// URLs";
    return result;
  }
  for (const std::string& p : options.ignore_values) {
    RE2::Options ro;
    ro.set_log_errors(false);
    RE2 re(p, ro);
    if (!re.ok()) {
      result.error.code = ErrorCode::kUnsupported;
      result.error.message =
          StrCat("--ignore-values: invalid regular expression \"", p, "\": ", re.error());
      return result;
    }
  }
  for (const std::string& url : urls) {
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      result.error.code = ErrorCode::kUnsupported;
      result.error.message = StrCat("\"", RedactUrl(url), "\" is not an http(s):// URL");
      return result;
    }
    result.targets.push_back(RedactUrl(url));
  }
  for (const std::string& url : urls) {
    TargetRun run(url, options, &result);
    run.Run();
  }
  result.seconds = Since(start);
  return result;
}

}  // namespace promtool::exporter
