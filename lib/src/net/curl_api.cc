// Loads libcurl's functions on first use: the linked table when the binary links libcurl
// (curl_linked.cc), otherwise libcurl.so.4 through dlopen() (see docs/architecture.md, "How the
// binary is linked").
#include "net/curl_api.h"

#include <dlfcn.h>

#include <mutex>
#include <utility>

#include "common/strcat.h"

// Defined only by curl_linked.cc, which a statically linked build pulls in with
// -Wl,--undefined=promtool_net_linked_curl_api: libcurl's own functions, so that no shared libcurl
// is loaded. A weak reference does not pull an archive member in, so other builds neither link
// that file nor libcurl.
extern "C" const promtool::net::CurlApi* promtool_net_linked_curl_api() __attribute__((weak));

namespace promtool::net {
namespace {

struct Loaded {
  CurlApi api{};
  const CurlApi* table = nullptr;  // &api or the linked table; nullptr: not loadable
  std::string error;
};

std::string& LibraryName() {
  static std::string name = kCurlLibrary;
  return name;
}

Loaded& State() {
  static Loaded loaded;
  return loaded;
}

std::once_flag& Once() {
  static std::once_flag once;
  return once;
}

void LoadOnce() {
  Loaded& s = State();
  if (promtool_net_linked_curl_api != nullptr) {
    s.table = promtool_net_linked_curl_api();
  } else if (LoadCurlFrom(LibraryName(), &s.api, &s.error)) {
    s.table = &s.api;
  }
  if (s.table != nullptr && s.table->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    s.error = "libcurl could not be initialised (curl_global_init failed)";
    s.table = nullptr;
  }
}

}  // namespace

bool LoadCurlFrom(const std::string& library, CurlApi* api, std::string* error) {
  // RTLD_LOCAL: libcurl's symbols (and its closure's) stay out of the global scope.
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    *error = StrCat(
        "HTTP needs libcurl, which cannot be loaded: ", why != nullptr ? why : library.c_str(),
        " (install libcurl 7.85 or later; on Debian and Ubuntu: apt-get install "
        "libcurl4)");
    return false;
  }
  // Each function is looked up under its own name; the first missing one is named.
  const char* missing = nullptr;
  auto lookup = [&](auto& field, const char* name) {
    void* symbol = dlsym(handle, name);
    if (symbol == nullptr && missing == nullptr) missing = name;
    field = reinterpret_cast<std::remove_reference_t<decltype(field)>>(symbol);
  };
#define PROMTOOL_CURL_LOOKUP(name) lookup(api->name, "curl_" #name);
  PROMTOOL_CURL_FUNCTIONS(PROMTOOL_CURL_LOOKUP)
#undef PROMTOOL_CURL_LOOKUP
  if (missing != nullptr) {
    *error = StrCat("HTTP needs libcurl 7.85 or later: ", library, " has no ", missing);
    dlclose(handle);
    return false;
  }
  return true;
}

const CurlApi* LoadCurl(std::string* error) {
  std::call_once(Once(), LoadOnce);
  const Loaded& s = State();
  if (s.table == nullptr && error != nullptr) *error = s.error;
  return s.table;
}

const CurlApi& Curl() { return *State().table; }

void SetCurlLibraryForTesting(std::string library) { LibraryName() = std::move(library); }

}  // namespace promtool::net
