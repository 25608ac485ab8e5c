// Compiler-style diagnostics on the terminal: "file:line:col: error: message [code]".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "promtool/error.h"

namespace promtool::cli {

// Colour only when `stream` is a terminal and NO_COLOR is unset or empty.
bool UseColor(std::FILE* stream);

// `text` safe to print on a terminal: control characters (C0, DEL, and C1 as U+0080..U+009F),
// and bytes that are not valid UTF-8 become \xNN (each byte); everything else passes as is.
// For names, HELP texts and label values from a payload in human-readable output.
std::string Visible(std::string_view text);

// The source line (control characters made visible, clipped to a window around a long line's
// column) and a caret under the 1-based byte column, each line indented by four spaces.
std::string SourceSnippet(std::string_view source_line, uint64_t column, const char* caret_color,
                          const char* reset);

// Prints the error, the source line (if known) and a caret under the column, then the hint.
void PrintDiagnostic(std::FILE* out, std::string_view file, const Error& error,
                     std::string_view source_line, bool color);

// Prints a result's error: a located one (in the input) as PrintDiagnostic does, one that is not
// in the input (the output, an option, the network) as "NAME: error: MESSAGE".
void PrintError(std::FILE* out, std::string_view name, const Error& error,
                std::string_view source_line, bool color);

}  // namespace promtool::cli
