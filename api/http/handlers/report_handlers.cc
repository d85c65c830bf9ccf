// The auditors' and the organisation's views: the zorgvuldigheidsrapport of one process
// (computed from its trail alone, engine/report.h) and the Borgingshuis of the caller's
// organisation (engine/borgingshuis.h, from the findings storage keeps per process).
#include <map>

#include "api/http/handlers/handlers.h"
#include "api/http/html_page.h"
#include "api/http/negotiation.h"
#include "api/http/problem.h"
#include "api/http/report_html.h"
#include "engine/borgingshuis.h"
#include "engine/report.h"

namespace navolg::http {
namespace {

nlohmann::json CellJson(const std::optional<BorgingshuisCell>& cell) {
  if (!cell) return nullptr;
  return {{"niveau", cell->level}, {"rol", cell->role}};
}

// Whether the trail verified; when not, why and how many events the report is built on.
nlohmann::json AudittrailJson(const storage::ProcessTrail& trail) {
  nlohmann::json j{{"intact", !trail.damage},
                   {"events_verified", static_cast<std::int64_t>(trail.events.size())}};
  if (trail.damage) j["reason"] = *trail.damage;
  return j;
}

nlohmann::json CarefulnessReportJson(const storage::ProcessTrail& trail,
                                     const CarefulnessReport& report, Time now) {
  const storage::ProcessSummary& summary = trail.summary;
  const Definition& definition = *trail.definition;
  const auto state_title = definition.state_titles.find(summary.state);
  nlohmann::json checks = nlohmann::json::array();
  std::map<std::string, std::int64_t> counts = {
      {"voldaan", 0}, {"niet_voldaan", 0}, {"niet_van_toepassing", 0}};
  for (const Finding& finding : report.findings) {
    ++counts[CheckStatusName(finding.status)];
    checks.push_back({{"key", finding.key},
                      {"title", finding.title},
                      {"cell", CellJson(finding.cell)},
                      {"status", CheckStatusName(finding.status)},
                      {"detail", finding.detail},
                      {"events", finding.events}});
  }
  return {{"process",
           {{"id", summary.id},
            {"title", summary.title},
            {"workflow",
             {{"key", summary.workflow_key},
              {"version", summary.workflow_version},
              {"title", definition.title}}},
            {"state", summary.state},
            {"state_title",
             state_title == definition.state_titles.end() ? summary.state : state_title->second},
            {"version", summary.version}}},
          {"generated_at", FormatTime(now)},
          {"audittrail", AudittrailJson(trail)},
          {"summary", counts},
          {"checks", std::move(checks)}};
}

}  // namespace

Response GetReport(Services& services, const Call& call) {
  const auto media =
      ChooseMediaType(call.request.Header("Accept"), {"application/json", "text/html"});
  if (!media) {
    return ProblemResponse(
        406, NotAcceptableDetail("Het zorgvuldigheidsrapport", "application/json", "text/html"));
  }
  auto trail = services.reads->GetTrail(call.user.organisation, call.Param("id"));
  if (!trail.ok()) return StatusProblem(trail.status());
  const Time now = services.clock();
  auto report = BuildCarefulnessReport(*trail->definition, trail->events, now);
  if (!report.ok()) return StatusProblem(report.status());
  nlohmann::json body = CarefulnessReportJson(*trail, *report, now);
  Response response =
      *media == "text/html" ? HtmlResponse(CarefulnessReportHtml(body)) : JsonResponse(200, body);
  response.headers["Vary"] = "Accept";
  return response;
}

Response GetBorgingshuis(Services& services, const Call& call) {
  auto rows = services.reads->OrganisationFindings(call.user.organisation);
  if (!rows.ok()) return StatusProblem(rows.status());
  std::vector<const Definition*> definitions;
  for (const auto& definition : services.committer->catalog()->all()) {
    definitions.push_back(definition.get());
  }
  BorgingshuisView view = BuildBorgingshuis(definitions, *rows);
  nlohmann::json cells = nlohmann::json::array();
  for (const BorgingshuisCellView& cell : view.cells) {
    nlohmann::json indicators = nlohmann::json::array();
    for (const Indicator& indicator : cell.indicators) {
      indicators.push_back(
          {{"workflow", {{"key", indicator.workflow_key}, {"title", indicator.workflow_title}}},
           {"key", indicator.check_key},
           {"title", indicator.title},
           {"voldaan", indicator.voldaan},
           {"niet_voldaan", indicator.niet_voldaan},
           {"niet_van_toepassing", indicator.niet_van_toepassing},
           {"percentage", indicator.percentage ? nlohmann::json(*indicator.percentage) : nullptr}});
    }
    nlohmann::json points = nlohmann::json::array();
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
  return JsonResponse(200, nlohmann::json{{"organisation", call.user.organisation_slug},
                                          {"generated_at", FormatTime(services.clock())},
                                          {"processes", view.processes},
                                          {"cells", std::move(cells)}});
}

}  // namespace navolg::http
