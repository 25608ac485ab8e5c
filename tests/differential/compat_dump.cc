// Test-only helper for the differential test: parses each file as text 0.0.4 and prints what
// promtool would print, `LINE<TAB>compat_message` or `OK`, one NUL-terminated record per file.
#include <cstdio>
#include <string>

#include "promtool/source.h"
#include "promtool/text_parser.h"

namespace {

bool verbose = false;

std::string Check(const std::string& path) {
  auto source = promtool::OpenSource(path);
  if (!source.ok()) return "IOERROR\t" + std::string(source.status().message());
  promtool::TextParser parser(**source);
  for (;;) {
    promtool::Entry e = parser.Next();
    if (e == promtool::Entry::kEnd) return "OK";
    if (e == promtool::Entry::kError) {
      const promtool::ParseError& err = parser.Error();
      return std::to_string(err.line) + "\t" + err.compat_message + "\t" +
             std::to_string(err.column) + "\t" + std::string(promtool::ErrorCodeId(err.code)) +
             (verbose ? "\t" + err.message + "\t" + err.hint : "");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--verbose") {  // also print message and hint
      verbose = true;
      continue;
    }
    std::string out = Check(argv[i]);
    std::fwrite(out.data(), 1, out.size() + 1, stdout);  // includes the NUL terminator
  }
  return 0;
}
