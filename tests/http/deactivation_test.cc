// Deactivation against a running `navolg serve`, as an operator does it: `navolg user disable`
// on the server's database while the user is signed in in a browser and a script holds the
// user's token. The very next request of each is refused, without a restart; `user enable`
// lets the password sign in again.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "storage/database.h"
#include "storage/directory.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/storage/known_password.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

TEST(DeactivationOverHttpTest, UserDisableRefusesTheRunningServersSessionAndTokenAtOnce) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("navolg-disable-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "navolg.db").string();
  const std::string token = storage::NewToken().value();
  {
    auto connection = storage::OpenConnection({db});
    ASSERT_TRUE(connection.ok()) << connection.status().message();
    const Time setup = At("2026-01-01T00:00:00.000Z");
    ASSERT_TRUE(storage::AddOrganisation(**connection, "utrecht", "Utrecht", setup).ok());
    ASSERT_TRUE(storage::AddUser(**connection, "utrecht", "adviseur", "Anna", token, setup,
                                 kKnownPasswordHash)
                    .ok());
  }
  ServeChild server = StartServe(NAVOLG_BINARY, db);
  ASSERT_NE(server.port, 0) << server.banner;
  const auto request = [&](const std::string& method, const std::string& target,
                           const std::string& headers, const std::string& body = "") {
    HttpConnection connection(server.port);
    return connection.Request(method, target, headers, body);
  };
  const std::string sign_in =
      json{{"organisation", "utrecht"}, {"name", "Anna"}, {"password", kKnownPassword}}.dump();
  const HttpResult signed_in = request("POST", "/api/v1/session", "", sign_in);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie =
      "Cookie: " +
      signed_in.Header("set-cookie").substr(0, signed_in.Header("set-cookie").find(';')) + "\r\n";
  const std::string bearer = "Authorization: Bearer " + token + "\r\n";
  ASSERT_EQ(request("GET", "/api/v1/me", cookie).status, 200);
  ASSERT_EQ(request("GET", "/api/v1/me", bearer).status, 200);

  const std::string navolg = std::string(NAVOLG_BINARY);
  const std::string disabled =
      Shell(navolg + " user disable --db " + db + " --org utrecht Anna 2>&1");
  EXPECT_NE(disabled.find("gedeactiveerd"), std::string::npos) << disabled;
  EXPECT_EQ(request("GET", "/api/v1/me", cookie).status, 401);
  EXPECT_EQ(request("GET", "/api/v1/me", bearer).status, 401);
  const HttpResult refused = request("POST", "/api/v1/session", "", sign_in);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("gedeactiveerd"), std::string::npos) << refused.body;

  const std::string enabled =
      Shell(navolg + " user enable --db " + db + " --org utrecht Anna 2>&1");
  EXPECT_NE(enabled.find("geactiveerd"), std::string::npos) << enabled;
  EXPECT_EQ(request("POST", "/api/v1/session", "", sign_in).status, 200);
  EXPECT_EQ(request("GET", "/api/v1/me", bearer).status, 401) << "revoked tokens stay revoked";
  server.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace navolg::testing
