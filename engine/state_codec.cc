#include "engine/state_codec.h"

#include <stdexcept>

namespace navolg {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<Time>& t) { return t ? json(FormatTime(*t)) : json(); }

Time TimeOf(const json& value) {
  auto t = ParseTime(value.get_ref<const std::string&>());
  if (!t) throw std::invalid_argument("bad time " + value.dump());
  return *t;
}

std::optional<Time> OptionalTimeOf(const json& value) {
  if (value.is_null()) return std::nullopt;
  return TimeOf(value);
}

Date DateOf(const json& value) {
  auto d = ParseDate(value.get_ref<const std::string&>());
  if (!d) throw std::invalid_argument("bad date " + value.dump());
  return *d;
}

json EncodeActor(const Actor& actor) { return {actor.user, actor.role}; }

Actor DecodeActor(const json& j) {
  return Actor{j.at(0).get<std::string>(), j.at(1).get<std::string>()};
}

json EncodeInstance(const ProductInstance& instance) {
  json adoptions = json::array();
  for (const AdoptionRecord& a : instance.adoptions) {
    adoptions.push_back({a.seq, FormatTime(a.at), a.version, a.hash});
  }
  const ProductVersion& current = instance.current;
  return {{"version", current.version},
          {"hash", current.hash},
          {"saved_by", EncodeActor(current.saved_by)},
          {"saved_at", FormatTime(current.saved_at)},
          {"seq", current.seq},
          {"first_saved_at", FormatTime(instance.first_saved_at)},
          {"first_seq", instance.first_seq},
          {"adoptions", std::move(adoptions)},
          {"adopted", {instance.adopted_hash, instance.adopted_version, instance.adopted_seq}},
          {"offered",
           {instance.offered_hash, instance.offered_version, instance.offered_seq,
            FormatTime(instance.offered_at), EncodeActor(instance.offered_by)}}};
}

ProductInstance DecodeInstance(const json& j) {
  ProductInstance instance;
  ProductVersion& current = instance.current;
  current.version = j.at("version").get<std::int64_t>();
  current.hash = j.at("hash").get<std::string>();
  current.content = nullptr;
  current.saved_by = DecodeActor(j.at("saved_by"));
  current.saved_at = TimeOf(j.at("saved_at"));
  current.seq = j.at("seq").get<std::int64_t>();
  instance.first_saved_at = TimeOf(j.at("first_saved_at"));
  instance.first_seq = j.at("first_seq").get<std::int64_t>();
  for (const json& a : j.at("adoptions")) {
    instance.adoptions.push_back(AdoptionRecord{a.at(0).get<std::int64_t>(), TimeOf(a.at(1)),
                                                a.at(2).get<std::int64_t>(),
                                                a.at(3).get<std::string>()});
  }
  const json& adopted = j.at("adopted");
  instance.adopted_hash = adopted.at(0).get<std::string>();
  instance.adopted_version = adopted.at(1).get<std::int64_t>();
  instance.adopted_seq = adopted.at(2).get<std::int64_t>();
  // Absent in a snapshot written before offers existed: never offered.
  if (auto offered = j.find("offered"); offered != j.end()) {
    instance.offered_hash = offered->at(0).get<std::string>();
    instance.offered_version = offered->at(1).get<std::int64_t>();
    instance.offered_seq = offered->at(2).get<std::int64_t>();
    instance.offered_at = TimeOf(offered->at(3));
    instance.offered_by = DecodeActor(offered->at(4));
  }
  return instance;
}

json EncodeReminder(const Reminder& r) {
  return {r.seq, FormatTime(r.at), EncodeActor(r.by), r.to, r.bericht};
}

Reminder DecodeReminder(const json& j) {
  return Reminder{j.at(0).get<std::int64_t>(), TimeOf(j.at(1)), DecodeActor(j.at(2)),
                  j.at(3).get<std::string>(), j.at(4).get<std::string>()};
}

json EncodeHandover(const Handover& h) {
  return {h.seq, FormatTime(h.at), EncodeActor(h.by), h.from, h.to};
}

Handover DecodeHandover(const json& j) {
  return Handover{j.at(0).get<std::int64_t>(), TimeOf(j.at(1)), DecodeActor(j.at(2)),
                  j.at(3).get<std::string>(), j.at(4).get<std::string>()};
}

