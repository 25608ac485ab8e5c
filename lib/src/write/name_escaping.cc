// Legacy-name checks, Prometheus' name escaping schemes (underscores, dots, values), the label
// sets the text writers write straight from the text reader's views, shared by every writer.
#include <algorithm>
#include <cstdio>

#include "common/chars.h"
#include "common/strcat.h"
#include "promtool/escape.h"
#include "write/writer.h"

namespace promtool {

namespace {

// Decodes one UTF-8 code point at name[*i]; advances *i. Returns U+FFFD for invalid bytes.
char32_t DecodeRune(std::string_view name, size_t* i) {
  const auto b0 = static_cast<unsigned char>(name[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || *i + len > name.size() || b0 > 0xF4) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(name[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return 0xFFFD;
  }
  *i += len;
  return cp;
}

// Prometheus' isValidLegacyRune: letters, '_', ':', and digits after the first position.
bool LegacyRune(char32_t r, size_t position) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_' || r == ':' ||
         (r >= '0' && r <= '9' && position > 0);
}

}  // namespace

void AppendEscapedName(std::string_view name, Escaping escaping, std::string* out) {
  if (name.empty()) return;
  switch (escaping) {
    case Escaping::kAllowUtf8:
    case Escaping::kNone:
      out->append(name);
      return;
    case Escaping::kUnderscores: {
      if (IsLegacyMetricName(name)) {
        out->append(name);
        return;
      }
      size_t i = 0, position = 0;
      while (i < name.size()) {
        const size_t start = i;
        char32_t r = DecodeRune(name, &i);
        if (LegacyRune(r, position)) {
          out->append(name.substr(start, i - start));
        } else {
          out->push_back('_');
        }
        ++position;
      }
      return;
    }
    case Escaping::kDots: {
      // Legacy names are escaped too: every '_' doubles so that the scheme can be reversed.
      size_t i = 0, position = 0;
      while (i < name.size()) {
        const size_t start = i;
        char32_t r = DecodeRune(name, &i);
        if (r == '_') {
          out->append("__");
        } else if (r == '.') {
          out->append("_dot_");
        } else if (LegacyRune(r, position)) {
          out->append(name.substr(start, i - start));
        } else {
          out->append("__");
        }
        ++position;
      }
      return;
    }
    case Escaping::kValues: {
      if (IsLegacyMetricName(name)) {
        out->append(name);
        return;
      }
      out->append("U__");
      size_t i = 0, position = 0;
      while (i < name.size()) {
        const size_t start = i;
        char32_t r = DecodeRune(name, &i);
        if (r == '_') {
          out->append("__");
        } else if (LegacyRune(r, position)) {
          out->append(name.substr(start, i - start));
        } else {
          char hex[16];
          std::snprintf(hex, sizeof hex, "_%x_", static_cast<unsigned>(r));
          out->append(hex);
        }
        ++position;
      }
      return;
    }
  }
}

std::string LabelSetProblem(const pb::Metric& m, MetricType type,
                            std::vector<std::string_view>* scratch, bool utf8_checked) {
  if (m.label_size() == 0) return {};
  const bool histogram = type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
  scratch->clear();
  for (const pb::LabelPair& l : m.label()) {
    const std::string& n = l.name();
    if (n.empty()) return "an empty label name";
    if (!utf8_checked) {
      if (!chars::ValidUtf8(n)) return StrCat("label name ", GoQuote(n), " is not valid UTF-8");
      if (!chars::ValidUtf8(l.value())) {
        return StrCat("the value of label ", GoQuote(n), " is not valid UTF-8");
      }
    }
    if (n == "__name__") return "a label named __name__";
    if ((histogram && n == "le") || (type == MetricType::kSummary && n == "quantile")) {
      return StrCat("a label named ", n, ", which the writer adds itself");
    }
    scratch->push_back(n);
  }
  // A name given twice: none when the names are in strictly increasing order (fmt sorts them,
  // and so does every Go exporter); otherwise pairwise for the usual handful, sorted beyond.
  const std::vector<std::string_view>& names = *scratch;
  size_t ordered = 1;
  while (ordered < names.size() && names[ordered - 1] < names[ordered]) ++ordered;
  if (ordered >= names.size()) return {};
  if (names.size() <= 16) {
    for (size_t i = 1; i < names.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (names[i] == names[j]) return StrCat("label name ", GoQuote(names[i]), " given twice");
      }
    }
    return {};
  }
  std::sort(scratch->begin(), scratch->end());
  auto dup = std::adjacent_find(scratch->begin(), scratch->end());
  if (dup != scratch->end()) return StrCat("label name ", GoQuote(*dup), " given twice");
  return {};
}

absl::Status CheckUtf8(const OwnedFamily& family, bool check_help) {
  const std::string& name = family.proto.name();
  auto refuse = [&](std::string_view what) {
    return absl::InvalidArgumentError(StrCat("family ", GoQuote(name), ": ", what,
                                             " is not valid UTF-8; the text formats need UTF-8"));
  };
  if (!chars::ValidUtf8(name)) return refuse("the name");
  if (check_help && family.proto.has_help() && !chars::ValidUtf8(family.proto.help())) {
    return refuse("the HELP text");
  }
  // Labels that are not UTF-8 are LabelSetProblem's: the series is dropped and reported.
  return absl::OkStatus();
}

bool ViewLabelsPlain(std::span<const Label> labels) {
  if (labels.size() > 16) return false;
  for (size_t i = 0; i < labels.size(); ++i) {
    const Label& l = labels[i];
    if (l.name_quoted || !IsLegacyLabelName(l.name) || l.name == "__name__") return false;
    for (size_t j = 0; j < i; ++j) {
      if (labels[j].name == l.name) return false;
    }
  }
  return true;
}

bool ViewWritable(const FamilyView& view, Escaping escaping) {
  if (escaping != Escaping::kAllowUtf8) return false;
  if (view.type != MetricType::kCounter && view.type != MetricType::kGauge &&
      view.type != MetricType::kUntyped) {
    return false;
  }
  if (!IsLegacyMetricName(view.name)) return false;
  for (const Series& s : view.series) {
    if (!ViewLabelsPlain(s.labels)) return false;
  }
  return true;
}

void AppendViewLabels(std::span<const Label> labels, std::string* scratch, std::string* out) {
  if (labels.empty()) return;
  char sep = '{';
  for (const Label& l : labels) {
    out->push_back(sep);
    out->append(l.name);
    out->append("=\"");
    if (l.value.find('\\') == std::string_view::npos) {
      out->append(l.value);
    } else {
      AppendEscaped(Unescape(l.value, scratch), EscapeSet::kLabelValue, out);
    }
    out->push_back('"');
    sep = ',';
  }
  out->push_back('}');
}

}  // namespace promtool
