// Groups parser entries into metric families, one family at a time, streaming.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "promtool/error.h"
#include "promtool/family.h"
#include "promtool/text_parser.h"

namespace promtool {

// Reads families from a parser: each Next() returns the next family (the entries up to the
// first entry of another family), or nullptr at the end of input or on error. Only the
// current family's bytes are kept in the source window, so memory is bounded by the largest
// family. Families that have only HELP/TYPE lines are returned too, with no series.
class FamilyReader {
 public:
  explicit FamilyReader(TextParser& parser);
  ~FamilyReader();
  FamilyReader(const FamilyReader&) = delete;
  FamilyReader& operator=(const FamilyReader&) = delete;

  // The next family; valid until the next call. nullptr at the end or on error.
  [[nodiscard]] const FamilyView* Next();
  // Delivers gauge, counter and untyped families in views of at most `n` series (the views
  // after the first have FamilyView::part set), so neither the reader's records nor the
  // source window ever hold more than `n` series of a family. 0 (the default): whole families.
  // Histograms and summaries always come whole (their lines are grouped by label set).
  void SetMaxPartSeries(uint32_t n);
  // Bounds the records of one family (or part) to about `bytes` (0, the default: no bound); the
  // sample line that takes them past it ends the read with a kLimit error at that line. See
  // TextOptions::max_family_bytes.
  void SetMaxFamilyBytes(uint64_t bytes);
  // After Next() returned nullptr: the parse error, or nullptr for a clean end.
  const Error* error() const { return failed_ ? &parser_.Error() : nullptr; }

 private:
  struct Impl;
  TextParser& parser_;
  std::unique_ptr<Impl> impl_;
  bool failed_ = false;
};

}  // namespace promtool
