// The managers' overview: GET /api/v1/deadlines?status=overdue|due_soon|open&days=N, the open
// deadlines of the caller's organisation with their process and assignee, and the number per
// assignee; as JSON or, for a spreadsheet, as CSV (Accept: text/csv).
//
// An adviseur sees the deadlines of the processes assigned to them only; bestuur, manager and
// auditor see the whole organisation. Days are Europe/Amsterdam calendar days.
#include <charconv>

#include "api/http/csv.h"
#include "api/http/handlers/handlers.h"
#include "api/http/negotiation.h"
#include "api/http/problem.h"
#include "storage/deadline_overview.h"

namespace navolg::http {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultJsonLimit = 50;
constexpr std::int64_t kDefaultDays = 14;
constexpr std::int64_t kMaxDays = 365;
constexpr const char* kJson = "application/json";
constexpr const char* kCsv = "text/csv";
constexpr const char* kUnassigned = "niet toegewezen";

struct StatusOption {
  const char* name;
  storage::DeadlineFilter filter;
};
constexpr StatusOption kStatuses[] = {{"overdue", storage::DeadlineFilter::kOverdue},
                                      {"due_soon", storage::DeadlineFilter::kDueSoon},
                                      {"open", storage::DeadlineFilter::kOpen}};

// A whole number from `min` to `max` in plain decimal; nullopt otherwise.
std::optional<std::int64_t> ParseBounded(const std::string& text, std::int64_t min,
                                         std::int64_t max) {
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < min || value > max) return std::nullopt;
  return value;
}

// The titles the definition gives a row's state and deadline (their keys if it has none).
struct Titles {
  std::string state;
  std::string deadline;
};
Titles TitlesOf(const storage::WorkflowCatalog& catalog, const storage::OverviewRow& row) {
  Titles titles{row.state, row.deadline_key};
  const Definition* definition = catalog.Find(row.workflow_key, row.workflow_version);
  if (definition == nullptr) return titles;
  if (auto state = definition->state_titles.find(row.state);
      state != definition->state_titles.end()) {
    titles.state = state->second;
  }
  for (const DeadlineSpec& spec : definition->deadlines) {
    if (spec.key == row.deadline_key) titles.deadline = spec.title;
  }
  return titles;
}

std::int64_t DaysBetween(Date from, Date to) {
  return (date::sys_days(to) - date::sys_days(from)).count();
}

json AssigneeJson(const std::optional<std::string>& id, const std::optional<std::string>& name) {
  if (!id) return nullptr;
  return json{{"id", *id}, {"name", name ? json(*name) : json(nullptr)}};
}

std::string AssigneeLabel(const std::optional<std::string>& id,
                          const std::optional<std::string>& name) {
  if (name) return *name;
  return id ? *id : kUnassigned;
}

// The request's query as the overview reads it, or the 400 that says what is wrong.
struct Parsed {
  const StatusOption* status = &kStatuses[0];
  storage::OverviewQuery query;
  std::optional<Response> problem;
};

Parsed ParseQuery(const Call& call, bool csv) {
  Parsed parsed;
  auto value = [&](const char* name) -> const std::string* {
    auto it = call.query.find(name);
    return it == call.query.end() ? nullptr : &it->second;
  };
  if (const std::string* status = value("status")) {
    parsed.status = nullptr;
    for (const StatusOption& known : kStatuses) {
      if (*status == known.name) parsed.status = &known;
    }
    if (parsed.status == nullptr) {
      parsed.problem = ProblemResponse(400,
                                       "status moet overdue (verlopen), due_soon (binnenkort "
                                       "verlopen) of open (alle open termijnen) zijn.");
      return parsed;
    }
  }
  parsed.query.filter = parsed.status->filter;
  parsed.query.days = kDefaultDays;
  if (const std::string* days = value("days")) {
    auto bounded = ParseBounded(*days, 0, kMaxDays);
    if (!bounded) {
      parsed.problem = ProblemResponse(400, "days moet een geheel getal van 0 tot en met " +
                                                std::to_string(kMaxDays) + " zijn.");
      return parsed;
    }
    parsed.query.days = *bounded;
  }
  parsed.query.limit = csv ? storage::kMaxOverviewLimit : kDefaultJsonLimit;
  if (const std::string* limit = value("limit")) {
    auto bounded = ParseBounded(*limit, 1, storage::kMaxOverviewLimit);
    if (!bounded) {
      parsed.problem =
          ProblemResponse(400, "limit moet een geheel getal van 1 tot en met " +
                                   std::to_string(storage::kMaxOverviewLimit) + " zijn.");
      return parsed;
    }
    parsed.query.limit = *bounded;
  }
  if (const std::string* after = value("after")) {
    parsed.query.after = storage::ParseOverviewCursor(*after);
    if (!parsed.query.after) {
      parsed.problem = ProblemResponse(
          400, "after moet de waarde van next uit een eerder antwoord van dit overzicht zijn.");
      return parsed;
    }
  }
  // An adviseur follows its own processes; the others oversee the organisation.
  if (call.user.role == "adviseur") parsed.query.assignee = call.user.id;
  return parsed;
}

