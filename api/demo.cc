#include "api/demo.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/calendar.h"
#include "storage/account_store.h"
#include "storage/clock.h"
#include "storage/directory.h"
#include "storage/password.h"

namespace navolg {
namespace {

using nlohmann::json;

struct Person {
  const char* name;
  const char* role;
};

// Who works in the example organisation. The first adviseur has two processes, the second one.
constexpr Person kPeople[] = {
    {"Anna de Vries", "adviseur"},     {"Bram Jansen", "adviseur"}, {"Mila Bakker", "manager"},
    {"Wethouder Van Dijk", "bestuur"}, {"Ravi Kaur", "auditor"},    {"Sanne Visser", "beheerder"},
};

struct Member {
  std::string id;
  std::string token;
};

// Acts through the API as the members of the example organisation.
class DemoClient {
 public:
  explicit DemoClient(http::App& app) : app_(app) {}

  void Add(const std::string& role_or_name, Member member) {
    members_[role_or_name] = std::move(member);
  }
  const Member& Of(const std::string& who) const { return members_.at(who); }

  // One request as `who`; the answer's body when it is 200 or 201, else an error naming it.
  Result<json> Call(const std::string& who, const std::string& method, const std::string& target,
                    const json& body = nullptr, std::int64_t version = 0) {
    http::Request request;
    request.method = method;
    request.target = target;
    (void)http::ParseTarget(target, request.path, request.query);
    request.headers["Authorization"] = "Bearer " + Of(who).token;
    if (!body.is_null()) {
      request.headers["Content-Type"] = "application/json";
      request.body = body.dump();
    }
    if (version > 0) request.headers["If-Match"] = "\"" + std::to_string(version) + "\"";
    request.client_address = "127.0.0.1";
    const http::Response response = app_.Handle(request);
    if (response.status != 200 && response.status != 201) {
      return Status(Code::kInternal, "voorbeeld: " + method + " " + target + " gaf " +
                                         std::to_string(response.status) + ": " + response.body);
    }
    return json::parse(response.body, nullptr, false);
  }

