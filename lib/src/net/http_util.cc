// The pure parts of the HTTP client: protocol names, the Accept header, Content-Type parsing,
// URL redaction, Pushgateway paths, and the size and duration syntax of the options.
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "common/chars.h"
#include "common/strcat.h"
#include "promtool/scrape.h"

namespace promtool {
namespace {

struct ProtocolInfo {
  ScrapeProtocol protocol;
  std::string_view name;
  std::string_view media;  // the media type with its fixed parameters, as sent in Accept
  bool escaping;           // gets ;escaping=allow-utf-8
};

constexpr ProtocolInfo kProtocols[] = {
    {ScrapeProtocol::kPrometheusProto, "PrometheusProto",
     "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
     false},
    {ScrapeProtocol::kOpenMetricsText1_0_0, "OpenMetricsText1.0.0",
     "application/openmetrics-text;version=1.0.0", true},
    {ScrapeProtocol::kOpenMetricsText0_0_1, "OpenMetricsText0.0.1",
     "application/openmetrics-text;version=0.0.1", false},
    {ScrapeProtocol::kPrometheusText1_0_0, "PrometheusText1.0.0", "text/plain;version=1.0.0", true},
    {ScrapeProtocol::kPrometheusText0_0_4, "PrometheusText0.0.4", "text/plain;version=0.0.4",
     false},
    {ScrapeProtocol::kOpenMetricsText2_0_0, "OpenMetricsText2.0.0",
     "application/openmetrics-text;version=2.0.0", false},
};

const ProtocolInfo& Info(ScrapeProtocol p) { return kProtocols[static_cast<int>(p)]; }

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

// Percent-encodes everything but RFC 3986 unreserved characters and the sub-delimiters Go's
// url.PathEscape keeps.
std::string PathEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '$' || c == '&' ||
        c == '+' || c == ',' || c == ':' || c == ';' || c == '=' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string Base64UrlNoPad(std::string_view s) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
  for (; i + 3 <= s.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (s.size() - i == 1) {
    uint32_t v = byte(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (s.size() - i == 2) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

// One path segment pair for the Pushgateway.
void AppendGroupingPair(std::string* out, std::string_view name, std::string_view value) {
  if (value.empty()) {
    StrAppend(out, "/", name, "@base64/=");
  } else if (value.find('/') != std::string_view::npos) {
    StrAppend(out, "/", name, "@base64/", Base64UrlNoPad(value));
  } else {
    StrAppend(out, "/", name, "/", PathEscape(value));
  }
}

}  // namespace

std::optional<ScrapeProtocol> ParseScrapeProtocol(std::string_view name) {
  for (const ProtocolInfo& p : kProtocols) {
    if (p.name == name) return p.protocol;
  }
  return std::nullopt;
}

std::string_view ScrapeProtocolName(ScrapeProtocol protocol) { return Info(protocol).name; }

std::vector<ScrapeProtocol> DefaultScrapeProtocols() {
  return {ScrapeProtocol::kOpenMetricsText1_0_0, ScrapeProtocol::kOpenMetricsText0_0_1,
          ScrapeProtocol::kPrometheusText1_0_0, ScrapeProtocol::kPrometheusText0_0_4};
}

absl::StatusOr<std::vector<ScrapeProtocol>> ParseScrapeProtocols(std::string_view list) {
  std::vector<ScrapeProtocol> out;
  while (true) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    std::optional<ScrapeProtocol> p = ParseScrapeProtocol(item);
    if (!p) {
      return absl::InvalidArgumentError(
          StrCat("unknown scrape protocol \"", item,
                 "\" (want PrometheusProto, OpenMetricsText1.0.0, OpenMetricsText0.0.1, "
                 "PrometheusText1.0.0, PrometheusText0.0.4 or OpenMetricsText2.0.0)"));
    }
    for (ScrapeProtocol q : out) {
      if (q == *p) {
        return absl::InvalidArgumentError(StrCat("scrape protocol \"", item, "\" given twice"));
      }
    }
    out.push_back(*p);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string AcceptHeader(const std::vector<ScrapeProtocol>& protocols) {
  std::string out;
  // At most six distinct protocols, so the weights stay single digits: 0.7 .. 0.1.
  size_t weight = protocols.size() + 1;
  for (ScrapeProtocol p : protocols) {
    const ProtocolInfo& info = Info(p);
    StrAppend(&out, info.media);
    if (info.escaping) out += ";escaping=allow-utf-8";
    StrAppend(&out, ";q=0.", weight, ",");
    if (weight > 1) --weight;
  }
  StrAppend(&out, "*/*;q=0.", weight);
  return out;
}

std::optional<PayloadFormat> FormatFromContentType(std::string_view content_type) {
  size_t semi = content_type.find(';');
  const std::string media = Lower(Trim(content_type.substr(0, semi)));
  if (media.empty()) return std::nullopt;
  std::string version, proto, encoding;
  std::string_view rest =
      semi == std::string_view::npos ? std::string_view() : content_type.substr(semi + 1);
  while (!rest.empty()) {
    size_t next = rest.find(';');
    std::string_view param = Trim(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = Lower(Trim(param.substr(0, eq)));
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "version") version = value;
    if (key == "proto") proto = value;
    if (key == "encoding") encoding = Lower(value);
  }
  if (media == "text/plain") {
    if (version.empty() || version == "0.0.4") return PayloadFormat{InputFormat::kText};
    if (version == "1.0.0") return PayloadFormat{InputFormat::kText, NameScheme::kUtf8};
    return std::nullopt;
  }
  if (media == "application/openmetrics-text") {
    if (version.empty() || version == "1.0.0" || version == "0.0.1") {
      return PayloadFormat{InputFormat::kOpenMetrics};
    }
    if (version == "2.0.0") return PayloadFormat{InputFormat::kOpenMetrics2};
    return std::nullopt;
  }
  if (media == "application/vnd.google.protobuf" && proto == "io.prometheus.client.MetricFamily" &&
      encoding == "delimited") {
    return PayloadFormat{InputFormat::kProtobuf};
  }
  return std::nullopt;
}

PayloadFormat ProtocolFormat(ScrapeProtocol protocol) {
  switch (protocol) {
    case ScrapeProtocol::kPrometheusProto:
      return {InputFormat::kProtobuf};
    case ScrapeProtocol::kOpenMetricsText1_0_0:
    case ScrapeProtocol::kOpenMetricsText0_0_1:
      return {InputFormat::kOpenMetrics};
    case ScrapeProtocol::kPrometheusText1_0_0:
      return {InputFormat::kText, NameScheme::kUtf8};
    case ScrapeProtocol::kPrometheusText0_0_4:
      return {InputFormat::kText};
    case ScrapeProtocol::kOpenMetricsText2_0_0:
      return {InputFormat::kOpenMetrics2};
  }
  return {};
}

std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  std::string_view authority = url.substr(start, end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) {
    // No userinfo in a well-formed authority. But a password holding '/', '?' or '#' (invalid,
    // yet typed) ends the authority early: "http://u:pa/ss@host". When the authority's text after
    // its ':' is not a port and an '@' follows, treat everything up to the last '@' as userinfo.
    const size_t colon = authority.find(':');
    const size_t last_at = url.rfind('@');
    if (colon == std::string_view::npos || last_at == std::string_view::npos || last_at < end) {
      return std::string(url);
    }
    std::string_view port = authority.substr(colon + 1);
    const bool is_port =
        !port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos;
    if (is_port) return std::string(url);
    return StrCat(url.substr(0, start), authority.substr(0, colon), ":xxxxx", url.substr(last_at));
  }
  std::string_view userinfo = authority.substr(0, at);
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return StrCat(url.substr(0, start), userinfo.substr(0, colon), ":xxxxx", url.substr(start + at));
}

absl::StatusOr<std::string> PushPath(
    std::string_view job, const std::vector<std::pair<std::string, std::string>>& grouping) {
  if (job.empty()) return absl::InvalidArgumentError("the job name must not be empty");
  std::string out = "/metrics";
  if (job.find('/') != std::string_view::npos) {
    StrAppend(&out, "/job@base64/", Base64UrlNoPad(job));
  } else {
    StrAppend(&out, "/job/", PathEscape(job));
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& [name, value] : grouping) {
    if (!chars::IsLegacyLabelName(name)) {
      return absl::InvalidArgumentError(
          StrCat("grouping label name \"", name, "\" is not a valid label name"));
    }
    if (name == "job") {
      return absl::InvalidArgumentError("the grouping key cannot hold \"job\": use --job");
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(StrCat("grouping label \"", name, "\" given twice"));
    }
    AppendGroupingPair(&out, name, value);
  }
  return out;
}

std::optional<uint64_t> ParseByteSize(std::string_view text) {
  text = Trim(text);
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  const std::string unit = Lower(std::string_view(end, text.data() + text.size() - end));
  int shift = 0;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else if (unit == "kb" || unit == "kib" || unit == "k") {
    shift = 10;
  } else if (unit == "mb" || unit == "mib" || unit == "m") {
    shift = 20;
  } else if (unit == "gb" || unit == "gib" || unit == "g") {
    shift = 30;
  } else if (unit == "tb" || unit == "tib" || unit == "t") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (shift > 0 && number > (UINT64_MAX >> shift)) return std::nullopt;
  return number << shift;
}

std::optional<double> ParseDurationSeconds(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  double total = 0;
  bool bare = true;
  while (!text.empty()) {
    double number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data() || number < 0 || !std::isfinite(number)) {
      return std::nullopt;
    }
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    size_t unit_len = 0;
    while (unit_len < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_len]))) {
      ++unit_len;
    }
    std::string_view unit = text.substr(0, unit_len);
    text.remove_prefix(unit_len);
    double scale;
    if (unit.empty()) {
      if (!bare || !text.empty()) return std::nullopt;  // a bare number is seconds, alone
      scale = 1;
    } else if (unit == "ms") {
      scale = 1e-3;
    } else if (unit == "s") {
      scale = 1;
    } else if (unit == "m") {
      scale = 60;
    } else if (unit == "h") {
      scale = 3600;
    } else if (unit == "us") {
      scale = 1e-6;
    } else {
      return std::nullopt;
    }
    bare = false;
    total += number * scale;
  }
  return total;
}

}  // namespace promtool
