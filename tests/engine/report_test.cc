// The zorgvuldigheidsrapport: one fully careful process, then one process per check in which
// that check alone fails; every finding must name the events that prove it.
#include "engine/report.h"

#include <functional>
#include <map>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

// The seq of the first event of `type` whose data names `key` (as product, transition or
// deadline); 0 when there is none.
std::int64_t SeqOf(const std::vector<Event>& trail, const std::string& type, const std::string& key,
                   int occurrence = 1) {
  for (const Event& event : trail) {
    if (event.type != type) continue;
    for (const char* member : {"product", "transition", "deadline"}) {
      if (event.data.value(member, "") == key && --occurrence == 0) return event.seq;
    }
  }
  return 0;
}

json VerslagWithDoelgroepen(const char* datum) {
  json verslag = CompleteGespreksverslag(datum);
  verslag["doelgroepen"] = {"bewoners", "ondernemers"};
  return verslag;
}

// The standard walk from creation to afgerond in which every check holds: the fixtures' walk
// with a gespreksverslag that reached both doelgroepen. `edit` may change the steps first.
ProcessDriver CarefulWalk(const Definition& definition,
                          const std::function<void(std::vector<WalkStep>&)>& edit = nullptr) {
  std::vector<WalkStep> steps = {
      {CreateProcess{"p-1", "Marktplein"}, Adviseur(), "2026-03-01T09:00:00.000Z"},
      {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       "2026-03-02T09:00:00.000Z"},
      {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
      {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"},
  };
  for (WalkStep& step : StandardWalkFromGesprek()) {
    if (auto* save = std::get_if<SaveProduct>(&step.command);
        save && save->product == "gespreksverslag") {
      save->content = VerslagWithDoelgroepen("2026-03-10");
    }
    steps.push_back(std::move(step));
  }
  if (edit) edit(steps);
  ProcessDriver driver(definition);
  for (const WalkStep& step : steps) driver.Do(step.command, step.actor, At(step.at));
  return driver;
}

// Replaces the time of the first step whose command satisfies `match`.
void Retime(std::vector<WalkStep>& steps, const std::function<bool(const Command&)>& match,
            const char* at) {
  for (WalkStep& step : steps) {
    if (match(step.command)) {
      step.at = at;
      return;
    }
  }
  ADD_FAILURE() << "no such step";
}

bool IsTransition(const Command& command, const std::string& key) {
  auto* t = std::get_if<TakeTransition>(&command);
  return t != nullptr && t->transition == key;
}

bool IsSave(const Command& command, const std::string& product) {
  auto* s = std::get_if<SaveProduct>(&command);
  return s != nullptr && s->product == product;
}

std::map<std::string, Finding> ByKey(const std::vector<Finding>& findings) {
  std::map<std::string, Finding> by_key;
  for (const Finding& f : findings) by_key[f.key] = f;
  return by_key;
}

// Asserts that `key` alone is niet_voldaan among the findings that apply, and returns it.
Finding OnlyFailure(const CarefulnessReport& report, const std::string& key) {
  Finding failing;
  for (const Finding& finding : report.findings) {
    if (finding.key == key) {
      EXPECT_EQ(finding.status, CheckStatus::kNietVoldaan) << key << ": " << finding.detail;
      failing = finding;
    } else {
      EXPECT_NE(finding.status, CheckStatus::kNietVoldaan)
          << finding.key << " fails too: " << finding.detail;
    }
  }
  EXPECT_EQ(failing.key, key) << "no finding " << key;
  return failing;
}

// A copy of the standard definition with the guards of `transition` removed, as an older
// workflow version without them would have had: the report must still judge its trail.
Definition WithoutGuards(const std::string& transition) {
  json source = Standard().source;
  for (json& t : source["transitions"]) {
    if (t["key"] == transition) t["guards"] = json::array();
  }
  source["version"] = 99;
  ParsedDefinition parsed = ParseDefinition(source);
  EXPECT_TRUE(parsed.errors.empty());
  return *parsed.definition;
}

const Time kLongAfter = At("2026-12-01T12:00:00.000Z");

TEST(ReportTest, CarefulProcessMeetsEveryCheckWithItsEvidence) {
  ProcessDriver driver = CarefulWalk(Standard());
  const auto& trail = driver.trail();
  CarefulnessReport report = BuildCarefulnessReport(Standard(), trail, kLongAfter).value();
  auto by_key = ByKey(report.findings);
  ASSERT_EQ(report.findings.size(), Standard().checks.size() + 1);
  EXPECT_EQ(report.findings.front().key, kChainCheckKey);
  EXPECT_EQ(report.state.state, "afgerond");

  const std::map<std::string, std::vector<std::int64_t>> expected = {
      {"auditketen_intact", {1, trail.back().seq}},
      {"kaders_voor_gesprek",
       {SeqOf(trail, "product.adopted", "kadernotitie"),
        SeqOf(trail, "product.saved", "gespreksverslag")}},
      {"kaders_geldig",
       {SeqOf(trail, "product.saved", "kadernotitie"),
        SeqOf(trail, "product.adopted", "kadernotitie")}},
      {"capaciteit_toegezegd", {SeqOf(trail, "product.saved", "capaciteit")}},
      {"verslag_binnen_week", {SeqOf(trail, "product.saved", "gespreksverslag")}},
      {"doelgroepen_bereikt",
       {SeqOf(trail, "product.saved", "kadernotitie"),
        SeqOf(trail, "product.saved", "gespreksverslag"),
        SeqOf(trail, "transition.taken", "naar_duiden")}},
      {"inbreng_beantwoord",
       {SeqOf(trail, "product.saved", "gespreksverslag"),
        SeqOf(trail, "product.saved", "opbrengstendocument"),
        SeqOf(trail, "transition.taken", "naar_terugkoppeling")}},
      {"terugkoppeling_op_tijd",
       {SeqOf(trail, "deadline.started", "terugkoppeling"),
        SeqOf(trail, "deadline.met", "terugkoppeling")}},
      {"besluit_teruggekoppeld",
       {SeqOf(trail, "deadline.started", "besluitterugkoppeling"),
        SeqOf(trail, "deadline.met", "besluitterugkoppeling")}},
      {"evaluatie_met_verbeterpunten",
       {SeqOf(trail, "product.saved", "evaluatie"), SeqOf(trail, "transition.taken", "afronden")}},
  };
  for (const auto& [key, events] : expected) {
    SCOPED_TRACE(key);
    ASSERT_TRUE(by_key.count(key));
    EXPECT_EQ(by_key[key].status, CheckStatus::kVoldaan) << by_key[key].detail;
    std::vector<std::int64_t> sorted = events;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(by_key[key].events, sorted);
  }
  EXPECT_EQ(by_key["gestopt_geinformeerd"].status, CheckStatus::kNietVanToepassing);
  EXPECT_NE(by_key["gestopt_geinformeerd"].detail.find("Proces stoppen"), std::string::npos);
  EXPECT_EQ(by_key["kaders_voor_gesprek"].cell, (BorgingshuisCell{"gesprek", "bestuur"}));
}

TEST(ReportTest, GesprekBeforeTheKaderswereAdoptedFailsOnItsOwn) {
  // The verslag records a gesprek held on 2 March; bestuur adopted the kaders on 3 March.
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    for (WalkStep& step : steps) {
      if (IsSave(step.command, "gespreksverslag")) {
        std::get<SaveProduct>(step.command).content = VerslagWithDoelgroepen("2026-03-02");
        step.at = "2026-03-05T10:00:00.000Z";
      }
    }
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "kaders_voor_gesprek");
  EXPECT_EQ(finding.events,
            (std::vector<std::int64_t>{SeqOf(driver.trail(), "product.adopted", "kadernotitie"),
                                       SeqOf(driver.trail(), "product.saved", "gespreksverslag")}));
  EXPECT_NE(finding.detail.find("pas vastgesteld op 3 maart 2026"), std::string::npos)
      << finding.detail;
  EXPECT_NE(finding.detail.find("2 maart 2026"), std::string::npos);
}

TEST(ReportTest, KadernotitieChangedAfterAdoptionFailsOnItsOwn) {
  ProcessDriver driver(Standard());
  driver.Do(CreateProcess{"p-1", "Marktplein"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  driver.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
            At("2026-03-02T09:00:00.000Z"));
  driver.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), At("2026-03-03T09:00:00.000Z"));
  driver.Do(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(),
            At("2026-03-03T10:00:00.000Z"));
  json changed = CompleteKadernotitie();
  changed["ruimte"].push_back("Verlichting");
  driver.Do(SaveProduct{"kadernotitie", 0, changed, true}, Adviseur(),
            At("2026-03-04T09:00:00.000Z"));
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "kaders_geldig");
  const std::int64_t adopted = SeqOf(driver.trail(), "product.adopted", "kadernotitie");
  const std::int64_t second = SeqOf(driver.trail(), "product.saved", "kadernotitie", 2);
  EXPECT_EQ(finding.events, (std::vector<std::int64_t>{adopted, second}));
  EXPECT_NE(finding.detail.find("versie 2"), std::string::npos) << finding.detail;
  EXPECT_NE(finding.detail.find("vastgesteld is versie 1"), std::string::npos) << finding.detail;
}

