// What a process waits for, as the lists of many processes show it without loading each one:
// the products whose current version waits for adoption, and the earliest open deadline.
// Storage keeps both beside the process (the write path), the pages read them from there.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/process_state.h"

namespace navolg {

// A product instance whose current version the role `role` has yet to adopt.
struct AwaitedAdoption {
  std::string role;  // the definition's adoption role of the product
  std::string product;
  std::int64_t instance = 1;  // 1, 2, ...
  std::int64_t version = 0;
  std::string hash;
  Time saved_at{};
  std::optional<Time> offered_at;  // set when its author offered this version for adoption
  std::string offered_by;          // the user who offered it; empty when not offered
};

// Every saved instance of a product with an adoption role whose current version is not the
// adopted one, in definition order; none once the process is closed.
std::vector<AwaitedAdoption> AwaitedAdoptions(const Definition& definition,
                                              const ProcessState& state);

// The open deadline that falls due first (ties: by key, then instance); nullptr
// when none is open.
const DeadlineState* NextOpenDeadline(const ProcessState& state);

}  // namespace navolg
