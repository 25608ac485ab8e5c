// The bridge from the owning model (OpenMetrics and protobuf input) to the linter's FamilyView:
// views into the proto's strings, so every lint rule runs on every format.
#pragma once

#include <vector>

#include "model/owned_family.h"
#include "promtool/family.h"

namespace promtool::lint {

// Builds a FamilyView of an OwnedFamily the way promtool would see the family in text format:
// the name is the model's (an OpenMetrics counter `x` is `x_total`); stateset and info are
// gauges, unknown is untyped (what their text form declares); every series' offset is the
// family's offset (the record's, for protobuf). series[i] is proto.metric(i), and
// FamilyView::owned points at the family.
class OwnedViewBuilder {
 public:
  // The view stays valid until the next Build() and while `family` is alive and unchanged.
  const FamilyView& Build(const OwnedFamily& family);

 private:
  FamilyView view_;
  std::vector<Series> series_;
  std::vector<Label> labels_;
  std::vector<Bucket> buckets_;
  std::vector<Quantile> quantiles_;
};

}  // namespace promtool::lint
