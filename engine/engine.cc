#include "engine/engine.h"

#include <algorithm>

#include "engine/assignee.h"
#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/deadlines.h"
#include "engine/guards.h"
#include "engine/product_rules.h"
#include "engine/role.h"
#include "engine/sha256.h"
#include "engine/text.h"

namespace navolg {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxTitleLength = 200;
// A motivation is free text like a longtext field, with the same bound.
constexpr std::int64_t kMaxMotivationLength = kDefaultLongtextLength;

bool Is(const std::string& name, bool (*predicate)(Role)) {
  const std::optional<Role> role = ParseRole(name);
  return role && predicate(*role);
}

bool IsSystem(const std::string& name) { return ParseRole(name) == Role::kSystem; }

Refusal Refuse(RefusalKind kind, std::string code, std::string detail, std::string product = "") {
  Refusal refusal{kind, detail, {}};
  refusal.problems.push_back(Problem{std::move(code), std::move(product), 0, "", detail});
  return refusal;
}

// A refused value: 422, with the field named so a form can mark it.
Refusal RefuseValue(std::string code, std::string field, std::string detail) {
  Refusal refusal{RefusalKind::kInvalid, detail, {}};
  refusal.problems.push_back(Problem{std::move(code), "", 0, std::move(field), detail});
  return refusal;
}

// Why `title` cannot be a process title; nullopt when it can.
std::optional<Refusal> CheckTitle(const std::string& title) {
  switch (FindTitleFault(title)) {
    case TitleFault::kEmpty:
      return RefuseValue("titel_ongeldig", "title",
                         "Geef het proces een titel; spaties en onzichtbare tekens alleen "
                         "tellen niet.");
    case TitleFault::kControl:
    case TitleFault::kLineSeparator:
      return RefuseValue("titel_ongeldig", "title",
                         "Een titel is een regel tekst, zonder regeleinden, tabs of andere "
                         "stuurtekens.");
    case TitleFault::kNone:
      break;
  }
  if (const std::int64_t length = CharacterCount(title); length > kMaxTitleLength) {
    return RefuseValue("te_lang", "title",
                       "De titel is te lang: " + std::to_string(length) + " tekens, hoogstens " +
                           std::to_string(kMaxTitleLength) + ".");
  }
  return std::nullopt;
}

// Why an optional free text (a motivation, a note) cannot be kept; nullopt when it can.
std::optional<Refusal> CheckFreeText(const std::optional<std::string>& text, const char* field,
                                     const std::string& what) {
  if (!text) return std::nullopt;
  if (const std::int64_t length = CharacterCount(*text); length > kMaxMotivationLength) {
    return RefuseValue("te_lang", field,
                       what + " is te lang: " + std::to_string(length) + " tekens, hoogstens " +
                           std::to_string(kMaxMotivationLength) + ".");
  }
  return std::nullopt;
}

Refusal RefuseAll(RefusalKind kind, std::string detail, std::vector<Problem> problems) {
  return Refusal{kind, std::move(detail), std::move(problems)};
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string joined;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) joined += i + 1 == roles.size() ? " en " : ", ";
    joined += roles[i];
  }
  return joined;
}

