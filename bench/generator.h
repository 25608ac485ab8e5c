// Deterministic generator of kube-state-metrics-like Prometheus text 0.0.4 payloads for benchmarks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace promtool::bench {

// The shape of a payload.
enum class PayloadShape : uint8_t {
  // Many small families: 17 object kinds x 6 families repeated in cycles whose names carry the
  // cycle number; series per family and cycles both grow as the square root of the size.
  kCycles,
  // kube-state-metrics' own shape: about 115 fixed families (kube_pod_labels, kube_pod_info,
  // kube_pod_status_phase, ...) whose series grow linearly with the size; kube_pod_labels holds
  // 19% of the bytes (19 MiB and 36k series of 100 MiB; 100k+ series from 300 MiB on).
  kLarge,
};

struct PayloadOptions {
  // The payload stops at the first series boundary at or after this many bytes.
  uint64_t target_bytes = uint64_t{10} << 20;
  // Same seed and target, same bytes, on every platform and compiler.
  uint64_t seed = 1;
  PayloadShape shape = PayloadShape::kCycles;
};

// What a generated payload holds.
struct PayloadStats {
  uint64_t bytes = 0;
  uint64_t families = 0;  // families with a HELP and TYPE line (names never repeat)
  uint64_t series = 0;
  uint64_t samples = 0;               // sample lines
  uint64_t largest_family_bytes = 0;  // text bytes of the largest family (HELP and TYPE included)
  uint64_t largest_family_series = 0;
  std::string largest_family;
};

// Appends a payload of about options.target_bytes bytes to *out.
PayloadStats AppendPayload(const PayloadOptions& options, std::string* out);

// The payload of `mib` MiB with seed 1, generated once per process and kept in memory (the
// benchmarks' shared input).
const std::string& CachedPayload(int64_t mib);

// Writes the payload to `out` in chunks (constant memory). Returns false on a write error.
bool WritePayload(const PayloadOptions& options, std::FILE* out, PayloadStats* stats = nullptr);

// "cycles" or "large"; false for anything else.
bool ParsePayloadShape(std::string_view text, PayloadShape* shape);

// Parses a size such as "1048576", "512K", "10M", "1G" (binary units: K = 1024). Returns false
// for anything else.
bool ParseByteSize(std::string_view text, uint64_t* bytes);

// Go's strconv.FormatFloat(v, 'g', -1, 64), as client_golang writes sample values: the shortest
// round-trip digits, in exponent form when the decimal exponent is < -4 or >= 6 ("1.5e+06").
void AppendGoFloat(double v, std::string* out);

}  // namespace promtool::bench