// The address of the page after this one, for the Link header.
std::string NextPageLink(const Parsed& parsed, const storage::OverviewCursor& next) {
  std::string target = std::string("/api/v1/deadlines?status=") + parsed.status->name;
  if (parsed.query.filter == storage::DeadlineFilter::kDueSoon) {
    target += "&days=" + std::to_string(parsed.query.days);
  }
  target += "&limit=" + std::to_string(parsed.query.limit) +
            "&after=" + storage::FormatOverviewCursor(next);  // URL-safe by construction
  return "<" + target + ">; rel=\"next\"";
}

// The latest reminder of a row's deadline: {"at","by_name","bericht"}, or null.
json ReminderJson(const storage::OverviewRow& row) {
  if (!row.reminded_at) return nullptr;
  auto text = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return json{{"at", *row.reminded_at},
              {"by_name", text(row.reminded_by_name)},
              {"bericht", text(row.reminder_bericht)}};
}

Response OverviewJson(const Parsed& parsed, const storage::DeadlineOverview& overview,
                      const storage::WorkflowCatalog& catalog, Date today) {
  json items = json::array();
  for (const storage::OverviewRow& row : overview.items) {
    const Titles titles = TitlesOf(catalog, row);
    const std::int64_t late = DaysBetween(row.due, today);
    items.push_back(
        json{{"process",
              {{"id", row.process_id},
               {"title", row.process_title},
               {"workflow", {{"key", row.workflow_key}, {"version", row.workflow_version}}},
               {"state", row.state},
               {"state_title", titles.state},
               {"version", row.process_version}}},
             {"deadline",
              {{"key", row.deadline_key},
               {"title", titles.deadline},
               {"instance", row.instance},
               {"due", FormatDate(row.due)}}},
             {"overdue", row.overdue},
             {"days_overdue", row.overdue ? late : 0},
             {"days_left", row.overdue ? 0 : -late},
             {"assignee", AssigneeJson(row.assignee, row.assignee_name)},
             {"reminders", row.reminders},
             {"last_reminder", ReminderJson(row)}});
  }
  json counts = json::array();
  for (const storage::AssigneeCount& count : overview.counts) {
    counts.push_back(json{{"assignee", AssigneeJson(count.assignee, count.name)},
                          {"label", AssigneeLabel(count.assignee, count.name)},
                          {"count", count.count}});
  }
  const bool due_soon = parsed.query.filter == storage::DeadlineFilter::kDueSoon;
  return JsonResponse(
      200, json{{"status", parsed.status->name},
                {"days", due_soon ? json(parsed.query.days) : json(nullptr)},
                {"today", FormatDate(today)},
                {"total", overview.total},
                {"counts", std::move(counts)},
                {"items", std::move(items)},
                {"next", overview.next ? json(storage::FormatOverviewCursor(*overview.next))
                                       : json(nullptr)}});
}

Response OverviewCsv(const Parsed& parsed, const storage::DeadlineOverview& overview,
                     const storage::WorkflowCatalog& catalog, Date today) {
  std::string body(kUtf8ByteOrderMark);
  body += CsvRecord({"Proces-id", "Proces", "Procesdefinitie", "Fase", "Termijn",
                     "Omschrijving termijn", "Keer", "Uiterste datum", "Verlopen", "Dagen te laat",
                     "Dagen resterend", "Toegewezen aan", "Toegewezen aan (id)"});
  for (const storage::OverviewRow& row : overview.items) {
    const Titles titles = TitlesOf(catalog, row);
    const std::int64_t late = DaysBetween(row.due, today);
    body +=
        CsvRecord({row.process_id, row.process_title, row.workflow_key, titles.state,
                   row.deadline_key, titles.deadline, std::to_string(row.instance),
                   FormatDate(row.due), row.overdue ? "ja" : "nee",
                   std::to_string(row.overdue ? late : 0), std::to_string(row.overdue ? 0 : -late),
                   AssigneeLabel(row.assignee, row.assignee_name), row.assignee.value_or("")});
  }
  Response response;
  response.content_type = kCsvContentType;
  response.headers["Content-Disposition"] = "attachment; filename=\"termijnen-" +
                                            std::string(parsed.status->name) + "-" +
                                            FormatDate(today) + ".csv\"";
  response.body = std::move(body);
  return response;
}

}  // namespace

Response GetDeadlineOverview(Services& services, const Call& call) {
  const auto media = ChooseMediaType(call.request.Header("Accept"), {kJson, kCsv});
  if (!media) {
    return ProblemResponse(406, NotAcceptableDetail("Dit overzicht", kJson, kCsv));
  }
  const bool csv = *media == kCsv;
  Parsed parsed = ParseQuery(call, csv);
  if (parsed.problem) return *parsed.problem;
  const Time now = services.clock();
  parsed.query.now = now;
  auto overview = services.reads->Overview(call.user.organisation, parsed.query);
  if (!overview.ok()) return StatusProblem(overview.status());
  const auto catalog = services.committer->catalog();
  const Date today = AmsterdamDate(now);
  Response response = csv ? OverviewCsv(parsed, *overview, *catalog, today)
                          : OverviewJson(parsed, *overview, *catalog, today);
  response.headers["Vary"] = "Accept";
  if (overview->next) response.headers["Link"] = NextPageLink(parsed, *overview->next);
  return response;
}

}  // namespace navolg::http
