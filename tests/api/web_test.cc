// The web interface compiled into the binary (api/http/handlers/web_handlers.cc): served without
// signing in, with the right media types and a Content-Security-Policy that lets no inline script
// run; every file the page or its scripts refer to is there.
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "engine/role.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

class WebTest : public AppFixture {};

TEST_F(WebTest, ThePageIsServedAtTheRootInDutchWithAStrictPolicy) {
  const http::Response page = Send("GET", "/", "");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<html lang=\"nl\""), std::string::npos);
  const std::string policy = Header(page, "Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  EXPECT_EQ(Header(page, "X-Content-Type-Options"), "nosniff");
  // No inline script: every script element has a src.
  EXPECT_EQ(std::regex_search(page.body, std::regex("<script(?![^>]*\\bsrc=)[^>]*>")), false);
}

TEST_F(WebTest, EveryFileThePageAndItsModulesReferToIsServedWithItsMediaType) {
  std::set<std::string> pending = {"/"};
  std::set<std::string> seen;
  const std::regex reference("(?:href|src)=\"(/assets/[^\"]+)\"|from \"\\./([^\"]+)\"");
  while (!pending.empty()) {
    const std::string target = *pending.begin();
    pending.erase(pending.begin());
    if (!seen.insert(target).second) continue;
    const http::Response response = Send("GET", target, "");
    ASSERT_EQ(response.status, 200) << target;
    const bool script = target.ends_with(".js");
    if (target.ends_with(".css")) {
      EXPECT_EQ(response.content_type, "text/css; charset=utf-8");
    }
    if (script) {
      EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
    }
    if (target.ends_with(".svg")) {
      EXPECT_EQ(response.content_type, "image/svg+xml");
    }
    EXPECT_FALSE(Header(response, "Content-Security-Policy").empty()) << target;
    // Every reference names a file by its content hash, which the browser keeps for good.
    if (target != "/") {
      EXPECT_TRUE(std::regex_match(target, std::regex("/assets/[a-z_-]+\\.[0-9a-f]{10}\\.[a-z]+")))
          << target;
      EXPECT_EQ(Header(response, "Cache-Control"), "public, max-age=31536000, immutable");
    }
    if (target != "/" && !script) continue;
    for (std::sregex_iterator it(response.body.begin(), response.body.end(), reference), end;
         it != end; ++it) {
      pending.insert((*it)[1].matched ? (*it)[1].str() : "/assets/" + (*it)[2].str());
    }
  }
  // The page, its three style sheets, the icon, and app.js with the modules it imports.
  EXPECT_GE(seen.size(), 8u);
  std::set<std::string> files;
  for (const std::string& target : seen) {
    files.insert(std::regex_replace(target, std::regex("\\.[0-9a-f]{10}\\."), "."));
  }
  EXPECT_TRUE(files.contains("/assets/app.js"));
  EXPECT_TRUE(files.contains("/assets/forms.js"));
  EXPECT_TRUE(files.contains("/assets/favicon.svg")) << "the page names its icon";
}

// Under its own name a file may change with a new navolg, so the browser is told to ask again
// every time; each has a strong ETag, and a matching If-None-Match gets 304 without a body.
TEST_F(WebTest, AnUnchangedFileIsNotSentAgain) {
  std::set<std::string> etags;
  for (const char* target : {"/", "/assets/app.js", "/assets/app.css", "/assets/dom.js"}) {
    SCOPED_TRACE(target);
    const http::Response first = Send("GET", target, "");
    ASSERT_EQ(first.status, 200);
    const std::string etag = Header(first, "ETag");
    ASSERT_TRUE(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\""))) << etag;
    EXPECT_TRUE(etags.insert(etag).second) << "two files with one ETag";
    EXPECT_EQ(Header(first, "Cache-Control"), "no-cache");

    const http::Response again = Send("GET", target, "", "", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(again.body, "");
    EXPECT_EQ(Header(again, "ETag"), etag);
    EXPECT_EQ(Send("GET", target, "", "", {{"If-None-Match", "W/" + etag}}).status, 304);
    EXPECT_EQ(Send("GET", target, "", "", {{"If-None-Match", "\"x\", " + etag}}).status, 304);

    const http::Response changed = Send("GET", target, "", "", {{"If-None-Match", "\"0ld\""}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body, first.body);
  }
}

TEST_F(WebTest, UnknownFilesAreNotFoundAndThePageHasOneAddress) {
  for (const char* target : {"/assets/geheim.js", "/assets/index.html", "/assets/web_handlers.cc",
                             "/index.html", "/assets/app.0123456789.js"}) {
    const http::Response response = Send("GET", target, "");
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.content_type, "application/problem+json") << target;
  }
  EXPECT_EQ(Send("POST", "/", "").status, 405);
}

// Every JavaScript module of web/, by file name.
std::map<std::string, std::string> Scripts() {
  std::map<std::string, std::string> scripts;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(NAVOLG_SOURCE_DIR) + "/web")) {
    if (entry.path().extension() != ".js") continue;
    const std::string file = entry.path().filename().string();
    scripts[file] = ReadRepoFile("web/" + file);
  }
  return scripts;
}

// The roles and what each may do are the server's (engine/role.h, api/policy.cc): the scripts
// ask GET /api/v1/me and GET /api/v1/users instead of naming a role.
TEST(WebRulesTest, NoScriptNamesARole) {
  const auto scripts = Scripts();
  ASSERT_TRUE(scripts.contains("app.js"));
  for (const auto& [file, text] : scripts) {
    for (Role role : UserRoles()) {
      for (const char quote : {'"', '\'', '`'}) {
        const std::string literal = quote + std::string(RoleName(role)) + quote;
        EXPECT_EQ(text.find(literal), std::string::npos) << file << " names " << literal;
      }
    }
  }
}

// What an event means is the server's (engine/event_description.h, "description" in the
// trail): no script describes event types itself.
TEST(WebRulesTest, NoScriptDescribesAnEventType) {
  for (const auto& [file, text] : Scripts()) {
    for (const char* type :
         {"process.created", "product.saved", "product.adopted", "transition.taken",
          "process.stopped", "deadline.started", "deadline.met", "deadline.missed",
          "deadline.cancelled", "deadline.rescheduled"}) {
      EXPECT_EQ(text.find(type), std::string::npos) << file << " names " << type;
    }
  }
}

}  // namespace
}  // namespace navolg::testing
