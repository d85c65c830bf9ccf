// The JSON shapes of a process (api/http/openapi.json): the full view that GET, POST and every
// command answer with, and the summary that lists hold.
//
// View: {"id","title","workflow":{"key","version"},"state","version","created_at",
//   "updated_at","closed_at",
//   "products":{KEY: entry, or for a repeating product a list of entries with "instance"},
//   "deadlines":[{"key","title","instance","due","started_on","met_at","cancelled_at","overdue",
//     "reminders","last_reminder":{"at","by":{"user","role"},"to","bericht"} or null}],
//   "next":[{"transition","title","to","allowed","missing"}],
//   "assignee": the user id the process is assigned to, or null,
//   "may_act": whether the viewer may change the process at all (role and assignment, the
//   policy table's rules); when false, no step is "allowed" and clients offer no forms,
//   "handover": the latest {"at","by","from","to"} or null,
//   "people": {user id: name} for every user the view names by id}
// A product entry is {"version","hash","complete","missing","content"} plus, for a product
// with adoption, "adopted" and "adopted_version". A product never saved has version 0,
// hash and content null, complete false and "missing" saying it is not yet written.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event_description.h"
#include "engine/process_state.h"
#include "storage/directory.h"
#include "storage/read_store.h"

namespace navolg::http {

// `viewer` is the caller: "next" and "may_act" say what they may do now. `now` decides
// "overdue". `names` (user id -> name) fills "people".
nlohmann::json ProcessView(const Definition& definition, const ProcessState& state,
                           const storage::User& viewer, Time now, const UserNames& names = {});

// Whether `viewer` may change the process: some process-changing action of the policy table
// is allowed to their role and reaches this process (its assignee, or none yet).
bool MayAct(const Definition& definition, const ProcessState& state, const storage::User& viewer);

// {"id","title","workflow":{"key","version"},"state","version","created_at","updated_at",
//  "closed_at"}.
nlohmann::json ProcessSummaryJson(const storage::ProcessSummary& summary);

// The ETag of a process version: the version in double quotes.
std::string ETagFor(std::int64_t version);

}  // namespace navolg::http
