// The OpenMetrics 2.0 family reader's constructor, for NewFamilyStream and tests.
#pragma once

#include <memory>

#include "model/owned_family.h"

namespace promtool {

// OpenMetrics 2.0.0-rc0, through OpenMetrics2Parser (strict: the first violation is the error;
// dropped exemplars are the parser's notes, not errors). Family name = sample name, so proto.name
// is the 2.0 family name; st@ becomes created_timestamp; a native histogram's absolute bucket
// counts become protobuf deltas (integer histogram) or counts (float histogram: some count
// written as a non-integer); what the model cannot hold is reported to `losses`.
// max_name_table_bytes (see OpenMetrics2Parser) and max_family_bytes (see TextOptions): 0 for
// no limit; past either, a kLimit error.
std::unique_ptr<FamilyStream> NewOpenMetrics2FamilyStream(Source& source, LossReport* losses,
                                                          uint64_t max_name_table_bytes = 0,
                                                          uint64_t max_family_bytes = 0);

}  // namespace promtool
