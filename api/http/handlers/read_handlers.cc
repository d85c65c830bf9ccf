// Reads: the caller, workflow definitions, processes and their trails. Every process read
// is scoped to the caller's organisation; another organisation's process is "not found",
// with the same answer as an id that never existed.
#include <charconv>
#include <map>
#include <sstream>

#include "api/http/handlers/handlers.h"
#include "api/http/people.h"
#include "api/http/problem.h"
#include "api/http/process_view.h"
#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/event_description.h"
#include "storage/account_store.h"
#include "storage/checkpoint_store.h"

namespace navolg::http {
namespace {

// A page of the trail: the web reads it in pages of kMaxEventLimit.
constexpr std::int64_t kDefaultEventLimit = 100;
constexpr std::int64_t kMaxEventLimit = 1000;

}  // namespace

std::optional<std::int64_t> ParseWholeNumber(const std::string& text, std::int64_t low,
                                             std::int64_t high) {
  if (text.empty() || text.size() > 16 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < low || value > high) return std::nullopt;
  return value;
}

Response GetMe(Services&, const Call& call) { return JsonResponse(200, MeJson(call.user)); }

Response ListWorkflows(Services& services, const Call&) {
  const auto catalog = services.committer->catalog();
  std::map<std::string, const Definition*> latest;  // by key, so the list is sorted
  for (const auto& definition : catalog->all()) {
    latest.emplace(definition->key, catalog->Latest(definition->key));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, definition] : latest) {
    list.push_back(nlohmann::json{
        {"key", key}, {"version", definition->version}, {"title", definition->title}});
  }
  return JsonResponse(200, list);
}

Response GetWorkflow(Services& services, const Call& call) {
  const auto catalog = services.committer->catalog();
  // ?version=N: the version a process runs on (older processes keep theirs); else the latest.
  const Definition* definition = nullptr;
  if (auto version = call.query.find("version"); version != call.query.end()) {
    auto number = ParseWholeNumber(version->second, 1, kMaxSafeInteger);
    if (!number) return ProblemResponse(400, "version moet een versienummer zijn: 1, 2, ...");
    definition = catalog->Find(call.Param("key"), *number);
    if (definition == nullptr) {
      return ProblemResponse(404, "Er is geen versie " + version->second + " van workflow '" +
                                      call.Param("key") + "'.");
    }
  } else {
    definition = catalog->Latest(call.Param("key"));
  }
  if (definition == nullptr) {
    return ProblemResponse(404, "Er is geen workflow '" + call.Param("key") + "'.");
  }
  return JsonResponse(200, definition->source);
}

Response GetProcess(Services& services, const Call& call) {
  auto record = services.reads->GetProcess(call.user.organisation, call.Param("id"));
  if (!record.ok()) return StatusProblem(record.status());
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  if (!colleagues.ok()) return StatusProblem(colleagues.status());
  Response response = JsonResponse(200, ProcessView(*record->definition, record->state, call.user,
                                                    services.clock(), NamesOf(*colleagues)));
  response.headers["ETag"] = ETagFor(record->state.version);
  return response;
}

Response ListEvents(Services& services, const Call& call) {
  std::int64_t after = 0;
  std::int64_t limit = kDefaultEventLimit;
  if (call.query.count("after")) {
    auto parsed = ParseWholeNumber(call.query.at("after"), 0, kMaxSafeInteger);
    if (!parsed) {
      return ProblemResponse(400,
                             "after moet het volgnummer (seq) van een gebeurtenis zijn, "
                             "een geheel getal vanaf 0.");
    }
    after = *parsed;
  }
  if (call.query.count("limit")) {
    auto parsed = ParseWholeNumber(call.query.at("limit"), 1, kMaxEventLimit);
    if (!parsed) {
      return ProblemResponse(400, "limit moet een geheel getal van 1 tot en met " +
                                      std::to_string(kMaxEventLimit) + " zijn.");
    }
    limit = *parsed;
  }
  const std::string id = call.Param("id");
  auto page = services.reads->Events(call.user.organisation, id, after, limit);
  if (!page.ok()) return StatusProblem(page.status());
  // People by name (the events keep their ids): the organisation's users as they are now.
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  if (!colleagues.ok()) return StatusProblem(colleagues.status());
  const UserNames names = NamesOf(*colleagues);
  nlohmann::json items = nlohmann::json::array();
  for (const Event& event : page->events) {
    nlohmann::json listed = EventToJson(event);
    listed["description"] = DescribeEvent(event, *page->definition, names);
    if (auto name = names.find(event.actor.user); name != names.end()) {
      listed["actor_name"] = name->second;
    }
    items.push_back(std::move(listed));
  }
  Response response = JsonResponse(
      200, nlohmann::json{{"items", std::move(items)},
                          {"next", page->next ? nlohmann::json(*page->next) : nullptr}});
  if (page->next) {
    response.headers["Link"] = "</api/v1/processes/" + id +
                               "/events?after=" + std::to_string(*page->next) +
                               "&limit=" + std::to_string(limit) + ">; rel=\"next\"";
  }
  return response;
}

Response ExportEvents(Services& services, const Call& call) {
  std::ostringstream out;
  Status status = services.reads->ExportTrail(call.user.organisation, call.Param("id"), out);
  if (!status.ok()) return StatusProblem(status);
  std::string body = out.str();
  if (services.signing_key != nullptr) {
    auto checkpoint =
        storage::KeepCheckpoint(*services.committer, body, *services.signing_key, services.clock());
    // A stored chain that is not intact is still handed out, as evidence, but never signed:
    // the auditor's verification names the bad line. One rewritten since navolg signed an
    // earlier head is refused outright, saying where it differs.
    if (checkpoint.ok()) body += *checkpoint;
    if (!checkpoint.ok() && checkpoint.status().code() == Code::kFailedPrecondition) {
      return ProblemResponse(409, checkpoint.status().message());
    }
    if (!checkpoint.ok() && checkpoint.status().code() != Code::kDataLoss) {
      return StatusProblem(checkpoint.status());
    }
  }
  Response response;
  response.content_type = "application/jsonl";
  response.headers["Content-Disposition"] =
      "attachment; filename=\"" + call.Param("id") + ".jsonl\"";
  response.body = std::move(body);
  return response;
}

}  // namespace navolg::http
