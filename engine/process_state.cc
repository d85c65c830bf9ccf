#include "engine/process_state.h"

#include <algorithm>
#include <charconv>

namespace navolg {
namespace {

using nlohmann::json;

// Raises the counter for "<field>-n" ids found in a saved product's generated-id fields.
void CountGeneratedIds(const ProductSpec& spec, const json& content, ProcessState& state) {
  for (const FieldSpec& field : spec.fields) {
    if (field.type != FieldType::kItems) continue;
    for (const FieldSpec& item_field : field.fields) {
      if (!item_field.generated_id) continue;
      auto items = content.find(field.key);
      if (items == content.end() || !items->is_array()) continue;
      const std::string prefix = field.key + "-";
      std::int64_t& counter = state.generated_id_counters[spec.key + "/" + field.key];
      for (const json& item : *items) {
        auto id = item.find(item_field.key);
        if (id == item.end() || !id->is_string()) continue;
        const std::string& text = id->get_ref<const std::string&>();
        if (text.rfind(prefix, 0) != 0) continue;
        std::int64_t n = 0;
        const char* begin = text.data() + prefix.size();
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(begin, end, n);
        if (ec == std::errc() && ptr == end && n > counter) counter = n;
      }
    }
  }
}

DeadlineState* FindDeadline(ProcessState& state, const std::string& key, std::int64_t instance) {
  for (DeadlineState& deadline : state.deadlines) {
    if (deadline.key == key && deadline.instance == instance) return &deadline;
  }
  return nullptr;
}

Date DateMember(const json& data, const char* member) {
  auto date = ParseDate(data.at(member).get<std::string>());
  if (!date) throw std::invalid_argument(std::string("bad date in ") + member);
  return *date;
}

void ApplyData(const Definition& definition, ProcessState& state, const Event& event) {
  const json& data = event.data;
  const std::string& type = event.type;
  if (type == "process.created") {
    state.id = event.process_id;
    state.workflow_key = data.at("workflow").at("key").get<std::string>();
    state.workflow_version = data.at("workflow").at("version").get<std::int64_t>();
    state.workflow_hash = data.at("workflow").at("hash").get<std::string>();
    state.title = data.at("title").get<std::string>();
    state.state = data.at("state").get<std::string>();
    state.created_at = event.at;
  } else if (type == "product.saved") {
    const std::string product = data.at("product").get<std::string>();
    const auto instance = data.at("instance").get<std::int64_t>();
    auto& instances = state.products[product];
    if (instance == static_cast<std::int64_t>(instances.size()) + 1) {
      instances.emplace_back();
    } else if (instance < 1 || instance > static_cast<std::int64_t>(instances.size())) {
      throw std::invalid_argument("product instance out of order");
    }
    ProductInstance& saved = instances[static_cast<std::size_t>(instance - 1)];
    if (saved.first_seq == 0) {
      saved.first_seq = event.seq;
      saved.first_saved_at = event.at;
    }
    ProductVersion& current = saved.current;
    current.version = data.at("version").get<std::int64_t>();
    current.hash = data.at("hash").get<std::string>();
    current.content = data.at("content");
    current.saved_by = event.actor;
    current.saved_at = event.at;
    current.seq = event.seq;
    if (const ProductSpec* spec = definition.Product(product)) {
      CountGeneratedIds(*spec, current.content, state);
    }
  } else if (type == "product.adopted") {
    const std::string product = data.at("product").get<std::string>();
    const auto instance = data.at("instance").get<std::int64_t>();
    auto& instances = state.products.at(product);
    ProductInstance& target = instances.at(static_cast<std::size_t>(instance - 1));
    target.adopted_hash = data.at("hash").get<std::string>();
    target.adopted_version = data.at("version").get<std::int64_t>();
    target.adopted_seq = event.seq;
    target.adoptions.push_back(
        AdoptionRecord{event.seq, event.at, target.adopted_version, target.adopted_hash});
  } else if (type == "product.offered") {
    const std::string product = data.at("product").get<std::string>();
    const auto instance = data.at("instance").get<std::int64_t>();
    ProductInstance& target = state.products.at(product).at(static_cast<std::size_t>(instance - 1));
    target.offered_hash = data.at("hash").get<std::string>();
    target.offered_version = data.at("version").get<std::int64_t>();
    target.offered_seq = event.seq;
    target.offered_at = event.at;
    target.offered_by = event.actor;
  } else if (type == "transition.taken" || type == "process.stopped") {
    state.state = data.at("to").get<std::string>();
    state.transitions.push_back(
        TakenTransition{data.at("transition").get<std::string>(), event.seq, event.at});
    if (definition.IsEndState(state.state)) state.closed_at = event.at;
  } else if (type == "process.handed_over") {
    state.handover = Handover{event.seq, event.at, event.actor,
                              data.at("from").is_null() ? "" : data.at("from").get<std::string>(),
                              data.at("to").get<std::string>()};
  } else if (type == "deadline.started") {
    DeadlineState deadline;
    deadline.key = data.at("deadline").get<std::string>();
    deadline.instance = data.at("instance").get<std::int64_t>();
    deadline.started_on = DateMember(data, "started_on");
    deadline.due = DateMember(data, "due");
    deadline.started_seq = event.seq;
    state.deadlines.push_back(deadline);
  } else if (type.rfind("deadline.", 0) == 0) {
    DeadlineState* deadline = FindDeadline(state, data.at("deadline").get<std::string>(),
                                           data.at("instance").get<std::int64_t>());
    if (deadline == nullptr) throw std::invalid_argument("unknown deadline");
    if (type == "deadline.rescheduled") {
      deadline->due = DateMember(data, "due");
    } else if (type == "deadline.met") {
      deadline->met_at = event.at;
      deadline->met_seq = event.seq;
    } else if (type == "deadline.cancelled") {
      deadline->cancelled_at = event.at;
    } else if (type == "deadline.missed") {
      deadline->missed_recorded_at = event.at;
      deadline->missed_seq = event.seq;
    } else if (type == "deadline.reminded") {
      ++deadline->reminder_count;
      deadline->last_reminder =
          Reminder{event.seq, event.at, event.actor,
                   data.at("to").is_null() ? "" : data.at("to").get<std::string>(),
                   data.value("bericht", std::string())};
    } else {
      throw std::invalid_argument("unknown event type " + type);
    }
  } else {
    throw std::invalid_argument("unknown event type " + type);
  }
}

}  // namespace

const std::vector<ProductInstance>& ProcessState::Instances(const std::string& product) const {
  static const std::vector<ProductInstance> kNone;
  auto it = products.find(product);
  return it == products.end() ? kNone : it->second;
}

DeadlineState* ProcessState::OpenDeadline(const std::string& key) {
  for (DeadlineState& deadline : deadlines) {
    if (deadline.key == key && deadline.open()) return &deadline;
  }
  return nullptr;
}

const DeadlineState* ProcessState::LatestDeadline(const std::string& key) const {
  const DeadlineState* latest = nullptr;
  for (const DeadlineState& deadline : deadlines) {
    if (deadline.key == key) latest = &deadline;
  }
  return latest;
}

std::string ProductTag(const ProcessState& state, const std::string& product,
                       std::int64_t instance) {
  const auto& instances = state.Instances(product);
  const std::int64_t index = std::max<std::int64_t>(instance, 1) - 1;
  std::int64_t changed = 0;
  if (index < static_cast<std::int64_t>(instances.size())) {
    const ProductInstance& found = instances[static_cast<std::size_t>(index)];
    changed = std::max(found.current.seq, found.adopted_seq);
  }
  const std::int64_t phase = state.transitions.empty() ? 0 : state.transitions.back().seq;
  return "p" + std::to_string(changed) + "." + std::to_string(phase);
}

Status Evolve(const Definition& definition, ProcessState& state, const Event& event) {
  if (event.seq != state.version + 1) {
    return Status(Code::kDataLoss, "event seq " + std::to_string(event.seq) + " follows " +
                                       std::to_string(state.version));
  }
  if (event.prev != state.head_hash) {
    return Status(Code::kDataLoss, "event " + std::to_string(event.seq) + " has a wrong prev");
  }
  if (event.seq > 1 && event.process_id != state.id) {
    return Status(Code::kDataLoss, "event belongs to another process");
  }
  try {
    ApplyData(definition, state, event);
  } catch (const std::exception& e) {
    return Status(Code::kDataLoss, "event " + std::to_string(event.seq) + " (" + event.type +
                                       ") does not fit the process: " + e.what());
  }
  state.version = event.seq;
  state.head_hash = event.hash;
  state.updated_at = event.at;
  return Status::Ok();
}

Result<ProcessState> Replay(const Definition& definition, const std::vector<Event>& events) {
  ProcessState state;
  for (const Event& event : events) {
    Status status = Evolve(definition, state, event);
    if (!status.ok()) return status;
  }
  return state;
}

}  // namespace navolg
