// The HTTP requests that take a new standard process to duiden: kaders adopted, capacity
// naming the adviseur, a gespreksplan and one gespreksverslag dated `days_ago` days before
// `today`, with a terugkoppeltermijn of `term_days` (so the terugkoppeling falls due
// term_days after the verslag). Each step is sent with the version the previous answered.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "tests/engine/test_support.h"

namespace navolg::testing {

struct HttpStep {
  const char* method;
  std::string target;
  const char* role;
  nlohmann::json body;
};

// `process`: "/api/v1/processes/ID"; `adviseur_id`: the user the capaciteit names.
inline std::vector<HttpStep> StepsToDuiden(const std::string& process,
                                           const nlohmann::json& adviseur_id, Date today,
                                           int days_ago, int term_days) {
  nlohmann::json kadernotitie = CompleteKadernotitie();
  kadernotitie["terugkoppeltermijn_dagen"] = term_days;
  nlohmann::json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = adviseur_id;
  return {
      {"PUT", process + "/products/kadernotitie", "adviseur", kadernotitie},
      {"POST", process + "/adoptions", "bestuur", {{"product", "kadernotitie"}}},
      {"PUT", process + "/products/capaciteit", "manager", capaciteit},
      {"POST", process + "/transitions/naar_gesprek", "adviseur", nlohmann::json::object()},
      {"PUT", process + "/products/gespreksplan", "adviseur", CompleteGespreksplan()},
      {"PUT", process + "/products/gespreksverslag/1", "adviseur",
       CompleteGespreksverslag(FormatDate(AddDays(today, -days_ago)).c_str())},
      {"POST", process + "/transitions/naar_duiden", "adviseur", nlohmann::json::object()},
  };
}

}  // namespace navolg::testing
