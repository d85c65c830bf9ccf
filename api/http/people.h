// People by name in the API: the ids that commands carry (a chosen adviseur, a hand-over) are
// checked against the organisation's users before the command is submitted (the engine never
// looks up users), and the ids that views show are given names beside them.
//
// Pure functions over a list of colleagues (storage/colleagues.h); thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.h"
#include "engine/event_description.h"
#include "engine/problem.h"
#include "engine/process_state.h"
#include "storage/colleagues.h"

namespace navolg::http {

// user id -> name, for every colleague (deactivated ones too: old trails still name them).
UserNames NamesOf(const std::vector<storage::Colleague>& colleagues);

// Why `id` cannot be chosen as a user with `role` for the field `field` (labelled `label`):
// not a user of the organisation, deactivated, or of another role. nullopt when it can.
// The problem's code is "gebruiker_ongeldig", in Dutch, naming the field.
std::optional<Problem> CheckChosenUser(const std::vector<storage::Colleague>& colleagues,
                                       const std::string& id, const std::string& role,
                                       const std::string& field, const std::string& label);

// The problems with the user fields (FieldType::kUser) of `content`, a product's content as
// sent; empty when every one names an active user with the field's role (or has no value).
std::vector<Problem> CheckUserFields(const std::vector<storage::Colleague>& colleagues,
                                     const ProductSpec& product, const nlohmann::json& content);

// Whether `product` has a user field, so that a save needs the colleagues at all.
bool HasUserFields(const ProductSpec& product);

// The role an assignee of `definition` has: the assignee field's role when it is a user
// field, else "adviseur".
std::string AssigneeRole(const Definition& definition);

// {id: name} for every user the process view names by id: the assignee, the values of user
// fields, the latest hand-over and the latest reminders.
nlohmann::json PeopleOf(const Definition& definition, const ProcessState& state,
                        const UserNames& names);

}  // namespace navolg::http
