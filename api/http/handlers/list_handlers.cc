// The lists that pages show over many processes, each in one request whatever the size of
// the organisation: the process list (GET /api/v1/processes: filters, keyset pages, each
// process's phase, assignee and earliest open deadline) and what waits for the caller's
// adoption (GET /api/v1/adoptions). Titles come from the process's own definition.
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"
#include "api/http/process_view.h"

namespace navolg::http {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 200;
constexpr std::size_t kMaxSearchLength = 200;  // bytes, as long as a title may be

const std::string* QueryValue(const Call& call, const char* name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? nullptr : &it->second;
}

// The page size of `limit` (kDefaultLimit when absent), or nullopt after a 400 in `problem`.
std::optional<std::int64_t> LimitOf(const Call& call, std::optional<Response>& problem) {
  const std::string* text = QueryValue(call, "limit");
  if (text == nullptr) return kDefaultLimit;
  auto limit = ParseWholeNumber(*text, 1, kMaxLimit);
  if (!limit) {
    problem = ProblemResponse(400, "limit moet een geheel getal van 1 tot en met " +
                                       std::to_string(kMaxLimit) + " zijn.");
  }
  return limit;
}

// `name` as a yes/no filter: absent or "false" is no, "true" yes; anything else a 400.
bool FlagOf(const Call& call, const char* name, std::optional<Response>& problem) {
  const std::string* text = QueryValue(call, name);
  if (text == nullptr || *text == "false") return false;
  if (*text == "true") return true;
  problem = ProblemResponse(400, std::string(name) + " moet true of false zijn.");
  return false;
}

std::string TitleOf(const std::map<std::string, std::string>& titles, const std::string& key) {
  auto found = titles.find(key);
  return found == titles.end() ? key : found->second;
}

std::string DeadlineTitle(const Definition* definition, const std::string& key) {
  if (definition != nullptr) {
    for (const DeadlineSpec& spec : definition->deadlines) {
      if (spec.key == key) return spec.title;
    }
  }
  return key;
}

json ListedJson(const storage::ListedProcess& listed, const Definition* definition) {
  json item = ProcessSummaryJson(listed.summary);
  if (definition != nullptr) {
    item["workflow"]["title"] = definition->title;
    item["state_title"] = TitleOf(definition->state_titles, listed.summary.state);
  } else {
    item["state_title"] = listed.summary.state;
  }
  item["assignee"] =
      listed.assignee ? json{{"id", *listed.assignee},
                             {"name", listed.assignee_name ? json(*listed.assignee_name) : json()}}
                      : json();
  item["next_deadline"] = nullptr;
  if (const auto& next = listed.next_deadline) {
    item["next_deadline"] = json{{"key", next->key},
                                 {"title", DeadlineTitle(definition, next->key)},
                                 {"due", next->due},
                                 {"overdue", next->overdue}};
  }
  return item;
}

std::string ProductTitle(const Definition* definition, const std::string& key) {
  const ProductSpec* spec = definition == nullptr ? nullptr : definition->Product(key);
  return spec == nullptr ? key : spec->title;
}

}  // namespace

Response ListProcesses(Services& services, const Call& call) {
  std::optional<Response> problem;
  storage::ProcessListQuery query;
  if (const std::string* state = QueryValue(call, "state")) query.state = *state;
  if (FlagOf(call, "mine", problem)) query.assignee = call.user.id;
  query.overdue_only = FlagOf(call, "overdue", problem);
  if (const std::string* text = QueryValue(call, "q")) {
    if (text->size() > kMaxSearchLength) {
      problem = ProblemResponse(
          400, "q mag hoogstens " + std::to_string(kMaxSearchLength) + " tekens lang zijn.");
    }
    query.title_contains = *text;
  }
  if (const std::string* after = QueryValue(call, "after")) query.after = *after;
  auto limit = LimitOf(call, problem);
  if (problem) return *problem;
  query.limit = *limit;
  query.now = services.clock();

  auto page = services.reads->ListProcesses(call.user.organisation, query);
  if (!page.ok()) return StatusProblem(page.status());
  const auto catalog = services.committer->catalog();
  json items = json::array();
  for (const storage::ListedProcess& listed : page->items) {
    items.push_back(ListedJson(
        listed, catalog->Find(listed.summary.workflow_key, listed.summary.workflow_version)));
  }
  return JsonResponse(200, json{{"items", std::move(items)},
                                {"next", page->next ? json(*page->next) : json()},
                                {"total", page->total}});
}

Response ListAwaitedAdoptions(Services& services, const Call& call) {
  std::optional<Response> problem;
  if (const std::string* status = QueryValue(call, "status"); status && *status != "open") {
    problem = ProblemResponse(400, "status kan alleen open zijn: wat op uw vaststelling wacht.");
  }
  auto limit = LimitOf(call, problem);
  if (problem) return *problem;
  const std::string* after = QueryValue(call, "after");
  auto page = services.reads->AwaitedAdoptions(call.user.organisation, call.user.role, *limit,
                                               after ? *after : "");
  if (!page.ok()) {
    if (page.status().code() == Code::kInvalidArgument) {
      return ProblemResponse(400, page.status().message());
    }
    return StatusProblem(page.status());
  }
  const auto catalog = services.committer->catalog();
  json items = json::array();
  for (const storage::AwaitedAdoptionRow& row : page->items) {
    const Definition* definition = catalog->Find(row.workflow_key, row.workflow_version);
    items.push_back(json{
        {"process", {{"id", row.process_id}, {"title", row.process_title}}},
        {"product", {{"key", row.product}, {"title", ProductTitle(definition, row.product)}}},
        {"instance", row.instance},
        {"version", row.version},
        {"hash", row.hash},
        {"saved_at", row.saved_at},
        {"offered",
         row.offered_at
             ? json{{"at", *row.offered_at},
                    {"by",
                     {{"id", row.offered_by},
                      {"name", row.offered_by_name.empty() ? json() : json(row.offered_by_name)}}}}
             : json()}});
  }
  return JsonResponse(200, json{{"items", std::move(items)},
                                {"next", page->next ? json(*page->next) : json()},
                                {"total", page->total}});
}

}  // namespace navolg::http
