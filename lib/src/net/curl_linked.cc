// libcurl's own functions as the net layer's table, for a binary that links libcurl statically
// (`make dist`): linked only when asked for with -Wl,--undefined=promtool_net_linked_curl_api,
// so the default build does not link libcurl and loads it when HTTP is first needed.
#include "net/curl_api.h"

extern "C" const promtool::net::CurlApi* promtool_net_linked_curl_api() {
  static const promtool::net::CurlApi api = {
#define PROMTOOL_CURL_LINKED(name) &curl_##name,
      PROMTOOL_CURL_FUNCTIONS(PROMTOOL_CURL_LINKED)
#undef PROMTOOL_CURL_LINKED
  };
  return &api;
}
