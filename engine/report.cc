#include "engine/report.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>

#include "engine/audit_chain.h"
#include "engine/guards.h"
#include "engine/sha256.h"

namespace navolg {
namespace {

using nlohmann::json;

// Collects the seq numbers of a finding's evidence, sorted and without duplicates.
class Evidence {
 public:
  void Add(std::int64_t seq) {
    if (seq > 0) seqs_.insert(seq);
  }
  std::vector<std::int64_t> Sorted() const { return {seqs_.begin(), seqs_.end()}; }

 private:
  std::set<std::int64_t> seqs_;
};

std::string Seq(std::int64_t seq) { return "gebeurtenis " + std::to_string(seq); }

std::string InstanceName(const ProductSpec& spec, std::size_t index) {
  return spec.repeating ? spec.title + " " + std::to_string(index + 1) : spec.title;
}

std::optional<Date> DateValue(const json& content, const std::string& field) {
  auto it = content.find(field);
  if (it == content.end() || !it->is_string()) return std::nullopt;
  return ParseDate(it->get_ref<const std::string&>());
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : separator) + part;
  return joined;
}

// Whether the check applies yet; when not, `finding` is filled in as niet_van_toepassing.
bool Applies(const Definition& definition, const ProcessState& state, const CheckSpec& check,
             Finding& finding, Evidence& evidence) {
  if (!check.due_after.empty()) {
    const TakenTransition* taken = nullptr;
    for (const TakenTransition& t : state.transitions) {
      if (std::find(check.due_after.begin(), check.due_after.end(), t.key) !=
          check.due_after.end()) {
        taken = &t;
        break;
      }
    }
    if (taken == nullptr) {
      std::vector<std::string> titles;
      for (const std::string& key : check.due_after)
        titles.push_back("'" + definition.Transition(key)->title + "'");
      finding.detail = "Nog niet aan de orde: " + Join(titles, " of ") + " is nog niet genomen.";
      return false;
    }
    evidence.Add(taken->seq);
  }
  if (!check.when_product_exists.empty() && state.Instances(check.when_product_exists).empty()) {
    finding.detail = "Niet van toepassing: er is geen " +
                     definition.Product(check.when_product_exists)->title + ".";
    return false;
  }
  return true;
}

void AdoptedBefore(const Definition& definition, const ProcessState& state, const CheckSpec& check,
                   Finding& finding, Evidence& evidence) {
  const ProductSpec& adopted = *definition.Product(check.product);
  const ProductSpec& dated = *definition.Product(check.date.product);
  std::optional<Date> first;
  std::int64_t first_seq = 0;
  for (const ProductInstance& instance : state.Instances(dated.key)) {
    auto date = DateValue(instance.current.content, check.date.field);
    if (date && (!first || *date < *first)) {
      first = date;
      first_seq = instance.current.seq;
    }
  }
  if (!first) {
    finding.detail = "Niet van toepassing: er is nog geen " + dated.title + " met een datum.";
    return;
  }
  evidence.Add(first_seq);
  const AdoptionRecord* in_time = nullptr;
  const AdoptionRecord* later = nullptr;
  for (const ProductInstance& instance : state.Instances(adopted.key)) {
    for (const AdoptionRecord& adoption : instance.adoptions) {
      if (AmsterdamDate(adoption.at) <= *first) {
        if (in_time == nullptr) in_time = &adoption;
      } else if (later == nullptr) {
        later = &adoption;
      }
    }
  }
  const std::string when =
      "de eerste " + dated.title + " is van " + DutchDate(*first) + " (" + Seq(first_seq) + ")";
  if (in_time != nullptr) {
    evidence.Add(in_time->seq);
    finding.status = CheckStatus::kVoldaan;
    finding.detail = adopted.title + " versie " + std::to_string(in_time->version) +
                     " is vastgesteld op " + DutchDate(AmsterdamDate(in_time->at)) + " (" +
                     Seq(in_time->seq) + "); " + when + ".";
    return;
  }
  finding.status = CheckStatus::kNietVoldaan;
  if (later != nullptr) {
    evidence.Add(later->seq);
    finding.detail = adopted.title + " is pas vastgesteld op " +
                     DutchDate(AmsterdamDate(later->at)) + " (" + Seq(later->seq) + "), maar " +
                     when + ".";
  } else {
    finding.detail = adopted.title + " is nooit vastgesteld, maar " + when + ".";
  }
}

void AdoptionCurrent(const Definition& definition, const ProcessState& state,
                     const CheckSpec& check, Finding& finding, Evidence& evidence) {
  const ProductSpec& spec = *definition.Product(check.product);
  const auto& instances = state.Instances(spec.key);
  if (instances.empty()) {
    finding.detail = "Niet van toepassing: er is geen " + spec.title + ".";
    return;
  }
  std::vector<std::string> gaps;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const ProductInstance& instance = instances[i];
    evidence.Add(instance.current.seq);
    evidence.Add(instance.adopted_seq);
    if (instance.adopted()) continue;
    std::string gap = InstanceName(spec, i) + " versie " +
                      std::to_string(instance.current.version) + " (" + Seq(instance.current.seq) +
                      ") is niet vastgesteld";
    if (instance.adopted_seq > 0) {
      gap += "; vastgesteld is versie " + std::to_string(instance.adopted_version) + " (" +
             Seq(instance.adopted_seq) + ")";
    }
    gaps.push_back(gap);
  }
  if (gaps.empty()) {
    finding.status = CheckStatus::kVoldaan;
    finding.detail = "De geldende versie van " + spec.title + " is de vastgestelde.";
  } else {
    finding.status = CheckStatus::kNietVoldaan;
    finding.detail = Join(gaps, "; ") + ".";
  }
}

