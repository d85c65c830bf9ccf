// A small routing table: method + path pattern -> target. A pattern is a path whose segments
// are literals or "{name}" parameters; a parameter matches one non-empty segment. Paths are
// compared exactly, so "/api/v1/processes/" (trailing slash) is not "/api/v1/processes" and
// is answered 404, as the NL GOV API Design Rules ask.
//
// Build the table once, then Match from any number of threads (Match is const).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace navolg::http {

using RouteParams = std::map<std::string, std::string>;

// The path's segments between '/'s: "/a/b/" -> {"a", "b", ""}. `path` starts with '/'.
std::vector<std::string> SplitPath(std::string_view path);

// Whether `segments` fit the pattern's segments; fills `params` on success.
bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& segments, RouteParams& params);

enum class MatchKind {
  kFound,             // route and params are set
  kNotFound,          // no pattern fits the path: 404
  kMethodNotAllowed,  // a pattern fits, with other methods: 405 with `allow`
};

template <typename Target>
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;  // the metrics label, e.g. "/api/v1/processes/{id}"
    Target target;
    std::vector<std::string> segments;
  };

  struct Match {
    MatchKind kind = MatchKind::kNotFound;
    const Route* route = nullptr;
    RouteParams params;
    std::string allow;    // for kMethodNotAllowed: "GET, PUT"
    std::string pattern;  // the fitting pattern, also for kMethodNotAllowed
  };

  void Add(std::string method, std::string pattern, Target target) {
    std::vector<std::string> segments = SplitPath(pattern);
    routes_.push_back(
        Route{std::move(method), std::move(pattern), std::move(target), std::move(segments)});
  }

  // The first route, in the order added, whose pattern and method fit. HEAD fits every GET
  // route (RFC 9110, 9.3.2), and `allow` lists HEAD wherever it lists GET.
  Match Find(const std::string& method, std::string_view path) const {
    Match match;
    const std::vector<std::string> segments = SplitPath(path);
    for (const Route& route : routes_) {
      RouteParams params;
      if (!MatchSegments(route.segments, segments, params)) continue;
      if (route.method == method || (method == "HEAD" && route.method == "GET")) {
        match.kind = MatchKind::kFound;
        match.route = &route;
        match.params = std::move(params);
        match.pattern = route.pattern;
        match.allow.clear();
        return match;
      }
      match.kind = MatchKind::kMethodNotAllowed;
      if (match.pattern.empty()) match.pattern = route.pattern;
      for (const std::string& allowed : route.method == "GET"
                                            ? std::vector<std::string>{"GET", "HEAD"}
                                            : std::vector<std::string>{route.method}) {
        if (match.allow.find(allowed) == std::string::npos) {
          match.allow += (match.allow.empty() ? "" : ", ") + allowed;
        }
      }
    }
    return match;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace navolg::http
