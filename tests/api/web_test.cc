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
    EXPECT_FALSE(Header(response, "Content-Security-Policy").empty()) << target;
    if (target != "/" && !script) continue;
    for (std::sregex_iterator it(response.body.begin(), response.body.end(), reference), end;
         it != end; ++it) {
      pending.insert((*it)[1].matched ? (*it)[1].str() : "/assets/" + (*it)[2].str());
    }
  }
  // The page, its three style sheets, and app.js with the modules it imports.
  EXPECT_GE(seen.size(), 8u);
  EXPECT_TRUE(seen.contains("/assets/app.js"));
  EXPECT_TRUE(seen.contains("/assets/forms.js"));
}

TEST_F(WebTest, UnknownFilesAreNotFoundAndThePageHasOneAddress) {
  for (const char* target :
       {"/assets/geheim.js", "/assets/index.html", "/assets/web_handlers.cc", "/index.html"}) {
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
