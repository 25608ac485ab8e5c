// The secrets of an HTTP request in every form a server or libcurl could echo them, and the
// scrubber that removes them from anything the client reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "promtool/scrape.h"

namespace promtool::net {

// The password of `url`'s userinfo as written (not decoded), found even when the URL is invalid
// (a password holding '/', '?' or '#'): everything between the first ':' after "scheme://" and
// the last '@' before the host. Empty when the URL has no userinfo with a password.
std::string RawUrlPassword(std::string_view url);

// The secrets of `options` (bearer token, basic-auth password, Authorization/Cookie header values,
// the proxy URL's password) and of the URL's userinfo (`user`, `password`, decoded), each as is,
// JSON/Go-escaped and percent-encoded, plus the base64 "user:password" credentials that basic
// auth sends. No empty strings; longest first, so a longer secret is replaced before a shorter
// one inside it.
std::vector<std::string> SecretForms(const ClientOptions& options, std::string_view url_user,
                                     std::string_view url_password);

// `text` with every occurrence of each secret replaced by "<secret>".
std::string Scrub(std::string text, const std::vector<std::string>& secrets);

}  // namespace promtool::net
