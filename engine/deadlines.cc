#include "engine/deadlines.h"

namespace navolg {
namespace {

using nlohmann::json;

// The latest valid date among the instances of ref.product.
std::optional<Date> LatestDate(const ProcessState& state, const FieldRef& ref) {
  std::optional<Date> latest;
  for (const ProductInstance& instance : state.Instances(ref.product)) {
    auto value = instance.current.content.find(ref.field);
    if (value == instance.current.content.end() || !value->is_string()) continue;
    auto date = ParseDate(value->get<std::string>());
    if (date && (!latest || *date > *latest)) latest = date;
  }
  return latest;
}

// The integer in ref.product.field, from the latest instance that has one.
std::optional<std::int64_t> LatestInteger(const ProcessState& state, const FieldRef& ref) {
  const auto& instances = state.Instances(ref.product);
  for (auto it = instances.rbegin(); it != instances.rend(); ++it) {
    auto value = it->current.content.find(ref.field);
    if (value != it->current.content.end() && value->is_number_integer()) {
      return value->get<std::int64_t>();
    }
  }
  return std::nullopt;
}

json Identify(const DeadlineState& deadline) {
  return json{{"deadline", deadline.key}, {"instance", deadline.instance}};
}

}  // namespace

std::optional<Date> ComputeDue(const DeadlineSpec& spec, const ProcessState& state,
                               Date started_on) {
  std::optional<Date> due = spec.due_from ? LatestDate(state, *spec.due_from) : started_on;
  if (!due) return std::nullopt;
  for (const DueTerm& term : spec.due_add) {
    std::int64_t amount = term.amount;
    if (term.field) {
      auto value = LatestInteger(state, *term.field);
      if (!value) return std::nullopt;
      amount = *value;
    }
    due = term.unit == DurationUnit::kDays ? AddDays(*due, amount) : AddMonths(*due, amount);
  }
  return due;
}

bool IsOverdue(const DeadlineState& deadline, Time now) {
  return deadline.open() && now >= AmsterdamStartOfDay(AddDays(deadline.due, 1));
}

std::vector<EventDraft> DeadlineEvents(const Definition& definition, const ProcessState& state,
                                       const DeadlineTrigger& trigger, Date today) {
  std::vector<EventDraft> drafts;
  const bool closed = definition.IsEndState(state.state);
  for (const DeadlineSpec& spec : definition.deadlines) {
    const DeadlineState* open = nullptr;
    for (const DeadlineState& deadline : state.deadlines) {
      if (deadline.key == spec.key && deadline.open()) open = &deadline;
    }
    if (open && !trigger.transition.empty() && trigger.transition == spec.met_by_transition) {
      json data = Identify(*open);
      data["transition"] = trigger.transition;
      drafts.push_back({"deadline.met", std::move(data)});
      continue;
    }
    if (closed) {
      if (open) drafts.push_back({"deadline.cancelled", Identify(*open)});
      continue;
    }
    const bool starts =
        (!trigger.transition.empty() && trigger.transition == spec.starts_on_transition) ||
        (!trigger.product_saved.empty() && trigger.product_saved == spec.starts_on_product_saved);
    if (open) {
      if (!starts && trigger.product_saved.empty()) continue;
      auto due = ComputeDue(spec, state, open->started_on);
      if (due && *due != open->due) {
        json data = Identify(*open);
        data["due"] = FormatDate(*due);
        data["previous_due"] = FormatDate(open->due);
        drafts.push_back({"deadline.rescheduled", std::move(data)});
      }
    } else if (starts) {
      auto due = ComputeDue(spec, state, today);
      if (!due) continue;  // starts once the fields it needs have values
      const DeadlineState* latest = state.LatestDeadline(spec.key);
      drafts.push_back({"deadline.started", json{{"deadline", spec.key},
                                                 {"instance", latest ? latest->instance + 1 : 1},
                                                 {"started_on", FormatDate(today)},
                                                 {"due", FormatDate(*due)}}});
    }
  }
  return drafts;
}

}  // namespace navolg
