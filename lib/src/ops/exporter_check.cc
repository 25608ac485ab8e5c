// CheckExporter(): runs the negotiation matrix, the cross-format comparison, the repeated
// scrapes, the lint of the served text and the fuzzer against each target, and keeps one outcome
// per check and target plus the findings.
#include "promtool/exporter_check.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/hash.h"
#include "common/strcat.h"
#include "model/model_access.h"
#include "model/owned_family.h"
#include "net/limits.h"
#include "promtool/diff.h"
#include "promtool/input_format.h"
#include "promtool/lint_run.h"
#include "promtool/scrape.h"
#include "promtool/source.h"
#include "promtool/validate.h"
#include "re2/re2.h"
#include "source/tail_keeper.h"

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

std::string Header(const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view name) {
  std::string out;
  for (const auto& [k, v] : headers) {
    if (Lower(k) == name) out += (out.empty() ? "" : ", ") + v;
  }
  return out;
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
    case ScrapeProtocol::kOpenMetricsText2_0_0:
      return "application/openmetrics-text;version=2.0.0";
  }
  if (!escaping.empty()) StrAppend(&out, ";escaping=", escaping);
  return out;
}

// Prometheus 2.42's fixed Accept header, and 3.x's default (scrape_protocols unset).
constexpr std::string_view kPrometheus2Accept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

// `openmetrics2`: OpenMetricsText2.0.0 too (asked for: exporters serve 1.0 by default).
std::vector<Probe> MatrixProbes(bool openmetrics2) {
  std::vector<Probe> out;
  out.push_back({"PrometheusProto", ProtocolAccept(ScrapeProtocol::kPrometheusProto, ""),
                 ScrapeProtocol::kPrometheusProto});
  out.push_back({"OpenMetricsText1.0.0",
                 ProtocolAccept(ScrapeProtocol::kOpenMetricsText1_0_0, "allow-utf-8"),
                 ScrapeProtocol::kOpenMetricsText1_0_0});
  out.push_back({"OpenMetricsText0.0.1", ProtocolAccept(ScrapeProtocol::kOpenMetricsText0_0_1, ""),
                 ScrapeProtocol::kOpenMetricsText0_0_1});
  if (openmetrics2) {
    out.push_back({"OpenMetricsText2.0.0",
                   ProtocolAccept(ScrapeProtocol::kOpenMetricsText2_0_0, ""),
                   ScrapeProtocol::kOpenMetricsText2_0_0});
  }
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
    case ScrapeProtocol::kOpenMetricsText2_0_0:
      return InputFormat::kOpenMetrics2;
    default:
      return InputFormat::kText;
  }
}

