#include "api/http/report_html.h"

#include "api/http/html_page.h"
#include "engine/calendar.h"

namespace navolg::http {
namespace {

const char* StatusLabel(const std::string& status) {
  if (status == "voldaan") return "Voldaan";
  if (status == "niet_voldaan") return "Niet voldaan";
  return "Niet van toepassing";
}

std::string Text(const nlohmann::json& value) {
  return value.is_string() ? HtmlEscape(value.get<std::string>()) : HtmlEscape(value.dump());
}

// An RFC 3339 instant of the JSON as a Dutch reader in the Netherlands reads it.
std::string LocalTime(const nlohmann::json& value) {
  auto at = value.is_string() ? ParseTime(value.get<std::string>()) : std::nullopt;
  return at ? DutchDateTime(*at) : Text(value);
}

std::string Events(std::int64_t n) {
  return std::to_string(n) + (n == 1 ? " gebeurtenis" : " gebeurtenissen");
}

}  // namespace

std::string CarefulnessReportHtml(const nlohmann::json& report) {
  const nlohmann::json& process = report.at("process");
  const nlohmann::json& summary = report.at("summary");
  std::string body;
  body += "<h1>Zorgvuldigheidsrapport</h1>\n";
  body += "<p class=\"onderwerp\">" + Text(process.at("title")) + "</p>\n";
  const nlohmann::json& trail = report.at("audittrail");
  if (!trail.at("intact").get<bool>()) {
    const auto verified = trail.at("events_verified").get<std::int64_t>();
    body += "<div class=\"beschadigd\" role=\"alert\"><strong>Logboek beschadigd.</strong> " +
            Text(trail.at("reason")) + ". Dit rapport beslaat alleen " +
            (verified == 1 ? "de ene gebeurtenis die nog klopt"
                           : "de " + Events(verified) + " die nog kloppen") +
            " en is geen betrouwbaar beeld van het proces.</div>\n";
  }
  body += "<dl>\n<dt>Proces</dt><dd><code>" + Text(process.at("id")) + "</code></dd>\n";
  body += "<dt>Werkwijze</dt><dd>" + Text(process.at("workflow").at("title")) + " (versie " +
          Text(process.at("workflow").at("version")) + ")</dd>\n";
  body += "<dt>Fase</dt><dd>" + Text(process.at("state_title")) + ", na " +
          Events(process.at("version").get<std::int64_t>()) + "</dd>\n";
  body += "<dt>Opgesteld op</dt><dd>" + LocalTime(report.at("generated_at")) + "</dd>\n</dl>\n";
  body += "<p>Voldaan: " + Text(summary.at("voldaan")) +
          " &middot; niet voldaan: " + Text(summary.at("niet_voldaan")) +
          " &middot; niet van toepassing: " + Text(summary.at("niet_van_toepassing")) + "</p>\n";
  body +=
      "<table>\n<caption>Toetsen, met de gebeurtenissen (volgnummers in de auditketen) die "
      "ze onderbouwen</caption>\n<thead><tr><th scope=\"col\">Toets</th><th scope=\"col\">"
      "Uitkomst</th><th scope=\"col\">Toelichting</th><th scope=\"col\">Gebeurtenissen</th>"
      "</tr></thead>\n<tbody>\n";
  for (const nlohmann::json& check : report.at("checks")) {
    const std::string status = check.at("status").get<std::string>();
    std::string events;
    for (const nlohmann::json& seq : check.at("events")) {
      events += (events.empty() ? "" : ", ") + Text(seq);
    }
    std::string cell;
    if (check.at("cell").is_object()) {
      cell = "<br><small>Borgingshuis: " + Text(check.at("cell").at("niveau")) + " &times; " +
             Text(check.at("cell").at("rol")) + "</small>";
    }
    body += "<tr class=\"" + HtmlEscape(status) + "\"><th scope=\"row\">" +
            Text(check.at("title")) + cell + "</th><td>" + StatusLabel(status) + "</td><td>" +
            Text(check.at("detail")) + "</td><td>" + (events.empty() ? "&ndash;" : events) +
            "</td></tr>\n";
  }
  body += "</tbody>\n</table>\n";
  body +=
      "<p><small>Elke bevinding is berekend uit de auditketen van het proces alleen. "
      "Controleer de keten zelf met de export (<code>events.jsonl</code>) en "
      "<code>navolg audit verify</code>.</small></p>\n";
  return HtmlPage("Zorgvuldigheidsrapport: " + process.at("title").get<std::string>(), body);
}

}  // namespace navolg::http
