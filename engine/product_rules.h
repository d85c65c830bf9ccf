// The rules for product content: which values are valid (type, bounds, options, dates) and
// which required fields are still missing. Pure functions of the ProductSpec and the content.
//
// Invalid content is refused; incomplete content is accepted as a draft and reported, so an
// advisor can save work in progress and see what is left.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/problem.h"
#include "engine/process_state.h"

namespace navolg {

// Problems that make `content` invalid: not an object, unknown fields, wrong types, values
// out of bounds or not among the options, malformed dates, dates after `today` where the
// field forbids it, floating-point numbers. Empty when valid.
std::vector<Problem> InvalidValues(const ProductSpec& spec, std::int64_t instance,
                                   const nlohmann::json& content, Date today);

// Required fields (and list minimums) not yet satisfied by valid `content`.
std::vector<Problem> MissingFields(const ProductSpec& spec, std::int64_t instance,
                                   const nlohmann::json& content);

// Gives every item of a generated-id field that has no id the next "<field>-n", and reports
// ids that occur twice within the process (across all instances of the product).
// `content` must be valid. Uses and advances nothing but the counters in `state`.
std::vector<Problem> AssignGeneratedIds(const ProductSpec& spec, std::int64_t instance,
                                        nlohmann::json& content, const ProcessState& state);

// "Kadernotitie" or "Gespreksverslag 2": how messages name a product instance.
std::string ProductName(const ProductSpec& spec, std::int64_t instance);

// True for a string of nothing but spaces, tabs and line breaks (or nothing at all).
bool IsBlank(const std::string& text);

// A value counts as given when it is not null, not a blank string and not an empty list.
bool HasValue(const nlohmann::json& content, const std::string& field);

}  // namespace navolg
