// Fuzz target: the HTTP request path through the Boost-free App (api/http/app.h): routing,
// authentication, the policy table, the handlers and the store, on a temporary SQLite file
// that lives for the whole run (so inputs build on each other's processes).
//
// Input: the first byte picks the caller (nobody or one role of organisation "a"; bit 3: of
// organisation "b" instead); the rest is a request as text:
//   METHOD SP TARGET LF (Name: value LF)* LF body
// "{P}" in the target becomes the id of a process made at start (organisation "a"), so that
// routes with an id are reached. Invariants: App::Handle never throws, answers a status
// from 200 to 599 with API-Version, never a 500 (a 500 is a bug the fuzzer found), and a
// problem is application/problem+json.
//
// POST /api/v1/session is left out: a sign-in runs 600,000 PBKDF2 rounds by design, which
// would slow the whole run to a crawl; its parsing is the JSON body reader's (json_body).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/http/app.h"
#include "api/http/embedded.h"
#include "engine/calendar.h"
#include "engine/definition.h"
#include "storage/account_store.h"
#include "storage/connection.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"

namespace {

using namespace navolg;

const char* const kRoles[] = {"adviseur", "manager", "bestuur", "auditor", "beheerder"};

// Everything the App needs, made once.
struct World {
  std::filesystem::path dir;
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<storage::ReadStore> reads;
  std::unique_ptr<storage::AccountStore> accounts;
  http::Metrics metrics;
  std::unique_ptr<http::App> app;
  std::vector<std::string> tokens_a, tokens_b;  // by kRoles
  std::string process_id;
  Time now = *ParseTime("2026-03-01T09:00:00.000Z");
};

template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz setup: %s\n", result.status().message().c_str());
    std::abort();
  }
  return std::move(*result);
}

void Must(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz setup: %s\n", status.message().c_str());
    std::abort();
  }
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    w->dir =
        std::filesystem::temp_directory_path() / ("navolg-fuzz-app-" + std::to_string(::getpid()));
    std::filesystem::remove_all(w->dir);
    std::filesystem::create_directories(w->dir);
    // The world lives until the process ends; its folder goes with it.
    static const std::filesystem::path folder = w->dir;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(folder, ignored);
    });
    const std::string path = (w->dir / "navolg.db").string();
    {
      auto db = Must(storage::OpenConnection({path}));
      for (const auto& [file, text] : embedded::Workflows()) {
        ParsedDefinition parsed = ParseDefinitionText(std::string(text));
        if (!parsed.definition) std::abort();
        Must(storage::RegisterWorkflow(*db, *parsed.definition, w->now));
      }
      for (const char* org : {"a", "b"}) {
        Must(storage::AddOrganisation(*db, org, std::string("Gemeente ") + org, w->now));
        for (const char* role : kRoles) {
          const std::string token = Must(storage::NewToken());
          Must(storage::AddUser(*db, org, role, std::string(role) + " " + org, token, w->now));
          (org[0] == 'a' ? w->tokens_a : w->tokens_b).push_back(token);
        }
      }
    }
    w->committer = Must(storage::GroupCommitter::Start({path}, {}));
    w->reads = Must(storage::ReadStore::Open(path, w->committer->catalog()));
    w->accounts = Must(storage::AccountStore::Open(path));
    http::Services services{w->committer.get(), w->reads.get(), [w] { return w->now; },
                            &w->metrics};
    services.accounts = w->accounts.get();
    services.metrics_token = "fuzz-metrics-token";
    w->app = std::make_unique<http::App>(std::move(services));
    http::Request create;
    create.method = "POST";
    create.target = "/api/v1/processes";
    create.headers["Authorization"] = "Bearer " + w->tokens_a[0];
    create.headers["Content-Type"] = "application/json";
    create.body = R"({"workflow":"standaard-participatie","title":"Marktplein"})";
    const http::Response created = w->app->Handle(create);
    if (created.status != 201) std::abort();
    w->process_id = nlohmann::json::parse(created.body).at("id").get<std::string>();
    return w;
  }();
  return *world;
}

// Splits the input into a request; false when it has no request line.
bool ReadRequest(std::string_view text, const World& world, http::Request& request) {
  auto line_end = text.find('\n');
  if (line_end == std::string_view::npos) return false;
  const std::string_view line = text.substr(0, line_end);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return false;
  request.method = std::string(line.substr(0, space));
  request.target = std::string(line.substr(space + 1));
  for (std::size_t at; (at = request.target.find("{P}")) != std::string::npos;) {
    request.target.replace(at, 3, world.process_id);
  }
  text.remove_prefix(line_end + 1);
  while ((line_end = text.find('\n')) != std::string_view::npos && line_end > 0) {
    const std::string_view header = text.substr(0, line_end);
    const auto colon = header.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      request.headers[std::string(header.substr(0, colon))] = std::string(value);
    }
    text.remove_prefix(line_end + 1);
  }
  if (line_end == 0) text.remove_prefix(1);
  request.body = std::string(text);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& world = TheWorld();
  http::Request request;
  request.client_address = "192.0.2.7";
  if (!ReadRequest(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), world,
                   request)) {
    return 0;
  }
  if (request.target.rfind("/api/v1/session", 0) == 0 && request.method == "POST") return 0;
  const unsigned caller = data[0] % 6;  // 0: nobody
  if (caller > 0 && request.headers.count("Authorization") == 0) {
    const auto& tokens = (data[0] & 8) != 0 ? world.tokens_b : world.tokens_a;
    request.headers["Authorization"] = "Bearer " + tokens[caller - 1];
  }
  const http::Response response = world.app->Handle(request);
  if (response.status < 200 || response.status > 599) std::abort();
  if (response.status == 500) {
    std::fprintf(stderr, "500 for %s %s: %s\n", request.method.c_str(), request.target.c_str(),
                 response.body.c_str());
    std::abort();
  }
  if (response.headers.count("API-Version") == 0) std::abort();
  if (response.status >= 400 && response.content_type != "application/problem+json") std::abort();
  world.now += std::chrono::minutes(1);  // deadlines come closer as the run goes on
  return 0;
}
