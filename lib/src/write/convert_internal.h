// Convert() with a check on every family before it is written: the scrape limits use it to
// convert a streamed HTTP body without holding it.
#pragma once

#include <functional>
#include <string>

#include "model/owned_family.h"
#include "promtool/convert.h"

namespace promtool {

// Returns ok to write the family, or why it must not be (then the conversion stops with that
// error).
using FamilyCheck = std::function<Error(const OwnedFamily&)>;

ConvertResult ConvertChecked(Source& input, Sink& output, const ConvertOptions& options,
                             const FamilyCheck& check);

}  // namespace promtool
