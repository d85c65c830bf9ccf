// Who may do what: the policy table against the contract (api.md, standard-process.md),
// written out here as data, and every endpoint x role answered as the table and the
// workflow definition say.
#include <array>
#include <set>

#include "api/http/policy.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

// The roles in the order of every row below.
const std::array<std::string, 5> kRoles = {"bestuur", "manager", "adviseur", "auditor",
                                           "beheerder"};

// The contract, role by role: who may try each action at all.
const std::map<std::string, std::set<std::string>> kExpectedPolicy = {
    {"read_own_user", {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
    {"read_workflows", {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
    {"create_process", {"manager", "adviseur"}},
    {"read_processes", {"bestuur", "manager", "adviseur", "auditor"}},
    {"read_trail", {"bestuur", "manager", "adviseur", "auditor"}},
    {"save_products", {"bestuur", "manager", "adviseur"}},
    {"adopt_products", {"bestuur", "manager", "adviseur"}},
    {"take_transitions", {"bestuur", "manager", "adviseur"}},
    {"read_borgingshuis", {"bestuur", "manager", "adviseur", "auditor"}},
    {"read_deadline_overview", {"bestuur", "manager", "adviseur", "auditor"}},
    {"end_own_session", {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
    {"manage_users", {"beheerder"}},
    {"read_checkpoints", {"manager", "auditor"}},
    {"deactivate_users", {"beheerder"}},
    {"read_security_log", {"auditor", "beheerder"}},
    {"manage_processes", {"manager"}},
    {"read_colleagues", {"bestuur", "manager", "adviseur", "auditor"}},
};

// Of the roles a rule allows, those that act only on processes assigned to them (or to
// nobody yet): the assignee and managers act on a process, other adviseurs read it.
const std::map<std::string, std::set<std::string>> kExpectedAssigneeOnly = {
    {"save_products", {"adviseur"}},
    {"adopt_products", {"adviseur"}},
    {"take_transitions", {"adviseur"}},
};

TEST(PolicyTableTest, AdviseursActOnlyOnProcessesAssignedToThem) {
  for (const http::PolicyRule& rule : http::PolicyTable()) {
    const auto limited = kExpectedAssigneeOnly.find(rule.name);
    for (const std::string& role : kRoles) {
      const bool assignee_only =
          limited != kExpectedAssigneeOnly.end() && limited->second.count(role);
      EXPECT_EQ(http::ReachOf(role, rule.action),
                assignee_only ? Reach::kAssignedProcess : Reach::kAnyProcess)
          << rule.name << " x " << role;
    }
  }
  std::set<std::string> changing;
  for (http::Action action : http::ProcessChangingActions())
    changing.insert(http::ActionName(action));
  EXPECT_EQ(changing,
            (std::set<std::string>{"save_products", "adopt_products", "take_transitions"}));
}

TEST(PolicyTableTest, EveryCellIsAsTheContractSays) {
  std::vector<std::string> user_roles;
  for (Role role : UserRoles()) user_roles.emplace_back(RoleName(role));
  ASSERT_EQ(user_roles, std::vector<std::string>(kRoles.begin(), kRoles.end()));
  std::set<std::string> seen;
  for (const http::PolicyRule& rule : http::PolicyTable()) {
    ASSERT_TRUE(kExpectedPolicy.count(rule.name)) << "not in the contract: " << rule.name;
    seen.insert(rule.name);
    for (const std::string& role : kRoles) {
      EXPECT_EQ(http::Allows(role, rule.action), kExpectedPolicy.at(rule.name).count(role) == 1)
          << rule.name << " x " << role;
    }
    EXPECT_FALSE(http::Allows("system", rule.action)) << rule.name;
    EXPECT_FALSE(http::Allows("", rule.action)) << rule.name;
  }
  EXPECT_EQ(seen.size(), kExpectedPolicy.size());
}

// GET /api/v1/me lists these names, and the web interface offers what they allow.
TEST(PolicyTableTest, AllowedActionNamesAreTheRolesCellsInTableOrder) {
  for (const std::string& role : kRoles) {
    std::vector<std::string> expected;
    for (const http::PolicyRule& rule : http::PolicyTable()) {
      if (kExpectedPolicy.at(rule.name).count(role)) expected.emplace_back(rule.name);
    }
    EXPECT_EQ(http::AllowedActionNames(role), expected) << role;
  }
  EXPECT_TRUE(http::AllowedActionNames("system").empty());
  EXPECT_TRUE(http::AllowedActionNames("wethouder").empty());
}

TEST(PolicyTableTest, AuditorsChangeNothingAndBeheerdersStayOutOfProcesses) {
  for (const http::PolicyRule& rule : http::PolicyTable()) {
    const std::string name = rule.name;
    // Signing out changes only the caller's own session.
    const bool changes = name.rfind("read_", 0) != 0 && name != "end_own_session";
    if (changes) {
      EXPECT_FALSE(http::Allows("auditor", rule.action)) << name;
    }
    if (name != "read_own_user" && name != "read_workflows" && name != "end_own_session" &&
        name != "manage_users" && name != "deactivate_users" && name != "read_security_log") {
      EXPECT_FALSE(http::Allows("beheerder", rule.action)) << name;
    }
  }
}

// What a process needs before the request of a row. kUser: "{id}" is the adviseur's user id;
// kFreshUser: a new user's, made for the request.
enum class Setup { kNone, kFreshProcess, kKadernotitieSaved, kUser, kFreshUser };

struct Row {
  const char* method;
  const char* path;  // "{id}" is replaced by the process of the row
  const char* action;
  Setup setup;
  json body;
  std::array<int, 5> expected;  // per role, in kRoles order
};

// Statuses on a real process. Where the policy allows a role, the workflow definition may
// still refuse (403: not this product's editor, not this step's role; 409: guards).
std::vector<Row> Matrix() {
  const json kStart{{"workflow", "standaard-participatie"}, {"title", "Nieuw"}};
  return {
      {"GET", "/api/v1/me", "read_own_user", Setup::kNone, nullptr, {200, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/workflows",
       "read_workflows",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/workflows/standaard-participatie",
       "read_workflows",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 200}},
      {"POST",
       "/api/v1/processes",
       "create_process",
       Setup::kNone,
       kStart,
       {403, 201, 201, 403, 403}},
      {"GET",
       "/api/v1/processes",
       "read_processes",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}",
       "read_processes",
       Setup::kFreshProcess,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}/events",
       "read_trail",
       Setup::kFreshProcess,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}/events.jsonl",
       "read_trail",
       Setup::kFreshProcess,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}/report",
       "read_trail",
       Setup::kFreshProcess,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}/participatieverslag",
       "read_processes",
       Setup::kFreshProcess,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/processes/{id}/checkpoints",
       "read_checkpoints",
       Setup::kFreshProcess,
       nullptr,
       {403, 200, 403, 200, 403}},
      {"GET",
       "/api/v1/borgingshuis",
       "read_borgingshuis",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/borgingshuis/indicators/standaard-participatie/capaciteit_toegezegd/processes",
       "read_borgingshuis",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"GET",
       "/api/v1/deadlines",
       "read_deadline_overview",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 403}},
      {"PUT",
       "/api/v1/processes/{id}/products/kadernotitie",
       "save_products",
       Setup::kFreshProcess,
       CompleteKadernotitie(),
       {403, 403, 200, 403, 403}},
      {"PUT",
       "/api/v1/processes/{id}/products/stopbericht",
       "save_products",
       Setup::kFreshProcess,
       CompleteStopbericht(),
       {200, 200, 403, 403, 403}},
      {"PUT",
       "/api/v1/processes/{id}/products/gespreksverslag/1",
       "save_products",
       Setup::kFreshProcess,
       CompleteGespreksverslag("2026-02-27"),
       {403, 403, 409, 403, 403}},
      {"POST",
       "/api/v1/processes/{id}/adoptions",
       "adopt_products",
       Setup::kKadernotitieSaved,
       json{{"product", "kadernotitie"}},
       {200, 403, 403, 403, 403}},
      {"POST",
       "/api/v1/processes/{id}/adoption-offers",
       "save_products",
       Setup::kKadernotitieSaved,
       json{{"product", "kadernotitie"}},
       {403, 403, 200, 403, 403}},
      {"POST",
       "/api/v1/processes/{id}/transitions/naar_gesprek",
       "take_transitions",
       Setup::kFreshProcess,
       nullptr,
       {403, 409, 409, 403, 403}},
      {"POST",
       "/api/v1/processes/{id}/transitions/stoppen",
       "take_transitions",
       Setup::kFreshProcess,
       json{{"motivatie", "Geen budget"}},
       {409, 409, 403, 403, 403}},
      // Signing out needs a session; a bearer token has none to end.
      {"DELETE",
       "/api/v1/session",
       "end_own_session",
       Setup::kNone,
       nullptr,
       {400, 400, 400, 400, 400}},
      {"GET", "/api/v1/users", "manage_users", Setup::kNone, nullptr, {403, 403, 403, 403, 200}},
      {"POST",
       "/api/v1/users",
       "manage_users",
       Setup::kNone,
       json{{"name", "Nieuwe collega"}, {"role", "adviseur"}},
       {403, 403, 403, 403, 201}},
      {"GET",
       "/api/v1/users/{id}",
       "manage_users",
       Setup::kUser,
       nullptr,
       {403, 403, 403, 403, 200}},
      {"PUT",
       "/api/v1/users/{id}/password",
       "manage_users",
       Setup::kUser,
       json{{"password", "een nieuw wachtwoord"}},
       {403, 403, 403, 403, 200}},
      {"PUT",
       "/api/v1/users/{id}/email",
       "manage_users",
       Setup::kUser,
       json{{"email", "anna@gemeente.nl"}},
       {403, 403, 403, 403, 200}},
      {"POST",
       "/api/v1/users/{id}/tokens",
       "manage_users",
       Setup::kUser,
       nullptr,
       {403, 403, 403, 403, 201}},
      {"GET",
       "/api/v1/security-log",
       "read_security_log",
       Setup::kNone,
       nullptr,
       {403, 403, 403, 200, 200}},
      {"POST",
       "/api/v1/users/{id}/deactivate",
       "deactivate_users",
       Setup::kFreshUser,
       nullptr,
       {403, 403, 403, 403, 200}},
      {"POST",
       "/api/v1/users/{id}/activate",
       "deactivate_users",
       Setup::kFreshUser,
       nullptr,
       {403, 403, 403, 403, 200}},
      {"POST",
       "/api/v1/processes/{id}/handovers",
       "manage_processes",
       Setup::kFreshProcess,
       json{{"to", "u-niemand"}},
       {403, 422, 403, 403, 403}},
      {"POST",
       "/api/v1/processes/{id}/reminders",
       "manage_processes",
       Setup::kFreshProcess,
       json{{"deadline", "terugkoppeling"}},
       {403, 409, 403, 403, 403}},
      {"GET",
       "/api/v1/colleagues",
       "read_colleagues",
       Setup::kNone,
       nullptr,
       {200, 200, 200, 200, 403}},
      // Last: it revokes the adviseur's token, which the rows above use.
      {"DELETE",
       "/api/v1/users/{id}/tokens",
       "manage_users",
       Setup::kUser,
       nullptr,
       {403, 403, 403, 403, 200}},
  };
}