TEST(ReportTest, NoCapacityCommittedFailsOnItsOwn) {
  ProcessDriver driver(Standard());
  driver.Do(CreateProcess{"p-1", "Marktplein"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  driver.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
            At("2026-03-02T09:00:00.000Z"));
  driver.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), At("2026-03-03T09:00:00.000Z"));
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "capaciteit_toegezegd");
  EXPECT_TRUE(finding.events.empty());
  EXPECT_NE(finding.detail.find("Capaciteit"), std::string::npos) << finding.detail;
}

TEST(ReportTest, VerslagWrittenAfterMoreThanAWeekFailsOnItsOwn) {
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    // The gesprek was on 10 March; its verslag was first saved on 18 March (8 days).
    Retime(
        steps, [](const Command& c) { return IsSave(c, "gespreksverslag"); },
        "2026-03-18T09:00:00.000Z");
    Retime(
        steps, [](const Command& c) { return IsTransition(c, "naar_duiden"); },
        "2026-03-19T09:00:00.000Z");
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "verslag_binnen_week");
  EXPECT_EQ(finding.events,
            (std::vector<std::int64_t>{SeqOf(driver.trail(), "product.saved", "gespreksverslag")}));
  EXPECT_NE(finding.detail.find("18 maart 2026"), std::string::npos) << finding.detail;
}