void GuardsHold(const Definition& definition, const ProcessState& state, const CheckSpec& check,
                Finding& finding, Evidence& evidence) {
  std::set<std::string> products;
  if (!check.when_product_exists.empty()) products.insert(check.when_product_exists);
  for (const Guard& guard : check.guards) {
    for (const std::string* product :
         {&guard.product, &guard.ids.product, &guard.answers.product, &guard.list.product,
          &guard.must_include.product, &guard.when_product_exists}) {
      if (!product->empty()) products.insert(*product);
    }
  }
  for (const std::string& product : products) {
    for (const ProductInstance& instance : state.Instances(product))
      evidence.Add(instance.current.seq);
  }
  auto problems = UnmetConditions(definition, state, check.guards, check.title, std::nullopt);
  if (problems.empty()) {
    finding.status = CheckStatus::kVoldaan;
    finding.detail = "Alle voorwaarden zijn vervuld.";
    return;
  }
  std::vector<std::string> details;
  for (const Problem& problem : problems) details.push_back(problem.detail);
  finding.status = CheckStatus::kNietVoldaan;
  finding.detail = Join(details, " ");
}

void DeadlineMet(const Definition& definition, const ProcessState& state, const CheckSpec& check,
                 Time now, Finding& finding, Evidence& evidence) {
  const DeadlineSpec* spec = nullptr;
  for (const DeadlineSpec& d : definition.deadlines) {
    if (d.key == check.deadline) spec = &d;
  }
  std::vector<std::string> late, running, met;
  for (const DeadlineState& deadline : state.deadlines) {
    if (deadline.key != check.deadline || deadline.cancelled_at) continue;
    evidence.Add(deadline.started_seq);
    evidence.Add(deadline.met_seq);
    evidence.Add(deadline.missed_seq);
    const std::string due = DutchDate(deadline.due);
    if (deadline.met_at) {
      const Date met_on = AmsterdamDate(*deadline.met_at);
      if (met_on <= deadline.due) {
        met.push_back("gehaald op " + DutchDate(met_on) + " (uiterlijk " + due + ")");
      } else {
        late.push_back("pas gehaald op " + DutchDate(met_on) + " (" + Seq(deadline.met_seq) +
                       "), uiterlijk was " + due);
      }
    } else if (now >= AmsterdamStartOfDay(AddDays(deadline.due, 1))) {
      late.push_back("verlopen: uiterlijk " + due + ", nog niet gehaald");
    } else {
      running.push_back("loopt nog tot en met " + due);
    }
  }
  const std::string title = spec->title;
  if (!late.empty()) {
    finding.status = CheckStatus::kNietVoldaan;
    finding.detail = "Termijn " + title + ": " + Join(late, "; ") + ".";
  } else if (!running.empty()) {
    finding.detail = "Nog niet aan de orde: termijn " + title + " " + Join(running, "; ") + ".";
  } else if (!met.empty()) {
    finding.status = CheckStatus::kVoldaan;
    finding.detail = "Termijn " + title + " " + Join(met, "; ") + ".";
  } else {
    finding.detail = "Niet van toepassing: termijn " + title + " is niet gestart.";
  }
}

