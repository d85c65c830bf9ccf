// The web interface: the files of web/, compiled into the binary (api/http/embedded.h), served
// without authentication (they hold no data; every datum comes from the API).
#include <string>
#include <string_view>

#include "api/http/embedded.h"
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"

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
  return "application/octet-stream";
}

Response Serve(std::string_view name) {
  for (const auto& [file_name, text] : embedded::WebFiles()) {
    if (file_name != name) continue;
    Response response;
    response.content_type = ContentTypeOf(name);
    response.body = std::string(text);
    response.headers["Content-Security-Policy"] = kContentSecurityPolicy;
    response.headers["X-Content-Type-Options"] = "nosniff";
    response.headers["Referrer-Policy"] = "same-origin";
    // A new navolg may bring new files under the same names: always ask again.
    response.headers["Cache-Control"] = "no-cache";
    return response;
  }
  return ProblemResponse(404, "Dit adres bestaat niet.");
}

}  // namespace

Response GetWebPage(Services&, const PublicCall&) { return Serve("index.html"); }

Response GetWebAsset(Services&, const PublicCall& call) {
  const std::string& file = call.Param("file");
  // index.html has one address: "/".
  if (file == "index.html") return ProblemResponse(404, "Dit adres bestaat niet.");
  return Serve(file);
}

}  // namespace navolg::http