TEST(ReportTest, DoelgroepNotReachedFailsOnItsOwn) {
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    for (WalkStep& step : steps) {
      if (IsSave(step.command, "gespreksverslag")) {
        std::get<SaveProduct>(step.command).content["doelgroepen"] = {"bewoners"};
      }
    }
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "doelgroepen_bereikt");
  EXPECT_NE(finding.detail.find("ondernemers"), std::string::npos) << finding.detail;
  EXPECT_EQ(finding.events.size(), 3u);
}

TEST(ReportTest, UnansweredInbrengFailsOnItsOwnUnderAnOlderDefinition) {
  // A definition that let the process move on without answering everything.
  const Definition lax = WithoutGuards("naar_terugkoppeling");
  ProcessDriver driver = CarefulWalk(lax, [](std::vector<WalkStep>& steps) {
    for (WalkStep& step : steps) {
      if (IsSave(step.command, "opbrengstendocument")) {
        json& reacties = std::get<SaveProduct>(step.command).content["reacties"];
        reacties.erase(1);  // inbreng-2 stays unanswered
      }
    }
  });
  auto report = BuildCarefulnessReport(lax, driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "inbreng_beantwoord");
  EXPECT_NE(finding.detail.find("inbreng-2"), std::string::npos) << finding.detail;
  EXPECT_EQ(finding.events, (std::vector<std::int64_t>{
                                SeqOf(driver.trail(), "product.saved", "gespreksverslag"),
                                SeqOf(driver.trail(), "product.saved", "opbrengstendocument"),
                                SeqOf(driver.trail(), "transition.taken", "naar_terugkoppeling")}));
}

