// A user's e-mail address as navolg accepts it: optional, so that reminders can later be sent
// by mail too. The rule is the usual form of an address a municipal mail server delivers to
// (RFC 5321's dot-atom, ASCII): NAAM@DOMEIN with a domain of at least two labels ending in a
// name of letters, at most 254 characters. Whether anyone reads it is not checked.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace navolg::storage {

inline constexpr std::size_t kMaxEmailLength = 254;

// `typed` without the spaces around it when it is an address by the rule above, or empty
// when nothing was typed (no address). kInvalidArgument with a Dutch message a beheerder can
// act on otherwise.
Result<std::string> CheckEmailAddress(std::string_view typed);

}  // namespace navolg::storage
