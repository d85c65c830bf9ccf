// GET /api/v1/security-log?before=ID&limit=N: the caller's organisation's security log
// (storage/security_log.h), newest first, a page of `limit` entries (default 50, at most 200)
// with ids below `before`; `next` is the `before` of the following (older) page, null at the
// end. Keyset paging: a page stays the same however many entries arrive meanwhile.
#include <charconv>

#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"

namespace navolg::http {
namespace {

// A positive integer of at most `digits` digits, in plain decimal; nullopt otherwise.
std::optional<std::int64_t> PositiveNumber(const std::string& text, std::size_t digits) {
  if (text.empty() || text.size() > digits ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < 1) return std::nullopt;
  return value;
}

nlohmann::json PersonJson(const std::optional<storage::SecurityLogUser>& user) {
  if (!user) return nullptr;
  return nlohmann::json{{"id", user->id}, {"name", user->name}};
}

nlohmann::json EntryJson(const storage::SecurityLogEntry& entry) {
  return nlohmann::json{
      {"id", entry.id},
      {"at", entry.at},
      {"kind", entry.kind},
      {"user", PersonJson(entry.user)},
      {"actor", PersonJson(entry.actor)},
      {"client_address", entry.client_address.empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json(entry.client_address)},
      {"details", entry.details}};
}

}  // namespace

Response GetSecurityLog(Services& services, const Call& call) {
  std::optional<std::int64_t> before;
  if (auto it = call.query.find("before"); it != call.query.end()) {
    before = PositiveNumber(it->second, 18);
    if (!before) {
      return ProblemResponse(400, "before moet het id van een regel uit het logboek zijn.");
    }
  }
  std::int64_t limit = storage::kSecurityLogDefaultLimit;
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    auto parsed = PositiveNumber(it->second, 3);
    if (!parsed || *parsed > storage::kSecurityLogMaxLimit) {
      return ProblemResponse(400, "limit moet een geheel getal van 1 tot en met " +
                                      std::to_string(storage::kSecurityLogMaxLimit) + " zijn.");
    }
    limit = *parsed;
  }
  if (services.accounts == nullptr) {
    return ProblemResponse(503, "Het beveiligingslogboek is op deze server niet ingeschakeld.");
  }
  auto page = services.accounts->SecurityLog(call.user.organisation, before, limit);
  if (!page.ok()) return StatusProblem(page.status());
  nlohmann::json items = nlohmann::json::array();
  for (const storage::SecurityLogEntry& entry : page->items) items.push_back(EntryJson(entry));
  return JsonResponse(200, nlohmann::json{{"items", std::move(items)},
                                          {"next", page->next ? nlohmann::json(*page->next)
                                                              : nlohmann::json(nullptr)}});
}

}  // namespace navolg::http
