// Content-Type and Accept parsing and the negotiation checks of `check exporter`, as pure
// functions over header values (unit-tested in tests/ops/exporter_negotiation_test.cc).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/strcat.h"
#include "promtool/exporter_check.h"

namespace promtool::exporter {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f ||
        std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Splits `s` at `sep` outside quoted strings.
std::vector<std::string_view> SplitOutsideQuotes(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (quoted && s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

std::string Unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

struct ProtocolMedia {
  ScrapeProtocol protocol;
  std::string_view type;
  std::string_view version;  // "" for protobuf
};

constexpr ProtocolMedia kMedia[] = {
    {ScrapeProtocol::kPrometheusProto, "application/vnd.google.protobuf", ""},
    {ScrapeProtocol::kOpenMetricsText1_0_0, "application/openmetrics-text", "1.0.0"},
    {ScrapeProtocol::kOpenMetricsText0_0_1, "application/openmetrics-text", "0.0.1"},
    {ScrapeProtocol::kPrometheusText1_0_0, "text/plain", "1.0.0"},
    {ScrapeProtocol::kPrometheusText0_0_4, "text/plain", "0.0.4"},
    {ScrapeProtocol::kOpenMetricsText2_0_0, "application/openmetrics-text", "2.0.0"},
};

const ProtocolMedia& MediaOf(ScrapeProtocol p) {
  for (const ProtocolMedia& m : kMedia) {
    if (m.protocol == p) return m;
  }
  return kMedia[4];
}

bool ValidEscaping(std::string_view s) {
  return s == "allow-utf-8" || s == "allow-utf8" || s == "underscores" || s == "dots" ||
         s == "values";
}

bool SameEscaping(std::string_view a, std::string_view b) {
  auto norm = [](std::string_view s) { return s == "allow-utf8" ? "allow-utf-8" : s; };
  return norm(a) == norm(b);
}

}  // namespace

std::optional<std::string> MediaType::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return std::nullopt;
}

MediaType ParseMediaType(std::string_view value) {
  MediaType m;
  std::vector<std::string_view> parts = SplitOutsideQuotes(value, ';');
  std::string_view type = Trim(parts[0]);
  const size_t slash = type.find('/');
  m.type = Lower(type);
  m.valid = slash != std::string_view::npos && IsToken(type.substr(0, slash)) &&
            IsToken(type.substr(slash + 1));
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = Trim(parts[i]);
    if (p.empty()) continue;
    const size_t eq = p.find('=');
    if (eq == std::string_view::npos) {
      m.params.emplace_back(Lower(p), "");
      continue;
    }
    m.params.emplace_back(Lower(Trim(p.substr(0, eq))), Unquote(Trim(p.substr(eq + 1))));
  }
  return m;
}

