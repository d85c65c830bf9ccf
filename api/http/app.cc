#include "api/http/app.h"

#include <chrono>
#include <optional>

#include "api/http/authentication.h"
#include "api/http/gzip.h"
#include "api/http/handlers/handlers.h"
#include "api/http/policy.h"
#include "api/http/problem.h"
#include "api/http/router.h"

namespace navolg::http {
namespace {

struct RouteTarget {
  // nullopt: a public route (no authentication, no policy, no user); else the policy's action.
  std::optional<Action> action;
  Handler handler = nullptr;               // when there is an action
  PublicHandler public_handler = nullptr;  // when there is none
};

RouteTarget Public(PublicHandler handler) { return {std::nullopt, nullptr, handler}; }

// The routes: every operation of api/http/openapi.json (a Node test checks that the two
// agree) and the web interface, in the order they are tried.
Router<RouteTarget> BuildRouter() {
  Router<RouteTarget> router;
  router.Add("GET", "/healthz", Public(&GetHealth));
  router.Add("GET", "/metrics", Public(&GetMetrics));
  router.Add("GET", "/api/v1/openapi.json", Public(&GetOpenApi));
  router.Add("GET", "/api/v1/me", {Action::kReadOwnUser, &GetMe});
  router.Add("GET", "/api/v1/workflows", {Action::kReadWorkflows, &ListWorkflows});
  router.Add("GET", "/api/v1/workflows/{key}", {Action::kReadWorkflows, &GetWorkflow});
  router.Add("GET", "/api/v1/processes", {Action::kReadProcesses, &ListProcesses});
  router.Add("POST", "/api/v1/processes", {Action::kCreateProcess, &PostProcess});
  router.Add("GET", "/api/v1/processes/{id}", {Action::kReadProcesses, &GetProcess});
  router.Add("PUT", "/api/v1/processes/{id}/products/{product}",
             {Action::kSaveProducts, &PutProduct});
  router.Add("PUT", "/api/v1/processes/{id}/products/{product}/{n}",
             {Action::kSaveProducts, &PutProduct});
  router.Add("POST", "/api/v1/processes/{id}/adoptions", {Action::kAdoptProducts, &PostAdoption});
  router.Add("POST", "/api/v1/processes/{id}/adoption-offers",
             {Action::kSaveProducts, &PostAdoptionOffer});
  router.Add("POST", "/api/v1/processes/{id}/transitions/{transition}",
             {Action::kTakeTransitions, &PostTransition});
  router.Add("POST", "/api/v1/processes/{id}/handovers", {Action::kManageProcesses, &PostHandover});
  router.Add("POST", "/api/v1/processes/{id}/reminders", {Action::kManageProcesses, &PostReminder});
  router.Add("GET", "/api/v1/processes/{id}/events", {Action::kReadTrail, &ListEvents});
  router.Add("GET", "/api/v1/processes/{id}/events.jsonl", {Action::kReadTrail, &ExportEvents});
  router.Add("GET", "/api/v1/processes/{id}/report", {Action::kReadTrail, &GetReport});
  router.Add("GET", "/api/v1/processes/{id}/checkpoints",
             {Action::kReadCheckpoints, &ListCheckpoints});
  router.Add("GET", "/api/v1/adoptions", {Action::kAdoptProducts, &ListAwaitedAdoptions});
  router.Add("GET", "/api/v1/borgingshuis", {Action::kReadBorgingshuis, &GetBorgingshuis});
  router.Add("GET", "/api/v1/borgingshuis/indicators/{workflow}/{check}/processes",
             {Action::kReadBorgingshuis, &ListIndicatorProcesses});
  // The key that verifies exports is public: an auditor needs no account to fetch it, and it
  // reveals nothing about any organisation or process.
  router.Add("GET", "/api/v1/audit/public-key", Public(&GetAuditPublicKey));
  router.Add("GET", "/api/v1/deadlines", {Action::kReadDeadlineOverview, &GetDeadlineOverview});
  router.Add("GET", "/api/v1/processes/{id}/participatieverslag",
             {Action::kReadProcesses, &GetParticipatieverslag});
  router.Add("POST", "/api/v1/session", Public(&PostSession));
  router.Add("GET", "/api/v1/sign-in-options", Public(&GetSignInOptions));
  router.Add("DELETE", "/api/v1/session", {Action::kEndOwnSession, &DeleteSession});
  router.Add("GET", "/api/v1/users", {Action::kManageUsers, &ListUsers});
  router.Add("POST", "/api/v1/users", {Action::kManageUsers, &PostUser});
  router.Add("GET", "/api/v1/users/{id}", {Action::kManageUsers, &GetUser});
  router.Add("PUT", "/api/v1/users/{id}/password", {Action::kManageUsers, &PutUserPassword});
  router.Add("PUT", "/api/v1/users/{id}/email", {Action::kManageUsers, &PutUserEmail});
  router.Add("POST", "/api/v1/users/{id}/tokens", {Action::kManageUsers, &PostUserToken});
  router.Add("DELETE", "/api/v1/users/{id}/tokens", {Action::kManageUsers, &DeleteUserTokens});
  router.Add("POST", "/api/v1/users/{id}/deactivate",
             {Action::kDeactivateUsers, &PostUserDeactivation});
  router.Add("POST", "/api/v1/users/{id}/activate",
             {Action::kDeactivateUsers, &PostUserActivation});
  router.Add("GET", "/api/v1/security-log", {Action::kReadSecurityLog, &GetSecurityLog});
  router.Add("GET", "/api/v1/colleagues", {Action::kReadColleagues, &ListColleagues});
  // The web interface (not part of the API, so not in api/http/openapi.json).
  router.Add("GET", "/", Public(&GetWebPage));
  router.Add("GET", "/assets/{file}", Public(&GetWebAsset));
  return router;
}

// The metrics label of a method: the standard ones as they are, anything else "OTHER", so
// a client cannot mint label values.
std::string MethodLabel(const std::string& method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return method;
  }
  return "OTHER";
}

// Answers at least this long are worth compressing (below it, gzip's header and the time
// outweigh what it saves).
constexpr std::size_t kGzipFrom = 1024;

// Gzips a large answer to a GET of the API for a client that accepts it (api/http/gzip.h:
// no GET answer carries a secret). Not one with an ETag: that is the process's version, which
// If-Match compares, and a strong ETag names one encoding.
void CompressApiAnswer(const Request& request, Response& response) {
  if (request.method != "GET" && request.method != "HEAD") return;
  if (request.target.rfind("/api/v1/", 0) != 0 || response.headers.count("ETag") != 0) return;
  if (response.headers.count("Content-Encoding") != 0) return;
  std::string& vary = response.headers["Vary"];
  vary = vary.empty() ? "Accept-Encoding" : vary + ", Accept-Encoding";
  if (response.body.size() < kGzipFrom || !AcceptsGzip(request.Header("Accept-Encoding"))) return;
  std::string gzipped = Gzip(response.body, Effort::kFast);
  if (gzipped.empty()) return;
  response.body = std::move(gzipped);
  response.headers["Content-Encoding"] = "gzip";
}

}  // namespace

