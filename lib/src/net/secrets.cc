// Builds the forms of the request's secrets that may come back in a response body, an error or
// a URL, and replaces them before anything is escaped, cut or printed.
#include "net/secrets.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "common/strcat.h"

namespace promtool::net {
namespace {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
            kAlphabet[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// JSON's (and Go's %q) escaping of '"' and '\'.
std::string QuoteEscaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

bool IsCredentialHeader(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return n == "authorization" || n == "cookie" || n == "cookie2" || n == "proxy-authorization" ||
         n == "www-authenticate";
}

// user:password of `url` as written, found as RawUrlPassword finds the password.
std::pair<std::string, std::string> RawUserinfo(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of(" \t\r\n"));
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view userinfo = rest.substr(0, at);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return {std::string(userinfo), ""};
  return {std::string(userinfo.substr(0, colon)), std::string(userinfo.substr(colon + 1))};
}

}  // namespace

std::string RawUrlPassword(std::string_view url) { return RawUserinfo(url).second; }

std::vector<std::string> SecretForms(const ClientOptions& o, std::string_view url_user,
                                     std::string_view url_password) {
  std::vector<std::string> base = {o.bearer_token, o.basic_auth_password,
                                   std::string(url_password)};
  std::vector<std::string> out;
  if (!o.basic_auth_user.empty() || !o.basic_auth_password.empty()) {
    out.push_back(Base64(StrCat(o.basic_auth_user, ":", o.basic_auth_password)));
  }
  if (!url_password.empty()) out.push_back(Base64(StrCat(url_user, ":", url_password)));
  for (const auto& [name, value] : o.headers) {
    if (!IsCredentialHeader(name)) continue;
    base.push_back(value);
    // "Bearer xyz", "Basic xyz": the credential alone is a secret too.
    const size_t sp = value.find(' ');
    if (sp != std::string::npos && value.size() - sp > 4) base.push_back(value.substr(sp + 1));
  }
  if (!o.proxy_url.empty()) {
    auto [user, password] = RawUserinfo(o.proxy_url);
    if (!password.empty()) {
      base.push_back(password);
      base.push_back(PercentDecode(password));
      out.push_back(Base64(StrCat(PercentDecode(user), ":", PercentDecode(password))));
    }
  }
  for (const std::string& s : base) {
    if (s.empty()) continue;
    out.push_back(s);
    out.push_back(QuoteEscaped(s));
    out.push_back(PercentEncode(s));
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "<secret>");
      pos += 8;
    }
  }
  return text;
}

}  // namespace promtool::net

namespace promtool {

std::vector<std::string> RequestSecrets(const ClientOptions& options, std::string_view url) {
  auto [user, password] = net::RawUserinfo(url);
  std::vector<std::string> out =
      net::SecretForms(options, net::PercentDecode(user), net::PercentDecode(password));
  if (!password.empty()) out.push_back(password);
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string ScrubSecrets(std::string_view text, const std::vector<std::string>& secrets) {
  return net::Scrub(std::string(text), secrets);
}

std::string ScrubDiagnostic(std::string_view line_in, const std::vector<std::string>& secrets,
                            Error* error) {
  std::string line(line_in);
  constexpr std::string_view kMark = "<secret>";
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = 0; (pos = line.find(secret, pos)) != std::string::npos;) {
      line.replace(pos, secret.size(), kMark);
      const size_t column0 = error->column > 0 ? error->column - 1 : 0;
      if (column0 >= pos + secret.size()) {
        error->column = error->column - secret.size() + kMark.size();
      } else if (column0 > pos) {
        error->column = pos + 1;
      }
      pos += kMark.size();
    }
  }
  error->message = ScrubSecrets(error->message, secrets);
  error->hint = ScrubSecrets(error->hint, secrets);
  return line;
}

}  // namespace promtool