std::optional<ScrapeProtocol> ProtocolOfContentType(const MediaType& ct) {
  if (!ct.valid) return std::nullopt;
  if (ct.type == "application/vnd.google.protobuf") {
    if (ct.Param("proto") == std::optional<std::string>("io.prometheus.client.MetricFamily") &&
        ct.Param("encoding") == std::optional<std::string>("delimited")) {
      return ScrapeProtocol::kPrometheusProto;
    }
    return std::nullopt;
  }
  const std::optional<std::string> version = ct.Param("version");
  if (ct.type == "text/plain") {
    if (!version || *version == "0.0.4") return ScrapeProtocol::kPrometheusText0_0_4;
    if (*version == "1.0.0") return ScrapeProtocol::kPrometheusText1_0_0;
    return std::nullopt;
  }
  if (ct.type == "application/openmetrics-text") {
    if (!version || *version == "0.0.1") return ScrapeProtocol::kOpenMetricsText0_0_1;
    if (*version == "1.0.0") return ScrapeProtocol::kOpenMetricsText1_0_0;
    if (*version == "2.0.0") return ScrapeProtocol::kOpenMetricsText2_0_0;
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<AcceptRange> ParseAccept(std::string_view accept) {
  std::vector<AcceptRange> out;
  for (std::string_view item : SplitOutsideQuotes(accept, ',')) {
    if (Trim(item).empty()) continue;
    AcceptRange r;
    r.range = ParseMediaType(item);
    r.valid = r.range.valid;
    if (std::optional<std::string> q = r.range.Param("q")) {
      char* end = nullptr;
      const double v = std::strtod(q->c_str(), &end);
      if (q->empty() || end != q->c_str() + q->size() || !(v >= 0 && v <= 1)) {
        r.q = 0;
        r.valid = false;
      } else {
        r.q = v;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

double AcceptWeight(const std::vector<AcceptRange>& accept, ScrapeProtocol protocol) {
  const ProtocolMedia& m = MediaOf(protocol);
  const std::string_view major = m.type.substr(0, m.type.find('/'));
  int best_rank = -1;
  double q = -1;
  for (const AcceptRange& r : accept) {
    if (!r.valid) continue;  // a malformed range or q is ignored
    int rank = -1;
    const std::string& t = r.range.type;
    if (t == "*/*") {
      rank = 0;
    } else if (t.size() == major.size() + 2 && t.starts_with(major) && t.ends_with("/*")) {
      rank = 1;
    } else if (t == m.type) {
      if (protocol == ScrapeProtocol::kPrometheusProto) {
        const auto proto = r.range.Param("proto");
        const auto encoding = r.range.Param("encoding");
        if (proto && *proto != "io.prometheus.client.MetricFamily") continue;
        if (encoding && *encoding != "delimited") continue;
        rank = proto ? 3 : 2;
      } else {
        const auto version = r.range.Param("version");
        if (version && *version != m.version) continue;
        rank = version ? 3 : 2;
      }
    }
    if (rank > best_rank) {
      best_rank = rank;
      q = r.q;
    }
  }
  return q;
}

std::optional<ScrapeProtocol> CheckContentType(std::string_view content_type,
                                               std::string_view requested_escaping,
                                               std::vector<Violation>* out) {
  if (Trim(content_type).empty()) {
    out->push_back({"content-type-present", "the response has no Content-Type header"});
    return std::nullopt;
  }
  const MediaType ct = ParseMediaType(content_type);
  const std::string quoted = StrCat("\"", content_type, "\"");
  if (!ct.valid || (ct.type != "text/plain" && ct.type != "application/openmetrics-text" &&
                    ct.type != "application/vnd.google.protobuf")) {
    out->push_back({"content-type-known",
                    StrCat("Content-Type ", quoted,
                           " names no scrape protocol's MIME type (text/plain, "
                           "application/openmetrics-text, application/vnd.google.protobuf)")});
    return std::nullopt;
  }
  if (ct.type == "application/vnd.google.protobuf") {
    std::optional<ScrapeProtocol> p = ProtocolOfContentType(ct);
    if (!p) {
      out->push_back({"content-type-known",
                      StrCat("Content-Type ", quoted,
                             " lacks proto=io.prometheus.client.MetricFamily;encoding=delimited")});
    }
    return p;
  }
  const std::optional<std::string> version = ct.Param("version");
  const bool om = ct.type == "application/openmetrics-text";
  if (!version) {
    out->push_back({"content-type-version",
                    StrCat("Content-Type ", quoted, " has no version parameter (expected ",
                           om ? "1.0.0 or 0.0.1" : "0.0.4 or 1.0.0", ")")});
  } else if (!ProtocolOfContentType(ct)) {
    out->push_back(
        {"content-type-version", StrCat("Content-Type ", quoted, " names version ", *version,
                                        ", which is no scrape protocol (expected ",
                                        om ? "1.0.0 or 0.0.1" : "0.0.4 or 1.0.0", ")")});
    return std::nullopt;
  }
  const std::optional<ScrapeProtocol> served = ProtocolOfContentType(ct);
  const std::optional<std::string> charset = ct.Param("charset");
  const bool utf8 = charset && (Lower(*charset) == "utf-8" || Lower(*charset) == "utf8");
  if (!utf8) {
    const std::string what = charset ? StrCat("charset=", *charset) : std::string("no charset");
    out->push_back({om ? "content-type-om-charset" : "content-type-charset",
                    StrCat("Content-Type ", quoted, " has ", what, " (expected charset=utf-8)")});
  }
  if (served == ScrapeProtocol::kPrometheusText1_0_0 ||
      served == ScrapeProtocol::kOpenMetricsText1_0_0) {
    const std::string id = served == ScrapeProtocol::kPrometheusText1_0_0
                               ? "content-type-escaping"
                               : "content-type-escaping-om";
    const std::optional<std::string> escaping = ct.Param("escaping");
    if (!escaping) {
      out->push_back({id, StrCat("Content-Type ", quoted,
                                 " has no escaping parameter (version 1.0.0 needs one",
                                 requested_escaping.empty() ? std::string(")")
                                                            : StrCat("; the request asked for ",
                                                                     requested_escaping, ")"))});
    } else if (!ValidEscaping(*escaping)) {
      out->push_back({id, StrCat("Content-Type ", quoted, " names escaping scheme \"", *escaping,
                                 "\" (expected allow-utf-8, underscores, dots or values)")});
    } else if (!requested_escaping.empty() && !SameEscaping(*escaping, requested_escaping)) {
      out->push_back({id, StrCat("Content-Type ", quoted, " names escaping=", *escaping,
                                 " but the request asked for escaping=", requested_escaping)});
    }
  }
  return served;
}

std::string_view CheckNegotiation(const std::optional<std::string>& accept,
                                  const std::vector<ScrapeProtocol>& supported,
                                  ScrapeProtocol served, std::vector<Violation>* out) {
  if (!accept) return "";
  const std::vector<AcceptRange> ranges = ParseAccept(*accept);
  double best = 0;
  for (ScrapeProtocol p : supported) best = std::max(best, AcceptWeight(ranges, p));
  if (best > 0) {
    const double got = AcceptWeight(ranges, served);
    if (got < best) {
      std::string wanted;
      for (ScrapeProtocol p : supported) {
        if (AcceptWeight(ranges, p) == best) {
          StrAppend(&wanted, wanted.empty() ? "" : " or ", ScrapeProtocolName(p));
        }
      }
      char buf[64];
      std::snprintf(buf, sizeof buf, "q=%g", best);
      std::string got_text = got < 0 ? std::string("not in the Accept header") : [&] {
        char b[32];
        std::snprintf(b, sizeof b, "q=%g", got);
        return std::string(b);
      }();
      out->push_back({"negotiation-highest-weight",
                      StrCat("served ", ScrapeProtocolName(served), " (", got_text, ") although ",
                             wanted, " (", buf, ") is served by this target on other requests")});
    }
  } else if (served != ScrapeProtocol::kPrometheusText0_0_4) {
    out->push_back({"negotiation-last-resort",
                    StrCat("served ", ScrapeProtocolName(served),
                           ", which the Accept header does not accept; with no accepted protocol "
                           "supported the target must serve PrometheusText0.0.4")});
  }
  return best > 0 ? "negotiation-highest-weight" : "negotiation-last-resort";
}

}  // namespace promtool::exporter