struct App::Impl {
  Services services;
  Router<RouteTarget> router = BuildRouter();

  // Everything but the edge duties of Handle. Sets `route` to the matched pattern.
  Response Dispatch(const Request& request, std::string& route);
};

Response App::Impl::Dispatch(const Request& request, std::string& route) {
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(request.target, path, query)) {
    return ProblemResponse(400, "Het adres van het verzoek is ongeldig.");
  }
  auto match = router.Find(request.method, path);
  if (match.kind == MatchKind::kNotFound) {
    return ProblemResponse(404, "Dit adres bestaat niet.");
  }
  route = match.pattern;
  if (match.kind == MatchKind::kMethodNotAllowed) {
    Response response = ProblemResponse(405, "De methode " + MethodLabel(request.method) +
                                                 " kan hier niet; wel: " + match.allow + ".");
    response.headers["Allow"] = match.allow;
    return response;
  }

  const RouteTarget& target = match.route->target;
  if (!target.action) return target.public_handler(services, {request, query, match.params});
  Authentication caller = Authenticate(services, request);
  if (!caller.user) return caller.problem;
  // A browser sends the cookie by itself; only our own pages may make it change data.
  if (!caller.session_hash.empty() && ChangesData(request.method) &&
      !FromOwnOrigin(request, services.public_origin)) {
    return ForeignOriginProblem();
  }
  const storage::User& user = *caller.user;
  if (!Allows(user.role, *target.action)) {
    return ProblemResponse(403, "Uw rol (" + user.role + ") mag dit niet.");
  }
  const Call call{{request, query, match.params}, user, std::move(caller.session_hash)};
  return target.handler(services, call);
}

App::App(Services services) : impl_(std::make_unique<Impl>()) {
  impl_->services = std::move(services);
}

App::~App() = default;

Response App::Handle(const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  Response response;
  try {
    response = impl_->Dispatch(request, route);
  } catch (...) {
    // Whatever it was, its message stays inside: it may name files, SQL or data.
    response = InternalProblem();
  }
  CompressApiAnswer(request, response);
  // A HEAD ran as its GET: the same status and headers, without the body.
  if (request.method == "HEAD") response.body.clear();
  response.headers["API-Version"] = kApiVersion;
  // API answers are data for scripts, never pages to guess a type for, and may be personal:
  // no browser or proxy keeps them.
  if (request.target.rfind("/api/v1/", 0) == 0) {
    response.headers["X-Content-Type-Options"] = "nosniff";
    response.headers["Cache-Control"] = "no-store";
  }
  if (impl_->services.metrics != nullptr) {
    impl_->services.metrics->RecordRequest(MethodLabel(request.method), route, response.status,
                                           std::chrono::steady_clock::now() - started);
  }
  return response;
}

Response App::HandleOperator(const Request& request) {
  std::string path;
  std::map<std::string, std::string> query;
  Response response;
  try {
    if (!ParseTarget(request.target, path, query) || path != "/metrics") {
      response = ProblemResponse(404, "Op dit adres is alleen /metrics te lezen.");
    } else if (request.method != "GET" && request.method != "HEAD") {
      response = ProblemResponse(
          405, "De methode " + MethodLabel(request.method) + " kan hier niet; wel: GET, HEAD.");
      response.headers["Allow"] = "GET, HEAD";
    } else {
      response = MetricsPage(impl_->services);
    }
  } catch (...) {
    response = InternalProblem();
  }
  if (request.method == "HEAD") response.body.clear();
  response.headers["API-Version"] = kApiVersion;
  return response;
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace navolg::http
