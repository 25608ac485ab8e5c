// MD5 (RFC 1321) of a byte string, for relabeling's hashmod, which Prometheus computes with MD5:
// our own few lines, so the binary needs no libcrypto (mapped and relocated at every start) for
// one hash. Not for security.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace promtool {

// The 16-byte MD5 digest of `bytes`.
std::array<uint8_t, 16> Md5(std::string_view bytes);

}  // namespace promtool
