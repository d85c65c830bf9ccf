// What the storage benchmarks share: a fresh database, the wall clock as a command's instant,
// and a realistic kadernotitie whose text differs per version, so every save is a new version.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "storage/directory.h"
#include "tests/bench/bench_files.h"

namespace navolg::bench {

inline Time Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

inline nlohmann::json Kadernotitie(std::int64_t n) {
  return {{"onderwerp", "Herinrichting Marktplein, versie " + std::to_string(n)},
          {"aanleiding", "De bestrating is aan vervanging toe en bewoners vragen om meer groen."},
          {"doel", "Wensen van bewoners en ondernemers ophalen voor de inrichting"},
          {"vastgelegd", {"Budget van 2 miljoen euro", "Markt blijft op zaterdag"}},
          {"ruimte", {"Inrichting", "Groen", "Verlichting"}},
          {"besluitvormer", "gemeenteraad"},
          {"participatieniveau", "adviseren"},
          {"doelgroepen", {"bewoners", "ondernemers", "marktkooplieden"}},
          {"terugkoppeltermijn_dagen", 30}};
}

// A fresh database file with the standard workflow and one organisation.
inline std::string FreshDatabase(const std::string& name) {
  std::filesystem::create_directories(BenchDir());
  const std::string path = (BenchDir() / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto db = storage::OpenConnection({path});
  auto definition = ParseDefinitionText(ReadSourceFile("workflows/standaard-participatie.json"));
  (void)storage::RegisterWorkflow(**db, *definition.definition, Now());
  (void)storage::AddOrganisation(**db, "bench", "Bench", Now());
  return path;
}

}  // namespace navolg::bench