// Parameter: false sends requests straight to App::Handle, true through a real server.
class PolicyMatrixTest : public AppFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    AppFixture::SetUp();
  }

  // The target of `row` with a process prepared as the row needs; `version` gets its version.
  std::string Prepare(const Row& row, std::int64_t& version) {
    std::string path = row.path;
    version = 0;
    if (row.setup == Setup::kNone) return path;
    if (row.setup == Setup::kUser) return path.replace(path.find("{id}"), 4, UserOf("adviseur").id);
    if (row.setup == Setup::kFreshUser) {
      auto user = accounts_->AddUser(kOrgA, "adviseur", "Nieuw " + std::to_string(++fresh_users_),
                                     std::nullopt, now_);
      EXPECT_TRUE(user.ok()) << user.status().message();
      return path.replace(path.find("{id}"), 4, user.ok() ? user->user.id : "");
    }
    const std::string id = NewProcess();
    version = 1;
    if (row.setup == Setup::kKadernotitieSaved) {
      http::Response saved =
          Command("PUT", "adviseur", "/api/v1/processes/" + id + "/products/kadernotitie",
                  CompleteKadernotitie(), 1);
      EXPECT_EQ(saved.status, 200) << saved.body;
      version = 2;
    }
    path.replace(path.find("{id}"), 4, id);
    return path;
  }

  int fresh_users_ = 0;
};

