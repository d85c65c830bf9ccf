// Scripted commands that take a new standard process to afgerond, to gestopt, or a few steps
// into kaders, for tests that need a database with processes in several states.
#pragma once

#include <string>
#include <vector>

#include "tests/engine/test_support.h"

namespace navolg::testing {

enum class WalkEnd { kRunning, kStopped, kFinished };

inline std::vector<WalkStep> WalkOfProcess(const std::string& id, const char* title, WalkEnd end) {
  std::vector<WalkStep> steps = {
      {CreateProcess{id, title}, Adviseur(), "2026-03-01T09:00:00.000Z"},
      {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       "2026-03-02T09:00:00.000Z"},
  };
  if (end == WalkEnd::kRunning) return steps;
  steps.push_back({AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"});
  steps.push_back(
      {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"});
  if (end == WalkEnd::kStopped) {
    steps.push_back({SaveProduct{"stopbericht", 0, CompleteStopbericht()}, Manager(),
                     "2026-03-03T11:00:00.000Z"});
    steps.push_back({StopProcess{}, Bestuur(), "2026-03-03T12:00:00.000Z"});
    return steps;
  }
  for (WalkStep& step : StandardWalkFromGesprek()) steps.push_back(std::move(step));
  return steps;
}

// The n-th command of a steady writer (tests that copy or read under load): every fifth
// creates a new process (its id left in `id`), the four after it save a new version of that
// process's kadernotitie.
inline Command NextLoadCommand(int n, std::string& id, const std::string& new_id) {
  if (n % 5 == 0) {
    id = new_id;
    return CreateProcess{id, "Tijdens de kopie"};
  }
  nlohmann::json text = CompleteKadernotitie();
  text["doel"] = "Versie " + std::to_string(n);
  return SaveProduct{"kadernotitie", 0, text};
}

}  // namespace navolg::testing
