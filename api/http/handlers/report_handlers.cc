// The auditors' view of one process: its zorgvuldigheidsrapport, computed from its trail
// alone (engine/report.h). The organisation's Borgingshuis is borgingshuis_handlers.cc.
#include <map>

#include "api/http/handlers/handlers.h"
#include "api/http/html_page.h"
#include "api/http/negotiation.h"
#include "api/http/problem.h"
#include "api/http/report_html.h"
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

}  // namespace navolg::http
