// Unit tests of libcurl's loading (net/curl_api.h): the table loaded from a library, the error
// naming a library that cannot be loaded or lacks a function, and that error from every HTTP
// entry point (each run in a fresh process, since the first load is kept for the process).
#include "net/curl_api.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "promtool/scrape.h"

namespace promtool {
namespace {

TEST(LoadCurlFrom, LoadsOrNamesTheLibraryAndTheCause) {
  struct Case {
    std::string library;
    bool ok;
    std::string error_has;  // when !ok
  };
  const Case cases[] = {
      {net::kCurlLibrary, true, ""},
      {"libcurl-missing-for-tests.so.4", false,
       "HTTP needs libcurl, which cannot be loaded: libcurl-missing-for-tests.so.4"},
      {"libcurl-missing-for-tests.so.4", false, "apt-get install libcurl4"},
      // A library that loads but is not libcurl: the first missing function is named.
      {"libz.so.1", false, "HTTP needs libcurl 7.85 or later: libz.so.1 has no curl_global_init"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.library);
    net::CurlApi api{};
    std::string error;
    EXPECT_EQ(net::LoadCurlFrom(c.library, &api, &error), c.ok) << error;
    if (c.ok) {
      EXPECT_EQ(error, "");
      EXPECT_NE(api.easy_init, nullptr);
      EXPECT_NE(api.multi_poll, nullptr);
      EXPECT_NE(api.free, nullptr);
    } else {
      EXPECT_NE(error.find(c.error_has), std::string::npos) << error;
    }
  }
}

// In a fresh process (the death-test child re-runs this test alone): with libcurl unloadable,
// `call` must fail with a network error that names the library; the child exits 0 and prints the
// message, or exits 1 saying what was wrong.
void ExpectLoadError(const std::function<Error()>& call) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        net::SetCurlLibraryForTesting("libcurl-missing-for-tests.so.4");
        const Error e = call();
        std::fprintf(stderr, "code %d: %s\n", static_cast<int>(e.code), e.message.c_str());
        std::exit(e.code == ErrorCode::kNetwork ? 0 : 1);
      },
      testing::ExitedWithCode(0),
      "HTTP needs libcurl, which cannot be loaded: libcurl-missing-for-tests.so.4");
}

TEST(CurlLoadDeathTest, OpenScrapeNamesTheLibrary) {
  ExpectLoadError([] { return OpenScrape("http://127.0.0.1:9/metrics", ScrapeOptions{}).error; });
}

TEST(CurlLoadDeathTest, FetchNamesTheLibrary) {
  ExpectLoadError([] { return Fetch("http://127.0.0.1:9/metrics", ScrapeOptions{}).error; });
}

TEST(CurlLoadDeathTest, PushNamesTheLibrary) {
  ExpectLoadError([] {
    return Push("http://127.0.0.1:9", "job", {}, PushMethod::kPut, "", ClientOptions{}).error;
  });
}

}  // namespace
}  // namespace promtool
