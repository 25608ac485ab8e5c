// Semantic diff of two metric payloads (the library call behind `promtool-cpp diff`): families
// and series are compared, not lines, so order, escaping and formatting are never differences.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "promtool/error.h"
#include "promtool/source.h"
#include "promtool/text_parser.h"
#include "promtool/validate.h"

namespace promtool {

struct DiffOptions {
  InputFormat old_format = InputFormat::kAuto;  // auto: DetectFormat() on each input
  InputFormat new_format = InputFormat::kAuto;
  TextOptions text;  // text inputs: name scheme and limits

  // Values are equal when |a - b| <= max(abs_tolerance, rel_tolerance * max(|a|, |b|)) (the
  // rule of Python's math.isclose); NaN equals NaN and infinities equal themselves. 0 and 0:
  // exact comparison.
  double abs_tolerance = 0;
  double rel_tolerance = 0;
  bool ignore_values = false;      // no value comparison at all (nor counter resets)
  bool ignore_timestamps = false;  // no timestamp comparison

  // RE2 patterns matched against family names with partial-match semantics, as Go's
  // regexp.MatchString: `go_` matches any name containing "go_"; anchor with ^ and $. A family
  // whose name matches any ignore_metrics pattern is skipped; when `only` is not empty, a family
  // is compared only if its name matches one of its patterns.
  std::vector<std::string> ignore_metrics;
  std::vector<std::string> only;
  // Label names dropped from every series before comparing (e.g. "instance").
  std::vector<std::string> ignore_labels;

  // Index NEW and stream OLD instead of the reverse: memory then follows NEW's size. Use it when
  // NEW is the smaller payload; the result is the same.
  bool index_new = false;

  // At most this many differences are kept in DiffResult::differences (the counts are always
  // complete). 0 keeps none, for a summary only.
  uint64_t max_differences = UINT64_MAX;

  // The most bytes diff may hold for what it has read (the families' state, the indexed side's
  // series keys and values, the differences kept); 0 means no limit. Past it, the read stops with
  // a kLimit error. The CLI sets it to --body-size-limit when an input is a URL, so that a
  // hostile body cannot grow the index past the body's own bound.
  uint64_t max_held_bytes = 0;
};

// Kinds of difference. The ids of DiffKindName() are stable (JSON output, docs/cli.md).
enum class DiffKind : uint8_t {
  kFamilyAdded,          // "family-added": a family only NEW has (`series` = its series)
  kFamilyRemoved,        // "family-removed": a family only OLD has (`series` = its series)
  kTypeChanged,          // "type-changed": old_text/new_text are the type names
  kUnitChanged,          // "unit-changed": old_text/new_text are the units ("" for none)
  kHelpChanged,          // "help-changed": old_text/new_text are the HELP texts ("" for none)
  kLabelNamesChanged,    // "label-names-changed": old_items/new_items, the sorted label names
                         // used by the family's series (ignored labels excluded)
  kBucketLayoutChanged,  // "bucket-layout-changed": old_items/new_items, the sorted `le` bounds
                         // of the family's classic histogram buckets (+Inf excluded)
  kSeriesAdded,          // "series-added": a label set only NEW has
  kSeriesRemoved,        // "series-removed": a label set only OLD has
  kValueChanged,         // "value-changed": one value of a series beyond the tolerance
  kCounterReset,         // "counter-reset": a counter value, or a histogram or summary count,
                         // went down
  kTimestampChanged,     // "timestamp-changed": the series' timestamp (added, removed, changed)
};

std::string_view DiffKindName(DiffKind kind);

// Which value of a series a value difference is about.
enum class DiffField : uint8_t {
  kValue,     // counter, gauge, untyped (and stateset, info) value
  kCount,     // histogram or summary count
  kSum,       // histogram or summary sum
  kBucket,    // a classic bucket's cumulative count; `bound` is its le
  kQuantile,  // a summary quantile's value; `bound` is the quantile
};

// "value", "count", "sum", "bucket", "quantile".
std::string_view DiffFieldName(DiffField field);

struct Difference {
  DiffKind kind = DiffKind::kFamilyAdded;
  std::string family;  // the family name, as the owning model spells it (a counter keeps _total)
  // Series kinds: the series' labels sorted by name, ignored labels dropped (le and quantile are
  // not labels; see field and bound).
  std::vector<std::pair<std::string, std::string>> labels;
  // kValueChanged, kCounterReset: which value, and its old and new value.
  DiffField field = DiffField::kValue;
  double bound = 0;  // kBucket: le; kQuantile: the quantile
  double old_value = 0;
  double new_value = 0;
  // kTimestampChanged: milliseconds since the epoch, when the side has one.
  bool has_old_timestamp = false;
  bool has_new_timestamp = false;
  int64_t old_timestamp_ms = 0;
  int64_t new_timestamp_ms = 0;
  // kTypeChanged, kUnitChanged, kHelpChanged.
  std::string old_text;
  std::string new_text;
  // kLabelNamesChanged, kBucketLayoutChanged (bounds written as Go's %g: "0.5", "+Inf").
  std::vector<std::string> old_items;
  std::vector<std::string> new_items;
  uint64_t series = 0;  // kFamilyAdded, kFamilyRemoved: how many series the family has
};

struct DiffCounts {
  uint64_t old_families = 0;  // families compared on each side (after the filters)
  uint64_t new_families = 0;
  uint64_t old_series = 0;
  uint64_t new_series = 0;
  uint64_t families_added = 0;
  uint64_t families_removed = 0;
  uint64_t families_changed = 0;  // families on both sides with at least one difference
  uint64_t types_changed = 0;
  uint64_t units_changed = 0;
  uint64_t helps_changed = 0;
  uint64_t label_names_changed = 0;
  uint64_t bucket_layouts_changed = 0;
  // Series of families present on both sides (an added or removed family counts once above).
  uint64_t series_added = 0;
  uint64_t series_removed = 0;
  uint64_t values_changed = 0;  // kValueChanged differences (one per value)
  uint64_t counter_resets = 0;
  uint64_t timestamps_changed = 0;

  uint64_t total() const {
    return families_added + families_removed + types_changed + units_changed + helps_changed +
           label_names_changed + bucket_layouts_changed + series_added + series_removed +
           values_changed + counter_resets + timestamps_changed;
  }
};

struct DiffResult {
  // A regex that RE2 rejects (kOption, not located: the message names the option and the
  // pattern; nothing was read), or the first input error (located) and which input it is in
  // (error_input: 0 = OLD, 1 = NEW). error.ok() otherwise.
  Error error;
  int error_input = 0;
  InputFormat old_format = InputFormat::kText;  // the formats used (after detection)
  InputFormat new_format = InputFormat::kText;
  // Sorted by family name, then kind (in DiffKind order), then labels, field and bound; at most
  // DiffOptions::max_differences of them.
  std::vector<Difference> differences;
  DiffCounts counts;

  bool ok() const { return error.ok(); }
  bool equal() const { return ok() && counts.total() == 0; }
};

// Compares `old_input` with `new_input` family by family. OLD (NEW with index_new) is read fully
// into a compact index (per family: its metadata, label names and bucket bounds; per series: its
// canonical label key and its values, packed), then the other input is streamed one family at a
// time against it, so memory is proportional to the indexed side's label sets and values (plus
// the kept differences and the streamed side's largest family), never to the payloads as text.
// Families split across a text input (`continued`) are merged by name. Never prints, never throws.
DiffResult Diff(Source& old_input, Source& new_input, const DiffOptions& options);

}  // namespace promtool