json EncodeDeadline(const DeadlineState& d) {
  return {{"key", d.key},
          {"instance", d.instance},
          {"started_on", FormatDate(d.started_on)},
          {"due", FormatDate(d.due)},
          {"started_seq", d.started_seq},
          {"met_seq", d.met_seq},
          {"missed_seq", d.missed_seq},
          {"met_at", OptionalTime(d.met_at)},
          {"cancelled_at", OptionalTime(d.cancelled_at)},
          {"missed_recorded_at", OptionalTime(d.missed_recorded_at)},
          {"reminders", d.reminder_count},
          {"last_reminder", d.last_reminder ? EncodeReminder(*d.last_reminder) : json()}};
}

DeadlineState DecodeDeadline(const json& j) {
  DeadlineState d;
  d.key = j.at("key").get<std::string>();
  d.instance = j.at("instance").get<std::int64_t>();
  d.started_on = DateOf(j.at("started_on"));
  d.due = DateOf(j.at("due"));
  d.started_seq = j.at("started_seq").get<std::int64_t>();
  d.met_seq = j.at("met_seq").get<std::int64_t>();
  d.missed_seq = j.at("missed_seq").get<std::int64_t>();
  d.met_at = OptionalTimeOf(j.at("met_at"));
  d.cancelled_at = OptionalTimeOf(j.at("cancelled_at"));
  d.missed_recorded_at = OptionalTimeOf(j.at("missed_recorded_at"));
  // Snapshots written before reminders existed have neither member.
  d.reminder_count = j.value("reminders", std::int64_t{0});
  if (auto r = j.find("last_reminder"); r != j.end() && !r->is_null()) {
    d.last_reminder = DecodeReminder(*r);
  }
  return d;
}

}  // namespace

json EncodeState(const ProcessState& state) {
  json products = json::object();
  for (const auto& [key, instances] : state.products) {
    json list = json::array();
    for (const ProductInstance& instance : instances) list.push_back(EncodeInstance(instance));
    products[key] = std::move(list);
  }
  json deadlines = json::array();
  for (const DeadlineState& d : state.deadlines) deadlines.push_back(EncodeDeadline(d));
  json transitions = json::array();
  for (const TakenTransition& t : state.transitions) {
    transitions.push_back({t.key, t.seq, FormatTime(t.at)});
  }
  return {{"v", kStateCodecVersion},
          {"id", state.id},
          {"workflow", {state.workflow_key, state.workflow_version, state.workflow_hash}},
          {"title", state.title},
          {"state", state.state},
          {"version", state.version},
          {"head_hash", state.head_hash},
          {"created_at", FormatTime(state.created_at)},
          {"updated_at", FormatTime(state.updated_at)},
          {"closed_at", OptionalTime(state.closed_at)},
          {"products", std::move(products)},
          {"deadlines", std::move(deadlines)},
          {"transitions", std::move(transitions)},
          {"generated_id_counters", state.generated_id_counters},
          {"handover", state.handover ? EncodeHandover(*state.handover) : json()}};
}

Result<ProcessState> DecodeState(const json& j) {
  try {
    if (j.at("v").get<int>() != kStateCodecVersion) {
      return Status(Code::kDataLoss, "snapshot format " + j.at("v").dump() + " is not known");
    }
    ProcessState state;
    state.id = j.at("id").get<std::string>();
    const json& workflow = j.at("workflow");
    state.workflow_key = workflow.at(0).get<std::string>();
    state.workflow_version = workflow.at(1).get<std::int64_t>();
    state.workflow_hash = workflow.at(2).get<std::string>();
    state.title = j.at("title").get<std::string>();
    state.state = j.at("state").get<std::string>();
    state.version = j.at("version").get<std::int64_t>();
    state.head_hash = j.at("head_hash").get<std::string>();
    state.created_at = TimeOf(j.at("created_at"));
    state.updated_at = TimeOf(j.at("updated_at"));
    state.closed_at = OptionalTimeOf(j.at("closed_at"));
    for (const auto& [key, list] : j.at("products").items()) {
      auto& instances = state.products[key];
      for (const json& instance : list) instances.push_back(DecodeInstance(instance));
    }
    for (const json& d : j.at("deadlines")) state.deadlines.push_back(DecodeDeadline(d));
    for (const json& t : j.at("transitions")) {
      state.transitions.push_back(TakenTransition{t.at(0).get<std::string>(),
                                                  t.at(1).get<std::int64_t>(), TimeOf(t.at(2))});
    }
    state.generated_id_counters =
        j.at("generated_id_counters").get<std::map<std::string, std::int64_t>>();
    // Snapshots written before hand-overs existed have no such member.
    if (auto h = j.find("handover"); h != j.end() && !h->is_null()) {
      state.handover = DecodeHandover(*h);
    }
    return state;
  } catch (const std::exception& e) {
    return Status(Code::kDataLoss, std::string("unreadable snapshot: ") + e.what());
  }
}

}  // namespace navolg
