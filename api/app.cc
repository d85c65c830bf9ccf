#include "api/app.h"

#include <cctype>
#include <chrono>
#include <optional>
#include <string_view>

#include "api/handlers.h"
#include "api/policy.h"
#include "api/problem.h"
#include "api/router.h"

namespace navolg::http {
namespace {

struct RouteTarget {
  // nullopt: a public route (no authentication, no policy); else the policy's action.
  std::optional<Action> action;
  Handler handler;
};

// The routes of api.md, in the order they are tried.
Router<RouteTarget> BuildRouter() {
  Router<RouteTarget> router;
  router.Add("GET", "/healthz", {std::nullopt, &GetHealth});
  router.Add("GET", "/metrics", {std::nullopt, &GetMetrics});
  router.Add("GET", "/api/v1/openapi.json", {std::nullopt, &GetOpenApi});
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
  router.Add("POST", "/api/v1/processes/{id}/transitions/{transition}",
             {Action::kTakeTransitions, &PostTransition});
  router.Add("GET", "/api/v1/processes/{id}/events", {Action::kReadTrail, &ListEvents});
  router.Add("GET", "/api/v1/processes/{id}/events.jsonl", {Action::kReadTrail, &ExportEvents});
  router.Add("GET", "/api/v1/processes/{id}/report", {Action::kReadTrail, &GetReport});
  router.Add("GET", "/api/v1/borgingshuis", {Action::kReadBorgingshuis, &GetBorgingshuis});
  router.Add("GET", "/api/v1/audit/public-key", {Action::kReadAuditKey, &GetAuditPublicKey});
  router.Add("GET", "/api/v1/deadlines", {Action::kReadDeadlineOverview, &GetDeadlineOverview});
  router.Add("GET", "/api/v1/processes/{id}/participatieverslag",
             {Action::kReadProcesses, &GetParticipatieverslag});
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

// The token of an "Authorization: Bearer TOKEN" header (scheme case-insensitive, RFC 6750);
// empty when the header is absent or holds another kind of credential.
std::string BearerToken(const std::string& authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return "";
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return "";
  }
  if (authorization[kScheme.size()] != ' ') return "";
  const std::size_t start = authorization.find_first_not_of(' ', kScheme.size());
  if (start == std::string::npos) return "";
  const std::size_t end = authorization.find_last_not_of(" \t");
  std::string token = authorization.substr(start, end + 1 - start);
  if (token.find_first_of(" \t") != std::string::npos) return "";
  return token;
}

enum class AuthFailure { kNoToken, kUnknownToken };

Response Unauthenticated(AuthFailure failure) {
  // Never repeat the token: not in the detail, not in a header.
  const bool unknown = failure == AuthFailure::kUnknownToken;
  Response response = ProblemResponse(
      401, unknown ? "Dit token is onbekend of ingetrokken; vraag de beheerder om een nieuw."
                   : "Meld u aan: stuur de kopregel Authorization: Bearer met uw token.");
  response.headers["WWW-Authenticate"] =
      unknown ? "Bearer realm=\"navolg\", error=\"invalid_token\"" : "Bearer realm=\"navolg\"";
  return response;
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
  storage::User user;
  if (target.action) {
    const std::string token = BearerToken(request.Header("Authorization"));
    if (token.empty()) return Unauthenticated(AuthFailure::kNoToken);
    auto found = services.reads->FindUser(token);
    if (!found.ok()) {
      if (found.status().code() == Code::kNotFound) {
        return Unauthenticated(AuthFailure::kUnknownToken);
      }
      return StatusProblem(found.status());
    }
    user = std::move(*found);
    if (!Allows(user.role, *target.action)) {
      return ProblemResponse(403, "Uw rol (" + user.role + ") mag dit niet.");
    }
  }
  const Call call{request, query, match.params, user};
  return target.handler(services, call);
}

App::App(AppDependencies dependencies) : impl_(std::make_unique<Impl>()) {
  impl_->services = Services{dependencies.committer, dependencies.reads,
                             std::move(dependencies.clock), dependencies.metrics,
                             dependencies.signing_key, std::move(dependencies.background)};
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
  response.headers["API-Version"] = kApiVersion;
  if (impl_->services.metrics != nullptr) {
    impl_->services.metrics->RecordRequest(MethodLabel(request.method), route, response.status,
                                           std::chrono::steady_clock::now() - started);
  }
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
