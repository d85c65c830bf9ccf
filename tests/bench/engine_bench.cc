// Engine benchmarks (issue: engine commands per second; canonical JSON + hash per event).
//
//   cmake --preset release && cmake --build --preset release --target engine_bench
//   build/release/tests/bench/engine_bench
//
// Baseline: SHA-256 alone over the very bytes that canonicalisation produces.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "engine/audit_chain.h"
#include "engine/engine.h"
#include "engine/sha256.h"
#include "tests/bench/bench_main.h"

namespace navolg {
namespace {

using nlohmann::json;

Definition LoadStandard() {
  std::ifstream in(std::string(NAVOLG_SOURCE_DIR) + "/workflows/standaard-participatie.json");
  std::ostringstream text;
  text << in.rdbuf();
  return *ParseDefinitionText(text.str()).definition;
}

const Definition& Standard() {
  static const Definition definition = LoadStandard();
  return definition;
}

Time Now() { return *ParseTime("2026-03-03T09:00:00.000Z"); }

json Kadernotitie(int variant) {
  return {{"onderwerp", "Herinrichting Marktplein " + std::to_string(variant)},
          {"aanleiding", "De bestrating is aan vervanging toe en bewoners vragen om meer groen."},
          {"doel", "Wensen van bewoners en ondernemers ophalen voor de inrichting"},
          {"vastgelegd", {"Budget van 2 miljoen euro", "Markt blijft op zaterdag"}},
          {"ruimte", {"Inrichting", "Groen", "Verlichting"}},
          {"besluitvormer", "gemeenteraad"},
          {"participatieniveau", "adviseren"},
          {"doelgroepen", {"bewoners", "ondernemers", "marktkooplieden"}},
          {"terugkoppeltermijn_dagen", 30},
          {"planning", "Bijeenkomsten in maart, besluit in juni"}};
}

Accepted Run(const ProcessState& state, const Command& command, const Actor& actor) {
  return std::get<Accepted>(Execute(Standard(), state, command, actor, Now()));
}

// A process in `gesprek` with a complete gespreksplan and one gespreksverslag, ready to go
// back and forth between gesprek and duiden.
ProcessState InGesprek() {
  const Actor adviseur{"a", "adviseur"};
  ProcessState s = Run({}, CreateProcess{"p-bench", "Marktplein"}, adviseur).state;
  s = Run(s, SaveProduct{"kadernotitie", 0, Kadernotitie(0)}, adviseur).state;
  s = Run(s, AdoptProduct{"kadernotitie", 0, ""}, {"b", "bestuur"}).state;
  s = Run(s, SaveProduct{"capaciteit", 0, json{{"adviseur", "a"}, {"uren", 120}}}, {"m", "manager"})
          .state;
  s = Run(s, TakeTransition{"naar_gesprek", std::nullopt}, adviseur).state;
  return Run(s,
             SaveProduct{"gespreksplan", 0,
                         json{{"vormen", {"bijeenkomst"}},
                              {"uitnodiging", "Kom naar het buurthuis op 12 maart"},
                              {"doelgroepen", {"bewoners", "ondernemers"}}}},
             adviseur)
      .state;
}

json Verslag(int variant) {
  return {{"datum", "2026-03-0" + std::to_string(1 + variant % 2)},
          {"vorm", "bijeenkomst"},
          {"aantal_deelnemers", 40 + variant},
          {"doelgroepen", {"bewoners", "ondernemers"}},
          {"inbreng",
           {{{"id", "inbreng-1"}, {"tekst", "Meer bomen en bankjes op het plein"}},
            {{"id", "inbreng-2"}, {"tekst", "Minder parkeerplaatsen voor auto's"}},
            {{"id", "inbreng-3"}, {"tekst", "Fietsenstalling bij de ingang van de markt"}}}}};
}

// One iteration = three engine commands on the standard workflow, each on the state the
// previous one returned: save a new gespreksverslag version (validation, ids, content hash,
// event hash), take naar_duiden (guards, deadline start or reschedule) and take
// terug_naar_gesprek with a motivatie.
void BM_EngineApply(benchmark::State& bench) {
  ProcessState state = InGesprek();
  const Actor adviseur{"a", "adviseur"};
  const json verslagen[2] = {Verslag(0), Verslag(1)};
  int i = 0;
  auto apply = [&](Command command) {
    Decision decision = Execute(Standard(), std::move(state), std::move(command), adviseur, Now());
    state = std::move(std::get<Accepted>(decision).state);
  };
  for (auto _ : bench) {
    apply(SaveProduct{"gespreksverslag", 1, verslagen[i++ & 1]});
    apply(TakeTransition{"naar_duiden", std::nullopt});
    apply(TakeTransition{"terug_naar_gesprek", std::string("Nog een bijeenkomst nodig")});
  }
  bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()) * 3);
  bench.counters["items_per_iteration"] = 3;
}
BENCHMARK(BM_EngineApply);

// The events whose hashing is measured: a small transition event and a product.saved event
// carrying a whole kadernotitie.
Event SampleEvent(bool with_product) {
  Event e;
  e.seq = 7;
  e.process_id = "p-0190f3a2-7c1e-7d2a-9b41-3f6c2e8d5a10";
  e.at = Now();
  e.actor = {"u-adviseur-42", "adviseur"};
  e.prev = std::string(64, 'a');
  if (with_product) {
    e.type = "product.saved";
    e.data = {{"product", "kadernotitie"},
              {"instance", 1},
              {"version", 3},
              {"hash", std::string(64, 'b')},
              {"content", Kadernotitie(3)}};
  } else {
    e.type = "transition.taken";
    e.data = {{"transition", "naar_gesprek"}, {"from", "kaders"}, {"to", "gesprek"}};
  }
  return e;
}

void BM_CanonicalHash(benchmark::State& bench) {
  const Event e = SampleEvent(bench.range(0) == 1);
  bench.SetLabel(CanonicalEvent(e).value().size() == 0
                     ? ""
                     : std::to_string(CanonicalEvent(e).value().size()) + " bytes");
  for (auto _ : bench) {
    Result<std::string> bytes = CanonicalEvent(e);
    std::string hash = Sha256Hex(*bytes).value();
    benchmark::DoNotOptimize(hash);
  }
}
BENCHMARK(BM_CanonicalHash)->Arg(0)->Arg(1);

void BM_Sha256Only(benchmark::State& bench) {
  const std::string bytes = CanonicalEvent(SampleEvent(bench.range(0) == 1)).value();
  bench.SetLabel(std::to_string(bytes.size()) + " bytes");
  for (auto _ : bench) {
    std::string hash = Sha256Hex(bytes).value();
    benchmark::DoNotOptimize(hash);
  }
}
BENCHMARK(BM_Sha256Only)->Arg(0)->Arg(1);

const bool kRatios = [] {
  bench::AddRatio("canonical+hash vs SHA-256, transition event", "BM_CanonicalHash/0",
                  "BM_Sha256Only/0", "<= 2x");
  bench::AddRatio("canonical+hash vs SHA-256, product event", "BM_CanonicalHash/1",
                  "BM_Sha256Only/1", "<= 2x");
  return true;
}();

}  // namespace
}  // namespace navolg