bool HasRole(const std::vector<std::string>& roles, const std::string& role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// Builds, seals and applies events one by one, so each sees the state its predecessor left.
class EventWriter {
 public:
  EventWriter(const Definition& definition, ProcessState state, const Actor& actor, Time now)
      : definition_(definition), state_(std::move(state)), actor_(actor), now_(now) {}

  // Fails only when the data cannot be sealed, which valid input never causes.
  Status Append(std::string type, json data, const std::string& process_id = "") {
    Event event;
    event.seq = state_.version + 1;
    event.process_id = process_id.empty() ? state_.id : process_id;
    event.type = std::move(type);
    event.at = now_;
    event.actor = actor_;
    event.data = std::move(data);
    event.prev = state_.head_hash;
    Status sealed = SealEvent(event);
    if (!sealed.ok()) return sealed;
    Status applied = Evolve(definition_, state_, event);
    if (!applied.ok()) return applied;
    events_.push_back(std::move(event));
    return Status::Ok();
  }

  Status AppendDeadlineEvents(const DeadlineTrigger& trigger) {
    for (EventDraft& draft : DeadlineEvents(definition_, state_, trigger, AmsterdamDate(now_))) {
      Status status = Append(std::move(draft.type), std::move(draft.data));
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  const ProcessState& state() const { return state_; }
  Decision Finish() { return Accepted{std::move(events_), std::move(state_)}; }

 private:
  const Definition& definition_;
  ProcessState state_;
  const Actor& actor_;
  Time now_;
  std::vector<Event> events_;
};

Decision Failed(const Status& status) {
  return Refuse(RefusalKind::kBadRequest, "ongeldige_opdracht",
                "De opdracht kon niet worden vastgelegd: " + status.message());
}

class CommandRunner {
 public:
  CommandRunner(const Definition& definition, ProcessState state, const Actor& actor, Time now)
      : d_(definition),
        writer_(definition, std::move(state), actor, now),
        actor_(actor),
        now_(now) {}

  Decision operator()(const CreateProcess& command);
  Decision operator()(SaveProduct& command);
  Decision operator()(const AdoptProduct& command);
  Decision operator()(const OfferForAdoption& command);
  Decision operator()(const TakeTransition& command);
  Decision operator()(const StopProcess& command);
  Decision operator()(const HandOver& command);
  Decision operator()(const RemindOfDeadline& command);
  Decision operator()(const RecordMissedDeadlines& command);

 private:
  const ProcessState& state() const { return writer_.state(); }

  // The product an adoption or an offer is about, in an open process: sets `spec` to one
  // with an adoption role when it returns no refusal.
  std::optional<Refusal> FindAdoptedProduct(const std::string& product,
                                            const ProductSpec*& spec) const {
    if (auto refusal = CheckOpenProcess()) return refusal;
    spec = d_.Product(product);
    if (spec == nullptr) {
      return Refuse(RefusalKind::kNotFound, "product_onbekend",
                    "Dit proces kent geen product '" + product + "'.", product);
    }
    if (!spec->adoption_role) {
      return Refuse(RefusalKind::kConflict, "niet_vast_te_stellen",
                    spec->title + " wordt niet vastgesteld.", spec->key);
    }
    return std::nullopt;
  }

  // The instance an adoption or an offer is about: it exists, has the version the caller
  // saw (`expected_hash`, when given), is complete and not yet adopted. `spec` has an
  // adoption role. Sets `number` (1, 2, ...) when it returns no refusal.
  std::optional<Refusal> CheckAdoptable(const ProductSpec& spec, std::int64_t instance_number,
                                        const std::string& expected_hash, const char* done,
                                        std::int64_t& number) const;

  // Refusals shared by every command on an existing process; nullopt when it may go on.
  std::optional<Refusal> CheckOpenProcess() const {
    if (state().version == 0) {
      return Refuse(RefusalKind::kNotFound, "proces_onbekend", "Dit proces bestaat niet.");
    }
    if (IsSystem(actor_.role)) return std::nullopt;
    if (!Is(actor_.role, &ActsInProcesses)) {
      return Refuse(RefusalKind::kForbidden, "rol_niet_toegestaan",
                    "De rol " + actor_.role + " handelt niet in processen.");
    }
    if (d_.IsEndState(state().state)) {
      return Refuse(RefusalKind::kConflict, "proces_afgesloten",
                    "Dit proces is afgesloten (" + d_.state_titles.at(state().state) +
                        "); er kan niets meer worden gewijzigd.");
    }
    return std::nullopt;
  }

  const Definition& d_;
  EventWriter writer_;
  const Actor& actor_;
  Time now_;
};

Decision CommandRunner::operator()(const CreateProcess& command) {
  if (state().version != 0) {
    return Refuse(RefusalKind::kConflict, "proces_bestaat", "Dit proces bestaat al.");
  }
  if (!Is(actor_.role, &StartsProcesses)) {
    return Refuse(RefusalKind::kForbidden, "rol_niet_toegestaan",
                  "Alleen " + JoinRoleNames(RolesWhere(&StartsProcesses)) + " starten een proces.");
  }
  if (command.process_id.empty()) {
    return Refuse(RefusalKind::kBadRequest, "id_ontbreekt", "Een proces heeft een id nodig.");
  }
  if (auto refusal = CheckTitle(command.title)) return *refusal;
  json data{{"workflow", {{"key", d_.key}, {"version", d_.version}, {"hash", d_.hash}}},
            {"title", command.title},
            {"state", d_.start_state}};
  Status status = writer_.Append("process.created", std::move(data), command.process_id);
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(SaveProduct& command) {
  if (auto refusal = CheckOpenProcess()) return *refusal;
  const ProductSpec* spec = d_.Product(command.product);
  if (spec == nullptr) {
    return Refuse(RefusalKind::kNotFound, "product_onbekend",
                  "Dit proces kent geen product '" + command.product + "'.", command.product);
  }
  if (!HasRole(spec->editors, actor_.role)) {
    return Refuse(RefusalKind::kForbidden, "rol_niet_toegestaan",
                  spec->title + " wordt bewerkt door " + JoinRoles(spec->editors) + ".", spec->key);
  }
  if (!d_.ProductEditableIn(*spec, state().state)) {
    return Refuse(RefusalKind::kConflict, "niet_bewerkbaar",
                  spec->title + " kan niet worden bewerkt in de fase '" +
                      d_.state_titles.at(state().state) + "'.",
                  spec->key);
  }
  const auto count = static_cast<std::int64_t>(state().Instances(spec->key).size());
  std::int64_t instance = command.instance;
  if (!spec->repeating) {
    // Only "no number" names the one instance: .../products/kadernotitie/1 is no address.
    if (instance != 0) {
      return Refuse(RefusalKind::kNotFound, "exemplaar_onbekend",
                    spec->title + " heeft geen genummerde exemplaren; sla het op zonder nummer.",
                    spec->key);
    }
    instance = 1;
  } else if (instance < 1 || instance > count + 1) {
    return Refuse(RefusalKind::kNotFound, "exemplaar_onbekend",
                  spec->title + " " + std::to_string(instance) +
                      " bestaat niet; een nieuw exemplaar krijgt nummer " +
                      std::to_string(count + 1) + ".",
                  spec->key);
  }

  auto invalid = InvalidValues(*spec, instance, command.content, AmsterdamDate(now_));
  json content = std::move(command.content);
  if (invalid.empty()) invalid = AssignGeneratedIds(*spec, instance, content, state());
  if (!invalid.empty()) {
    return RefuseAll(RefusalKind::kInvalid,
                     ProductName(*spec, instance) + " bevat ongeldige waarden.",
                     std::move(invalid));
  }
  // Nulls mean "no value"; they are not kept.
  for (auto it = content.begin(); it != content.end();) {
    it = it->is_null() ? content.erase(it) : std::next(it);
  }
  auto canonical = Canonicalize(content);
  if (!canonical.ok()) return Failed(canonical.status());
  auto hashed = Sha256Hex(*canonical);
  if (!hashed.ok()) return Failed(hashed.status());
  std::string hash = std::move(hashed).value();

  std::int64_t version = 1;
  std::int64_t voided = 0;
  if (instance <= count) {
    const ProductInstance& target =
        state().Instances(spec->key)[static_cast<std::size_t>(instance - 1)];
    const ProductVersion& current = target.current;
    if (current.hash == hash) return writer_.Finish();  // unchanged: nothing to record
    version = current.version + 1;
    voided = target.adopted() ? target.adopted_version : 0;
    if (voided != 0 && !command.voids_adoption) {
      return Refuse(RefusalKind::kConflict, "vaststelling_vervalt",
                    "Versie " + std::to_string(voided) + " van " + ProductName(*spec, instance) +
                        " is vastgesteld. Een nieuwe versie laat die vaststelling vervallen; "
                        "bevestig dat u dat wilt.",
                    spec->key);
    }
  }
  json data{{"product", spec->key}, {"instance", instance}, {"version", version}};
  // The adopted version this one replaces: from now on it waits for adoption again.
  if (voided != 0) data["voids_adoption_of"] = voided;
  data["hash"] = std::move(hash);
  // Not in the initializer list: nlohmann copies those elements, and content can be large.
  data["content"] = std::move(content);
  Status status = writer_.Append("product.saved", std::move(data));
  if (status.ok()) status = writer_.AppendDeadlineEvents({"", spec->key});
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(const AdoptProduct& command) {
  const ProductSpec* spec = nullptr;
  if (auto refusal = FindAdoptedProduct(command.product, spec)) return *refusal;
  if (actor_.role != *spec->adoption_role) {
    return Refuse(RefusalKind::kForbidden, "rol_niet_toegestaan",
                  spec->title + " wordt vastgesteld door " + *spec->adoption_role + ".", spec->key);
  }
  std::int64_t instance = 0;
  if (auto refusal =
          CheckAdoptable(*spec, command.instance, command.expected_hash, "vastgesteld", instance)) {
    return *refusal;
  }
  const ProductInstance& target =
      state().Instances(spec->key)[static_cast<std::size_t>(instance - 1)];
  json data{{"product", spec->key},
            {"instance", instance},
            {"version", target.current.version},
            {"hash", target.current.hash}};
  Status status = writer_.Append("product.adopted", std::move(data));
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

std::optional<Refusal> CommandRunner::CheckAdoptable(const ProductSpec& spec,
                                                     std::int64_t instance_number,
                                                     const std::string& expected_hash,
                                                     const char* done, std::int64_t& number) const {
  const auto& instances = state().Instances(spec.key);
  if (!spec.repeating && instance_number != 0) {
    return RefuseValue("exemplaar_ongeldig", "instance",
                       spec.title + " heeft geen genummerde exemplaren; laat 'instance' weg.");
  }
  if (spec.repeating && instance_number < 1) {
    return RefuseValue(
        "exemplaar_ongeldig", "instance",
        "Geef het nummer van het exemplaar van " + spec.title + " ('instance': 1, 2, ...).");
  }
  const std::int64_t instance = spec.repeating ? instance_number : 1;
  if (instance > static_cast<std::int64_t>(instances.size())) {
    return Refuse(RefusalKind::kConflict, "product_ontbreekt",
                  ProductName(spec, instance) + " is nog niet opgesteld.", spec.key);
  }
  const ProductInstance& target = instances[static_cast<std::size_t>(instance - 1)];
  if (!expected_hash.empty() && expected_hash != target.current.hash) {
    return Refuse(RefusalKind::kConflict, "versie_gewijzigd",
                  ProductName(spec, instance) + " is gewijzigd sinds u het las (nu versie " +
                      std::to_string(target.current.version) + "); lees de tekst opnieuw.",
                  spec.key);
  }
  if (target.adopted()) {
    return Refuse(RefusalKind::kConflict, "al_vastgesteld",
                  "Versie " + std::to_string(target.current.version) + " van " +
                      ProductName(spec, instance) + " is al vastgesteld.",
                  spec.key);
  }
  auto missing = MissingFields(spec, instance, target.current.content);
  if (!missing.empty()) {
    return RefuseAll(
        RefusalKind::kConflict,
        ProductName(spec, instance) + " is nog niet compleet en kan niet worden " + done + ".",
        std::move(missing));
  }
  number = instance;
  return std::nullopt;
}

Decision CommandRunner::operator()(const OfferForAdoption& command) {
  const ProductSpec* spec = nullptr;
  if (auto refusal = FindAdoptedProduct(command.product, spec)) return *refusal;
  if (!HasRole(spec->editors, actor_.role)) {
    return Refuse(
        RefusalKind::kForbidden, "rol_niet_toegestaan",
        spec->title + " wordt ter vaststelling aangeboden door " + JoinRoles(spec->editors) + ".",
        spec->key);
  }
  std::int64_t instance = 0;
  if (auto refusal = CheckAdoptable(*spec, command.instance, command.expected_hash,
                                    "aangeboden ter vaststelling", instance)) {
    return *refusal;
  }
  const ProductInstance& target =
      state().Instances(spec->key)[static_cast<std::size_t>(instance - 1)];
  if (target.offered()) {
    return Refuse(RefusalKind::kConflict, "al_aangeboden",
                  "Versie " + std::to_string(target.current.version) + " van " +
                      ProductName(*spec, instance) + " is al ter vaststelling aangeboden.",
                  spec->key);
  }
  json data{{"product", spec->key},
            {"instance", instance},
            {"version", target.current.version},
            {"hash", target.current.hash}};
  Status status = writer_.Append("product.offered", std::move(data));
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(const TakeTransition& command) {
  if (auto refusal = CheckOpenProcess()) return *refusal;
  const TransitionSpec* transition = d_.Transition(command.transition);
  if (transition == nullptr) {
    return Refuse(RefusalKind::kNotFound, "overgang_onbekend",
                  "Dit proces kent geen stap '" + command.transition + "'.");
  }
  if (!HasRole(transition->roles, actor_.role)) {
    return Refuse(
        RefusalKind::kForbidden, "rol_niet_toegestaan",
        "'" + transition->title + "' is voorbehouden aan " + JoinRoles(transition->roles) + ".");
  }
  if (auto refusal = CheckFreeText(command.motivatie, "motivatie", "De motivering")) {
    return *refusal;
  }
  const std::string from = state().state;
  if (!d_.TransitionLeaves(*transition, from)) {
    return Refuse(
        RefusalKind::kConflict, "overgang_niet_mogelijk",
        "'" + transition->title + "' kan niet vanuit de fase '" + d_.state_titles.at(from) + "'.");
  }
  auto unmet = UnmetGuards(d_, state(), *transition, command.motivatie);
  if (!unmet.empty()) {
    // Counted before `unmet` is moved: the order in which arguments are evaluated is unspecified.
    std::string detail =
        "'" + transition->title + "' kan nog niet: " + std::to_string(unmet.size()) +
        (unmet.size() == 1 ? " voorwaarde is" : " voorwaarden zijn") + " niet vervuld.";
    return RefuseAll(RefusalKind::kConflict, std::move(detail), std::move(unmet));
  }
  json data{{"transition", transition->key}, {"from", from}, {"to", transition->to}};
  if (command.motivatie && !command.motivatie->empty()) data["motivatie"] = *command.motivatie;
  Status status = writer_.Append(transition->stops_process ? "process.stopped" : "transition.taken",
                                 std::move(data));
  if (status.ok()) status = writer_.AppendDeadlineEvents({transition->key, ""});
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(const StopProcess& command) {
  if (auto refusal = CheckOpenProcess()) return *refusal;
  for (const TransitionSpec& transition : d_.transitions) {
    if (transition.stops_process && d_.TransitionLeaves(transition, state().state)) {
      return (*this)(TakeTransition{transition.key, command.motivatie});
    }
  }
  return Refuse(
      RefusalKind::kConflict, "stoppen_niet_mogelijk",
      "Dit proces kan in de fase '" + d_.state_titles.at(state().state) + "' niet worden gestopt.");
}

// Refuses a role that does not manage processes; nullopt for a manager.
std::optional<Refusal> CheckManager(const std::string& role, const std::string& what) {
  if (Is(role, &ManagesProcesses)) return std::nullopt;
  return Refuse(
      RefusalKind::kForbidden, "rol_niet_toegestaan",
      what + " is voorbehouden aan " + JoinRoleNames(RolesWhere(&ManagesProcesses)) + ".");
}

Decision CommandRunner::operator()(const HandOver& command) {
  if (auto refusal = CheckOpenProcess()) return *refusal;
  if (auto refusal = CheckManager(actor_.role, "Een proces overdragen")) return *refusal;
  if (!d_.assignee) {
    return Refuse(RefusalKind::kConflict, "geen_toewijzing",
                  "Processen van deze procesdefinitie worden niet aan iemand toegewezen.");
  }
  if (IsBlank(command.to)) {
    return RefuseValue("veld_ontbreekt", "to", "Kies aan wie u het proces overdraagt.");
  }
  const std::optional<std::string> from = CurrentAssignee(d_, state());
  if (from == command.to) {
    return RefuseValue("al_toegewezen", "to",
                       "Het proces is al aan deze persoon toegewezen; kies iemand anders.");
  }
  if (auto refusal = CheckFreeText(command.toelichting, "toelichting", "De toelichting")) {
    return *refusal;
  }
  json data{{"from", from ? json(*from) : json()}, {"to", command.to}};
  if (command.toelichting && !IsBlank(*command.toelichting)) {
    data["toelichting"] = *command.toelichting;
  }
  Status status = writer_.Append("process.handed_over", std::move(data));
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(const RemindOfDeadline& command) {
  if (auto refusal = CheckOpenProcess()) return *refusal;
  if (auto refusal = CheckManager(actor_.role, "Een herinnering sturen")) return *refusal;
  const DeadlineSpec* spec = d_.Deadline(command.deadline);
  if (spec == nullptr) {
    return Refuse(RefusalKind::kNotFound, "termijn_onbekend",
                  "Dit proces kent geen termijn '" + command.deadline + "'.");
  }
  const DeadlineState* open = nullptr;
  for (const DeadlineState& deadline : state().deadlines) {
    if (deadline.key == spec->key && deadline.open()) open = &deadline;
  }
  if (open == nullptr) {
    return Refuse(
        RefusalKind::kConflict, "termijn_niet_open",
        "De termijn '" + spec->title + "' loopt nu niet; er is niets om aan te herinneren.");
  }
  const std::optional<std::string> assignee = CurrentAssignee(d_, state());
  if (!assignee) {
    return Refuse(RefusalKind::kConflict, "geen_toewijzing",
                  "Dit proces is nog aan niemand toegewezen; wijs eerst een adviseur toe.");
  }
  if (auto refusal = CheckFreeText(command.bericht, "bericht", "Het bericht")) return *refusal;
  json data{{"deadline", open->key},
            {"instance", open->instance},
            {"due", FormatDate(open->due)},
            {"to", *assignee}};
  if (command.bericht && !IsBlank(*command.bericht)) data["bericht"] = *command.bericht;
  Status status = writer_.Append("deadline.reminded", std::move(data));
  if (!status.ok()) return Failed(status);
  return writer_.Finish();
}

Decision CommandRunner::operator()(const RecordMissedDeadlines&) {
  if (state().version == 0) {
    return Refuse(RefusalKind::kNotFound, "proces_onbekend", "Dit proces bestaat niet.");
  }
  if (!IsSystem(actor_.role)) {
    return Refuse(RefusalKind::kForbidden, "rol_niet_toegestaan",
                  "Alleen navolg zelf legt verlopen termijnen vast.");
  }
  std::vector<json> missed;
  for (const DeadlineState& deadline : state().deadlines) {
    if (IsOverdue(deadline, now_) && !deadline.missed_recorded_at) {
      missed.push_back(json{{"deadline", deadline.key},
                            {"instance", deadline.instance},
                            {"due", FormatDate(deadline.due)}});
    }
  }
  for (json& data : missed) {
    Status status = writer_.Append("deadline.missed", std::move(data));
    if (!status.ok()) return Failed(status);
  }
  return writer_.Finish();
}

}  // namespace

Decision Execute(const Definition& definition, ProcessState state, Command command,
                 const Actor& actor, Time now) {
  CommandRunner runner(definition, std::move(state), actor, now);
  return std::visit(runner, command);
}

std::vector<NextStep> NextSteps(const Definition& definition, const ProcessState& state,
                                const std::string& role) {
  std::vector<NextStep> steps;
  for (const TransitionSpec& transition : definition.transitions) {
    if (!definition.TransitionLeaves(transition, state.state)) continue;
    NextStep step{transition.key, transition.title, transition.to, false, {}};
    if (!HasRole(transition.roles, role)) {
      step.missing.push_back(Problem{
          "rol_niet_toegestaan", "", 0, "",
          "'" + transition.title + "' is voorbehouden aan " + JoinRoles(transition.roles) + "."});
    }
    // Motivation is given with the command itself, so it does not block a step in advance.
    auto unmet = UnmetGuards(definition, state, transition, std::string("(bij de opdracht)"));
    step.missing.insert(step.missing.end(), unmet.begin(), unmet.end());
    step.allowed = step.missing.empty();
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace navolg
