#include "api/http/process_view.h"

#include "api/http/people.h"
#include "api/http/policy.h"
#include "api/http/problem.h"
#include "engine/assignee.h"
#include "engine/deadlines.h"
#include "engine/engine.h"
#include "engine/guards.h"
#include "engine/product_rules.h"

namespace navolg::http {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<Time>& t) { return t ? json(FormatTime(*t)) : json(nullptr); }

json ActorJson(const Actor& actor) { return json{{"user", actor.user}, {"role", actor.role}}; }

// The offer of the current version for adoption, or null when it was not offered.
json OfferJson(const ProductInstance& instance) {
  if (!instance.offered()) return nullptr;
  return json{{"version", instance.offered_version},
              {"at", FormatTime(instance.offered_at)},
              {"by", ActorJson(instance.offered_by)}};
}

json InstanceEntry(const ProductSpec& spec, const ProductInstance& instance, std::int64_t number) {
  std::vector<Problem> missing = MissingFields(spec, number, instance.current.content);
  // As IncompleteProduct reports them: instance 0 for a non-repeating product.
  if (!spec.repeating) {
    for (Problem& p : missing) p.instance = 0;
  }
  json entry = json::object();
  if (spec.repeating) entry["instance"] = number;
  entry["version"] = instance.current.version;
  entry["hash"] = instance.current.hash;
  entry["complete"] = missing.empty();
  entry["missing"] = MissingJson(missing);
  entry["content"] = instance.current.content;
  if (spec.adoption_role) {
    entry["adopted"] = instance.adopted();
    entry["adopted_version"] = instance.adopted_version;
    entry["adopted_at"] =
        instance.adoptions.empty() ? json(nullptr) : json(FormatTime(instance.adoptions.back().at));
    entry["offered"] = OfferJson(instance);
  }
  return entry;
}

json NeverSaved(const ProductSpec& spec, const ProcessState& state) {
  json entry{{"version", 0},
             {"hash", nullptr},
             {"complete", false},
             {"missing", MissingJson(IncompleteProduct(spec, state))},
             {"content", nullptr}};
  if (spec.adoption_role) {
    entry["adopted"] = false;
    entry["adopted_version"] = 0;
    entry["adopted_at"] = nullptr;
    entry["offered"] = nullptr;
  }
  return entry;
}

json Products(const Definition& definition, const ProcessState& state) {
  json products = json::object();
  for (const ProductSpec& spec : definition.products) {
    const auto& instances = state.Instances(spec.key);
    if (spec.repeating) {
      json list = json::array();
      for (std::size_t i = 0; i < instances.size(); ++i) {
        const auto number = static_cast<std::int64_t>(i + 1);
        json entry = InstanceEntry(spec, instances[i], number);
        entry["etag"] = "\"" + ProductTag(state, spec.key, number) + "\"";
        list.push_back(std::move(entry));
      }
      products[spec.key] = std::move(list);
    } else {
      json entry =
          instances.empty() ? NeverSaved(spec, state) : InstanceEntry(spec, instances.front(), 1);
      entry["etag"] = "\"" + ProductTag(state, spec.key, 1) + "\"";
      products[spec.key] = std::move(entry);
    }
  }
  return products;
}

json ReminderJson(const std::optional<Reminder>& reminder) {
  if (!reminder) return nullptr;
  return json{{"at", FormatTime(reminder->at)},
              {"by", ActorJson(reminder->by)},
              {"to", reminder->to.empty() ? json(nullptr) : json(reminder->to)},
              {"bericht", reminder->bericht.empty() ? json(nullptr) : json(reminder->bericht)}};
}

json Deadlines(const Definition& definition, const ProcessState& state, Time now) {
  json deadlines = json::array();
  for (const DeadlineState& deadline : state.deadlines) {
    const DeadlineSpec* spec = definition.Deadline(deadline.key);
    deadlines.push_back(json{{"key", deadline.key},
                             {"title", spec != nullptr ? spec->title : deadline.key},
                             {"instance", deadline.instance},
                             {"due", FormatDate(deadline.due)},
                             {"started_on", FormatDate(deadline.started_on)},
                             {"met_at", OptionalTime(deadline.met_at)},
                             {"cancelled_at", OptionalTime(deadline.cancelled_at)},
                             {"overdue", IsOverdue(deadline, now)},
                             {"reminders", deadline.reminder_count},
                             {"last_reminder", ReminderJson(deadline.last_reminder)}});
  }
  return deadlines;
}

json HandoverJson(const std::optional<Handover>& handover) {
  if (!handover) return nullptr;
  return json{{"at", FormatTime(handover->at)},
              {"by", ActorJson(handover->by)},
              {"from", handover->from.empty() ? json(nullptr) : json(handover->from)},
              {"to", handover->to}};
}

json Next(const Definition& definition, const ProcessState& state, const storage::User& viewer) {
  // A role that may take steps, on a process assigned to someone else: said first, per step.
  const Action take = Action::kTakeTransitions;
  const bool out_of_reach =
      Allows(viewer.role, take) &&
      !WithinReach(definition, state, Actor{viewer.id, viewer.role}, ReachOf(viewer.role, take));
  json next = json::array();
  for (NextStep& step : NextSteps(definition, state, viewer.role)) {
    if (out_of_reach) {
      const Refusal refusal = OutOfReach();
      step.missing.insert(step.missing.begin(), refusal.problems.begin(), refusal.problems.end());
      step.allowed = false;
    }
    next.push_back(json{{"transition", step.transition},
                        {"title", step.title},
                        {"to", step.to},
                        {"allowed", step.allowed},
                        {"missing", MissingJson(step.missing)}});
  }
  return next;
}

}  // namespace

bool MayAct(const Definition& definition, const ProcessState& state, const storage::User& viewer) {
  const Actor actor{viewer.id, viewer.role};
  for (Action action : ProcessChangingActions()) {
    if (Allows(viewer.role, action) &&
        WithinReach(definition, state, actor, ReachOf(viewer.role, action))) {
      return true;
    }
  }
  return false;
}

json ProcessView(const Definition& definition, const ProcessState& state,
                 const storage::User& viewer, Time now, const UserNames& names) {
  json view{{"id", state.id},
            {"title", state.title},
            {"workflow", {{"key", state.workflow_key}, {"version", state.workflow_version}}},
            {"state", state.state},
            {"version", state.version},
            {"created_at", FormatTime(state.created_at)},
            {"updated_at", FormatTime(state.updated_at)},
            {"closed_at", OptionalTime(state.closed_at)}};
  view["products"] = Products(definition, state);
  view["deadlines"] = Deadlines(definition, state, now);
  view["next"] = Next(definition, state, viewer);
  const std::optional<std::string> assignee = CurrentAssignee(definition, state);
  view["assignee"] = assignee ? json(*assignee) : json(nullptr);
  view["may_act"] = MayAct(definition, state, viewer);
  view["handover"] = HandoverJson(state.handover);
  view["people"] = PeopleOf(definition, state, names);
  return view;
}

json ProcessSummaryJson(const storage::ProcessSummary& summary) {
  return json{{"id", summary.id},
              {"title", summary.title},
              {"workflow", {{"key", summary.workflow_key}, {"version", summary.workflow_version}}},
              {"state", summary.state},
              {"version", summary.version},
              {"created_at", summary.created_at},
              {"updated_at", summary.updated_at},
              {"closed_at", summary.closed_at ? json(*summary.closed_at) : json(nullptr)}};
}

std::string ETagFor(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace navolg::http