TEST(ReportTest, LateTerugkoppelingFailsOnItsOwnAndNamesTheMissedEvent) {
  // Gesprek on 10 March + 30 days: due 9 April. The watcher recorded the miss on 10 April,
  // naar_besluit came on 12 April.
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    Retime(
        steps, [](const Command& c) { return IsSave(c, "terugkoppelingsbericht"); },
        "2026-04-11T09:00:00.000Z");
    Retime(
        steps, [](const Command& c) { return IsTransition(c, "naar_besluit"); },
        "2026-04-12T09:00:00.000Z");
    for (auto it = steps.begin(); it != steps.end(); ++it) {
      if (IsSave(it->command, "terugkoppelingsbericht")) {
        steps.insert(
            it, WalkStep{RecordMissedDeadlines{}, Actor::System(), "2026-04-10T00:05:00.000Z"});
        break;
      }
    }
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "terugkoppeling_op_tijd");
  const auto& trail = driver.trail();
  EXPECT_EQ(finding.events,
            (std::vector<std::int64_t>{SeqOf(trail, "deadline.started", "terugkoppeling"),
                                       SeqOf(trail, "deadline.missed", "terugkoppeling"),
                                       SeqOf(trail, "deadline.met", "terugkoppeling")}));
  EXPECT_NE(finding.detail.find("uiterlijk was 9 april 2026"), std::string::npos) << finding.detail;
}

TEST(ReportTest, RunningTermIsNotYetApplicableAndAnOverdueOneFails) {
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    // Stop right after naar_duiden: the terugkoppeling term (due 9 April) runs.
    for (auto it = steps.begin(); it != steps.end(); ++it) {
      if (IsTransition(it->command, "naar_duiden")) {
        steps.erase(it + 1, steps.end());
        break;
      }
    }
  });
  auto running = ByKey(EvaluateChecks(Standard(), driver.state(), At("2026-04-09T21:59:59.999Z")));
  EXPECT_EQ(running["terugkoppeling_op_tijd"].status, CheckStatus::kNietVanToepassing);
  EXPECT_NE(running["terugkoppeling_op_tijd"].detail.find("loopt nog tot en met 9 april 2026"),
            std::string::npos);
  // 00:00 Europe/Amsterdam (CEST) on 10 April.
  auto overdue = ByKey(EvaluateChecks(Standard(), driver.state(), At("2026-04-09T22:00:00.000Z")));
  EXPECT_EQ(overdue["terugkoppeling_op_tijd"].status, CheckStatus::kNietVoldaan);
}

TEST(ReportTest, LateBesluitterugkoppelingFailsOnItsOwn) {
  // Besluit of 15 April + 14 days: due 29 April; naar_evaluatie on 30 April.
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    Retime(
        steps, [](const Command& c) { return IsTransition(c, "naar_evaluatie"); },
        "2026-04-30T09:00:00.000Z");
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "besluit_teruggekoppeld");
  EXPECT_NE(finding.detail.find("pas gehaald op 30 april 2026"), std::string::npos)
      << finding.detail;
}

TEST(ReportTest, EvaluationWithoutImprovementPointsFailsOnItsOwn) {
  ProcessDriver driver = CarefulWalk(Standard(), [](std::vector<WalkStep>& steps) {
    for (WalkStep& step : steps) {
      if (IsSave(step.command, "evaluatie")) {
        std::get<SaveProduct>(step.command).content.erase("verbeterpunten");
      }
    }
  });
  auto report = BuildCarefulnessReport(Standard(), driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "evaluatie_met_verbeterpunten");
  EXPECT_NE(finding.detail.find("Verbeterpunten"), std::string::npos) << finding.detail;
  EXPECT_TRUE(ImprovementPoints(Standard(), driver.state()).empty());
}

TEST(ReportTest, StoppedProcessThatDidNotInformParticipantsFailsOnItsOwn) {
  const Definition lax = WithoutGuards("stoppen");
  ProcessDriver driver = CarefulWalk(lax, [](std::vector<WalkStep>& steps) {
    for (auto it = steps.begin(); it != steps.end(); ++it) {
      if (IsTransition(it->command, "naar_duiden")) {
        json stop = {{"reden", "Project geschrapt"}};
        steps.erase(it, steps.end());
        steps.push_back(
            {SaveProduct{"stopbericht", 0, stop}, Manager(), "2026-03-13T09:00:00.000Z"});
        steps.push_back({StopProcess{}, Bestuur(), "2026-03-13T10:00:00.000Z"});
        break;
      }
    }
  });
  ASSERT_EQ(driver.state().state, "gestopt");
  auto report = BuildCarefulnessReport(lax, driver.trail(), kLongAfter).value();
  Finding finding = OnlyFailure(report, "gestopt_geinformeerd");
  EXPECT_NE(finding.detail.find("Teruggekoppeld aan deelnemers op"), std::string::npos)
      << finding.detail;
  const auto& trail = driver.trail();
  EXPECT_EQ(finding.events,
            (std::vector<std::int64_t>{SeqOf(trail, "product.saved", "gespreksverslag"),
                                       SeqOf(trail, "product.saved", "stopbericht"),
                                       SeqOf(trail, "process.stopped", "stoppen")}));
}

