// The cookie and Origin rules of api/http/authentication.h as pure functions: the public URL a
// server is given, which Origins are its own, the cookies it sets, and finding the session
// cookie among others.
#include "api/http/authentication.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace navolg::http {
namespace {

TEST(PublicOriginTest, AcceptsSchemeHostAndPortOnly) {
  struct Case {
    std::string url;
    std::string origin;  // empty: refused
  };
  const std::vector<Case> cases = {
      {"https://navolg.gemeente.nl", "https://navolg.gemeente.nl"},
      {"https://navolg.gemeente.nl/", "https://navolg.gemeente.nl"},
      {"HTTPS://Navolg.Gemeente.NL", "https://navolg.gemeente.nl"},
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"https://[::1]:8443", "https://[::1]:8443"},
      {"navolg.gemeente.nl", ""},
      {"ftp://navolg.gemeente.nl", ""},
      {"https://", ""},
      {"https://navolg.gemeente.nl/navolg", ""},
      {"https://navolg.gemeente.nl?x=1", ""},
      {"https://beheer@navolg.gemeente.nl", ""},
      {"https://navolg.gemeente.nl:", ""},
  };
  for (const Case& c : cases) {
    auto origin = PublicOrigin(c.url);
    if (c.origin.empty()) {
      EXPECT_FALSE(origin.ok()) << c.url;
      if (!origin.ok()) {
        EXPECT_NE(origin.status().message().find(c.url), std::string::npos);
      }
    } else {
      ASSERT_TRUE(origin.ok()) << c.url << ": " << origin.status().message();
      EXPECT_EQ(*origin, c.origin) << c.url;
    }
  }
}

TEST(OwnOriginTest, OriginMustEqualThePublicOriginOrTheHost) {
  struct Case {
    std::string public_origin;
    std::string host;
    std::string origin;  // "-": no Origin header
    bool own;
  };
  const std::vector<Case> cases = {
      {"", "127.0.0.1:8080", "http://127.0.0.1:8080", true},
      {"", "127.0.0.1:8080", "HTTP://127.0.0.1:8080", true},
      {"", "Navolg.Local", "http://navolg.local", true},
      {"", "127.0.0.1:8080", "-", false},
      {"", "127.0.0.1:8080", "", false},
      {"", "127.0.0.1:8080", "null", false},
      {"", "127.0.0.1:8080", "https://127.0.0.1:8080", false},
      {"", "127.0.0.1:8080", "http://127.0.0.1:8081", false},
      {"", "127.0.0.1:8080", "http://127.0.0.1", false},
      {"", "", "http://", false},
      {"", "-", "http://", false},
      {"https://navolg.gemeente.nl", "127.0.0.1:8080", "https://navolg.gemeente.nl", true},
      {"https://navolg.gemeente.nl", "127.0.0.1:8080", "http://127.0.0.1:8080", false},
      {"https://navolg.gemeente.nl", "navolg.gemeente.nl", "http://navolg.gemeente.nl", false},
  };
  for (const Case& c : cases) {
    Request request;
    if (c.host != "-") request.headers["Host"] = c.host;
    if (c.origin != "-") request.headers["Origin"] = c.origin;
    EXPECT_EQ(FromOwnOrigin(request, c.public_origin), c.own)
        << "public '" << c.public_origin << "', Host '" << c.host << "', Origin '" << c.origin
        << "'";
  }
}

TEST(ChangesDataTest, EveryMethodButReadsChangesData) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "PROPFIND"}) {
    EXPECT_TRUE(ChangesData(method)) << method;
  }
  for (const char* method : {"GET", "HEAD", "OPTIONS"}) EXPECT_FALSE(ChangesData(method)) << method;
}

TEST(SessionCookieTest, FlagsAndSecureBehindHttps) {
  const std::string id(64, 'a');
  EXPECT_EQ(SessionCookie(id, ""), "navolg_session=" + id + "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionCookie(id, "http://navolg.local"),
            "navolg_session=" + id + "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionCookie(id, "https://navolg.gemeente.nl"),
            "navolg_session=" + id + "; Path=/; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ExpiredSessionCookie("https://navolg.gemeente.nl"),
            "navolg_session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
}

TEST(SessionCookieTest, FoundAmongOtherCookies) {
  struct Case {
    std::string header;
    std::string id;
  };
  const std::vector<Case> cases = {
      {"navolg_session=abc", "abc"},
      {"theme=dark; navolg_session=abc; lang=nl", "abc"},
      {"theme=dark;navolg_session=abc", "abc"},
      {"not_navolg_session=abc", ""},
      {"navolg_session_old=abc", ""},
      {"navolg_session=", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    Request request;
    request.headers["Cookie"] = c.header;
    EXPECT_EQ(SessionIdFromCookies(request), c.id) << c.header;
  }
}

}  // namespace
}  // namespace navolg::http
