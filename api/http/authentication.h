// Who sends a request: a bearer token (API clients) or a session cookie (the browser), and
// the cookie and Origin rules that come with sessions.
//
//   - "Authorization: Bearer TOKEN" decides whenever an Authorization header is present;
//     the cookie is then ignored. Bearer requests carry no ambient credentials, so they are
//     not subject to the Origin check.
//   - Otherwise the cookie kSessionCookie names a server-side session (storage/sessions.h).
//     A cookie-authenticated request whose method changes data (POST, PUT, PATCH, DELETE)
//     must carry an Origin equal to the server's own origin: the configured public URL's,
//     else "http://" + Host. Missing or another Origin: 403.
//   - The cookie is HttpOnly, SameSite=Strict, Path=/, without Max-Age (it ends with the
//     browser; the server ends the session sooner), and Secure when the public URL is https.
//
// Pure functions, except Authenticate, which reads (and touches) sessions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "api/http/handlers/handlers.h"
#include "api/http/http_types.h"
#include "engine/status.h"
#include "storage/directory.h"

namespace navolg::http {

inline constexpr const char* kSessionCookie = "navolg_session";

// The caller of an authenticated route, or the 401 to answer instead.
struct Authentication {
  std::optional<storage::User> user;
  std::string session_hash;  // set when the cookie authenticated the request
  Response problem;          // when !user
};

Authentication Authenticate(Services& services, const Request& request);

// The operator's own routes (GET /metrics): nullopt when the request carries
// "Authorization: Bearer <expected_token>"; else the 401. When `expected_token` is empty the
// route is closed on this listener: a 403 that says how to open it (--metrics-token or
// --metrics-listen). The comparison takes the same time wherever the tokens differ.
std::optional<Response> RefuseUnlessOperator(const Request& request,
                                             const std::string& expected_token);

// POST, PUT, PATCH and DELETE change data; GET, HEAD and OPTIONS do not.
bool ChangesData(const std::string& method);

// Whether the request's Origin header is the server's own origin (see above).
bool FromOwnOrigin(const Request& request, const std::string& public_origin);

// The 403 for a changing request without a matching Origin.
Response ForeignOriginProblem();

// The origin ("https://navolg.example.nl", "http://127.0.0.1:8080") of a public URL given to
// `navolg serve --public-url`: http or https, a host, an optional port, an optional "/".
// kInvalidArgument with a Dutch message for anything else (a path, a query, user info).
Result<std::string> PublicOrigin(const std::string& url);

// The value of the session cookie in the request's Cookie header; empty when absent.
std::string SessionIdFromCookies(const Request& request);

// Set-Cookie values: a new session, and the one that makes the browser forget it.
std::string SessionCookie(const std::string& session_id, const std::string& public_origin);
std::string ExpiredSessionCookie(const std::string& public_origin);

}  // namespace navolg::http