TEST(ReportTest, TamperedTrailFailsTheChainCheckAtTheChangedEvent) {
  ProcessDriver driver = CarefulWalk(Standard());
  std::vector<Event> trail = driver.trail();
  const std::int64_t changed = SeqOf(trail, "product.saved", "opbrengstendocument");
  trail[static_cast<std::size_t>(changed - 1)].data["content"]["advies"] = "Iets anders";
  auto report = BuildCarefulnessReport(Standard(), trail, kLongAfter).value();
  const Finding& chain = report.findings.front();
  EXPECT_EQ(chain.status, CheckStatus::kNietVoldaan);
  EXPECT_EQ(chain.events, (std::vector<std::int64_t>{changed}));
  EXPECT_NE(chain.detail.find("hash"), std::string::npos) << chain.detail;
  // The rest is judged on what came before the break.
  EXPECT_EQ(report.state.version, changed - 1);
}

TEST(ReportTest, PolicyChecksOfTheOrganisationLevel) {
  ProcessDriver adopted = WalkTo(Beleid(), "vastgesteld");
  auto findings = ByKey(EvaluateChecks(Beleid(), adopted.state(), At("2026-06-01T00:00:00.000Z")));
  EXPECT_EQ(findings["beleid_vastgesteld"].status, CheckStatus::kVoldaan);
  EXPECT_EQ(findings["herijking_op_tijd"].status, CheckStatus::kNietVanToepassing);
  // 24 months after 7 January 2026, unmet: overdue from 8 January 2028.
  findings = ByKey(EvaluateChecks(Beleid(), adopted.state(), At("2028-01-08T12:00:00.000Z")));
  EXPECT_EQ(findings["herijking_op_tijd"].status, CheckStatus::kNietVoldaan);
  EXPECT_EQ(findings["beleid_vastgesteld"].cell, (BorgingshuisCell{"organisatie", "bestuur"}));
}

TEST(ReportTest, StatusesSurviveTheirCompactForm) {
  ProcessDriver driver = CarefulWalk(Standard());
  auto findings = EvaluateChecks(Standard(), driver.state(), kLongAfter);
  const std::string text = EncodeStatuses(findings);
  auto decoded = DecodeStatuses(text);
  ASSERT_EQ(decoded.size(), findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    EXPECT_EQ(decoded[i].first, findings[i].key);
    EXPECT_EQ(decoded[i].second, findings[i].status);
  }
  EXPECT_TRUE(DecodeStatuses("kapot;=v;x=q;ok=n").size() == 1);
}

TEST(ReportTest, ImprovementPointsSurviveTheirCompactForm) {
  std::vector<ImprovementPoint> points = {
      {"Eerder\tbeginnen\nen \\ niet later", {"organisatie", "manager"}, 20},
      {"", {"gesprek", "adviseur"}, 7}};
  auto decoded = DecodeImprovementPoints(EncodeImprovementPoints(points));
  ASSERT_EQ(decoded.size(), 2u);
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(decoded[i].text, points[i].text);
    EXPECT_EQ(decoded[i].cell, points[i].cell);
    EXPECT_EQ(decoded[i].seq, points[i].seq);
  }
  auto counted = DecodeImprovementPoints(EncodeImprovementPoints(points), /*with_text=*/false);
  EXPECT_EQ(counted[0].text, "");
  EXPECT_EQ(counted[0].cell, points[0].cell);
  EXPECT_TRUE(DecodeImprovementPoints("kapot\norganisatie\tmanager\tx\ttekst\n").empty());
}

TEST(ReportTest, ImprovementPointsCarryTheirCell) {
  ProcessDriver driver = CarefulWalk(Standard());
  auto points = ImprovementPoints(Standard(), driver.state());
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].text, "Eerder capaciteit regelen");
  EXPECT_EQ(points[0].cell, (BorgingshuisCell{"organisatie", "manager"}));
  EXPECT_EQ(points[0].seq, SeqOf(driver.trail(), "product.saved", "evaluatie"));
}

}  // namespace
}  // namespace navolg
