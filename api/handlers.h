// Internal to api/: the request handlers App routes to, one function per endpoint of api.md,
// grouped by concept (system_handlers.cc, read_handlers.cc, process_handlers.cc).
//
// A handler runs only after the router matched its route, authentication found the caller
// (for /api/v1 routes) and the policy allowed the caller's role the route's action. It
// returns a response for every outcome; exceptions are caught by App::Handle.
// Handlers keep no state of their own: thread-safe as their services are.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http_types.h"
#include "api/metrics.h"
#include "api/router.h"
#include "engine/calendar.h"
#include "engine/ed25519.h"
#include "storage/account_store.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"

namespace navolg::http {

struct Services {
  storage::GroupCommitter* committer = nullptr;
  storage::ReadStore* reads = nullptr;
  std::function<Time()> clock;
  Metrics* metrics = nullptr;
  const SigningKey* signing_key = nullptr;  // may be null: exports are then not signed
  std::function<BackgroundStats()> background = {};  // may be empty
  // Sign-in, sessions and user administration; may be null (tests that need none): those
  // routes then answer 503 and session cookies are not accepted.
  storage::AccountStore* accounts = nullptr;
  // The server's own origin for the Origin check and the cookie's Secure attribute (see
  // api/authentication.h); empty: taken from each request's Host.
  std::string public_origin{};
};

struct Call {
  const Request& request;  // as received; its path and query fields are not relied on
  const std::map<std::string, std::string>& query;  // decoded from request.target
  const RouteParams& params;
  const storage::User& user;  // empty for the routes without authentication
  std::string session_hash{};  // the session of a cookie-authenticated request; else empty

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

using Handler = Response (*)(Services& services, const Call& call);

// A JSON response; invalid UTF-8, which stored data never holds, is replaced, not thrown.
Response JsonResponse(int status, const nlohmann::json& body);

// A user as the beheerder's user list shows it: {"id","name","role","organisation"}.
nlohmann::json UserJson(const storage::User& user);
// The signed-in user as GET /api/v1/me and a sign-in answer show it: UserJson plus
// "actions", the names of the policy actions the user's role may perform (api/policy.h).
nlohmann::json MeJson(const storage::User& user);

// system_handlers.cc: no authentication.
Response GetHealth(Services& services, const Call& call);
Response GetMetrics(Services& services, const Call& call);
Response GetOpenApi(Services& services, const Call& call);

// web_handlers.cc: the web interface compiled in from web/ (index.html at "/", the other
// files at "/assets/{file}"), with a strict Content-Security-Policy.
Response GetWebPage(Services& services, const Call& call);
Response GetWebAsset(Services& services, const Call& call);

// read_handlers.cc
Response GetMe(Services& services, const Call& call);
Response ListWorkflows(Services& services, const Call& call);
Response GetWorkflow(Services& services, const Call& call);
Response ListProcesses(Services& services, const Call& call);
Response GetProcess(Services& services, const Call& call);
Response ListEvents(Services& services, const Call& call);
Response ExportEvents(Services& services, const Call& call);

// report_handlers.cc
Response GetReport(Services& services, const Call& call);
Response GetBorgingshuis(Services& services, const Call& call);
// audit_handlers.cc
Response GetAuditPublicKey(Services& services, const Call& call);
// overview_handlers.cc: the managers' overview of deadlines (JSON or CSV).
Response GetDeadlineOverview(Services& services, const Call& call);

// verslag_handlers.cc: the participatieverslag of a process (HTML or Markdown).
Response GetParticipatieverslag(Services& services, const Call& call);

// session_handlers.cc: signing in (no authentication) and out.
Response PostSession(Services& services, const Call& call);
Response DeleteSession(Services& services, const Call& call);
// user_handlers.cc: the beheerder's user administration, within the own organisation.
Response ListUsers(Services& services, const Call& call);
Response PostUser(Services& services, const Call& call);
Response GetUser(Services& services, const Call& call);
Response PutUserPassword(Services& services, const Call& call);
Response DeleteUserTokens(Services& services, const Call& call);
Response PostUserToken(Services& services, const Call& call);

// process_handlers.cc: commands.
Response PostProcess(Services& services, const Call& call);
Response PutProduct(Services& services, const Call& call);
Response PostAdoption(Services& services, const Call& call);
Response PostTransition(Services& services, const Call& call);

}  // namespace navolg::http
