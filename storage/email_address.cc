#include "storage/email_address.h"

#include <algorithm>
#include <vector>

namespace navolg::storage {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The characters of a dot-atom besides letters, digits and the dot (RFC 5322 atext).
bool IsAtomSymbol(char c) {
  return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Dot-separated atoms, none empty: no dot first, last or twice in a row.
bool IsLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  for (std::string_view atom : Split(local, '.')) {
    if (atom.empty()) return false;
    for (char c : atom) {
      if (!IsLetter(c) && !IsDigit(c) && !IsAtomSymbol(c)) return false;
    }
  }
  return true;
}

// Host name labels (letters, digits, '-' inside), at least two, the last of letters only.
bool IsDomain(std::string_view domain) {
  const std::vector<std::string_view> labels = Split(domain, '.');
  if (labels.size() < 2) return false;
  for (std::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsLetter(c) && !IsDigit(c) && c != '-') return false;
    }
  }
  const std::string_view top = labels.back();
  return top.size() >= 2 && std::all_of(top.begin(), top.end(), IsLetter);
}

}  // namespace

Result<std::string> CheckEmailAddress(std::string_view typed) {
  const std::size_t first = typed.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::string();
  const std::string_view address = typed.substr(first, typed.find_last_not_of(" \t") - first + 1);
  if (address.size() > kMaxEmailLength) {
    return Status(Code::kInvalidArgument, "Een e-mailadres heeft hoogstens 254 tekens.");
  }
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || !IsLocalPart(address.substr(0, at)) ||
      !IsDomain(address.substr(at + 1))) {
    return Status(Code::kInvalidArgument,
                  "'" + std::string(address) +
                      "' is geen geldig e-mailadres. Schrijf het als naam@organisatie.nl, zonder "
                      "spaties of accenten, of laat het veld leeg.");
  }
  return std::string(address);
}

}  // namespace navolg::storage
