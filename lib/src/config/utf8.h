// Internal helpers of the relabeling engine: UTF-8 decoding and Unicode case mapping with Go's
// semantics, and the anchored regex compilation shared by the engine and the YAML loader.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace promtool::relabel_internal {

// Decodes one rune at the start of `s` (non-empty) as Go's utf8.DecodeRuneInString: an invalid
// or truncated sequence is U+FFFD with size 1.
char32_t DecodeRune(std::string_view s, size_t* size);
// Go's unicode.IsLetter || unicode.IsDigit (non-ASCII runes via the C.UTF-8 locale's classes).
bool IsLetterOrDigit(char32_t r);
// Go's strings.ToUpper / strings.ToLower (simple case mapping rune by rune); invalid UTF-8
// bytes are copied unchanged.
std::string MapCase(std::string_view s, bool upper);
// Compiles ^(?s:REGEX)$ as Prometheus does; the error message names the regex.
absl::StatusOr<std::unique_ptr<RE2>> CompileRelabelRegex(std::string_view regex);

}  // namespace promtool::relabel_internal
