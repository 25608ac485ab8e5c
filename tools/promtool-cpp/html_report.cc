// Renders the self-contained HTML report of `check metrics` (see html_report.h).
#include "html_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>

#include "promtool/escape.h"

namespace promtool::cli {
namespace {

// Text and attribute content: valid UTF-8, control characters shown as \xNN, markup escaped.
std::string Html(std::string_view raw) {
  std::string valid;
  AppendValidUtf8(raw, &valid);
  std::string out;
  out.reserve(valid.size());
  for (char ch : EscapeControls(valid)) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", fraction * 100);
  return buf;
}

// Bar width relative to the largest bar, in percent (at least a sliver for non-zero values).
std::string Width(uint64_t value, uint64_t max) {
  if (max == 0) return "0";
  double w = 100.0 * static_cast<double>(value) / static_cast<double>(max);
  if (value > 0 && w < 0.5) w = 0.5;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", w);
  return buf;
}

// The source line around `column` (characters, 1-based) with that character marked; a long line
// is cut around it, and the cut is shown as an ellipsis.
std::string Snippet(std::string_view line, uint64_t column) {
  constexpr size_t kContext = 120;
  // Byte offset of the character column.
  size_t at = 0;
  for (uint64_t c = 1; c < column && at < line.size(); ++c) {
    ++at;
    while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
  }
  auto boundary = [&](size_t i) {
    while (i > 0 && i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  const size_t begin = at > kContext ? boundary(at - kContext) : 0;
  const size_t end = line.size() - at > kContext ? boundary(at + kContext) : line.size();
  size_t next = at;
  if (next < line.size()) {
    ++next;
    while (next < line.size() && (static_cast<unsigned char>(line[next]) & 0xC0) == 0x80) ++next;
  }
  std::string out = begin > 0 ? "\xE2\x80\xA6" : "";
  out += Html(line.substr(begin, at - begin));
  out += "<mark>" + (next > at ? Html(line.substr(at, next - at)) : std::string(" ")) + "</mark>";
  if (next < end) out += Html(line.substr(next, end - next));
  if (end < line.size()) out += "\xE2\x80\xA6";
  return out;
}

constexpr std::string_view kStyle = R"(
:root{--bg:#fff;--fg:#1d232a;--muted:#5b6672;--line:#e3e7ec;--err:#c62828;--warn:#b26a00;
--info:#1565c0;--bar:#e6522c;--bar2:#f2a35e;--card:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--card)}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:18px 0 6px}
main{padding:0 24px 40px;max-width:1200px}
.summary span{margin-right:14px}.count{font-weight:600}
nav a{margin-right:14px;color:var(--info)}
.filters label{margin-right:12px;cursor:pointer}
ol.findings{list-style:none;padding:0;margin:0}
li.finding{border:1px solid var(--line);border-left:4px solid var(--warn);border-radius:4px;padding:8px 10px;margin:6px 0;background:#fff}
li.sev-error{border-left-color:var(--err)}li.sev-info{border-left-color:var(--info)}
.badge{display:inline-block;font-size:12px;font-weight:600;padding:0 6px;border-radius:3px;color:#fff;background:var(--warn)}
.sev-error .badge{background:var(--err)}.sev-info .badge{background:var(--info)}
.where code{color:var(--muted)}a.rule{font-family:ui-monospace,monospace;font-size:13px}
.msg{margin:4px 0}
pre.snippet{margin:4px 0 0;padding:6px 8px;background:var(--card);border-radius:3px;overflow-x:auto;font-size:12.5px}
pre.snippet .ln{color:var(--muted);user-select:none;margin-right:10px}
mark{background:#ffe08a;color:inherit;border-bottom:2px solid var(--err)}
.hint{color:var(--muted);font-style:italic}
.chart{border:1px solid var(--line);border-radius:4px;padding:8px;background:#fff}
.row{display:grid;grid-template-columns:minmax(160px,32%) 1fr 90px;align-items:center;gap:8px;padding:1px 0}
.row:hover{background:var(--card)}
.name{font-family:ui-monospace,monospace;font-size:12.5px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.track{height:14px;background:var(--card);border-radius:2px}
.bar{height:100%;background:var(--bar);border-radius:2px;min-width:1px}
.bar.label{background:var(--bar2)}
.num{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}
details{margin:4px 0 4px 12px}summary{cursor:pointer}
.values{margin:2px 0 8px 16px;font-size:12.5px}
.values .row{grid-template-columns:minmax(120px,30%) 1fr 90px}
.more{color:var(--muted);font-style:italic;margin:6px 0}
#tip{position:fixed;pointer-events:none;background:#1d232a;color:#fff;padding:4px 8px;border-radius:3px;font-size:12px;display:none;z-index:10;max-width:480px}
.hidden{display:none}
)";

constexpr std::string_view kScript = R"(
(function(){
  var tip=document.getElementById('tip');
  document.addEventListener('mousemove',function(e){
    var t=e.target.closest?e.target.closest('[data-tip]'):null;
    if(!t){tip.style.display='none';return;}
    tip.textContent=t.getAttribute('data-tip');
    tip.style.display='block';
    tip.style.left=Math.min(e.clientX+12,window.innerWidth-tip.offsetWidth-8)+'px';
    tip.style.top=(e.clientY+14)+'px';
  });
  var boxes=document.querySelectorAll('.filters input');
  function apply(){
    var on={};
    for(var i=0;i<boxes.length;i++){on[boxes[i].value]=boxes[i].checked;}
    var items=document.querySelectorAll('li.finding');
    for(var j=0;j<items.length;j++){
      items[j].classList.toggle('hidden',!on[items[j].getAttribute('data-severity')]);
    }
  }
  for(var k=0;k<boxes.length;k++){boxes[k].addEventListener('change',apply);}
  var search=document.getElementById('family-filter');
  if(search){search.addEventListener('input',function(){
    var q=search.value.toLowerCase();
    var rows=document.querySelectorAll('[data-family]');
    for(var i=0;i<rows.length;i++){
      rows[i].classList.toggle('hidden',q!==''&&rows[i].getAttribute('data-family').toLowerCase().indexOf(q)<0);
    }
  });}
})();
)";

void AppendBarRow(std::string& out, std::string_view css_class, const std::string& name,
                  uint64_t value, uint64_t max, const std::string& tip, std::string_view extra) {
  out += "<div class=\"row\" data-tip=\"";
  out += Html(tip);
  out += "\"";
  out += extra;
  out += "><span class=\"name\">";
  out += Html(name);
  out += "</span><span class=\"track\"><span class=\"bar";
  if (!css_class.empty()) {
    out += ' ';
    out += css_class;
  }
  out += "\" style=\"display:block;width:";
  out += Width(value, max);
  out += "%\"></span></span><span class=\"num\">";
  out += std::to_string(value);
  out += "</span></div>\n";
}

void AppendFindings(std::string& out, const LintReport& report) {
  out += "<section id=\"findings\"><h2>Findings</h2>\n";
  if (report.items.empty()) {
    out += "<p>No problems found.</p></section>\n";
    return;
  }
  out +=
      "<div class=\"filters\">Show: <label><input type=\"checkbox\" value=\"error\" checked> "
      "errors</label><label><input type=\"checkbox\" value=\"warning\" checked> "
      "warnings</label><label><input type=\"checkbox\" value=\"info\" checked> "
      "infos</label></div>\n";
  std::string current;
  bool open = false;
  size_t shown = 0;
  for (const LintItem& item : report.items) {
    if (shown == kHtmlMaxFindings) break;
    ++shown;
    if (!open || item.file != current) {
      if (open) out += "</ol>\n";
      current = item.file;
      open = true;
      out += "<h3>" + Html(item.file) + "</h3>\n<ol class=\"findings\">\n";
    }
    const std::string_view sev = lint::SeverityName(item.severity);
    std::string where = item.file;
    if (item.line > 0) {
      where += ':';
      where += std::to_string(item.line);
      where += ':';
      where += std::to_string(item.column);
    } else if (item.has_offset) {
      where += ": byte ";
      where += std::to_string(item.offset);
    }
    const std::string rule = item.error_code.empty() ? item.rule : item.error_code;
    out += "<li class=\"finding sev-" + std::string(sev) + "\" data-severity=\"" +
           std::string(sev) + "\" data-rule=\"" + Html(item.rule) + "\"><div class=\"where\">" +
           "<span class=\"badge\">" + std::string(sev) + "</span> <code>" + Html(where) +
           "</code> <a class=\"rule\" href=\"docs/lint-rules.md#" + Html(item.rule) +
           "\" title=\"the rule in docs/lint-rules.md\">" + Html(rule) + "</a></div>\n" +
           "<div class=\"msg\">" + Html(ItemText(item)) + "</div>\n";
    if (item.line > 0 && (!item.source_line.empty() || item.column == 1)) {
      out += "<pre class=\"snippet\"><span class=\"ln\">" + std::to_string(item.line) + "</span>" +
             Snippet(item.source_line, item.column) + "</pre>\n";
    }
    if (!item.hint.empty()) out += "<div class=\"hint\">hint: " + Html(item.hint) + "</div>\n";
    out += "</li>\n";
  }
  if (open) out += "</ol>\n";
  if (report.items.size() > shown) {
    out += "<p class=\"more\">" + std::to_string(report.items.size() - shown) +
           " more findings are not shown here (the first " + std::to_string(kHtmlMaxFindings) +
           " are); --report=json or sarif lists them all.</p>\n";
  }
  out += "</section>\n";
}

void AppendCardinality(std::string& out, const std::vector<ExtendedInput>& inputs) {
  out += "<section id=\"cardinality\"><h2>Cardinality</h2>\n";
  if (inputs.empty()) {
    out += "<p>No input could be read.</p></section>\n";
    return;
  }
  out +=
      "<p>Samples per family as promtool counts them (series; histograms and summaries: series "
      "&times; (buckets or quantiles + 2)). Hover a bar for its numbers; open a family for its "
      "labels. <input id=\"family-filter\" type=\"search\" placeholder=\"filter families\"></p>\n";
  for (const ExtendedInput& input : inputs) {
    out += "<h3>" + Html(input.name) + " &mdash; " + std::to_string(input.total) + " samples in " +
           std::to_string(input.rows.size()) + " families</h3>\n";
    std::vector<const lint::CardinalityRow*> rows;
    rows.reserve(input.rows.size());
    for (const lint::CardinalityRow& r : input.rows) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto* a, const auto* b) { return a->cardinality > b->cardinality; });
    const uint64_t max = rows.empty() ? 0 : rows.front()->cardinality;
    out += "<div class=\"chart\" id=\"families\">\n";
    const size_t drawn = std::min(rows.size(), kHtmlMaxFamilies);
    for (size_t i = 0; i < drawn; ++i) {
      const lint::CardinalityRow& r = *rows[i];
      AppendBarRow(out, "", r.family, r.cardinality, max,
                   r.family + ": " + std::to_string(r.cardinality) + " samples, " +
                       Percent(r.fraction) + "% of " + std::to_string(input.total),
                   " data-family=\"" + Html(r.family) + "\"");
    }
    if (rows.size() > drawn) {
      uint64_t rest = 0;
      for (size_t i = drawn; i < rows.size(); ++i) rest += rows[i]->cardinality;
      out += "<p class=\"more\">" + std::to_string(rows.size() - drawn) + " smaller families (" +
             std::to_string(rest) + " samples) are not drawn.</p>\n";
    }
    out += "</div>\n";
    if (input.labels.empty()) continue;
    // Every label name over all families: the distinct values summed, and in how many families.
    std::map<std::string, std::pair<uint64_t, uint64_t>> by_label;  // name -> (values, families)
    for (const lint::FamilyLabels& f : input.labels) {
      for (const lint::LabelBreakdown& l : f.labels) {
        auto& [values, families] = by_label[l.name];
        values += l.distinct;
        ++families;
      }
    }
    if (!by_label.empty()) {
      std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> labels(by_label.begin(),
                                                                                by_label.end());
      std::stable_sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) {
        return a.second.first > b.second.first;
      });
      out +=
          "<h3>Distinct values per label (all families)</h3>\n<div class=\"chart\" "
          "id=\"labels\">\n";
      for (const auto& [name, counts] : labels) {
        AppendBarRow(out, "label", name, counts.first, labels.front().second.first,
                     name + ": " + std::to_string(counts.first) + " distinct values in " +
                         std::to_string(counts.second) + " families",
                     "");
      }
      out += "</div>\n";
    }
    std::string details;
    // Families in the order of the chart.
    for (size_t i = 0; i < drawn; ++i) {
      const std::string& family = rows[i]->family;
      auto it = std::lower_bound(
          input.labels.begin(), input.labels.end(), family,
          [](const lint::FamilyLabels& f, const std::string& name) { return f.family < name; });
      if (it == input.labels.end() || it->family != family || it->labels.empty()) continue;
      uint64_t label_max = 0;
      for (const lint::LabelBreakdown& l : it->labels) label_max = std::max(label_max, l.distinct);
      details += "<details data-family=\"" + Html(family) + "\"><summary><span class=\"name\">" +
                 Html(family) + "</span> &mdash; " + std::to_string(it->labels.size()) +
                 " labels</summary>\n";
      for (const lint::LabelBreakdown& l : it->labels) {
        AppendBarRow(
            details, "label", l.name, l.distinct, label_max,
            family + " / " + l.name + ": " + std::to_string(l.distinct) + " distinct values", "");
        if (l.top.empty()) continue;
        details += "<div class=\"values\">\n";
        const uint64_t value_max = l.top.front().second;
        for (const auto& [value, series] : l.top) {
          AppendBarRow(details, "label", value, series, value_max,
                       l.name + "=\"" + value + "\": " + std::to_string(series) + " series", "");
        }
        details += "</div>\n";
      }
      details += "</details>\n";
    }
    if (!details.empty()) {
      out += "<h3>Labels per family</h3>\n";
      out += details;
    }
  }
  out += "</section>\n";
}

}  // namespace

std::string RenderHtmlReport(const LintReport& report,
                             const std::vector<ExtendedInput>& cardinality) {
  size_t counts[3] = {0, 0, 0};
  for (const LintItem& item : report.items) ++counts[static_cast<int>(item.severity)];
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<title>promtool-cpp check metrics report</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<header><h1>promtool-cpp check metrics</h1>\n";
  out += "<div class=\"summary\"><span><span class=\"count\" id=\"count-inputs\">" +
         std::to_string(report.files.size()) +
         "</span> inputs</span><span><span class=\"count\" id=\"count-errors\">" +
         std::to_string(counts[2]) +
         "</span> errors</span><span><span class=\"count\" id=\"count-warnings\">" +
         std::to_string(counts[1]) +
         "</span> warnings</span><span><span class=\"count\" id=\"count-infos\">" +
         std::to_string(counts[0]) +
         "</span> infos</span><span>promtool-cpp " PROMTOOL_VERSION "</span></div>\n";
  out +=
      "<nav><a href=\"#findings\">Findings</a><a href=\"#cardinality\">Cardinality</a></nav>"
      "</header>\n<main>\n";
  AppendFindings(out, report);
  AppendCardinality(out, cardinality);
  out += "</main>\n<div id=\"tip\"></div>\n<script>";
  out += kScript;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace promtool::cli
