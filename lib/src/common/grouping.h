// The text format's grouping suffixes: a sample named <base>_count or <base>_sum may belong to
// the summary or histogram family <base>, and <base>_bucket to the histogram <base>. The text
// parser resolves sample names with them; --jobs keeps such a sample and its family in one part.
#pragma once

#include <string_view>

namespace promtool::grouping {

inline bool IsCount(std::string_view n) { return n.size() > 6 && n.ends_with("_count"); }
inline bool IsSum(std::string_view n) { return n.size() > 4 && n.ends_with("_sum"); }
inline bool IsBucket(std::string_view n) { return n.size() > 7 && n.ends_with("_bucket"); }

// `name` without its grouping suffix (_bucket, _count or _sum), or empty when it has none.
inline std::string_view Base(std::string_view name) {
  if (IsCount(name)) return name.substr(0, name.size() - 6);
  if (IsSum(name)) return name.substr(0, name.size() - 4);
  if (IsBucket(name)) return name.substr(0, name.size() - 7);
  return {};
}

}  // namespace promtool::grouping
