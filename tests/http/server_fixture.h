// A real navolg HTTP server on a loopback port, over a real SQLite file: the store fixture
// plus an App and a Server running on their own thread, and a token for every role in
// organisation A (and an adviseur in organisation B).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "api/http/app.h"
#include "api/server/server.h"
#include "tests/http/http_client.h"
#include "tests/storage/store_fixture.h"

namespace navolg::testing {

class ServerFixture : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    for (const char* role : {"adviseur", "manager", "bestuur", "auditor", "beheerder"}) {
      tokens_[role] = storage::NewToken().value();
      auto user = storage::AddUser(**db, "gemeente-a", role, std::string("A ") + role,
                                   tokens_[role], At("2026-01-01T00:00:00.000Z"));
      ASSERT_TRUE(user.ok()) << user.status().message();
      user_ids_[role] = user->id;
    }
    tokens_["other"] = storage::NewToken().value();
    ASSERT_TRUE(storage::AddUser(**db, "gemeente-b", "adviseur", "B adviseur", tokens_["other"],
                                 At("2026-01-01T00:00:00.000Z"))
                    .ok());
    StartServer();
  }

  void TearDown() override {
    StopServer();
    StoreFixture::TearDown();
  }

  void StartServer(http::ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.handle_signals = false;
    options.log_requests = false;
    if (options.read_timeout == http::ServerOptions{}.read_timeout) {
      options.read_timeout = std::chrono::milliseconds(1500);
    }
    app_ = std::make_unique<http::App>(
        http::Services{committer_.get(), reads_.get(), [this] { return now_.load(); }, &metrics_});
    auto server = http::Server::Start(options, *app_, metrics_);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    port_ = server_->port();
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    server_.reset();
    app_.reset();
  }

  // One request on a fresh connection, as `role` (a key of tokens_, or "" for none).
  HttpResult Call(const std::string& method, const std::string& target, const std::string& role,
                  const std::string& body = "", std::optional<std::int64_t> if_match = {}) {
    HttpConnection connection(port_);
    EXPECT_TRUE(connection.connected());
    std::string headers;
    if (!role.empty()) headers += "Authorization: Bearer " + tokens_.at(role) + "\r\n";
    if (if_match) headers += "If-Match: \"" + std::to_string(*if_match) + "\"\r\n";
    return connection.Request(method, target, headers, body);
  }

  static nlohmann::json Json(const HttpResult& result) {
    return nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  }

  http::Metrics metrics_;
  std::unique_ptr<http::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
  std::atomic<Time> now_{At("2026-04-20T09:00:00.000Z")};
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::string> user_ids_;
};

}  // namespace navolg::testing
