// The beheerder's user administration: list and create users, reset a password, set an
// e-mail address, issue and revoke bearer tokens, deactivate and activate users. Every change is
// logged in the security log with the beheerder and the client address. Only within the beheerder's
// own organisation: another organisation's user id is answered exactly as an unknown one (404).
#include <string>

#include "api/http/authentication.h"
#include "api/http/handlers/handlers.h"
#include "api/http/json_body.h"
#include "api/http/problem.h"
#include "engine/role.h"

namespace navolg::http {
namespace {

nlohmann::json ListingJson(const storage::UserListing& listing) {
  nlohmann::json json = UserJson(listing.user);
  json["created_at"] = listing.created_at;
  json["has_password"] = listing.has_password;
  json["active_tokens"] = listing.active_tokens;
  json["active_sessions"] = listing.active_sessions;
  json["active"] = listing.deactivated_at.empty();
  json["deactivated_at"] = listing.deactivated_at.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(listing.deactivated_at);
  json["email"] = listing.email.empty() ? nlohmann::json(nullptr) : nlohmann::json(listing.email);
  return json;
}

storage::AccountActor ActorOf(const Call& call) {
  return storage::AccountActor{call.user.id, call.request.client_address};
}

std::string UserLocation(const std::string& id) { return "/api/v1/users/" + id; }

Response AccountsMissing() {
  return ProblemResponse(503, "Gebruikersbeheer is op deze server niet ingeschakeld.");
}

}  // namespace

Response ListUsers(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  auto users = services.accounts->ListUsers(call.user.organisation, services.clock());
  if (!users.ok()) return StatusProblem(users.status());
  nlohmann::json items = nlohmann::json::array();
  for (const storage::UserListing& listing : *users) items.push_back(ListingJson(listing));
  // The roles a new user can get, for the beheerder's form.
  nlohmann::json roles = nlohmann::json::array();
  for (Role role : UserRoles()) {
    roles.push_back({{"key", RoleName(role)}, {"title", RoleTitle(role)}});
  }
  return JsonResponse(200,
                      nlohmann::json{{"items", std::move(items)}, {"roles", std::move(roles)}});
}

Response ListColleagues(Services& services, const Call& call) {
  std::string role;
  if (auto it = call.query.find("role"); it != call.query.end()) {
    role = it->second;
    const std::optional<Role> known = ParseRole(role);
    if (!known || !IsUserRole(*known)) {
      return ProblemResponse(400, "Onbekende rol '" + role + "'.");
    }
  }
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  if (!colleagues.ok()) return StatusProblem(colleagues.status());
  nlohmann::json items = nlohmann::json::array();
  for (const storage::Colleague& colleague : *colleagues) {
    if (!role.empty() && colleague.role != role) continue;
    items.push_back({{"id", colleague.id},
                     {"name", colleague.name},
                     {"role", colleague.role},
                     {"active", colleague.active}});
  }
  return JsonResponse(200, nlohmann::json{{"items", std::move(items)}});
}

Response GetUser(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  auto user =
      services.accounts->GetUser(call.user.organisation, call.Param("id"), services.clock());
  if (!user.ok()) return StatusProblem(user.status());
  return JsonResponse(200, ListingJson(*user));
}

Response PostUser(Services& services, const Call& call) {
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"name", MemberType::kString, Presence::kRequired},
                                     {"role", MemberType::kString, Presence::kRequired},
                                     {"password", MemberType::kString, Presence::kOptional},
                                     {"email", MemberType::kString, Presence::kOptional}})) {
    return *problem;
  }
  if (services.accounts == nullptr) return AccountsMissing();
  std::optional<std::string> password;
  if (body.value.contains("password")) password = body.value["password"].get<std::string>();
  const Time now = services.clock();
  auto created =
      services.accounts->AddUser(call.user.organisation_slug, body.value["role"].get<std::string>(),
                                 body.value["name"].get<std::string>(), password, now,
                                 ActorOf(call), body.value.value("email", ""));
  if (!created.ok()) return AccountProblem(created.status());
  auto listing = services.accounts->GetUser(call.user.organisation, created->user.id, now);
  if (!listing.ok()) return StatusProblem(listing.status());
  nlohmann::json answer = ListingJson(*listing);
  answer["token"] = created->token;
  Response response = JsonResponse(201, answer);
  response.headers["Location"] = UserLocation(created->user.id);
  response.headers["Cache-Control"] = "no-store";
  return response;
}

