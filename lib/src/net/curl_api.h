// libcurl's functions as one table, loaded when a command first needs HTTP: the binary does not
// link libcurl, so commands that read files and stdin never load it or its closure (OpenSSL,
// nghttp2, libssh2, GnuTLS, Kerberos, LDAP, ...).
#pragma once

#include <curl/curl.h>

#include <string>
#include <type_traits>

namespace promtool::net {

// The libcurl functions the HTTP client calls (client.cc), one list for the table, its loader
// and the linked table: X(x) stands for curl_x.
// clang-format off
#define PROMTOOL_CURL_FUNCTIONS(X)                                                              \
  X(global_init) X(easy_init) X(easy_setopt) X(easy_getinfo) X(easy_pause) X(easy_reset)        \
  X(easy_cleanup) X(easy_strerror) X(multi_init) X(multi_add_handle) X(multi_remove_handle)     \
  X(multi_perform) X(multi_poll) X(multi_info_read) X(multi_cleanup) X(multi_strerror)          \
  X(slist_append) X(slist_free_all) X(url) X(url_set) X(url_get) X(url_cleanup) X(free)
// clang-format on

// Those functions: `x` is `curl_x`, of the same type.
struct CurlApi {
#define PROMTOOL_CURL_FIELD(name) decltype(&curl_##name) name;
  PROMTOOL_CURL_FUNCTIONS(PROMTOOL_CURL_FIELD)
#undef PROMTOOL_CURL_FIELD
};

// The shared library loaded when libcurl is not linked into the binary (Debian's libcurl4).
inline constexpr const char* kCurlLibrary = "libcurl.so.4";

// libcurl's functions, with curl_global_init done: loaded on the first call (thread-safe) and
// kept for the life of the process. When the binary links libcurl itself (`make dist` links
// curl_linked.cc's table), those functions; otherwise kCurlLibrary is loaded with dlopen().
// Returns nullptr when it cannot be loaded (or lacks a function), with *error (if given) saying
// which library, why, and what to install; every later call returns the same.
const CurlApi* LoadCurl(std::string* error);

// The table loaded by LoadCurl(); call only after LoadCurl() returned non-null.
const CurlApi& Curl();

// Tests only: the library LoadCurl() opens instead of kCurlLibrary (when libcurl is not linked).
// Takes effect only if called before the first LoadCurl().
void SetCurlLibraryForTesting(std::string library);

// Loads the table from `library` with dlopen() each time it is called (nothing is cached; the
// library stays loaded). False with *error set when the library or one of its functions is
// missing. What LoadCurl() does the first time; tests call it directly.
bool LoadCurlFrom(const std::string& library, CurlApi* api, std::string* error);

// curl_easy_setopt with the types libcurl reads from its variable arguments: a long, a
// curl_off_t or a pointer (the function pointer does not carry curl.h's type-checking macro).
template <typename T>
CURLcode SetOpt(CURL* handle, CURLoption option, T value) {
  static_assert(std::is_same_v<T, long> || std::is_same_v<T, curl_off_t> || std::is_pointer_v<T>,
                "libcurl options take a long, a curl_off_t or a pointer");
  return Curl().easy_setopt(handle, option, value);
}

}  // namespace promtool::net
