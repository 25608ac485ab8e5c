// RelabelStream: an operation joining the relabeling engine (relabel.h) with the readers and
// writers (convert.h): reads any input format, relabels each series, writes any output format.
#pragma once

#include <cstdint>
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
};

struct RelabelStreamResult {
  // The input's first error (located), or, not located, a series the rules would split
  // (kRelabelSplit), a family the output format refused (kOutputFormat) or the sink's error
  // (kOutput).
  Error error;
  InputFormat format = InputFormat::kText;
  uint64_t series = 0;  // series read
  uint64_t dropped = 0;
  uint64_t relabelled = 0;
  uint64_t unchanged = 0;
  std::vector<std::string> losses;  // what the output format could not carry (warnings)

  bool ok() const { return error.ok(); }
};

RelabelStreamResult RelabelStream(Source& input, Sink& output, const RelabelRules& rules,
                                  const RelabelStreamOptions& options);

}  // namespace promtool
