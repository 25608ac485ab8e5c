// RelabelStream: an operation joining the relabeling engine (relabel.h) with the readers and
// writers (convert.h): reads any input format, relabels each series, writes any output format.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "promtool/convert.h"
#include "promtool/error.h"
#include "promtool/output.h"
#include "promtool/relabel.h"
#include "promtool/source.h"

namespace promtool {

// Metric relabeling of a whole payload, as Prometheus applies metric_relabel_configs, streamed
// family by family (memory bounded by the largest family and the rules).
//
// Every sample line is relabelled on its own, as Prometheus does: a counter or gauge sample with
// __name__ = the sample name; a histogram's _bucket lines (with `le`), _sum and _count; a
// summary's quantile lines (with `quantile`), _sum and _count; a gauge histogram's _bucket,
// _gsum and _gcount; a native histogram as one series named like the family. A histogram or
// summary series stays one series of a valid family when its lines agree: all dropped (the
// series is dropped), or _sum and _count kept with the same resulting labels and names that are
// one new base name plus the original suffixes (dropped buckets or quantiles are left out;
// `le` and `quantile` must come out unchanged). Rules that treat a series' lines in any other
// way would split it into unrelated series: that is an error naming the family and series.
// A series whose __name__ changes moves to a family of the new name (HELP, TYPE and UNIT are
// kept); series of one input family renamed to several names become several families.
struct RelabelStreamOptions {
  InputFormat from = InputFormat::kAuto;
  OutputFormat to = OutputFormat::kText;
  TextOptions text;
  Escaping escaping = Escaping::kAllowUtf8;
  uint64_t max_message_bytes = uint64_t{16} << 20;
  // Instead of the payload, write a report: every series as dropped (`-`), relabelled (`~`,
  // before -> after) or unchanged (`=`), a count line per family and a total.
  bool diff = false;
  // Instead of the payload, trace the rules on every sample line whose labels (before
  // relabeling, with __name__ = the sample name, `le`/`quantile` included) match `trace`:
  // on_trace receives each line's trace, in input order. Nothing is written to the output.
  const SeriesSelector* trace = nullptr;
  std::function<void(const RelabelTrace&)> on_trace;
  // Scraping as Prometheus ingests (see prometheus_targets.h): the target's labels are attached
  // to every sample before the rules run. With honor_labels, a label the sample already has
  // wins; otherwise the target's value wins and the exposed value moves to exported_<name>
  // (exported_exported_<name> if that is taken, shorter names first).
  LabelSet target_labels;
  bool honor_labels = false;
  // false: exposed timestamps are removed, as Prometheus ignores them (honor_timestamps: false).
  bool honor_timestamps = true;
  // Limits on the samples after the rules, as Prometheus applies them (0: none). An exceeded
  // limit stops the stream with an error in Prometheus' wording, code kLimit.
  uint64_t sample_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  // Text input written as text (no report, trace, target labels or limits) takes a fast path
  // that relabels the text reader's label views and writes the lines directly; its output,
  // counts, losses and errors are those of the owning path. false forces the owning path (the
  // tests compare the two).
  bool fast_path = true;
};

struct RelabelStreamResult {
  // The input's first error (located), or, not located, a series the rules would split
  // (kRelabelSplit), a family the output format refused (kOutputFormat) or the sink's error
  // (kOutput).
  Error error;
  InputFormat format = InputFormat::kText;
  uint64_t series = 0;  // series read (with trace: sample lines read)
  uint64_t traced = 0;  // sample lines that matched the trace selector
  uint64_t dropped = 0;
  uint64_t relabelled = 0;
  uint64_t unchanged = 0;
  uint64_t samples_kept = 0;        // sample lines after the rules (what sample_limit counts)
  uint64_t fast_families = 0;       // families relabelled on the fast path (see fast_path)
  std::vector<std::string> losses;  // what the output format could not carry (warnings)

  bool ok() const { return error.ok(); }
};

RelabelStreamResult RelabelStream(Source& input, Sink& output, const RelabelRules& rules,
                                  const RelabelStreamOptions& options);

}  // namespace promtool
