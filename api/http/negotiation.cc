#include "api/http/negotiation.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace navolg::http {
namespace {

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last + 1 - first);
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// A qvalue: "0", "1", "0.5", "1.000" (at most three decimals); in thousandths.
std::optional<int> ParseQuality(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value <= 1000 ? std::optional<int>(value) : std::nullopt;
}

struct Range {
  std::string type;     // "text" or "*"
  std::string subtype;  // "html" or "*"
  int quality = 1000;
};

std::vector<Range> ParseAccept(std::string_view accept) {
  std::vector<Range> ranges;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view element = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const auto semicolon = element.find(';');
    const std::string media = Lower(Trim(element.substr(0, semicolon)));
    const auto slash = media.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == media.size()) continue;
    Range range{media.substr(0, slash), media.substr(slash + 1)};
    if (range.type == "*" && range.subtype != "*") continue;
    bool valid = true;
    std::string_view parameters =
        semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1);
    while (!parameters.empty()) {
      const auto next = parameters.find(';');
      const std::string_view parameter = Trim(parameters.substr(0, next));
      parameters =
          next == std::string_view::npos ? std::string_view() : parameters.substr(next + 1);
      if (parameter.size() > 2 && Lower(parameter.substr(0, 2)) == "q=") {
        auto quality = ParseQuality(parameter.substr(2));
        if (!quality) valid = false;
        range.quality = quality.value_or(0);
      }
    }
    if (valid) ranges.push_back(std::move(range));
  }
  return ranges;
}

// The quality `ranges` give `type`/`subtype`: that of the most specific matching range, or 0.
int QualityOf(const std::vector<Range>& ranges, const std::string& media) {
  const auto slash = media.find('/');
  const std::string type = media.substr(0, slash), subtype = media.substr(slash + 1);
  int best_specificity = -1;
  int quality = 0;
  for (const Range& range : ranges) {
    int specificity = -1;
    if (range.type == type && range.subtype == subtype) {
      specificity = 2;
    } else if (range.type == type && range.subtype == "*") {
      specificity = 1;
    } else if (range.type == "*") {
      specificity = 0;
    }
    if (specificity > best_specificity) {
      best_specificity = specificity;
      quality = range.quality;
    }
  }
  return quality;
}

}  // namespace

std::optional<std::string> ChooseMediaType(const std::string& accept,
                                           const std::vector<std::string>& offered) {
  if (offered.empty()) return std::nullopt;
  if (Trim(accept).empty()) return offered.front();
  const std::vector<Range> ranges = ParseAccept(accept);
  std::optional<std::string> chosen;
  int best = 0;
  for (const std::string& media : offered) {
    const int quality = QualityOf(ranges, media);
    if (quality > best) {
      best = quality;
      chosen = media;
    }
  }
  return chosen;
}

std::string NotAcceptableDetail(const std::string& what, const std::string& first,
                                const std::string& second) {
  return what + " is er als " + first + " en als " + second +
         "; vraag een van beide met de kopregel Accept.";
}

}  // namespace navolg::http
