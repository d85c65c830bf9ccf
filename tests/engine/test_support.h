// Shared fixtures for engine tests: the real workflow files and complete product contents
// of the standard process, so each test states only what it changes.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/engine.h"

namespace navolg::testing {

inline std::string ReadRepoFile(const std::string& relative) {
  std::ifstream in(std::string(NAVOLG_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Loads workflows/<key>.json and fails the test if it does not validate.
inline Definition LoadWorkflow(const std::string& key) {
  ParsedDefinition parsed = ParseDefinitionText(ReadRepoFile("workflows/" + key + ".json"));
  EXPECT_TRUE(parsed.errors.empty()) << key << ": " << parsed.errors.size() << " errors, first: "
                                     << (parsed.errors.empty() ? "" : parsed.errors[0].path + " " +
                                                                          parsed.errors[0].message);
  return *parsed.definition;
}

inline Time At(const char* rfc3339) { return *ParseTime(rfc3339); }

inline Actor Adviseur() { return {"u-adviseur", "adviseur"}; }
inline Actor Manager() { return {"u-manager", "manager"}; }
inline Actor Bestuur() { return {"u-bestuur", "bestuur"}; }

inline nlohmann::json CompleteKadernotitie() {
  return {{"onderwerp", "Herinrichting Marktplein"},
          {"doel", "Wensen van bewoners en ondernemers ophalen"},
          {"vastgelegd", {"Budget van 2 miljoen euro"}},
          {"ruimte", {"Inrichting", "Groen"}},
          {"besluitvormer", "gemeenteraad"},
          {"participatieniveau", "adviseren"},
          {"doelgroepen", {"bewoners", "ondernemers"}},
          {"terugkoppeltermijn_dagen", 30}};
}
inline nlohmann::json CompleteCapaciteit() {
  return {{"adviseur", "u-adviseur"}, {"uren", 120}, {"budget_euro", 15000}};
}
inline nlohmann::json CompleteGespreksplan() {
  return {{"vormen", {"bijeenkomst"}}, {"uitnodiging", "Kom naar het buurthuis"},
          {"doelgroepen", {"bewoners"}}};
}
inline nlohmann::json CompleteGespreksverslag(const char* datum) {
  return {{"datum", datum},
          {"vorm", "bijeenkomst"},
          {"aantal_deelnemers", 40},
          {"inbreng", {{{"tekst", "Meer bomen"}}, {{"tekst", "Minder parkeerplaatsen"}}}}};
}

// Unwraps an accepted decision, failing the test (with the refusal's detail) otherwise.
inline Accepted ExpectAccepted(Decision decision) {
  if (auto* refusal = std::get_if<Refusal>(&decision)) {
    std::string all = refusal->detail;
    for (const auto& p : refusal->problems) all += "\n  " + p.code + ": " + p.detail;
    ADD_FAILURE() << "refused: " << all;
    return Accepted{};
  }
  return std::get<Accepted>(std::move(decision));
}

inline Refusal ExpectRefused(Decision decision) {
  if (auto* accepted = std::get_if<Accepted>(&decision)) {
    ADD_FAILURE() << "accepted with " << accepted->events.size() << " events";
    return Refusal{};
  }
  return std::get<Refusal>(std::move(decision));
}

}  // namespace navolg::testing
