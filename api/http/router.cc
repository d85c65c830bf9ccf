#include "api/http/router.h"

namespace navolg::http {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path.front() != '/') return segments;
  std::size_t start = 1;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& segments, RouteParams& params) {
  if (pattern.size() != segments.size()) return false;
  RouteParams found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::string& part = pattern[i];
    const bool is_param = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (is_param) {
      if (segments[i].empty()) return false;
      found[part.substr(1, part.size() - 2)] = segments[i];
    } else if (part != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace navolg::http
