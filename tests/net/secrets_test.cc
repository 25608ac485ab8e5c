// Unit tests of the scrubber: every form of a request's secrets (as is, escaped, percent-encoded,
// basic auth's base64, an invalid URL's password) is found and replaced, and URLs with a password
// that breaks the authority are redacted.
#include "net/secrets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "promtool/scrape.h"

namespace promtool {
namespace {

struct ScrubCase {
  std::string name;
  ClientOptions options;
  std::string url;
  std::string text;  // what a server or libcurl echoed
  std::string want;  // after scrubbing
};

ClientOptions Bearer(std::string token) {
  ClientOptions o;
  o.bearer_token = std::move(token);
  return o;
}

ClientOptions Basic(std::string user, std::string password) {
  ClientOptions o;
  o.basic_auth_user = std::move(user);
  o.basic_auth_password = std::move(password);
  return o;
}

ClientOptions Header(std::string name, std::string value) {
  ClientOptions o;
  o.headers.emplace_back(std::move(name), std::move(value));
  return o;
}

ClientOptions Proxy(std::string url) {
  ClientOptions o;
  o.proxy_url = std::move(url);
  return o;
}

class ScrubTest : public testing::TestWithParam<ScrubCase> {};

TEST_P(ScrubTest, ReplacesEveryForm) {
  const ScrubCase& c = GetParam();
  EXPECT_EQ(ScrubSecrets(c.text, RequestSecrets(c.options, c.url)), c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Secrets, ScrubTest,
    testing::Values(
        ScrubCase{"BearerAsIs", Bearer("tok123"), "http://h/", "got Bearer tok123.",
                  "got Bearer <secret>."},
        ScrubCase{"BearerWithQuoteRaw", Bearer("a\"b\\c"), "http://h/", "x a\"b\\c y",
                  "x <secret> y"},
        ScrubCase{"BearerJsonEscaped", Bearer("a\"b\\c"), "http://h/",
                  "{\"auth\":\"Bearer a\\\"b\\\\c\"}", "{\"auth\":\"Bearer <secret>\"}"},
        ScrubCase{"BearerPercentEncoded", Bearer("a b/c"), "http://h/", "q=a%20b%2Fc",
                  "q=<secret>"},
        ScrubCase{"BasicBase64", Basic("alice", "pw"), "http://h/",
                  "Authorization: Basic YWxpY2U6cHc=", "Authorization: Basic <secret>"},
        ScrubCase{"BasicPassword", Basic("alice", "pw-9"), "http://h/", "pw-9!", "<secret>!"},
        ScrubCase{"UrlPasswordBase64", ClientOptions{}, "http://bob:s3cret@h/",
                  "Basic Ym9iOnMzY3JldA== s3cret", "Basic <secret> <secret>"},
        ScrubCase{"InvalidUrlPassword", ClientOptions{}, "http://bob:a/b?c#d@h/",
                  "bad URL http://bob:a/b?c#d@h/", "bad URL http://bob:<secret>@h/"},
        ScrubCase{"HeaderValueAndCredential", Header("Authorization", "Bearer zzz999"), "http://h/",
                  "[Bearer zzz999] [zzz999]", "[<secret>] [<secret>]"},
        ScrubCase{"CookieHeader", Header("Cookie", "session=abcdef"), "http://h/",
                  "cookie session=abcdef", "cookie <secret>"},
        ScrubCase{"NotACredentialHeader", Header("X-Trace", "visible"), "http://h/", "visible",
                  "visible"},
        ScrubCase{"InvalidProxyPassword", Proxy("http://u:p/w?x@proxy:1"), "http://h/",
                  "Unsupported proxy syntax in 'http://u:p/w?x@proxy:1'",
                  "Unsupported proxy syntax in 'http://u:<secret>@proxy:1'"}),
    [](const testing::TestParamInfo<ScrubCase>& p) { return p.param.name; });

TEST(ScrubSecrets, LongerSecretFirst) {
  ClientOptions o = Bearer("abc");
  o.basic_auth_user = "u";
  o.basic_auth_password = "abcdef";
  EXPECT_EQ(ScrubSecrets("abcdef abc", RequestSecrets(o, "http://h/")), "<secret> <secret>");
}

TEST(ScrubSecrets, NoSecretsNoChange) {
  EXPECT_EQ(ScrubSecrets("plain text", RequestSecrets(ClientOptions{}, "http://h/")), "plain text");
  for (const std::string& s : RequestSecrets(ClientOptions{}, "http://h/")) {
    EXPECT_FALSE(s.empty());
  }
}

TEST(RawUrlPassword, FoundInInvalidUrls) {
  EXPECT_EQ(net::RawUrlPassword("http://u:pa/ss@host/"), "pa/ss");
  EXPECT_EQ(net::RawUrlPassword("http://u:p?q#r@host"), "p?q#r");
  EXPECT_EQ(net::RawUrlPassword("http://host/"), "");
  EXPECT_EQ(net::RawUrlPassword("http://u@host/"), "");
}

TEST(RedactUrl, PasswordThatBreaksTheAuthority) {
  EXPECT_EQ(RedactUrl("http://u:pa/ss@127.0.0.1:9100/m"), "http://u:xxxxx@127.0.0.1:9100/m");
  EXPECT_EQ(RedactUrl("http://u:p?w#d@host/m"), "http://u:xxxxx@host/m");
  EXPECT_EQ(RedactUrl("http://u:a#b/c@host"), "http://u:xxxxx@host");
  // A port and an '@' later in the path or query are not a password.
  EXPECT_EQ(RedactUrl("http://host:9100/a@b"), "http://host:9100/a@b");
  EXPECT_EQ(RedactUrl("http://host:9100/m?mail=a@b"), "http://host:9100/m?mail=a@b");
}

}  // namespace
}  // namespace promtool

TEST(ScrubDiagnostic, LineMessageAndColumnFollowTheScrub) {
  // The error points after the token: its column moves by the length difference.
  promtool::Error error;
  error.column = 29;  // 1-based byte column of "oops"
  error.message = "expected a float, found \"tok-123456\"";
  const std::string line =
      promtool::ScrubDiagnostic("a{auth=\"Bearer tok-123456\"} oops", {"tok-123456"}, &error);
  EXPECT_EQ(line, "a{auth=\"Bearer <secret>\"} oops");
  EXPECT_EQ(error.column, 27u);
  EXPECT_EQ(line.substr(error.column - 1, 4), "oops");
  EXPECT_EQ(error.message, "expected a float, found \"<secret>\"");
}
