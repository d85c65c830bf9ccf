// Signing in with organisation, name and password, and signing out. The organisation may be
// typed by its name or its slug, in any case. A sign-in answers the same 401 for an unknown
// user, a user without a password and a wrong password, after the same time
// (storage/account_store.h); an unknown organisation gets a 401 of its own that helps find
// the organisation, after that same time, and says nothing about names. Attempts beyond a
// limit of storage/sign_in_throttle.h are answered 429 with Retry-After, unchecked. Only the
// right password of a deactivated user learns that the account is deactivated (403).
#include <string>

#include "api/http/authentication.h"
#include "api/http/handlers/handlers.h"
#include "api/http/json_body.h"
#include "api/http/policy.h"
#include "api/http/problem.h"

namespace navolg::http {
namespace {

Response AccountsMissing() {
  return ProblemResponse(503, "Aanmelden met een wachtwoord is op deze server niet ingeschakeld.");
}

void Count(Services& services, Metrics::SignIn outcome) {
  if (services.metrics != nullptr) services.metrics->RecordSignIn(outcome);
}

std::string InTime(std::chrono::seconds wait) {
  const auto seconds = wait.count();
  if (seconds < 90) return std::to_string(seconds) + " seconden";
  return std::to_string((seconds + 59) / 60) + " minuten";
}

std::string ThrottledDetail(storage::ThrottleLimit limit, std::chrono::seconds wait) {
  const std::string again = " Probeer het over " + InTime(wait) + " opnieuw.";
  switch (limit) {
    case storage::ThrottleLimit::kAddress:
      return "Er komen te veel aanmeldpogingen van uw adres." + again;
    case storage::ThrottleLimit::kName:
      return "Er wordt op dit moment vanaf veel plaatsen geprobeerd met deze naam aan te "
             "melden." +
             again + " Vanaf een adres waar u eerder bent aangemeld kunt u meteen verder.";
    case storage::ThrottleLimit::kNameAtAddress:
    case storage::ThrottleLimit::kNone:
      break;
  }
  return "Er is vanaf uw adres te vaak zonder succes geprobeerd met deze naam aan te melden." +
         again + " Of vraag de beheerder uw wachtwoord opnieuw in te stellen.";
}

}  // namespace

nlohmann::json UserJson(const storage::User& user) {
  return nlohmann::json{{"id", user.id},
                        {"name", user.name},
                        {"role", user.role},
                        {"organisation", user.organisation_slug}};
}

nlohmann::json MeJson(const storage::User& user) {
  nlohmann::json json = UserJson(user);
  json["organisation_name"] = user.organisation_name;
  json["actions"] = AllowedActionNames(user.role);
  return json;
}

Response PostSession(Services& services, const PublicCall& call) {
  // No session yet, so no ambient credential to abuse; but a browser page of another site
  // must not sign a visitor in (into the attacker's account) either.
  if (call.request.headers.count("Origin") != 0 &&
      !FromOwnOrigin(call.request, services.public_origin)) {
    return ForeignOriginProblem();
  }
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"organisation", MemberType::kString, Presence::kRequired},
                                     {"name", MemberType::kString, Presence::kRequired},
                                     {"password", MemberType::kString, Presence::kRequired}})) {
    return *problem;
  }
  if (services.accounts == nullptr) return AccountsMissing();
  const storage::SignInSource source{body.value["organisation"].get<std::string>(),
                                     body.value["name"].get<std::string>(),
                                     call.request.client_address};
  auto signed_in = services.accounts->SignIn(source, body.value["password"].get<std::string>(),
                                             services.clock());
  if (!signed_in.ok()) return StatusProblem(signed_in.status());
  switch (signed_in->outcome) {
    case storage::SignInOutcome::kThrottled: {
      Count(services, Metrics::SignIn::kThrottled);
      Response response =
          ProblemResponse(429, ThrottledDetail(signed_in->limit, signed_in->retry_after));
      response.headers["Retry-After"] = std::to_string(signed_in->retry_after.count());
      return response;
    }
    case storage::SignInOutcome::kDeactivated:
      Count(services, Metrics::SignIn::kFailed);
      return ProblemResponse(403,
                             "Uw account is gedeactiveerd. Vraag de beheerder van uw organisatie "
                             "om het weer te activeren.");
    case storage::SignInOutcome::kUnknownOrganisation: {
      Count(services, Metrics::SignIn::kFailed);
      const bool blank = source.organisation.find_first_not_of(" \t") == std::string::npos;
      const std::string detail =
          (blank ? std::string("U heeft geen organisatie ingevuld.")
                 : "Er is geen organisatie '" + source.organisation + "' bekend.") +
          " Typ de naam van uw organisatie of de korte naam die de beheerder u gaf; "
          "hoofdletters maken niet uit. Weet u die niet, vraag het dan aan de beheerder van "
          "navolg in uw organisatie.";
      Response response = ProblemResponse(
          401, detail, {Problem{"organisatie_onbekend", "", 0, "organisation", detail}});
      response.headers["WWW-Authenticate"] = "Bearer realm=\"navolg\"";
      return response;
    }
    case storage::SignInOutcome::kRejected: {
      Count(services, Metrics::SignIn::kFailed);
      Response response = ProblemResponse(
          401,
          "Organisatie, naam of wachtwoord klopt niet. Let op hoofdletters; na enkele "
          "mislukte pogingen moet u even wachten.");
      response.headers["WWW-Authenticate"] = "Bearer realm=\"navolg\"";
      return response;
    }
    case storage::SignInOutcome::kSignedIn:
      break;
  }
  Count(services, Metrics::SignIn::kSucceeded);
  Response response = JsonResponse(200, MeJson(*signed_in->user));
  response.headers["Set-Cookie"] = SessionCookie(signed_in->session_id, services.public_origin);
  response.headers["Cache-Control"] = "no-store";
  return response;
}

Response GetSignInOptions(Services& services, const PublicCall&) {
  if (services.accounts == nullptr) return AccountsMissing();
  auto only = services.accounts->SignInOrganisation();
  if (!only.ok()) return StatusProblem(only.status());
  nlohmann::json organisation = nullptr;
  if (*only) organisation = {{"slug", (*only)->slug}, {"name", (*only)->name}};
  return JsonResponse(200, nlohmann::json{{"organisation", std::move(organisation)}});
}

Response DeleteSession(Services& services, const Call& call) {
  if (call.session_hash.empty()) {
    return ProblemResponse(400,
                           "U bent met een token aangemeld, niet met een sessie; er is niets om "
                           "af te melden. Een token trekt de beheerder in.");
  }
  if (services.accounts == nullptr) return AccountsMissing();
  if (Status ended = services.accounts->SignOut(call.session_hash); !ended.ok()) {
    return StatusProblem(ended);
  }
  Response response;
  response.status = 204;
  response.headers["Set-Cookie"] = ExpiredSessionCookie(services.public_origin);
  return response;
}

}  // namespace navolg::http