Response PutUserPassword(Services& services, const Call& call) {
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"password", MemberType::kString, Presence::kRequired}})) {
    return *problem;
  }
  if (services.accounts == nullptr) return AccountsMissing();
  const Time now = services.clock();
  const std::string& id = call.Param("id");
  auto reset = services.accounts->ResetPassword(
      call.user.organisation, id, body.value["password"].get<std::string>(), now, ActorOf(call));
  if (!reset.ok()) return AccountProblem(reset.status());
  auto listing = services.accounts->GetUser(call.user.organisation, id, now);
  if (!listing.ok()) return StatusProblem(listing.status());
  Response response = JsonResponse(200, ListingJson(*listing));
  // A beheerder who resets their own password has just ended their own session too.
  if (id == call.user.id && !call.session_hash.empty()) {
    response.headers["Set-Cookie"] = ExpiredSessionCookie(services.public_origin);
  }
  return response;
}

// The user's e-mail address: `{"email": "naam@organisatie.nl"}`, or "" to remove it. A
// malformed address is 422 with a Dutch detail, and nothing changes.
Response PutUserEmail(Services& services, const Call& call) {
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"email", MemberType::kString, Presence::kRequired}})) {
    return *problem;
  }
  if (services.accounts == nullptr) return AccountsMissing();
  const Time now = services.clock();
  const std::string& id = call.Param("id");
  Status changed = services.accounts->ChangeEmail(
      call.user.organisation, id, body.value["email"].get<std::string>(), now, ActorOf(call));
  if (!changed.ok()) return AccountProblem(changed);
  auto listing = services.accounts->GetUser(call.user.organisation, id, now);
  if (!listing.ok()) return StatusProblem(listing.status());
  return JsonResponse(200, ListingJson(*listing));
}

Response PostUserToken(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  const std::string& id = call.Param("id");
  auto token =
      services.accounts->IssueToken(call.user.organisation, id, services.clock(), ActorOf(call));
  if (!token.ok()) return AccountProblem(token.status());
  Response response = JsonResponse(201, nlohmann::json{{"token", *token}});
  response.headers["Location"] = UserLocation(id);
  response.headers["Cache-Control"] = "no-store";
  return response;
}

Response DeleteUserTokens(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  const std::string& id = call.Param("id");
  auto revoked =
      services.accounts->RevokeAccess(call.user.organisation, id, services.clock(), ActorOf(call));
  if (!revoked.ok()) return StatusProblem(revoked.status());
  Response response = JsonResponse(200, nlohmann::json{{"tokens_revoked", revoked->tokens},
                                                       {"sessions_ended", revoked->sessions}});
  if (id == call.user.id && !call.session_hash.empty()) {
    response.headers["Set-Cookie"] = ExpiredSessionCookie(services.public_origin);
  }
  return response;
}

Response PostUserDeactivation(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  const std::string& id = call.Param("id");
  const Time now = services.clock();
  auto deactivated = services.accounts->Deactivate(call.user.organisation, id, now, ActorOf(call));
  if (!deactivated.ok()) return AccountProblem(deactivated.status());
  auto listing = services.accounts->GetUser(call.user.organisation, id, now);
  if (!listing.ok()) return StatusProblem(listing.status());
  nlohmann::json answer = ListingJson(*listing);
  answer["tokens_revoked"] = deactivated->ended.tokens;
  answer["sessions_ended"] = deactivated->ended.sessions;
  Response response = JsonResponse(200, answer);
  // A beheerder who deactivates themself (another beheerder remains) is signed out now.
  if (id == call.user.id && !call.session_hash.empty()) {
    response.headers["Set-Cookie"] = ExpiredSessionCookie(services.public_origin);
  }
  return response;
}

Response PostUserActivation(Services& services, const Call& call) {
  if (services.accounts == nullptr) return AccountsMissing();
  const std::string& id = call.Param("id");
  const Time now = services.clock();
  auto activated = services.accounts->Activate(call.user.organisation, id, now, ActorOf(call));
  if (!activated.ok()) return AccountProblem(activated.status());
  auto listing = services.accounts->GetUser(call.user.organisation, id, now);
  if (!listing.ok()) return StatusProblem(listing.status());
  return JsonResponse(200, ListingJson(*listing));
}

}  // namespace navolg::http
