// Internal to api/http: the request handlers App routes to, one function per operation of
// api/http/openapi.json, one file per concept (system_handlers.cc, read_handlers.cc, ...).
//
// A handler runs only after the router matched its route, authentication found the caller
// and the policy allowed the caller's role the route's action; a public route's handler runs
// after the router alone and gets no caller (PublicCall). It
// returns a response for every outcome; exceptions are caught by App::Handle.
// Handlers keep no state of their own: thread-safe as their services are.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/http/app.h"
#include "api/http/http_types.h"
#include "api/http/metrics.h"
#include "api/http/router.h"
#include "engine/calendar.h"
#include "engine/ed25519.h"
#include "storage/account_store.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"

namespace navolg::http {

// A request to a public route: nobody is signed in, so there is no user and no organisation
// to read in.
struct PublicCall {
  const Request& request;  // as received; its path and query fields are not relied on
  const std::map<std::string, std::string>& query;  // decoded from request.target
  const RouteParams& params;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

// A request authentication admitted: it acts as `user`, inside `user.organisation` only.
struct Call : PublicCall {
  const storage::User& user;
  std::string session_hash{};  // the session of a cookie-authenticated request; else empty
};

// A public route's handler cannot be given a user, nor reach one: its call has none.
using PublicHandler = Response (*)(Services& services, const PublicCall& call);
using Handler = Response (*)(Services& services, const Call& call);

// A JSON response; invalid UTF-8, which stored data never holds, is replaced, not thrown.
Response JsonResponse(int status, const nlohmann::json& body);

// A user as the beheerder's user list shows it: {"id","name","role","organisation"}.
nlohmann::json UserJson(const storage::User& user);
// The signed-in user as GET /api/v1/me and a sign-in answer show it: UserJson plus
// "actions", the names of the policy actions the user's role may perform (api/policy.h).
nlohmann::json MeJson(const storage::User& user);

// A whole number from `low` to `high` in plain decimal (no sign, no spaces); nullopt
// otherwise. For query parameters (read_handlers.cc).
std::optional<std::int64_t> ParseWholeNumber(const std::string& text, std::int64_t low,
                                             std::int64_t high);

// system_handlers.cc: no authentication.
Response GetHealth(Services& services, const PublicCall& call);
Response GetMetrics(Services& services, const PublicCall& call);
// The Prometheus page of GET /metrics, without any check: for GetMetrics once the caller is
// the operator, and for the operator's own listener (App::HandleOperator).
Response MetricsPage(Services& services);
Response GetOpenApi(Services& services, const PublicCall& call);

// web_handlers.cc: the web interface compiled in from web/ (index.html at "/", the other
// files at "/assets/{file}"), with a strict Content-Security-Policy.
Response GetWebPage(Services& services, const PublicCall& call);
Response GetWebAsset(Services& services, const PublicCall& call);

// read_handlers.cc
Response GetMe(Services& services, const Call& call);
Response ListWorkflows(Services& services, const Call& call);
Response GetWorkflow(Services& services, const Call& call);
Response GetProcess(Services& services, const Call& call);
Response ListEvents(Services& services, const Call& call);
Response ExportEvents(Services& services, const Call& call);

// list_handlers.cc: the lists pages show over many processes, each one request.
Response ListProcesses(Services& services, const Call& call);
Response ListAwaitedAdoptions(Services& services, const Call& call);

// report_handlers.cc
Response GetReport(Services& services, const Call& call);
// borgingshuis_handlers.cc: the organisation's Borgingshuis, and the processes behind one of
// its indicators.
Response GetBorgingshuis(Services& services, const Call& call);
Response ListIndicatorProcesses(Services& services, const Call& call);
// audit_handlers.cc
Response GetAuditPublicKey(Services& services, const PublicCall& call);
Response ListCheckpoints(Services& services, const Call& call);
// overview_handlers.cc: the managers' overview of deadlines (JSON or CSV).
Response GetDeadlineOverview(Services& services, const Call& call);

// verslag_handlers.cc: the participatieverslag of a process (HTML or Markdown).
Response GetParticipatieverslag(Services& services, const Call& call);

// session_handlers.cc: signing in (no authentication) and out.
Response PostSession(Services& services, const PublicCall& call);
// GET /api/v1/sign-in-options: what the sign-in page can fill in before anyone signs in (the
// organisation, when the installation has only one).
Response GetSignInOptions(Services& services, const PublicCall& call);
Response DeleteSession(Services& services, const Call& call);
// user_handlers.cc: the beheerder's user administration, within the own organisation.
Response ListUsers(Services& services, const Call& call);
// GET /api/v1/colleagues[?role=R]: every role's view of the organisation's people.
Response ListColleagues(Services& services, const Call& call);
Response PostUser(Services& services, const Call& call);
Response GetUser(Services& services, const Call& call);
Response PutUserPassword(Services& services, const Call& call);
Response PutUserEmail(Services& services, const Call& call);
Response DeleteUserTokens(Services& services, const Call& call);
Response PostUserToken(Services& services, const Call& call);
Response PostUserDeactivation(Services& services, const Call& call);
Response PostUserActivation(Services& services, const Call& call);
// security_log_handlers.cc: the organisation's security log, newest first, paged.
Response GetSecurityLog(Services& services, const Call& call);

// process_handlers.cc: commands.
Response PostProcess(Services& services, const Call& call);
Response PutProduct(Services& services, const Call& call);
Response PostAdoption(Services& services, const Call& call);
Response PostAdoptionOffer(Services& services, const Call& call);
Response PostTransition(Services& services, const Call& call);
Response PostHandover(Services& services, const Call& call);
Response PostReminder(Services& services, const Call& call);

}  // namespace navolg::http
