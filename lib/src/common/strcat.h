// StrCat over std::string_view and integers (Debian's Abseil has its own string_view type, so
// absl::StrCat does not take std::string_view).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

namespace promtool {
namespace strcat_internal {

inline void Append(std::string& out, std::string_view v) { out.append(v); }
inline void Append(std::string& out, char c) { out.push_back(c); }
template <typename T>
requires(std::is_integral_v<T> && !std::is_same_v<T, char> &&
         !std::is_same_v<T, bool>) void Append(std::string& out, T v) {
  out.append(std::to_string(v));
}

}  // namespace strcat_internal

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (strcat_internal::Append(out, args), ...);
  return out;
}

template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  (strcat_internal::Append(*out, args), ...);
}

}  // namespace promtool
