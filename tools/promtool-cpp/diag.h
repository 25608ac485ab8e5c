// Compiler-style diagnostics on the terminal: "file:line:col: error: message [code]".
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "promtool/error.h"

namespace promtool::cli {

// Colour only when `stream` is a terminal and NO_COLOR is unset or empty.
bool UseColor(std::FILE* stream);

// Prints the error, the source line (if known) and a caret under the column, then the hint.
void PrintDiagnostic(std::FILE* out, std::string_view file, const ParseError& error,
                     std::string_view source_line, bool color);

}  // namespace promtool::cli
