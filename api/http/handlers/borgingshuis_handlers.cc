// The organisation's Borgingshuis (engine/borgingshuis.h, from the counts storage keeps
// beside each process's findings) and the processes behind one of its indicators, so that an
// auditor can follow a percentage to the processes it counts.
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"
#include "api/http/process_view.h"
#include "engine/borgingshuis.h"

namespace navolg::http {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 200;

std::vector<const Definition*> Definitions(Services& services) {
  std::vector<const Definition*> definitions;
  for (const auto& definition : services.committer->catalog()->all()) {
    definitions.push_back(definition.get());
  }
  return definitions;
}

json PercentageJson(const std::optional<std::int64_t>& percentage) {
  return percentage ? json(*percentage) : json();
}

const std::string* QueryValue(const Call& call, const char* name) {
  auto it = call.query.find(name);
  return it == call.query.end() ? nullptr : &it->second;
}

// A process behind an indicator, as the process list shows one (without its deadline).
json IndicatorProcessJson(const storage::ListedProcess& listed, const Definition* definition) {
  json item = ProcessSummaryJson(listed.summary);
  std::string state_title = listed.summary.state;
  if (definition != nullptr) {
    item["workflow"]["title"] = definition->title;
    auto title = definition->state_titles.find(listed.summary.state);
    if (title != definition->state_titles.end()) state_title = title->second;
  }
  item["state_title"] = state_title;
  item["assignee"] =
      listed.assignee ? json{{"id", *listed.assignee},
                             {"name", listed.assignee_name ? json(*listed.assignee_name) : json()}}
                      : json();
  return item;
}

}  // namespace

Response GetBorgingshuis(Services& services, const Call& call) {
  auto findings = services.reads->OrganisationFindings(call.user.organisation);
  if (!findings.ok()) return StatusProblem(findings.status());
  BorgingshuisView view = BuildBorgingshuis(Definitions(services), *findings);
  json cells = json::array();
  for (const BorgingshuisCellView& cell : view.cells) {
    json indicators = json::array();
    for (const Indicator& indicator : cell.indicators) {
      indicators.push_back(
          {{"workflow", {{"key", indicator.workflow_key}, {"title", indicator.workflow_title}}},
           {"key", indicator.check_key},
           {"title", indicator.title},
           {"voldaan", indicator.voldaan},
           {"niet_voldaan", indicator.niet_voldaan},
           {"niet_van_toepassing", indicator.niet_van_toepassing},
           {"percentage", PercentageJson(indicator.percentage)}});
    }
    json points = json::array();
    for (const PlacedImprovementPoint& point : cell.improvement_points) {
      points.push_back({{"tekst", point.text},
                        {"process", {{"id", point.process_id}, {"title", point.process_title}}},
                        {"seq", point.seq}});
    }
    cells.push_back({{"niveau", cell.cell.level},
                     {"rol", cell.cell.role},
                     {"signal", SignalName(cell.signal)},
                     {"indicators", std::move(indicators)},
                     {"verbeterpunten",
                      {{"total", cell.improvement_points_total}, {"items", std::move(points)}}}});
  }
  return JsonResponse(200, json{{"organisation", call.user.organisation_slug},
                                {"generated_at", FormatTime(services.clock())},
                                {"processes", view.processes},
                                {"cells", std::move(cells)}});
}

Response ListIndicatorProcesses(Services& services, const Call& call) {
  const auto spec =
      FindIndicator(Definitions(services), call.Param("workflow"), call.Param("check"));
  if (!spec) {
    return ProblemResponse(404, "Het Borgingshuis heeft geen indicator '" + call.Param("check") +
                                    "' van workflow '" + call.Param("workflow") + "'.");
  }
  storage::IndicatorQuery query{spec->workflow_key, spec->check_key, CheckStatus::kNietVoldaan,
                                kDefaultLimit, ""};
  if (const std::string* status = QueryValue(call, "status")) {
    auto named = CheckStatusNamed(*status);
    if (!named) {
      return ProblemResponse(400, "status moet voldaan, niet_voldaan of niet_van_toepassing zijn.");
    }
    query.status = *named;
  }
  if (const std::string* limit = QueryValue(call, "limit")) {
    auto parsed = ParseWholeNumber(*limit, 1, kMaxLimit);
    if (!parsed) {
      return ProblemResponse(400, "limit moet een geheel getal van 1 tot en met " +
                                      std::to_string(kMaxLimit) + " zijn.");
    }
    query.limit = *parsed;
  }
  if (const std::string* after = QueryValue(call, "after")) query.after = *after;

  auto page = services.reads->IndicatorProcesses(call.user.organisation, query);
  if (!page.ok()) return StatusProblem(page.status());
  const auto catalog = services.committer->catalog();
  json items = json::array();
  for (const storage::ListedProcess& listed : page->processes.items) {
    items.push_back(IndicatorProcessJson(
        listed, catalog->Find(listed.summary.workflow_key, listed.summary.workflow_version)));
  }
  const storage::ProcessPage& processes = page->processes;
  return JsonResponse(
      200, json{{"indicator",
                 {{"workflow", {{"key", spec->workflow_key}, {"title", spec->workflow_title}}},
                  {"key", spec->check_key},
                  {"title", spec->title},
                  {"cell", {{"niveau", spec->cell.level}, {"rol", spec->cell.role}}},
                  {"voldaan", page->voldaan},
                  {"niet_voldaan", page->niet_voldaan},
                  {"niet_van_toepassing", page->niet_van_toepassing},
                  {"percentage",
                   PercentageJson(IndicatorPercentage(page->voldaan, page->niet_voldaan))}}},
                {"status", CheckStatusName(query.status)},
                {"items", std::move(items)},
                {"next", processes.next ? json(*processes.next) : json()},
                {"total", processes.total}});
}

}  // namespace navolg::http
