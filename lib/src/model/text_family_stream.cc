// The text-format FamilyStream: FamilyReader's views copied into the owning model, with label
// values and quoted names unescaped.
#include <cmath>
#include <limits>
#include <string>

#include "common/strcat.h"
#include "model/owned_family.h"
#include "promtool/escape.h"
#include "promtool/family_reader.h"

namespace promtool {
namespace {

class TextFamilyStream final : public FamilyStream {
 public:
  TextFamilyStream(Source& source, const TextOptions& options, LossReport* losses,
                   uint32_t max_part_series)
      : parser_(source, options),
        reader_(parser_),
        losses_(losses),
        max_family_bytes_(options.max_family_bytes) {
    reader_.SetMaxPartSeries(max_part_series);
    reader_.SetMaxFamilyBytes(max_family_bytes_);
  }

  const OwnedFamily* Next() override {
    if (NextView() == nullptr) return nullptr;
    return Owned();
  }

  bool has_views() const override { return true; }

  const FamilyView* NextView() override {
    view_ = nullptr;
    if (failed_) return nullptr;
    const FamilyView* view = reader_.Next();
    if (view == nullptr) return nullptr;
    if (max_family_bytes_ > 0) {
      if (Estimate(*view) > max_family_bytes_) {
        error_ = model_cost::TooLarge(
            StrCat("family \"", view->name, "\" (", view->series.size(), " series)"), view->offset,
            max_family_bytes_);
        // The family's first line is still in the window: the error says where it starts.
        const LineCol at = parser_.source().Locate(view->offset);
        error_.line = at.line;
        error_.column = at.column;
        failed_ = true;
        return nullptr;
      }
    }
    view_ = view;
    filled_ = false;
    return view;
  }

  const OwnedFamily* Owned() override {
    if (view_ == nullptr) return nullptr;
    if (!filled_) {
      FillFromView(*view_, &family_, &scratch_, losses_);
      filled_ = true;
    }
    return &family_;
  }

  const Error* error() const override { return failed_ ? &error_ : reader_.error(); }

 private:
  // What FillFromView() would build, in bytes (model_cost); stops counting past the bound.
  uint64_t Estimate(const FamilyView& view) const {
    uint64_t bytes = 0;
    for (const Series& s : view.series) {
      bytes += model_cost::Metric(view.type) + s.buckets.size() * model_cost::Bucket() +
               s.quantiles.size() * model_cost::Quantile();
      for (const Label& l : s.labels) bytes += model_cost::Label(l.name.size(), l.value.size());
      if (bytes > max_family_bytes_) break;
    }
    return bytes;
  }

  TextParser parser_;
  FamilyReader reader_;
  LossReport* losses_;
  OwnedFamily family_;
  const FamilyView* view_ = nullptr;  // the last NextView()
  bool filled_ = false;               // family_ holds view_'s model
  std::string scratch_;
  const uint64_t max_family_bytes_;
  bool failed_ = false;
  Error error_;  // the family over max_family_bytes_
};

}  // namespace

std::unique_ptr<FamilyStream> NewTextFamilyStream(Source& source, const TextOptions& options,
                                                  LossReport* losses, uint32_t max_part_series) {
  return std::make_unique<TextFamilyStream>(source, options, losses, max_part_series);
}

}  // namespace promtool
