// AppFixture plus a way to drive a standard process through the API the way its users do,
// each command with If-Match of the version the previous answer gave. The clock (now_) is
// set per step, so a test decides every date that deadlines depend on.
#pragma once

#include <map>
#include <string>

#include "tests/api/app_fixture.h"

namespace navolg::testing {

class WalkFixture : public AppFixture {
 protected:
  // A command on process `id` that must answer 200, at instant `at`.
  nlohmann::json Step(const std::string& id, const char* at, const std::string& method,
                      const std::string& role, const std::string& path,
                      const nlohmann::json& body = nullptr, const char* org = kOrgA) {
    return StepWith(Token(role, org), id, at, method, path, body, org);
  }

  // As Step, as the user of `token`.
  nlohmann::json StepWith(const std::string& token, const std::string& id, const char* at,
                          const std::string& method, const std::string& path,
                          const nlohmann::json& body = nullptr, const char* org = kOrgA) {
    now_ = At(at);
    http::Response response =
        Send(method, "/api/v1/processes/" + id + path, token, body.is_null() ? "" : body.dump(),
             {{"If-Match", "\"" + std::to_string(VersionOf(id, org)) + "\""}});
    EXPECT_EQ(response.status, 200) << method << " " << path << ": " << response.body;
    return Body(response);
  }

  // What a walk to duiden uses; the terugkoppeling deadline is due on verslag_datum +
  // termijn days.
  struct ToDuiden {
    std::string title;
    std::string assignee;       // the user id in capaciteit.adviseur
    const char* verslag_datum;  // YYYY-MM-DD, also the day the walk happens
    int termijn = 30;
    const char* org = kOrgA;
    nlohmann::json inbreng = nullptr;  // the gespreksverslag's inbreng; null: the fixture's
    // The assignee's token: once capaciteit names them, only they (of the adviseurs) act on
    // the process. Empty: the assignee is the organisation's fixture adviseur.
    std::string assignee_token = "";
  };

  // A new standard process walked to duiden: kadernotitie adopted, capaciteit naming the
  // assignee, a gespreksplan and one gespreksverslag; every step on the verslag's date.
  std::string ProcessAtDuiden(const ToDuiden& walk) {
    const std::string day = walk.verslag_datum;
    auto at = [&](const char* time) { return day + "T" + time + ".000Z"; };
    now_ = At(at("06:00:00").c_str());
    const std::string id = NewProcess(walk.title, walk.org);
    nlohmann::json kadernotitie = CompleteKadernotitie();
    kadernotitie["terugkoppeltermijn_dagen"] = walk.termijn;
    Step(id, at("06:01:00").c_str(), "PUT", "adviseur", "/products/kadernotitie", kadernotitie,
         walk.org);
    Step(id, at("06:02:00").c_str(), "POST", "bestuur", "/adoptions",
         nlohmann::json{{"product", "kadernotitie"}}, walk.org);
    nlohmann::json capaciteit = CompleteCapaciteit();
    capaciteit["adviseur"] = walk.assignee;
    Step(id, at("06:03:00").c_str(), "PUT", "manager", "/products/capaciteit", capaciteit,
         walk.org);
    const std::string assignee =
        walk.assignee_token.empty() ? Token("adviseur", walk.org) : walk.assignee_token;
    StepWith(assignee, id, at("06:04:00").c_str(), "POST", "/transitions/naar_gesprek", nullptr,
             walk.org);
    StepWith(assignee, id, at("06:05:00").c_str(), "PUT", "/products/gespreksplan",
             CompleteGespreksplan(), walk.org);
    nlohmann::json verslag = CompleteGespreksverslag(walk.verslag_datum);
    if (!walk.inbreng.is_null()) verslag["inbreng"] = walk.inbreng;
    StepWith(assignee, id, at("06:06:00").c_str(), "PUT", "/products/gespreksverslag/1", verslag,
             walk.org);
    nlohmann::json view = StepWith(assignee, id, at("06:07:00").c_str(), "POST",
                                   "/transitions/naar_duiden", nullptr, walk.org);
    EXPECT_EQ(view.value("state", ""), "duiden");
    return id;
  }
};

}  // namespace navolg::testing
