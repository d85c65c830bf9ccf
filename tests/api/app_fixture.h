// The HTTP API on a real SQLite file: a fresh temporary database with both reference
// workflows, organisations "gemeente-a" and "gemeente-b" with one user of every role each
// (named "ROLE van ORGANISATION", with a token, without a password), a group committer, a
// read store, an account store, metrics and an App whose clock the test sets (now_).
// Requests go straight to App::Handle, or, when a test sets over_http_ before SetUp, through
// a real Server on a loopback port in front of the same App; every response is checked for
// API-Version.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include "api/http/app.h"
#include "api/http/metrics.h"
#include "api/server/server.h"
#include "engine/ed25519.h"
#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/postgres/test_postgres.h"

namespace navolg::testing {

inline constexpr const char* kOrgA = "gemeente-a";
inline constexpr const char* kOrgB = "gemeente-b";

class AppFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("navolg-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = test_postgres::DatabaseForTest((dir_ / "navolg.db").string());
    {
      auto db = storage::OpenConnection({path_});
      ASSERT_TRUE(db.ok()) << db.status().message();
      const Time setup = At("2026-01-01T00:00:00.000Z");
      for (const char* key : {"standaard-participatie", "participatiebeleid"}) {
        ASSERT_TRUE(storage::RegisterWorkflow(**db, LoadWorkflow(key), setup).ok());
      }
      for (const char* org : {kOrgA, kOrgB}) {
        auto added = storage::AddOrganisation(**db, org, std::string("Gemeente ") + org, setup);
        ASSERT_TRUE(added.ok()) << added.status().message();
        for (const std::string& role : AllRoles()) {
          const std::string token = storage::NewToken().value();
          auto user = storage::AddUser(**db, org, role, role + " van " + org, token, setup);
          ASSERT_TRUE(user.ok()) << user.status().message();
          tokens_[{org, role}] = token;
          users_.insert_or_assign({org, role}, *user);
        }
      }
    }
    auto committer = storage::GroupCommitter::Start({path_}, {});
    ASSERT_TRUE(committer.ok()) << committer.status().message();
    committer_ = std::move(*committer);
    auto reads = storage::ReadStore::Open(path_, committer_->catalog());
    ASSERT_TRUE(reads.ok()) << reads.status().message();
    reads_ = std::move(*reads);
    auto accounts = storage::AccountStore::Open(path_);
    ASSERT_TRUE(accounts.ok()) << accounts.status().message();
    accounts_ = std::move(*accounts);
    http::Services dependencies{committer_.get(), reads_.get(), [this] { return now_; }, &metrics_,
                                &signing_key_};
    dependencies.accounts = accounts_.get();
    dependencies.metrics_token = metrics_token_;
    app_ = std::make_unique<http::App>(std::move(dependencies));
    if (over_http_) {
      http::ServerOptions options;
      options.port = 0;
      options.handle_signals = false;
      options.log_requests = false;
      auto server = http::Server::Start(options, *app_, metrics_);
      ASSERT_TRUE(server.ok()) << server.status().message();
      server_ = std::move(*server);
      server_thread_ = std::thread([this] { server_->Run(); });
    }
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      server_thread_.join();
      server_.reset();
    }
    app_.reset();
    accounts_.reset();
    reads_.reset();
    committer_.reset();
    std::filesystem::remove_all(dir_);
  }

  const std::string& Token(const std::string& role, const char* org = kOrgA) {
    return tokens_.at({org, role});
  }
  const storage::User& UserOf(const std::string& role, const char* org = kOrgA) {
    return users_.at({org, role});
  }

  // Sends a request with `token` (none when empty). A non-empty body gets Content-Type
  // application/json unless `headers` names one; a header given as "" is left out.
  http::Response Send(const std::string& method, const std::string& target,
                      const std::string& token, const std::string& body = "",
                      http::Headers headers = {}) {
    http::Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!token.empty()) request.headers["Authorization"] = "Bearer " + token;
    if (!body.empty()) request.headers["Content-Type"] = "application/json";
    for (const auto& [name, value] : headers) {
      if (value.empty()) {
        request.headers.erase(name);
      } else {
        request.headers[name] = value;
      }
    }
    http::Response response = over_http_ ? OverHttp(request) : app_->Handle(request);
    EXPECT_EQ(Header(response, "API-Version"), "1.0.0") << method << " " << target;
    return response;
  }

  // As `role` of `org`.
  http::Response Get(const std::string& role, const std::string& target, const char* org = kOrgA) {
    return Send("GET", target, Token(role, org));
  }
  // A command with If-Match: "version".
  http::Response Command(const std::string& method, const std::string& role,
                         const std::string& target, const nlohmann::json& body,
                         std::int64_t version, const char* org = kOrgA) {
    return Send(method, target, Token(role, org), body.is_null() ? "" : body.dump(),
                {{"If-Match", "\"" + std::to_string(version) + "\""}});
  }

  // Creates a standard process as adviseur of `org` and returns its id.
  std::string NewProcess(const std::string& title = "Marktplein", const char* org = kOrgA,
                         const std::string& workflow = "standaard-participatie") {
    http::Response response = Send("POST", "/api/v1/processes", Token("adviseur", org),
                                   nlohmann::json{{"workflow", workflow}, {"title", title}}.dump());
    EXPECT_EQ(response.status, 201) << response.body;
    return Body(response).value("id", "");
  }

  // The process's current version, as its owner's adviseur sees it.
  std::int64_t VersionOf(const std::string& id, const char* org = kOrgA) {
    return Body(Get("adviseur", "/api/v1/processes/" + id, org)).value("version", -1);
  }

  static std::string Header(const http::Response& response, const std::string& name) {
    auto it = response.headers.find(name);
    return it == response.headers.end() ? "" : it->second;
  }
  static nlohmann::json Body(const http::Response& response) {
    return nlohmann::json::parse(response.body, nullptr, false);
  }
  // The codes of a problem's "missing" list, in order.
  static std::vector<std::string> MissingCodes(const http::Response& response) {
    std::vector<std::string> codes;
    for (const auto& entry : Body(response).value("missing", nlohmann::json::array())) {
      codes.push_back(entry.value("code", "") + " " + entry.value("product", ""));
    }
    return codes;
  }

  Time now_ = At("2026-03-01T09:00:00.000Z");
  std::filesystem::path dir_;
  std::string path_;
  std::map<std::pair<std::string, std::string>, std::string> tokens_;
  std::map<std::pair<std::string, std::string>, storage::User> users_;
  std::unique_ptr<storage::GroupCommitter> committer_;
  std::unique_ptr<storage::ReadStore> reads_;
  std::unique_ptr<storage::AccountStore> accounts_;
  http::Metrics metrics_;
  SigningKey signing_key_ = SigningKey::Generate().value();  // signs every export
  std::unique_ptr<http::App> app_;
  bool over_http_ = false;     // set before SetUp to send every request through a real server
  std::string metrics_token_;  // set before SetUp: GET /metrics then needs this bearer token
  std::unique_ptr<http::Server> server_;
  std::thread server_thread_;

 private:
  // The request as bytes on a fresh loopback connection, and the answer read back.
  http::Response OverHttp(const http::Request& request) {
    HttpConnection connection(server_->port());
    // Host as a browser sends it, unless the test sends its own.
    std::string head = request.method + " " + request.target + " HTTP/1.1\r\n";
    if (request.headers.count("Host") == 0) {
      head += "Host: 127.0.0.1:" + std::to_string(server_->port()) + "\r\n";
    }
    for (const auto& [name, value] : request.headers) head += name + ": " + value + "\r\n";
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
    }
    EXPECT_TRUE(connection.SendRaw(head + "\r\n" + request.body));
    HttpResult result = connection.ReadResponse();
    http::Response response;
    response.status = result.status;
    response.body = result.body;
    for (const auto& [name, value] : result.headers) {
      if (name == "content-type") {
        response.content_type = value;
      } else {
        response.headers[name] = value;
      }
    }
    return response;
  }
};

}  // namespace navolg::testing
