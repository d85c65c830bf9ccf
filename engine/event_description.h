// What an audit event means, in one Dutch line for people reading a process's trail:
// "Stap gezet: Kaders vastleggen → Gesprek organiseren". The one place that knows how to
// describe each event type; products, states and deadlines are named by their titles in the
// process's workflow definition.
//
// Pure function; thread-safe.
#pragma once

#include <map>
#include <string>

#include "engine/definition.h"
#include "engine/event.h"

namespace navolg {

// The description of `event`, an event of a process that runs on `definition`. Never fails:
// an element the definition does not know is named by its key, an unknown event type by its
// type. People the event names by id (a hand-over, a reminder) are named from `names`
// (user id -> name); an id not in it stays an id.
using UserNames = std::map<std::string, std::string>;
std::string DescribeEvent(const Event& event, const Definition& definition,
                          const UserNames& names = {});

}  // namespace navolg
