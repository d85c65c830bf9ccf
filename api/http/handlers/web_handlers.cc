// The web interface: the files of web/, compiled into the binary (api/http/embedded.h), served
// without authentication (they hold no data; every datum comes from the API), each under its
// own name and under its hashed name (api/http/web_assets.h).
#include <map>
#include <string>
#include <string_view>

#include "api/http/embedded.h"
#include "api/http/gzip.h"
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"
#include "api/http/web_assets.h"

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

// An embedded file as served (api/http/web_assets.h): its text and, where gzip makes it
// smaller, that too, each with its strong ETag (the start of the text's SHA-256; the gzip
// form's ends in "-gz", so a cache never takes one encoding for the other). Made once, at the
// first request for a web file.
struct Served {
  std::string_view text;
  std::string etag;
  std::string gzipped;  // empty: sent as it is to every client
  std::string gzipped_etag;
};

struct ServedFiles {
  WebAssets assets;
  std::map<std::string, Served, std::less<>> by_name;  // by the file's own name
};

const ServedFiles& Files() {
  static const ServedFiles files = [] {
    ServedFiles made;
    // The embedded files refer to each other only downwards (index.html -> app.js -> ...);
    // a circle is a developer's mistake the web tests catch, served as no files at all.
    auto assets = WebAssets::Build(embedded::WebFiles());
    if (!assets.ok()) return made;
    made.assets = std::move(*assets);
    for (const auto& [file_name, unused] : embedded::WebFiles()) {
      const WebAsset* asset = made.assets.Find(file_name).asset;
      const std::string tag = asset->hash.substr(0, 32);
      Served served{asset->text, "\"" + tag + "\"", Gzip(asset->text, Effort::kSmallest),
                    "\"" + tag + "-gz\""};
      if (served.gzipped.empty() || served.gzipped.size() >= asset->text.size()) {
        served.gzipped.clear();
      }
      made.by_name.emplace(asset->name, std::move(served));
    }
    return made;
  }();
  return files;
}

// True when `if_none_match` (the request's If-None-Match) names `etag` or is "*".
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  // W/"x" matches "x" for If-None-Match (RFC 9110 section 13.1.2: weak comparison).
  return if_none_match.find(etag) != std::string_view::npos;
}

// The file at `name`: its own name or its hashed name. Under its hashed name a file never
// changes, so the browser keeps it a year without asking (immutable); under its own name a
// new navolg may bring new content, so the browser asks again every time (no-cache) and gets
// 304 without a body while its copy is current. Gzipped when the client accepts it (Vary:
// the answer depends on Accept-Encoding).
Response Serve(std::string_view name, const Request& request) {
  const WebAssets::Found found = Files().assets.Find(name);
  if (found.asset == nullptr) return ProblemResponse(404, "Dit adres bestaat niet.");
  const Served& served = Files().by_name.find(found.asset->name)->second;
  const bool gzip = !served.gzipped.empty() && AcceptsGzip(request.Header("Accept-Encoding"));
  Response response;
  response.content_type = ContentTypeOf(found.asset->name);
  const std::string& etag = gzip ? served.gzipped_etag : served.etag;
  response.headers["ETag"] = etag;
  response.headers["Vary"] = "Accept-Encoding";
  response.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Referrer-Policy"] = "same-origin";
  response.headers["Cache-Control"] =
      found.hashed ? "public, max-age=31536000, immutable" : "no-cache";
  if (Matches(request.Header("If-None-Match"), etag)) {
    response.status = 304;
    return response;
  }
  if (gzip) {
    response.headers["Content-Encoding"] = "gzip";
    response.body = served.gzipped;
  } else {
    response.body = std::string(served.text);
  }
  return response;
}

}  // namespace

Response GetWebPage(Services&, const PublicCall& call) { return Serve("index.html", call.request); }

Response GetWebAsset(Services&, const PublicCall& call) {
  const std::string& file = call.Param("file");
  // index.html has one address: "/".
  const WebAsset* asset = Files().assets.Find(file).asset;
  if (asset != nullptr && asset->name == "index.html") {
    return ProblemResponse(404, "Dit adres bestaat niet.");
  }
  return Serve(file, call.request);
}

}  // namespace navolg::http
