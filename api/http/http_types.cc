#include "api/http/http_types.h"

#include <optional>
#include <string_view>

namespace navolg::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class Component { kPath, kQuery };

// Percent-decodes `text`; in a query, '+' is a space. Refuses bad escapes, NUL, and (in a
// path) an encoded '/', which would let one segment pose as two.
std::optional<std::string> Decode(std::string_view text, Component component) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      if (c == '\0' || (c == '/' && component == Component::kPath)) return std::nullopt;
      i += 2;
    } else if (c == '+' && component == Component::kQuery) {
      c = ' ';
    } else if (c == '\0' || c == '#') {
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

bool ParseTarget(const std::string& target, std::string& path,
                 std::map<std::string, std::string>& query) {
  if (target.empty() || target.front() != '/') return false;
  const std::size_t question = target.find('?');
  auto decoded_path = Decode(std::string_view(target).substr(0, question), Component::kPath);
  if (!decoded_path) return false;
  std::map<std::string, std::string> parameters;
  if (question != std::string::npos) {
    std::string_view rest = std::string_view(target).substr(question + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const std::size_t equals = pair.find('=');
      auto name = Decode(pair.substr(0, equals), Component::kQuery);
      auto value = equals == std::string_view::npos
                       ? std::optional<std::string>("")
                       : Decode(pair.substr(equals + 1), Component::kQuery);
      if (!name || !value || name->empty()) return false;
      parameters[*name] = std::move(*value);
    }
  }
  path = std::move(*decoded_path);
  query = std::move(parameters);
  return true;
}

}  // namespace navolg::http