std::unique_ptr<FamilyStream> StreamOf(Source& source, ScrapeProtocol p, LossReport* losses,
                                       uint32_t max_part_series = 0) {
  FamilyStreamOptions read;
  read.text.names =
      p == ScrapeProtocol::kPrometheusText1_0_0 ? NameScheme::kUtf8 : NameScheme::kLegacy;
  read.max_part_series = max_part_series;
  return NewFamilyStream(source, FormatOf(p), read, losses);
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
// Bodies compared across formats are read with at most this many decoded bytes (the diff engine
// indexes one of each pair); a larger body is not compared, and a note says so.
constexpr uint64_t kEquivalenceBodyBytes = uint64_t{16} << 20;
// Series whose state the over-time checks keep per target; series beyond it are not tracked, and
// a note says so.
constexpr size_t kMaxTrackedSeries = 100000;
// Label sets kept per tracked series for messages are clipped to this many bytes.
constexpr size_t kExampleBytes = 96;

std::string Clip(std::string_view s) {
  if (s.size() <= kExampleBytes) return std::string(s);
  size_t n = kExampleBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 chars
  return StrCat(s.substr(0, n), "...");
}

// What came back for one request. The body was read as a stream (by a consumer, then drained and
// counted), never held whole.
struct Reply {
  long status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  Error error;               // OpenScrape's, or why the body's transfer stopped (not located)
  bool body_failed = false;  // the transfer stopped while the body was read
  uint64_t bytes = 0;        // decoded body bytes
  double seconds = 0;        // until the whole body was read
  bool two() const { return status >= 200 && status < 300; }
  bool timed_out() const { return error.code == ErrorCode::kTimeout; }
};

// What reading a body in the protocol its Content-Type names found.
struct BodyVerdict {
  bool gzip_magic = false;
  bool mismatch = false;
  InputFormat detected = InputFormat::kText;
  bool transfer = false;  // the transfer stopped before the body was judged (see Reply::error)
  Error error;            // the body's first error; ok() when it is valid
};

bool EndsWithEofLine(std::string_view w) {
  if (w.ends_with('\n')) w.remove_suffix(1);
  return w == "# EOF" || w.ends_with("\n# EOF");
}

// Reads `body` (a stream) and validates it strictly in `served`. Holds the format detection's
// look-ahead (1 MiB) and one line at a time, whatever the body's size.
BodyVerdict ReadBody(Source& stream, ScrapeProtocol served) {
  TailKeeper body(stream);
  BodyVerdict v;
  v.detected = DetectFormat(body);
  const std::string_view w = body.window();
  v.gzip_magic = w.size() >= 2 && static_cast<unsigned char>(w[0]) == 0x1f &&
                 static_cast<unsigned char>(w[1]) == 0x8b;
  if (v.gzip_magic) return v;
  if (!body.error().empty()) {
    v.transfer = true;
    return v;
  }
  const InputFormat want = FormatOf(served);
  if (want == InputFormat::kText && v.detected != InputFormat::kText) v.mismatch = true;
  if ((want == InputFormat::kOpenMetrics || want == InputFormat::kOpenMetrics2) &&
      v.detected == InputFormat::kProtobuf) {
    v.mismatch = true;
  }
  if (want == InputFormat::kProtobuf && v.detected != InputFormat::kProtobuf && !w.empty()) {
    v.mismatch = true;
  }
  if (v.mismatch) return v;
  ValidateOptions vo;
  vo.format = want;
  vo.text.names =
      served == ScrapeProtocol::kPrometheusText1_0_0 ? NameScheme::kUtf8 : NameScheme::kLegacy;
  ValidateResult r = Validate(body, vo);
  if (!body.error().empty()) {
    v.transfer = true;
    return v;
  }
  v.error = std::move(r.error);
  // A body longer than the look-ahead shows an OpenMetrics "# EOF" only at its end.
  if (v.error.ok() && want == InputFormat::kText && body.at_eof() && EndsWithEofLine(body.tail())) {
    v.mismatch = true;
    v.detected = InputFormat::kOpenMetrics;
  }
  return v;
}

std::string BodyMessage(const Error& e, ScrapeProtocol served) {
  const std::string where =
      e.line > 0 ? StrCat("line ", e.line, ": ") : StrCat("byte ", e.offset, ": ");
  return StrCat(ScrapeProtocolName(served), " body, ", where, e.message, " [", ErrorCodeId(e.code),
                "]");
}

std::string MismatchMessage(const BodyVerdict& v, ScrapeProtocol served) {
  return StrCat("the Content-Type names ", ScrapeProtocolName(served), " but the body is ",
                v.detected == InputFormat::kOpenMetrics ? "OpenMetrics (it ends with # EOF)"
                : v.detected == InputFormat::kOpenMetrics2
                    ? "OpenMetrics 2.0 (composite values, and it ends with # EOF)"
                : v.detected == InputFormat::kProtobuf ? "delimited protobuf"
                                                       : "text");
}

// The monotonic values of one body (counter values, histogram and summary counts, histogram
// bucket counts), by series and field, sorted by key: values that never go down, so equal values
// at both ends of a time span did not move in between. A sum moves only with its count; a
// quantile moves without observations (its window slides), so quantiles are never compared.
using Digest = std::vector<std::pair<uint64_t, double>>;

uint64_t ValueKey(std::string_view family,
                  const std::vector<std::pair<std::string, std::string>>& labels, DiffField field,
                  double bound) {
  uint64_t h = hash::Bytes(family, 0x51);
  for (const auto& [k, v] : labels) {
    h = hash::Bytes(k, h + 1);
    h = hash::Bytes(v, h + 2);
  }
  uint64_t bits = 0;
  static_assert(sizeof bits == sizeof bound);
  std::memcpy(&bits, &bound, sizeof bits);
  return hash::Mix(h ^ hash::Mix(bits + static_cast<uint64_t>(field) + 3));
}

bool SameValue(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Per-series state across the repeated scrapes, keyed by a hash of the family and the labels.
struct SeriesState {
  uint32_t family = 0;  // into TargetRun::names_
  std::string labels;   // for messages, clipped to kExampleBytes
  uint32_t seen = 0;
  uint32_t last_scrape = 0;
  bool counter = false;
  bool has_ts = false;
  double value = 0;
  double created = 0;
  int64_t ts = 0;
};

// One label's value among the series of a family whose other labels are the same.
struct LabelGroup {
  uint32_t family = 0, label = 0;  // into TargetRun::names_
  uint64_t last_value = 0;         // hash
  uint32_t seen = 0, changes = 0, last_scrape = UINT32_MAX;
  bool multi = false;
};

// A counter that went down in a scrape, reported once the scrape tells whether the process
// restarted.
struct Reset {
  std::string family, labels;
  double from = 0, to = 0;
  uint32_t from_scrape = 0, to_scrape = 0;
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
    if (!stopped_ && o_.lint) Lint();
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

  void AddNote(std::string message) { notes_.push_back({target_, std::move(message)}); }

  using Consumer = std::function<void(const Reply&, Source&)>;

  // Sends one request and reads its body as a stream through `consume` (nullptr: the body is read
  // and counted only). `track`: the request counts for the stop rule (three requests in a row
  // without an answer) and the latencies; false from other threads.
  Reply Request(const ScrapeOptions& so, const std::string& query = "",
                const Consumer& consume = nullptr, bool track = true) {
    const Clock::time_point t0 = Clock::now();
    ScrapeResponse r = OpenScrape(url_ + query, so);
    Reply out;
    out.status = r.status;
    out.content_type = std::move(r.content_type);
    out.headers = std::move(r.headers);
    out.error = std::move(r.error);
    if (r.body != nullptr) {
      Source& s = *r.body;
      if (consume) consume(out, s);
      while (s.Refill(s.window_offset() + s.window().size())) continue;
      out.bytes = s.window_offset() + s.window().size();
      if (!s.error().empty()) {
        out.error = Error::Unlocated(s.error_code(), s.error());
        out.body_failed = true;
      }
    }
    out.seconds = Since(t0);
    if (track) {
      if (out.status == 0) {
        if (++consecutive_timeouts_ >= 3) stopped_ = true;
      } else {
        consecutive_timeouts_ = 0;
      }
      if (out.two() && !out.timed_out()) latencies_.push_back(out.seconds);
    }
    return out;
  }

  // The body checks of a matrix response; true when the body is valid in `served`.
  bool ApplyBody(const BodyVerdict& v, ScrapeProtocol served, const std::string& request) {
    Eval("gzip-content-encoding", !v.gzip_magic, request, "",
         "the body starts with the gzip magic bytes 1f 8b but the response has no "
         "Content-Encoding: gzip");
    if (v.gzip_magic || v.transfer) return false;
    Eval("body-format-mismatch", !v.mismatch, request, "", MismatchMessage(v, served));
    if (v.mismatch) return false;
    const std::string message = BodyMessage(v.error, served);
    if (FormatOf(served) == InputFormat::kOpenMetrics) {
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
    const std::vector<Probe> probes = MatrixProbes(o_.openmetrics2);
    struct Done {
      Probe probe;
      std::string encoding;
      std::optional<ScrapeProtocol> served;
    };
    std::vector<Done> done;
    for (std::string_view encoding : {"identity", "gzip"}) {
      for (const Probe& p : probes) {
        if (stopped_) break;
        const std::string request = StrCat("GET ", p.label, ", ", encoding);
        std::vector<Violation> ct_violations;
        std::optional<ScrapeProtocol> served;
        std::optional<BodyVerdict> verdict;
        bool read = false;
        Reply f = Request(Options(p.accept, encoding), "", [&](const Reply& head, Source& body) {
          read = true;
          // The escaping asked for the protocol the Content-Type names.
          std::optional<ScrapeProtocol> named =
              ProtocolOfContentType(ParseMediaType(head.content_type));
          const std::string escaping = named ? RequestedEscaping(p.accept, *named) : "";
          served = CheckContentType(head.content_type, escaping, &ct_violations);
          if (served) verdict = ReadBody(body, *served);
        });
        Exchange x;
        x.target = target_;
        x.label = p.label;
        x.accept_encoding = std::string(encoding);
        x.status = f.status;
        x.content_type = f.content_type;
        x.content_encoding = Header(f.headers, "content-encoding");
        x.vary = Header(f.headers, "vary");
        x.bytes = f.bytes;
        x.seconds = f.seconds;
        if (!f.error.ok()) x.error = f.error.message;
        Done d{p, std::string(encoding), std::nullopt};
        const bool timed_out = f.timed_out();
        Eval("scrape-timeout", !timed_out, request, "",
             StrCat("no complete response within the ", Num(o_.client.timeout_seconds),
                    "s timeout"));
        const bool two = f.two();
        // A 2xx whose body could not be read (a refused coding, a limit, a broken stream).
        const bool unreadable = two && !f.error.ok();
        if (!timed_out) {
          if (f.error.message.find("Content-Encoding") != std::string::npos) {
            // A coding the client does not decode.
            Eval("content-encoding-accepted", false, request, "",
                 StrCat("Content-Encoding \"", x.content_encoding,
                        "\" although the request accepted ", encoding, " only"));
          } else if (f.error.code == ErrorCode::kLimit &&
                     f.error.message.find("body size limit") != std::string::npos) {
            Eval("scrape-limits", false, request, "", f.error.message);
          } else if (unreadable) {
            Eval("body-valid", false, request, "", f.error.message);
          } else {
            Eval("http-status", two, request, "",
                 f.status == 0 ? StrCat("no HTTP response: ", f.error.message)
                               : StrCat("HTTP status ", f.status, " (", f.error.message, ")"));
          }
        }
        if (!two || !read) {
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
        ContentTypeOutcomes(ct_violations, served, f.content_type, request);
        x.served = served ? std::string(ScrapeProtocolName(*served)) : "";
        d.served = served;
        if (served) {
          supported_.insert(*served);
          // A body cut short was reported above as what stopped it.
          const bool valid = verdict && !f.body_failed && ApplyBody(*verdict, *served, request);
          if (valid) valid_protocols_.insert(*served);
          if (valid && FormatOf(*served) != InputFormat::kProtobuf && !lint_accept_) {
            lint_accept_ = p.accept;
            lint_encoding_ = std::string(encoding);
          }
          vary_.push_back({request, Lower(x.vary)});
          body_bytes_ = std::max<uint64_t>(body_bytes_, f.bytes);
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

  // --- Cross-format equivalence -----------------------------------------------------------------
  //
  // Each comparison opens two live responses and hands them to the diff engine, which indexes
  // the first and streams the second; the bodies are read with at most kEquivalenceBodyBytes.
  // Two digests of the reference protocol's counter-like values, taken before and after the
  // comparisons, tell which values stood still meanwhile.

  ScrapeOptions EquivalenceOptions(ScrapeProtocol p) const {
    const bool escaped =
        p == ScrapeProtocol::kPrometheusText1_0_0 || p == ScrapeProtocol::kOpenMetricsText1_0_0;
    ScrapeOptions so = Options(ProtocolAccept(p, escaped ? "allow-utf-8" : ""), "gzip");
    so.body_size_limit = so.body_size_limit == 0
                             ? kEquivalenceBodyBytes
                             : std::min<uint64_t>(so.body_size_limit, kEquivalenceBodyBytes);
    return so;
  }

  // A response for `p` whose body is left to the caller; nullptr (and *why) when the request
  // failed or another protocol was served.
  std::unique_ptr<Source> OpenFor(ScrapeProtocol p, std::string* why) {
    ScrapeResponse r = OpenScrape(url_, EquivalenceOptions(p));
    if (!r.ok()) {
      *why = StrCat("a request for ", ScrapeProtocolName(p), " failed: ", r.error.message);
      return nullptr;
    }
    std::optional<ScrapeProtocol> served = ProtocolOfContentType(ParseMediaType(r.content_type));
    if (served != p) {
      *why = StrCat("a request for ", ScrapeProtocolName(p), " was answered with Content-Type \"",
                    r.content_type, "\"");
      return nullptr;
    }
    return std::move(r.body);
  }

  std::optional<DiffResult> CompareLive(ScrapeProtocol a, ScrapeProtocol b, bool ignore_values,
                                        std::string* why) {
    std::unique_ptr<Source> sa = OpenFor(a, why);
    if (sa == nullptr) return std::nullopt;
    std::unique_ptr<Source> sb = OpenFor(b, why);
    if (sb == nullptr) return std::nullopt;
    DiffOptions d;
    d.old_format = FormatOf(a);
    d.new_format = FormatOf(b);
    d.text.names = NameScheme::kUtf8;
    d.ignore_timestamps = true;
    d.ignore_values = ignore_values;
    d.abs_tolerance = o_.abs_tolerance;
    d.rel_tolerance = o_.rel_tolerance;
    if ((FormatOf(a) == InputFormat::kText) != (FormatOf(b) == InputFormat::kText)) {
      d.ignore_metrics.push_back("_created$");
    }
    DiffResult r = Diff(*sa, *sb, d);
    if (!r.ok()) {
      *why = Unread(r.error_input == 0 ? a : b, r.error);
      return std::nullopt;
    }
    return r;
  }

  // Why a body of `p` read for a comparison fell short.
  std::string Unread(ScrapeProtocol p, const Error& e) const {
    if (e.code == ErrorCode::kLimit && e.message.find("body size limit") != std::string::npos) {
      return StrCat("the ", ScrapeProtocolName(p), " body is larger than the ",
                    EquivalenceOptions(p).body_size_limit, " bytes read for a comparison");
    }
    return StrCat("the ", ScrapeProtocolName(p), " body could not be read: ", e.message);
  }

  bool TakeDigest(ScrapeProtocol p, Digest* out, std::string* why) {
    std::unique_ptr<Source> s = OpenFor(p, why);
    if (s == nullptr) return false;
    LossReport losses;
    std::unique_ptr<FamilyStream> stream = StreamOf(*s, p, &losses);
    out->clear();
    while (const OwnedFamily* f = stream->Next()) {
      if (f->type != MetricType::kCounter && f->type != MetricType::kHistogram &&
          f->type != MetricType::kSummary) {
        continue;
      }
      const std::string& name = f->proto.name();
      for (const pb::Metric& m : f->proto.metric()) {
        const auto labels = SortedLabels(m);
        auto add = [&](DiffField field, double bound, double value) {
          out->emplace_back(ValueKey(name, labels, field, bound), value);
        };
        if (m.has_counter()) {
          add(DiffField::kValue, 0, m.counter().value());
        } else if (m.has_histogram()) {
          add(DiffField::kCount, 0, HistogramCount(m.histogram()));
          for (const pb::Bucket& b : m.histogram().bucket()) {
            add(DiffField::kBucket, b.upper_bound(), BucketCount(b));
          }
        } else if (m.has_summary()) {
          add(DiffField::kCount, 0, static_cast<double>(m.summary().sample_count()));
        }
      }
    }
    if (stream->error() != nullptr) {
      *why = Unread(p, *stream->error());
      return false;
    }
    std::sort(out->begin(), out->end());
    return true;
  }

  static const double* Find(const Digest& d, uint64_t key) {
    auto it = std::lower_bound(d.begin(), d.end(), std::make_pair(key, -HUGE_VAL));
    return it != d.end() && it->first == key ? &it->second : nullptr;
  }

  void Equivalence() {
    // The reference: PrometheusText0.0.4 when served, else the first protocol served.
    if (valid_protocols_.size() < 2) return;
    const ScrapeProtocol ref = valid_protocols_.count(ScrapeProtocol::kPrometheusText0_0_4)
                                   ? ScrapeProtocol::kPrometheusText0_0_4
                                   : *valid_protocols_.begin();
    const std::string a_name(ScrapeProtocolName(ref));
    auto skipped = [&](const std::string& why) {
      AddNote(StrCat("cross-format equivalence not fully checked: ", why,
                     " (bodies are compared up to ", kEquivalenceBodyBytes >> 20,
                     " MiB, or --body-size-limit when smaller)"));
    };
    std::vector<std::unique_ptr<RE2>> ignore;
    for (const std::string& p : o_.ignore_values) ignore.push_back(std::make_unique<RE2>(p));
    std::string why;
    Digest before, after;
    const bool have_before = TakeDigest(ref, &before, &why);
    if (!have_before) skipped(why);
    struct Pair {
      ScrapeProtocol p;
      DiffResult values;                // the first comparison: structure and values
      std::optional<DiffResult> again;  // the second: structure only
    };
    std::vector<Pair> pairs;
    for (ScrapeProtocol p : valid_protocols_) {
      if (p == ref || stopped_) continue;
      std::optional<DiffResult> r1 = CompareLive(ref, p, false, &why);
      if (!r1) {
        skipped(why);
        continue;
      }
      // A structural difference counts when a second pair of bodies shows it too (a series may
      // come or go between two requests).
      std::optional<DiffResult> r2 = CompareLive(ref, p, true, &why);
      if (!r2) skipped(why);
      pairs.push_back({p, std::move(*r1), std::move(r2)});
    }
    const bool have_after = have_before && !pairs.empty() && TakeDigest(ref, &after, &why);
    if (have_before && !pairs.empty() && !have_after) skipped(why);
    for (const Pair& pr : pairs) {
      const ScrapeProtocol p = pr.p;
      const std::string b_name(ScrapeProtocolName(p));
      const bool text_involved =
          FormatOf(p) == InputFormat::kText || FormatOf(ref) == InputFormat::kText;
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
      auto s1 = structural(pr.values);
      std::map<std::string, const Difference*> s2;
      if (pr.again) s2 = structural(*pr.again);
      // Per family: the confirmed differences (in both pairs when there are two).
      std::map<std::string, std::pair<uint64_t, std::string>> per_family;
      for (const auto& [key, d] : s1) {
        if (pr.again && !s2.count(key)) continue;
        auto& e = per_family[d->family];
        if (e.first++ == 0) e.second = Describe(*d, a_name, b_name);
      }
      for (const auto& [family, e] : per_family) {
        Eval("formats-agree", false, StrCat(a_name, " vs ", b_name), family,
             e.first == 1 ? e.second
                          : StrCat(e.second, " (and ", e.first - 1, " more differences)"));
      }
      Eval("formats-agree", true);
      // Values: a counter-like value that differs although the reference showed the same value
      // before and after every comparison.
      if (!have_after) continue;
      std::map<std::string, std::pair<uint64_t, std::string>> values;
      for (const Difference& d : pr.values.differences) {
        if (d.kind != DiffKind::kValueChanged && d.kind != DiffKind::kCounterReset) continue;
        if (d.field == DiffField::kQuantile) continue;
        // A sum is as stable as its count.
        const uint64_t key = d.field == DiffField::kSum
                                 ? ValueKey(d.family, d.labels, DiffField::kCount, 0)
                                 : ValueKey(d.family, d.labels, d.field, d.bound);
        const double* v1 = Find(before, key);
        const double* v2 = Find(after, key);
        if (v1 == nullptr || v2 == nullptr || !SameValue(*v1, *v2)) continue;
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
  }

  // --- Over time --------------------------------------------------------------------------------

  uint32_t Intern(const std::string& name) {
    auto [it, inserted] = name_index_.try_emplace(name, static_cast<uint32_t>(names_.size()));
    if (inserted) names_.push_back(name);
    return it->second;
  }

  // One series of scrape `scrape` (1-based).
  void Series(const std::string& name, MetricType type, const pb::Metric& m, uint32_t scrape,
              const std::string& request, std::vector<Reset>* resets) {
    const auto labels = SortedLabels(m);
    const std::string labels_text = LabelsText(labels);
    const uint64_t key = hash::Bytes(labels_text, hash::Bytes(name));
    auto it = series_.find(key);
    if (it == series_.end()) {
      if (series_.size() >= kMaxTrackedSeries) {
        ++untracked_;
        return;
      }
      it = series_.emplace(key, SeriesState{}).first;
      it->second.family = Intern(name);
      it->second.labels = Clip(labels_text);
    }
    SeriesState& s = it->second;
    if (s.seen > 0 && s.last_scrape == scrape) {
      Eval("series-duplicate", false, request, name,
           StrCat("series ", labels_text, " appears more than once in one exposition"));
      return;
    }
    bool counter = false;
    double value = 0, created = 0;
    if (m.has_counter()) {
      counter = type == MetricType::kCounter;
      value = m.counter().value();
      created = static_cast<double>(m.counter().created_timestamp().seconds());
    } else if (m.has_histogram() && type == MetricType::kHistogram) {
      counter = true;
      value = HistogramCount(m.histogram());
      created = static_cast<double>(m.histogram().created_timestamp().seconds());
    } else if (m.has_summary()) {
      counter = true;
      value = static_cast<double>(m.summary().sample_count());
      created = static_cast<double>(m.summary().created_timestamp().seconds());
    }
    if (s.seen > 0) {
      if (counter && s.counter && value < s.value && created == s.created) {
        resets->push_back({name, labels_text, s.value, value, s.last_scrape, scrape});
      }
      if (m.has_timestamp_ms() && s.has_ts) {
        Eval("timestamp-monotonic", m.timestamp_ms() >= s.ts, request, name,
             StrCat("series ", labels_text, " timestamp went back from ", s.ts, " to ",
                    m.timestamp_ms(), " ms"));
      }
    }
    ++s.seen;
    s.last_scrape = scrape;
    s.counter = counter;
    s.value = value;
    s.has_ts = m.has_timestamp_ms();
    s.ts = m.timestamp_ms();
    s.created = created;
    // Label groups: the other labels fixed, one label's value.
    for (size_t li = 0; li < labels.size(); ++li) {
      std::string rest = StrCat(name, "\x01", labels[li].first, "\x01");
      for (size_t lj = 0; lj < labels.size(); ++lj) {
        if (lj != li) StrAppend(&rest, labels[lj].first, "=", labels[lj].second, "\x02");
      }
      LabelGroup& g = groups_[hash::Bytes(rest)];
      if (g.seen == 0 && g.last_scrape == UINT32_MAX) {
        g.family = Intern(name);
        g.label = Intern(labels[li].first);
      }
      if (g.last_scrape == scrape) {
        g.multi = true;
        continue;
      }
      const uint64_t value_hash = hash::Bytes(labels[li].second);
      if (g.seen > 0 && value_hash != g.last_value) ++g.changes;
      g.last_value = value_hash;
      g.last_scrape = scrape;
      ++g.seen;
    }
  }

  void OverTime() {
    const uint32_t n = std::max<uint32_t>(1, o_.scrapes);
    const std::optional<std::string> accept = AcceptHeader(DefaultScrapeProtocols());
    const Clock::time_point start = Clock::now();
    std::optional<double> last_start_time;
    uint32_t parsed = 0;
    bool complete = true;            // every scrape was read to its end
    const ScrapeOptions count_only;  // LimitCounter without limits: counts only
    for (uint32_t i = 0; i < n && !stopped_; ++i) {
      if (i > 0) {
        const double wait = i * o_.interval_seconds - Since(start);
        if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      }
      const uint32_t scrape = i + 1;
      const std::string request = StrCat("GET Prometheus 3.x default, gzip (scrape ", scrape, ")");
      std::optional<double> start_time;
      std::vector<Reset> resets;
      uint64_t samples = 0;
      bool read = false, stream_failed = false;
      const uint64_t untracked_before = untracked_;
      Reply f = Request(Options(accept, "gzip"), "", [&](const Reply& head, Source& body) {
        read = true;
        std::optional<ScrapeProtocol> served =
            ProtocolOfContentType(ParseMediaType(head.content_type));
        if (!served) served = ScrapeProtocol::kPrometheusText0_0_4;
        LossReport losses;
        std::unique_ptr<FamilyStream> stream = StreamOf(body, *served, &losses, kFamilyPartSeries);
        net::LimitCounter counter(count_only);
        while (const OwnedFamily* fam = stream->Next()) {
          (void)counter.Add(*fam);
          const std::string& name = fam->proto.name();
          if (families_.size() < 64 && scrape == 1 &&
              (families_.empty() || families_.back() != name)) {
            families_.push_back(name);
          }
          for (const pb::Metric& m : fam->proto.metric()) {
            if (name == "process_start_time_seconds" && m.has_gauge()) {
              start_time = m.gauge().value();
            }
            Series(name, fam->type, m, scrape, request, &resets);
          }
        }
        samples = counter.samples();
        stream_failed = stream->error() != nullptr;
      });
      Eval("scrape-timeout", !f.timed_out(), request, "",
           StrCat("no complete response within the ", Num(o_.client.timeout_seconds), "s timeout"));
      if (o_.limits_given) {
        const bool too_big = f.error.code == ErrorCode::kLimit &&
                             f.error.message.find("body size limit") != std::string::npos;
        const bool too_many = o_.client.sample_limit > 0 && samples > o_.client.sample_limit;
        Eval("scrape-limits", !too_big && !too_many, request, "",
             too_big ? f.error.message
                     : StrCat(samples, " samples exceed --sample-limit ", o_.client.sample_limit));
      }
      if (!read) continue;
      if (untracked_ > untracked_before) {
        AddNote(StrCat("scrape ", scrape, ": ", untracked_ - untracked_before,
                       " series beyond the first ", kMaxTrackedSeries,
                       " were not tracked by the over-time checks (duplicates, counters, churn, "
                       "volatile labels)"));
      }
      if (stream_failed || f.body_failed) {
        // Reported by the matrix's body checks (or scrape-limits); the series seen so far are
        // in the state, so churn and volatile labels are not judged.
        complete = false;
        continue;
      }
      ++parsed;
      const bool restarted = start_time && last_start_time && *start_time != *last_start_time;
      if (start_time) last_start_time = start_time;
      for (const Reset& r : resets) {
        Eval("counter-monotonic", restarted, request, r.family,
             StrCat("series ", r.labels, " went from ", Num(r.from), " to ", Num(r.to),
                    " between scrapes ", r.from_scrape, " and ", r.to_scrape,
                    start_time ? " while process_start_time_seconds stayed the same"
                               : " (no process_start_time_seconds tells of a restart)"));
      }
      Eval("series-duplicate", true);
    }
    if (parsed < 2) return;
    Eval("counter-monotonic", true);
    if (!complete) {
      AddNote("series churn and volatile labels not judged: a repeated scrape could not be read");
      return;
    }
    // Volatile labels: one series per group, a new value on every scrape.
    std::set<std::string> volatile_families;
    std::map<std::string, std::string> volatile_label;
    for (const auto& [key, g] : groups_) {
      if (!g.multi && g.seen == parsed && g.changes == parsed - 1) {
        volatile_families.insert(names_[g.family]);
        volatile_label.emplace(names_[g.family], names_[g.label]);
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
      const std::string& family = names_[s.family];
      if (s.seen == parsed || volatile_families.count(family)) continue;
      auto& e = churn[family];
      if (e.first++ == 0) e.second = s.labels;
    }
    for (const auto& [family, e] : churn) {
      Eval("series-churn", false, "", family,
           StrCat(e.first, " series present in only some of ", parsed, " scrapes (e.g. ", e.second,
                  ")"));
    }
    Eval("series-churn", true);
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
    Reply f = Request(so);
    const bool ok = !f.timed_out() && f.seconds <= header * 1.5 + 0.1;
    Eval("scrape-timeout-header", ok,
         StrCat("GET with X-Prometheus-Scrape-Timeout-Seconds: ", Num(header)), "",
         StrCat("answered after ", Num(f.seconds), "s although the header allowed ", Num(header),
                "s (median scrape ", Num(median), "s)"));
  }

  // --- Lint -------------------------------------------------------------------------------------

  // Lints a text body (the request of the matrix that first got a valid one), streamed.
  void Lint() {
    if (!lint_accept_) return;
    bool linted = false;
    Reply f =
        Request(Options(*lint_accept_, lint_encoding_), "", [&](const Reply& head, Source& body) {
          std::optional<ScrapeProtocol> served =
              ProtocolOfContentType(ParseMediaType(head.content_type));
          if (!served || FormatOf(*served) == InputFormat::kProtobuf) return;
          lint::SourceLintOptions lo;
          lo.format = FormatOf(*served);
          lo.lint.rules = "default,-metric-not-unique";  // duplicates: series-duplicate
          lo.suppression_comments = false;
          lint::SourceLintResult r = lint::LintSource(body, lo);
          linted = true;
          const std::string request = StrCat("GET ", ScrapeProtocolName(*served));
          for (const lint::Problem& p : r.problems) {
            Eval(StrCat("lint/", p.rule), false, request, p.family, p.message);
          }
        });
    if (!linted) {
      AddNote(
          StrCat("the text body was not linted: the request for it got ",
                 f.error.ok() ? StrCat("Content-Type \"", f.content_type, "\"") : f.error.message));
      return;
    }
    for (const lint::RuleInfo& rule : lint::Rules()) {
      if (!rule.default_on || rule.id == "metric-not-unique") continue;
      Eval(StrCat("lint/", rule.id), true);
    }
  }

  // --- Fuzz -------------------------------------------------------------------------------------

  bool Alive() {
    ScrapeOptions so = Options(AcceptHeader(DefaultScrapeProtocols()), "gzip");
    so.timeout_seconds = std::min(o_.client.timeout_seconds, 5.0);
    return Request(so, "", nullptr, false).two();
  }

  // One fuzz response: read on the thread that sent it, judged on the main thread.
  struct FuzzReply {
    Reply reply;
    std::optional<ScrapeProtocol> served;
    std::optional<BodyVerdict> verdict;
  };

  FuzzReply FuzzSend(const std::string& query, const ScrapeOptions& so) {
    FuzzReply out;
    out.reply = Request(
        so, query,
        [&](const Reply& head, Source& body) {
          out.served = ProtocolOfContentType(ParseMediaType(head.content_type));
          // A protocol whose bodies the matrix found invalid was reported there already.
          if (out.served && valid_protocols_.count(*out.served) && !so.head) {
            out.verdict = ReadBody(body, *out.served);
          }
        },
        false);
    return out;
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
      std::vector<FuzzReply> results(r.concurrency);
      if (r.concurrency == 1) {
        results[0] = FuzzSend(r.query, so);
      } else {
        std::vector<std::thread> threads;
        for (uint32_t k = 0; k < r.concurrency; ++k) {
          threads.emplace_back([&, k] { results[k] = FuzzSend(r.query, so); });
        }
        for (std::thread& t : threads) t.join();
      }
      // No answer: no response at all, or the connection cut or stalled within the body.
      auto lost = [](const Reply& f) {
        return f.status == 0 || (f.body_failed && (f.error.code == ErrorCode::kNetwork ||
                                                   f.error.code == ErrorCode::kTimeout));
      };
      bool no_response = false;
      std::string no_response_text;
      for (const FuzzReply& x : results) {
        if (lost(x.reply)) {
          no_response = true;
          no_response_text =
              x.reply.timed_out() ? "no answer within the timeout" : x.reply.error.message;
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
      for (const FuzzReply& x : results) {
        const Reply& f = x.reply;
        if (lost(f)) {
          const std::string within = f.status == 0 ? "" : " (within the body)";
          if (f.timed_out()) {
            Eval("fuzz-hang", false, request, "", "no answer within the timeout" + within, replay);
          } else {
            Eval("fuzz-reset", false, request, "",
                 StrCat("no HTTP response", within, ": ", f.error.message), replay);
          }
          continue;
        }
        Eval("fuzz-hang", true);
        Eval("fuzz-reset", true);
        Eval("fuzz-server-error", f.status < 500, request, "",
             StrCat("HTTP status ", f.status, " (", f.error.message, ")"), replay);
        if (x.verdict && !x.verdict->transfer && !f.body_failed && !x.verdict->gzip_magic) {
          const BodyVerdict& v = *x.verdict;
          if (v.mismatch) {
            Eval("fuzz-invalid-body", false, request, "",
                 StrCat("the body is not ", ScrapeProtocolName(*x.served),
                        " as its Content-Type says"),
                 replay);
          } else {
            Eval("fuzz-invalid-body", v.error.ok(), request, "", BodyMessage(v.error, *x.served),
                 replay);
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
    for (Note& n : notes_) result_->notes.push_back(std::move(n));
  }

  std::string url_, target_;
  const ExporterCheckOptions& o_;
  ExporterCheckResult* result_;
  std::map<std::string, Outcome> outcomes_;
  std::vector<Finding> findings_;
  std::vector<Note> notes_;
  bool stopped_ = false;
  int consecutive_timeouts_ = 0;
  std::vector<double> latencies_;
  std::set<ScrapeProtocol> supported_;
  std::set<ScrapeProtocol> valid_protocols_;  // served with a valid body in the matrix
  std::vector<std::pair<std::string, std::string>> vary_;
  bool compressed_ = false;
  std::optional<std::optional<std::string>> lint_accept_;  // the request whose text body is linted
  std::string lint_encoding_;
  std::vector<std::string> families_;
  uint64_t body_bytes_ = 0;
  std::unordered_map<uint64_t, SeriesState> series_;
  std::unordered_map<uint64_t, LabelGroup> groups_;
  std::vector<std::string> names_;  // family and label names of series_ and groups_
  std::unordered_map<std::string, uint32_t> name_index_;
  uint64_t untracked_ = 0;
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
