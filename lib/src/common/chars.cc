// Go-compatible character printing (UTF-8 validation is in escape.cc).
#include "common/chars.h"

#include <string>

namespace promtool::chars {

std::string GoChar(unsigned char c) {
  if (c < 0x80) return std::string(1, static_cast<char>(c));
  std::string out;
  out += static_cast<char>(0xC0 | (c >> 6));
  out += static_cast<char>(0x80 | (c & 0x3F));
  return out;
}

}  // namespace promtool::chars