TEST_P(PolicyMatrixTest, EveryEndpointForEveryRole) {
  for (const Row& row : Matrix()) {
    for (std::size_t r = 0; r < kRoles.size(); ++r) {
      std::int64_t version = 0;
      const std::string target = Prepare(row, version);
      http::Headers headers;
      if (version > 0 && std::string(row.method) != "GET") {
        headers["If-Match"] = "\"" + std::to_string(version) + "\"";
      }
      http::Response response = Send(row.method, target, Token(kRoles[r]),
                                     row.body.is_null() ? "" : row.body.dump(), headers);
      EXPECT_EQ(response.status, row.expected[r])
          << row.method << " " << row.path << " as " << kRoles[r] << ": " << response.body;
      // A cell the policy refuses is 403 whatever the definition says.
      if (!kExpectedPolicy.at(row.action).count(kRoles[r])) {
        EXPECT_EQ(response.status, 403) << row.method << " " << row.path << " as " << kRoles[r];
      }
    }
  }
}

// The policy is checked before anything else: on an unknown process, without If-Match and
// without a body, a refused role hears 403 and an allowed one hears about its request.
TEST_P(PolicyMatrixTest, PolicyIsCheckedBeforeAnythingElse) {
  const std::string unknown = "/api/v1/processes/p-000000000000deadbeef";
  const std::vector<std::tuple<std::string, std::string, std::string>> routes = {
      {"POST", "/api/v1/processes", "create_process"},
      {"GET", unknown, "read_processes"},
      {"GET", unknown + "/events", "read_trail"},
      {"GET", unknown + "/events.jsonl", "read_trail"},
      {"GET", unknown + "/participatieverslag", "read_processes"},
      {"PUT", unknown + "/products/kadernotitie", "save_products"},
      {"PUT", unknown + "/products/gespreksverslag/1", "save_products"},
      {"POST", unknown + "/adoptions", "adopt_products"},
      {"POST", unknown + "/adoption-offers", "save_products"},
      {"POST", unknown + "/transitions/naar_gesprek", "take_transitions"},
      {"GET", "/api/v1/users/u-00000000deadbeef", "manage_users"},
      {"PUT", "/api/v1/users/u-00000000deadbeef/password", "manage_users"},
      {"PUT", "/api/v1/users/u-00000000deadbeef/email", "manage_users"},
      {"POST", "/api/v1/users/u-00000000deadbeef/tokens", "manage_users"},
      {"DELETE", "/api/v1/users/u-00000000deadbeef/tokens", "manage_users"},
      {"POST", "/api/v1/users/u-00000000deadbeef/deactivate", "deactivate_users"},
      {"POST", "/api/v1/users/u-00000000deadbeef/activate", "deactivate_users"},
  };
  for (const auto& [method, target, action] : routes) {
    for (const std::string& role : kRoles) {
      http::Response response = Send(method, target, Token(role));
      if (kExpectedPolicy.at(action).count(role)) {
        EXPECT_NE(response.status, 403) << method << " " << target << " as " << role;
        EXPECT_TRUE(response.status == 404 || response.status == 415 || response.status == 428)
            << method << " " << target << " as " << role << ": " << response.status;
      } else {
        EXPECT_EQ(response.status, 403) << method << " " << target << " as " << role;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, PolicyMatrixTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
