// Content negotiation (RFC 9110, section 12.5.1): which of the media types an endpoint can
// send fits the request's Accept header best.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace navolg::http {

// The entry of `offered` (lowercase "type/subtype", in the server's order of preference)
// with the highest quality in `accept`, each judged by the most specific range that matches
// it (type/subtype before type/* before */*); ties go to the earlier entry. An absent or
// blank Accept accepts anything: the first entry. nullopt when the header accepts none of
// them (406 Not Acceptable). Malformed ranges are ignored.
std::optional<std::string> ChooseMediaType(const std::string& accept,
                                           const std::vector<std::string>& offered);

// The Dutch detail of the 406 for `what` ("Het participatieverslag"), offered as exactly two
// media types: "<what> is er als A en als B; vraag een van beide met de kopregel Accept."
std::string NotAcceptableDetail(const std::string& what, const std::string& first,
                                const std::string& second);

}  // namespace navolg::http
