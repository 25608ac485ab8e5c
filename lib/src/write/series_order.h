// fmt's series order (client_golang's), by byte keys built once per series.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "proto/metrics.pb.h"

namespace promtool {

// Series order: exactly client_golang's (prometheus/internal metricSorter, applied by every
// Gatherer, so the Pushgateway's and every Go exporter's output is already in this order): a
// series with fewer labels first; between series with as many labels, the label values compared
// position by position (the labels are taken in the order they have: fmt sorts them by name
// first; the names themselves are not compared); then the timestamp, a series without one last.
//
// Appends the series' sort key, whose memcmp order is that order: the label count (4 bytes,
// big-endian); each value with 0x00 written as 0x00 0xff and ended by 0x00 0x00 (so a value
// sorts before its extensions and values compare one by one); then 0x00 and the timestamp
// (8 bytes, big-endian, sign bit flipped), or 0x01 for none.
void AppendSeriesSortKey(const io::prometheus::client::Metric& m, std::string* key);

// Sorts metrics stably in that order. The keys are built once and laid out in one buffer:
// comparing them costs a fraction of comparing the messages' strings through their pointers
// (a fifth of fmt's time on large families). Input already in order is left as it is after
// one pass.
void SortSeries(google::protobuf::RepeatedPtrField<io::prometheus::client::Metric>* metrics);

}  // namespace promtool