void SavedWithin(const Definition& definition, const ProcessState& state, const CheckSpec& check,
                 Finding& finding, Evidence& evidence) {
  const ProductSpec& spec = *definition.Product(check.date.product);
  const auto& instances = state.Instances(spec.key);
  std::vector<std::string> late;
  bool any = false;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    auto date = DateValue(instances[i].current.content, check.date.field);
    if (!date) continue;
    any = true;
    evidence.Add(instances[i].first_seq);
    const Date saved_on = AmsterdamDate(instances[i].first_saved_at);
    if (saved_on > AddDays(*date, check.days)) {
      late.push_back(InstanceName(spec, i) + " (" + DutchDate(*date) + ") is pas vastgelegd op " +
                     DutchDate(saved_on) + " (" + Seq(instances[i].first_seq) + ")");
    }
  }
  if (!any) {
    finding.detail = "Niet van toepassing: er is nog geen " + spec.title + " met een datum.";
  } else if (late.empty()) {
    finding.status = CheckStatus::kVoldaan;
    finding.detail =
        "Elke " + spec.title + " is binnen " + std::to_string(check.days) + " dagen vastgelegd.";
  } else {
    finding.status = CheckStatus::kNietVoldaan;
    finding.detail = Join(late, "; ") + "; de norm is " + std::to_string(check.days) + " dagen.";
  }
}

void StateIn(const Definition& definition, const ProcessState& state, const CheckSpec& check,
             Finding& finding, Evidence& evidence) {
  evidence.Add(state.transitions.empty() ? 1 : state.transitions.back().seq);
  auto title = definition.state_titles.find(state.state);
  const std::string now_in = title == definition.state_titles.end() ? state.state : title->second;
  const bool in =
      std::find(check.states.begin(), check.states.end(), state.state) != check.states.end();
  finding.status = in ? CheckStatus::kVoldaan : CheckStatus::kNietVoldaan;
  finding.detail = "Het proces is in toestand '" + now_in + "'.";
}

