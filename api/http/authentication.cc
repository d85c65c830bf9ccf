#include "api/http/authentication.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "api/http/problem.h"

namespace navolg::http {
namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view Trimmed(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t");
  return text.substr(start, end + 1 - start);
}

// The token of an "Authorization: Bearer TOKEN" header (scheme case-insensitive, RFC 6750);
// empty when the header holds another kind of credential.
std::string BearerToken(const std::string& authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return "";
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return "";
  }
  if (authorization[kScheme.size()] != ' ') return "";
  const std::string_view token = Trimmed(std::string_view(authorization).substr(kScheme.size()));
  if (token.find_first_of(" \t") != std::string_view::npos) return "";
  return std::string(token);
}

enum class AuthFailure { kNoCredentials, kUnknownToken, kEndedSession };

Response Unauthenticated(AuthFailure failure, const std::string& public_origin) {
  // Never repeat the token or the session id: not in the detail, not in a header.
  const char* detail = nullptr;
  switch (failure) {
    case AuthFailure::kNoCredentials:
      detail =
          "Meld u aan: met uw organisatie, naam en wachtwoord (POST /api/v1/session), of met "
          "de kopregel Authorization: Bearer en uw token.";
      break;
    case AuthFailure::kUnknownToken:
      detail = "Dit token is onbekend of ingetrokken; vraag de beheerder om een nieuw.";
      break;
    case AuthFailure::kEndedSession:
      detail = "Uw sessie is verlopen of beeindigd; meld u opnieuw aan.";
      break;
  }
  Response response = ProblemResponse(401, detail);
  response.headers["WWW-Authenticate"] = failure == AuthFailure::kUnknownToken
                                             ? "Bearer realm=\"navolg\", error=\"invalid_token\""
                                             : "Bearer realm=\"navolg\"";
  if (failure == AuthFailure::kEndedSession) {
    response.headers["Set-Cookie"] = ExpiredSessionCookie(public_origin);
  }
  return response;
}

bool IsSessionId(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string CookieAttributes(const std::string& public_origin) {
  std::string attributes = "; Path=/; HttpOnly; SameSite=Strict";
  if (public_origin.rfind("https://", 0) == 0) attributes += "; Secure";
  return attributes;
}

}  // namespace

Authentication Authenticate(Services& services, const Request& request) {
  Authentication result;
  const Time now = services.clock();
  if (request.headers.count("Authorization") != 0) {
    const std::string token = BearerToken(request.Header("Authorization"));
    if (token.empty()) {
      result.problem = Unauthenticated(AuthFailure::kNoCredentials, services.public_origin);
      return result;
    }
    auto found = services.reads->FindUser(token);
    if (found.ok()) {
      result.user = std::move(*found);
    } else if (found.status().code() == Code::kNotFound) {
      result.problem = Unauthenticated(AuthFailure::kUnknownToken, services.public_origin);
    } else {
      result.problem = StatusProblem(found.status());
    }
    return result;
  }
  const std::string session_id = SessionIdFromCookies(request);
  if (session_id.empty() || services.accounts == nullptr) {
    result.problem = Unauthenticated(AuthFailure::kNoCredentials, services.public_origin);
    return result;
  }
  if (!IsSessionId(session_id)) {
    result.problem = Unauthenticated(AuthFailure::kEndedSession, services.public_origin);
    return result;
  }
  auto session = services.reads->FindSession(session_id, now);
  if (!session.ok()) {
    result.problem = session.status().code() == Code::kNotFound
                         ? Unauthenticated(AuthFailure::kEndedSession, services.public_origin)
                         : StatusProblem(session.status());
    return result;
  }
  if (now - session->last_seen >= storage::kSessionTouchInterval) {
    // Best effort: when the write fails (a busy disk), the session may end up to one touch
    // interval early, which is safe; refusing this request would not be.
    (void)services.accounts->Touch(session->hash, now);
  }
  result.user = std::move(session->user);
  result.session_hash = std::move(session->hash);
  return result;
}

std::optional<Response> RefuseUnlessOperator(const Request& request,
                                             const std::string& expected_token) {
  if (expected_token.empty()) {
    return ProblemResponse(
        403,
        "De metrieken zijn alleen voor de beheerder van de server en staan uit. Zet ze aan met "
        "--metrics-token TOKEN (NAVOLG_METRICS_TOKEN; lezen met Authorization: Bearer TOKEN) "
        "of met --metrics-listen HOST:PORT (NAVOLG_METRICS_LISTEN; een apart adres dat alleen "
        "/metrics serveert).");
  }
  const std::string given = BearerToken(request.Header("Authorization"));
  unsigned char difference = given.size() == expected_token.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected_token.size(); ++i) {
    const char mine = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned char>(mine ^ expected_token[i]);
  }
  if (difference == 0) return std::nullopt;
  Response response =
      ProblemResponse(401,
                      "Alleen de beheerder van de server mag de metrieken lezen: stuur de kopregel "
                      "Authorization: Bearer met het metrics-token van navolg serve.");
  response.headers["WWW-Authenticate"] = "Bearer realm=\"navolg-metrics\"";
  return response;
}

bool ChangesData(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool FromOwnOrigin(const Request& request, const std::string& public_origin) {
  const std::string origin = Lowercase(std::string(Trimmed(request.Header("Origin"))));
  if (origin.empty() || origin == "null") return false;
  if (!public_origin.empty()) return origin == public_origin;
  const std::string host = Lowercase(std::string(Trimmed(request.Header("Host"))));
  return !host.empty() && origin == "http://" + host;
}

Response ForeignOriginProblem() {
  return ProblemResponse(
      403,
      "Dit verzoek wijzigt gegevens met uw sessie maar komt niet van de pagina's van navolg "
      "zelf (de kopregel Origin ontbreekt of noemt een andere site). Er is niets gewijzigd.");
}

Result<std::string> PublicOrigin(const std::string& url) {
  const std::string lower = Lowercase(url);
  std::string scheme;
  for (const char* candidate : {"https://", "http://"}) {
    if (lower.rfind(candidate, 0) == 0) scheme = candidate;
  }
  std::string authority = lower.substr(scheme.size());
  if (!authority.empty() && authority.back() == '/') authority.pop_back();
  const bool plain_host = !authority.empty() &&
                          authority.find_first_of("/?#@ \t") == std::string::npos &&
                          authority.front() != ':' && authority.back() != ':';
  if (scheme.empty() || !plain_host) {
    return Status(Code::kInvalidArgument,
                  "'" + url +
                      "' is geen geschikt publiek adres: geef http:// of https://, een "
                      "hostnaam en eventueel een poort, zonder pad (bijvoorbeeld "
                      "https://navolg.gemeente.nl).");
  }
  return scheme + authority;
}

std::string SessionIdFromCookies(const Request& request) {
  const std::string header = request.Header("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const std::size_t semicolon = rest.find(';');
    const std::string_view pair = Trimmed(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == kSessionCookie) {
      return std::string(Trimmed(pair.substr(equals + 1)));
    }
  }
  return "";
}

std::string SessionCookie(const std::string& session_id, const std::string& public_origin) {
  return std::string(kSessionCookie) + "=" + session_id + CookieAttributes(public_origin);
}

std::string ExpiredSessionCookie(const std::string& public_origin) {
  return std::string(kSessionCookie) + "=" + CookieAttributes(public_origin) + "; Max-Age=0";
}

}  // namespace navolg::http
