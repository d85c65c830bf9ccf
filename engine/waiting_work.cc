#include "engine/waiting_work.h"

#include <tuple>

namespace navolg {

std::vector<AwaitedAdoption> AwaitedAdoptions(const Definition& definition,
                                              const ProcessState& state) {
  std::vector<AwaitedAdoption> awaited;
  if (state.closed_at) return awaited;
  for (const ProductSpec& spec : definition.products) {
    if (!spec.adoption_role) continue;
    auto found = state.products.find(spec.key);
    if (found == state.products.end()) continue;
    for (std::size_t i = 0; i < found->second.size(); ++i) {
      const ProductInstance& instance = found->second[i];
      if (instance.current.version == 0 || instance.adopted()) continue;
      AwaitedAdoption& item = awaited.emplace_back(AwaitedAdoption{
          *spec.adoption_role, spec.key, static_cast<std::int64_t>(i + 1), instance.current.version,
          instance.current.hash, instance.current.saved_at, std::nullopt, ""});
      if (instance.offered()) {
        item.offered_at = instance.offered_at;
        item.offered_by = instance.offered_by.user;
      }
    }
  }
  return awaited;
}

const DeadlineState* NextOpenDeadline(const ProcessState& state) {
  const DeadlineState* next = nullptr;
  for (const DeadlineState& deadline : state.deadlines) {
    if (!deadline.open()) continue;
    if (next == nullptr || std::tie(deadline.due, deadline.key, deadline.instance) <
                               std::tie(next->due, next->key, next->instance)) {
      next = &deadline;
    }
  }
  return next;
}

}  // namespace navolg