// Fails only when an event's hash cannot be computed at all (OpenSSL failed): then nothing
// can be said about the chain.
Result<Finding> ChainFinding(const std::vector<Event>& trail, std::size_t& intact_events) {
  Finding finding{std::string(kChainCheckKey),
                  "Auditketen intact",
                  std::nullopt,
                  CheckStatus::kVoldaan,
                  "",
                  {}};
  std::string prev = GenesisHash();
  intact_events = 0;
  for (const Event& event : trail) {
    const std::int64_t expected = static_cast<std::int64_t>(intact_events) + 1;
    std::string problem;
    auto canonical = CanonicalEvent(event);
    std::string hash;
    if (canonical.ok()) {
      Result<std::string> computed = Sha256Hex(*canonical);
      if (!computed.ok()) return computed.status();
      hash = std::move(computed).value();
    }
    if (event.seq != expected) {
      problem = "volgnummer " + std::to_string(event.seq) + " waar " + std::to_string(expected) +
                " werd verwacht";
    } else if (!trail.empty() && event.process_id != trail.front().process_id) {
      problem = "de gebeurtenis hoort bij een ander proces";
    } else if (event.prev != prev) {
      problem = "prev verwijst niet naar de vorige gebeurtenis";
    } else if (!canonical.ok() || hash != event.hash) {
      problem = "de hash klopt niet met de inhoud";
    }
    if (!problem.empty()) {
      finding.status = CheckStatus::kNietVoldaan;
      finding.detail =
          "De keten breekt bij gebeurtenis " + std::to_string(expected) + ": " + problem + ".";
      finding.events = {expected};
      return finding;
    }
    prev = event.hash;
    ++intact_events;
  }
  if (trail.empty()) {
    finding.status = CheckStatus::kNietVoldaan;
    finding.detail = "Er zijn geen gebeurtenissen.";
    return finding;
  }
  finding.detail = "De hashketen van " + std::to_string(trail.size()) +
                   " gebeurtenissen klopt; de laatste hash is " + trail.back().hash + ".";
  finding.events = {1, trail.back().seq};
  if (trail.size() == 1) finding.events = {1};
  return finding;
}

}  // namespace

char StatusLetter(CheckStatus status) {
  switch (status) {
    case CheckStatus::kVoldaan:
      return 'v';
    case CheckStatus::kNietVoldaan:
      return 'n';
    case CheckStatus::kNietVanToepassing:
      return 'x';
  }
  return 'x';
}

std::optional<CheckStatus> StatusOfLetter(char letter) {
  if (letter == 'v') return CheckStatus::kVoldaan;
  if (letter == 'n') return CheckStatus::kNietVoldaan;
  if (letter == 'x') return CheckStatus::kNietVanToepassing;
  return std::nullopt;
}

std::optional<CheckStatus> CheckStatusNamed(std::string_view name) {
  for (CheckStatus status :
       {CheckStatus::kVoldaan, CheckStatus::kNietVoldaan, CheckStatus::kNietVanToepassing}) {
    if (name == CheckStatusName(status)) return status;
  }
  return std::nullopt;
}

const char* CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kVoldaan:
      return "voldaan";
    case CheckStatus::kNietVoldaan:
      return "niet_voldaan";
    case CheckStatus::kNietVanToepassing:
      return "niet_van_toepassing";
  }
  return "niet_van_toepassing";
}

std::vector<Finding> EvaluateChecks(const Definition& definition, const ProcessState& state,
                                    Time now) {
  std::vector<Finding> findings;
  findings.reserve(definition.checks.size());
  for (const CheckSpec& check : definition.checks) {
    Finding finding{check.key, check.title, check.cell, CheckStatus::kNietVanToepassing, "", {}};
    Evidence evidence;
    if (Applies(definition, state, check, finding, evidence)) {
      switch (check.kind) {
        case CheckKind::kAdoptedBefore:
          AdoptedBefore(definition, state, check, finding, evidence);
          break;
        case CheckKind::kAdoptionCurrent:
          AdoptionCurrent(definition, state, check, finding, evidence);
          break;
        case CheckKind::kGuards:
          GuardsHold(definition, state, check, finding, evidence);
          break;
        case CheckKind::kDeadlineMet:
          DeadlineMet(definition, state, check, now, finding, evidence);
          break;
        case CheckKind::kSavedWithin:
          SavedWithin(definition, state, check, finding, evidence);
          break;
        case CheckKind::kStateIn:
          StateIn(definition, state, check, finding, evidence);
          break;
      }
    }
    finding.events = evidence.Sorted();
    findings.push_back(std::move(finding));
  }
  return findings;
}

