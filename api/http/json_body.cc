#include "api/http/json_body.h"

#include <cctype>

#include "api/http/problem.h"
#include "engine/json_text.h"

namespace navolg::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A member name as the client sent it, cut short: it is echoed in the problem detail.
std::string Shown(const std::string& name) {
  constexpr std::size_t kMaxShown = 64;
  return name.size() <= kMaxShown ? name : name.substr(0, kMaxShown) + "...";
}

const char* TypeName(MemberType type) {
  return type == MemberType::kString ? "tekst" : "geheel getal";
}

bool HasType(const nlohmann::json& value, MemberType type) {
  return type == MemberType::kString ? value.is_string() : value.is_number_integer();
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (Lower(Trim(content_type.substr(0, semicolon))) != "application/json") return false;
  if (semicolon == std::string_view::npos) return true;
  std::string_view rest = content_type.substr(semicolon + 1);
  // Parameters: only charset, and only UTF-8 (JSON is UTF-8, RFC 8259).
  while (!rest.empty()) {
    const std::size_t next = rest.find(';');
    std::string parameter = Lower(Trim(rest.substr(0, next)));
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    if (parameter.empty()) continue;
    if (parameter != "charset=utf-8" && parameter != "charset=\"utf-8\"") return false;
  }
  return true;
}

JsonBody ReadJsonBody(const Request& request, BodyPresence presence) {
  JsonBody body;
  const bool blank = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank && presence == BodyPresence::kOptional) {
    body.value = nlohmann::json::object();
    return body;
  }
  if (!IsJsonContentType(request.Header("Content-Type"))) {
    body.problem =
        ProblemResponse(415, "Stuur de gegevens als JSON, met Content-Type: application/json.");
    return body;
  }
  if (blank) {
    body.problem = ProblemResponse(400, "Het verzoek heeft geen inhoud; stuur een JSON-object.");
    return body;
  }
  JsonText parsed = ParseJsonText(request.body, kMaxBodyDepth);
  switch (parsed.fault) {
    case JsonTextFault::kNone:
      body.value = std::move(parsed.value);
      break;
    case JsonTextFault::kTooDeep:
      body.problem =
          ProblemResponse(400, "De JSON is dieper genest dan " + std::to_string(kMaxBodyDepth) +
                                   " niveaus; dat wordt niet aangenomen.");
      break;
    case JsonTextFault::kInvalid:
      body.problem = ProblemResponse(400, "De inhoud is geen geldige JSON (UTF-8).");
      break;
  }
  return body;
}

std::optional<Response> CheckContract(const nlohmann::json& body,
                                      const std::vector<MemberSpec>& contract) {
  if (!body.is_object()) {
    return ProblemResponse(400, "Stuur een JSON-object.");
  }
  for (const auto& [name, value] : body.items()) {
    const MemberSpec* spec = nullptr;
    for (const MemberSpec& candidate : contract) {
      if (name == candidate.name) spec = &candidate;
    }
    if (spec == nullptr) {
      std::string known;
      for (const MemberSpec& candidate : contract) {
        known += std::string(known.empty() ? "" : ", ") + "'" + candidate.name + "'";
      }
      return ProblemResponse(400, "Onbekend veld '" + Shown(name) + "'; dit verzoek kent " +
                                      (known.empty() ? "geen velden" : known) + ".");
    }
    if (!HasType(value, spec->type)) {
      return ProblemResponse(400,
                             "Het veld '" + name + "' moet een " + TypeName(spec->type) + " zijn.");
    }
  }
  for (const MemberSpec& spec : contract) {
    if (spec.presence == Presence::kRequired && !body.contains(spec.name)) {
      return ProblemResponse(400, std::string("Het veld '") + spec.name + "' ontbreekt.");
    }
  }
  return std::nullopt;
}

}  // namespace navolg::http
