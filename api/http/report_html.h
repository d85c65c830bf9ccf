// The zorgvuldigheidsrapport as a printable HTML page in Dutch, rendered from the JSON the
// API returns for it (api/http/handlers/report_handlers.cc), so both forms always say the same.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace navolg::http {

// `report`: the JSON body of GET /api/v1/processes/{id}/report. Every text is escaped.
std::string CarefulnessReportHtml(const nlohmann::json& report);

}  // namespace navolg::http