Result<CarefulnessReport> BuildCarefulnessReport(const Definition& definition,
                                                 const std::vector<Event>& trail, Time now) {
  CarefulnessReport report;
  std::size_t intact = 0;
  Result<Finding> checked = ChainFinding(trail, intact);
  if (!checked.ok()) return checked.status();
  Finding chain = std::move(checked).value();
  for (std::size_t i = 0; i < intact; ++i) {
    if (!Evolve(definition, report.state, trail[i]).ok()) {
      // The chain is sound but an event does not fit the process: the stored trail is damaged.
      chain.status = CheckStatus::kNietVoldaan;
      chain.detail = "Gebeurtenis " + std::to_string(trail[i].seq) +
                     " past niet bij het proces (onbekend soort of ongeldige gegevens).";
      chain.events = {trail[i].seq};
      break;
    }
  }
  report.findings.push_back(std::move(chain));
  auto checks = EvaluateChecks(definition, report.state, now);
  std::move(checks.begin(), checks.end(), std::back_inserter(report.findings));
  return report;
}

std::string EncodeStatuses(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& finding : findings) {
    if (!text.empty()) text += ';';
    text += finding.key;
    text += '=';
    text += StatusLetter(finding.status);
  }
  return text;
}

std::vector<std::pair<std::string, CheckStatus>> DecodeStatuses(std::string_view text) {
  std::vector<std::pair<std::string, CheckStatus>> statuses;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(';'), text.size());
    const std::string_view entry = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (entry.size() < 3 || entry[entry.size() - 2] != '=') continue;
    const std::optional<CheckStatus> status = StatusOfLetter(entry.back());
    if (status) statuses.emplace_back(std::string(entry.substr(0, entry.size() - 2)), *status);
  }
  return statuses;
}

std::vector<ImprovementPoint> ImprovementPoints(const Definition& definition,
                                                const ProcessState& state) {
  std::vector<ImprovementPoint> points;
  if (!definition.improvement_points) return points;
  const ImprovementPointsSpec& spec = *definition.improvement_points;
  for (const ProductInstance& instance : state.Instances(spec.items.product)) {
    auto items = instance.current.content.find(spec.items.field);
    if (items == instance.current.content.end() || !items->is_array()) continue;
    for (const json& item : *items) {
      if (!item.is_object()) continue;
      auto text = item.find(spec.text_field);
      auto level = item.find(spec.level_field);
      auto role = item.find(spec.role_field);
      if (text == item.end() || level == item.end() || role == item.end() || !text->is_string() ||
          !level->is_string() || !role->is_string()) {
        continue;  // an incomplete draft item has no cell yet
      }
      points.push_back(
          ImprovementPoint{text->get<std::string>(),
                           BorgingshuisCell{level->get<std::string>(), role->get<std::string>()},
                           instance.current.seq});
    }
  }
  return points;
}

std::string EncodeImprovementPoints(const std::vector<ImprovementPoint>& points) {
  std::string text;
  for (const ImprovementPoint& point : points) {
    text += point.cell.level + '\t' + point.cell.role + '\t' + std::to_string(point.seq) + '\t';
    for (const char c : point.text) {
      if (c == '\\') {
        text += "\\\\";
      } else if (c == '\t') {
        text += "\\t";
      } else if (c == '\n') {
        text += "\\n";
      } else {
        text += c;
      }
    }
    text += '\n';
  }
  return text;
}

std::vector<ImprovementPoint> DecodeImprovementPoints(std::string_view text, bool with_text) {
  std::vector<ImprovementPoint> points;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    std::string_view parts[3];
    bool complete = true;
    for (std::string_view& part : parts) {
      const std::size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        complete = false;
        break;
      }
      part = line.substr(0, tab);
      line.remove_prefix(tab + 1);
    }
    std::int64_t seq = 0;
    if (!complete || std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), seq).ec !=
                         std::errc()) {
      continue;
    }
    ImprovementPoint point{"", BorgingshuisCell{std::string(parts[0]), std::string(parts[1])}, seq};
    if (with_text) {
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          const char next = line[++i];
          point.text += next == 't' ? '\t' : next == 'n' ? '\n' : next;
        } else {
          point.text += line[i];
        }
      }
    }
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace navolg