 private:
  http::App& app_;
  std::map<std::string, Member> members_;
};

std::string DaysAgo(int days) {
  return FormatDate(AddDays(AmsterdamDate(storage::WallClockNow()), -days));
}

json Kadernotitie(const std::string& onderwerp, const std::string& doel, int termijn) {
  return {
      {"onderwerp", onderwerp},
      {"doel", doel},
      {"vastgelegd", {"Het budget dat de raad beschikbaar stelde", "De planning van de aanleg"}},
      {"ruimte", {"De inrichting", "Groen en spelen", "Verlichting"}},
      {"besluitvormer", "college"},
      {"participatieniveau", "adviseren"},
      {"doelgroepen", {"Bewoners", "Ondernemers", "Scholen"}},
      {"terugkoppeltermijn_dagen", termijn}};
}

json Gespreksplan() {
  return {{"vormen", {"bijeenkomst"}},
          {"uitnodiging", "U bent welkom in het buurthuis om mee te denken."},
          {"doelgroepen", {"Bewoners", "Ondernemers"}}};
}

json Gespreksverslag(const std::string& datum) {
  return {{"datum", datum},
          {"vorm", "bijeenkomst"},
          {"aantal_deelnemers", 34},
          {"inbreng",
           {{{"tekst", "Maak de oversteek bij de school veiliger."}},
            {{"tekst", "Minder parkeerplaatsen, meer fietsenrekken."}},
            {{"tekst", "Houd de bomen langs de weg."}}}}};
}

// A process created by `adviseur` and taken through `steps` (method, path under the process,
// who, body); returns the process id.
struct Step {
  const char* method;
  std::string path;
  std::string who;
  json body;
};

Result<std::string> Walk(DemoClient& client, const std::string& adviseur, const std::string& title,
                         const std::vector<Step>& steps) {
  auto created = client.Call(adviseur, "POST", "/api/v1/processes",
                             {{"workflow", "standaard-participatie"}, {"title", title}});
  if (!created.ok()) return created.status();
  const std::string id = created->value("id", "");
  std::int64_t version = created->value("version", 1);
  for (const Step& step : steps) {
    auto done = client.Call(step.who, step.method, "/api/v1/processes/" + id + step.path, step.body,
                            version);
    if (!done.ok()) return done.status();
    version = done->value("version", version);
  }
  return id;
}

Status AddProcesses(DemoClient& client) {
  const std::string anna = "Anna de Vries";
  const std::string bram = "Bram Jansen";
  const std::string manager = "Mila Bakker";
  const std::string bestuur = "Wethouder Van Dijk";
  auto capaciteit = [&](const std::string& adviseur) {
    return json{{"adviseur", client.Of(adviseur).id}, {"uren", 80}, {"budget_euro", 12000}};
  };

  // Waits for bestuur to adopt its kadernotitie.
  auto waiting =
      Walk(client, anna, "Herinrichting Stationsplein",
           {{"PUT", "/products/kadernotitie", anna,
             Kadernotitie("Het nieuwe Stationsplein",
                          "Wensen van bewoners en reizigers ophalen voor de inrichting.", 30)}});
  if (!waiting.ok()) return waiting.status();

  // In conversation: the first meeting was last week.
  auto talking =
      Walk(client, anna, "Speeltuin Parkwijk",
           {{"PUT", "/products/kadernotitie", anna,
             Kadernotitie("Een nieuwe speeltuin in Parkwijk",
                          "Samen met kinderen en ouders bepalen wat er in de speeltuin komt.", 30)},
            {"POST", "/adoptions", bestuur, {{"product", "kadernotitie"}}},
            {"PUT", "/products/capaciteit", manager, capaciteit(anna)},
            {"POST", "/transitions/naar_gesprek", anna, json::object()},
            {"PUT", "/products/gespreksplan", anna, Gespreksplan()},
            {"PUT", "/products/gespreksverslag/1", anna, Gespreksverslag(DaysAgo(7))}});
  if (!talking.ok()) return talking.status();

  // The terugkoppeling to the participants is 18 days overdue (60 days since the meeting,
  // a term of 42).
  auto overdue = Walk(
      client, bram, "Verkeersveiligheid Schoolstraat",
      {{"PUT", "/products/kadernotitie", bram,
        Kadernotitie("Een veilige Schoolstraat",
                     "Ouders, kinderen en omwonenden laten meedenken over een veilige route.", 42)},
       {"POST", "/adoptions", bestuur, {{"product", "kadernotitie"}}},
       {"PUT", "/products/capaciteit", manager, capaciteit(bram)},
       {"POST", "/transitions/naar_gesprek", bram, json::object()},
       {"PUT", "/products/gespreksplan", bram, Gespreksplan()},
       {"PUT", "/products/gespreksverslag/1", bram, Gespreksverslag(DaysAgo(60))},
       {"POST", "/transitions/naar_duiden", bram, json::object()}});
  return overdue.status();
}

}  // namespace

Result<std::vector<DemoUser>> FillDemo(const std::string& path, http::App& app) {
  auto db = storage::OpenConnection({path});
  if (!db.ok()) return db.status();
  if (storage::FindOrganisation(**db, kDemoOrganisation).ok()) {
    return Status(Code::kFailedPrecondition,
                  std::string("--demo: de organisatie '") + kDemoOrganisation +
                      "' bestaat al; het voorbeeld wordt alleen in een nieuwe database gemaakt");
  }
  const Time now = storage::WallClockNow();
  auto organisation = storage::AddOrganisation(**db, kDemoOrganisation, "Gemeente Voorbeeld", now);
  if (!organisation.ok()) return organisation.status();
  std::vector<DemoUser> users;
  DemoClient client(app);
  for (const Person& person : kPeople) {
    auto token = storage::NewToken();
    if (!token.ok()) return token.status();
    auto password = storage::NewInitialPassword();
    if (!password.ok()) return password.status();
    auto hash = storage::HashPassword(*password);
    if (!hash.ok()) return hash.status();
    auto user = storage::CreateAccount(**db, kDemoOrganisation, person.role, person.name, *token,
                                       now, *hash, storage::AccountActor{});
    if (!user.ok()) return user.status();
    client.Add(person.name, Member{user->id, *token});
    users.push_back(DemoUser{person.name, person.role, std::move(*password)});
  }
  if (Status made = AddProcesses(client); !made.ok()) return made;
  return users;
}

std::string DemoSummary(const std::vector<DemoUser>& users, const std::string& url,
                        bool to_terminal) {
  std::ostringstream out;
  out << "Voorbeeld: organisatie '" << kDemoOrganisation << "' (Gemeente Voorbeeld) met drie "
      << "processen, waarvan één met een verlopen terugkoppeling.\n";
  if (!to_terminal) {
    out << "De wachtwoorden worden alleen op een terminal getoond. Geef een gebruiker er een met:"
        << " navolg user passwd --org " << kDemoOrganisation << " 'NAAM'\n";
    return out.str();
  }
  out << "Meld u aan op " << url << "/ met organisatie '" << kDemoOrganisation
      << "' en een van deze namen (de wachtwoorden worden niet nog eens getoond):\n";
  for (const DemoUser& user : users) {
    out << "  " << user.name << " (" << user.role << "): " << user.password << "\n";
  }
  return out.str();
}

}  // namespace navolg
