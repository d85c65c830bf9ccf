// The web interface: the files of web/, compiled into the binary (api/http/embedded.h), served
// without authentication (they hold no data; every datum comes from the API).
#include <map>
#include <string>
#include <string_view>

#include "api/http/embedded.h"
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"
#include "engine/sha256.h"

namespace navolg::http {
namespace {

// Only our own scripts and styles run: no inline script or style, no framing, no plug-ins.
// data: images are the check marks the NL Design System style sheets draw.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string ContentTypeOf(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

// Each embedded file's strong ETag: the start of its SHA-256, computed once.
const std::map<std::string_view, std::string>& ETags() {
  static const std::map<std::string_view, std::string> tags = [] {
    std::map<std::string_view, std::string> made;
    for (const auto& [file_name, text] : embedded::WebFiles()) {
      auto hash = Sha256Hex(text);
      made.emplace(file_name, "\"" + (hash.ok() ? hash->substr(0, 32) : std::string("0")) + "\"");
    }
    return made;
  }();
  return tags;
}

// True when `if_none_match` (the request's If-None-Match) names `etag` or is "*".
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  // W/"x" matches "x" for If-None-Match (RFC 9110 section 13.1.2: weak comparison).
  return if_none_match.find(etag) != std::string_view::npos;
}

// The file `name`. A new navolg may bring new files under the same names, so the browser asks
// again every time (no-cache), and gets 304 without a body while its copy is current.
Response Serve(std::string_view name, const Request& request) {
  for (const auto& [file_name, text] : embedded::WebFiles()) {
    if (file_name != name) continue;
    Response response;
    response.content_type = ContentTypeOf(name);
    const std::string& etag = ETags().at(file_name);
    response.headers["ETag"] = etag;
    response.headers["Content-Security-Policy"] = kContentSecurityPolicy;
    response.headers["X-Content-Type-Options"] = "nosniff";
    response.headers["Referrer-Policy"] = "same-origin";
    response.headers["Cache-Control"] = "no-cache";
    if (Matches(request.Header("If-None-Match"), etag)) {
      response.status = 304;
      return response;
    }
    response.body = std::string(text);
    return response;
  }
  return ProblemResponse(404, "Dit adres bestaat niet.");
}

}  // namespace

Response GetWebPage(Services&, const PublicCall& call) { return Serve("index.html", call.request); }

Response GetWebAsset(Services&, const PublicCall& call) {
  const std::string& file = call.Param("file");
  // index.html has one address: "/".
  if (file == "index.html") return ProblemResponse(404, "Dit adres bestaat niet.");
  return Serve(file, call.request);
}

}  // namespace navolg::http
