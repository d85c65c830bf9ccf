#include "api/http/client_address.h"

#include <arpa/inet.h>
#include <strings.h>

#include <algorithm>
#include <cctype>

namespace navolg::http {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// `text` cut at every `separator` outside a quoted-string (RFC 9110 section 5.6.4), each part
// trimmed; empty parts are kept (the caller decides what they mean).
std::vector<std::string_view> SplitOutsideQuotes(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\') {
      ++i;  // the escaped character, whatever it is
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == separator) {
      parts.push_back(Trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  parts.push_back(Trim(text.substr(std::min(start, text.size()))));
  return parts;
}

// The content of a quoted-string, or the token as it is; nullopt for an unterminated quote.
std::optional<std::string> Unquote(std::string_view value) {
  if (value.empty() || value.front() != '"') return std::string(value);
  if (value.size() < 2 || value.back() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\') {
      if (i + 2 >= value.size()) return std::nullopt;  // would escape the closing quote
      ++i;
    }
    out += value[i];
  }
  return out;
}

bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  return std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A node as proxies write it: a bare address, "192.0.2.7:4711", "[2001:db8::1]" or
// "[2001:db8::1]:4711". nullopt for anything else ("unknown", "_hidden", garbage).
std::optional<IpAddress> ParseNode(std::string_view node) {
  if (auto bare = ParseIpAddress(node)) return bare;
  if (!node.empty() && node.front() == '[') {
    const auto close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = node.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && IsPort(rest.substr(1)))) return std::nullopt;
    auto address = ParseIpAddress(node.substr(1, close - 1));
    if (!address || address->IsV4()) return std::nullopt;  // brackets are for IPv6
    return address;
  }
  const auto colon = node.find(':');
  if (colon == std::string_view::npos || !IsPort(node.substr(colon + 1))) return std::nullopt;
  auto address = ParseIpAddress(node.substr(0, colon));
  if (!address || !address->IsV4()) return std::nullopt;
  return address;
}

// The entries of one header value, left to right; nullopt for an entry that names no
// address.
using Entries = std::vector<std::optional<IpAddress>>;

Entries XForwardedForEntries(std::string_view value) {
  Entries entries;
  for (std::string_view entry : SplitOutsideQuotes(value, ',')) {
    if (entry.empty()) continue;  // an empty list element (RFC 9110 section 5.6.1)
    entries.push_back(ParseNode(entry));
  }
  return entries;
}

// RFC 7239: elements separated by commas, each pairs separated by semicolons; the element's
// one for= parameter names the node the proxy received the request from.
Entries ForwardedEntries(std::string_view value) {
  Entries entries;
  for (std::string_view element : SplitOutsideQuotes(value, ',')) {
    if (element.empty()) continue;
    std::optional<IpAddress> node;
    int fors = 0;
    for (std::string_view pair : SplitOutsideQuotes(element, ';')) {
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      const std::string name(Trim(pair.substr(0, equals)));
      if (::strcasecmp(name.c_str(), "for") != 0) continue;
      ++fors;
      if (auto text = Unquote(Trim(pair.substr(equals + 1)))) node = ParseNode(*text);
    }
    entries.push_back(fors == 1 ? node : std::nullopt);
  }
  return entries;
}

Status Ambiguous(ForwardedHeader header, const std::string& why) {
  return Status(Code::kInvalidArgument, std::string("De kopregel ") + FieldName(header) +
                                            " van de vertrouwde proxy is niet eenduidig: " + why +
                                            ".");
}

}  // namespace

bool IpAddress::IsV4() const {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsV4()) {
    ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string terminated(text);
  IpAddress address;
  if (::inet_pton(AF_INET, terminated.c_str(), address.bytes.data() + 12) == 1) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin());
    return address;
  }
  if (::inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) == 1) return address;
  return std::nullopt;
}

bool AddressRange::Contains(const IpAddress& address) const {
  const int whole = prefix_bits / 8;
  if (!std::equal(first.bytes.begin(), first.bytes.begin() + whole, address.bytes.begin())) {
    return false;
  }
  const int rest = prefix_bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (first.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

std::optional<AddressRange> ParseAddressRange(std::string_view text) {
  const auto slash = text.find('/');
  auto address = ParseIpAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  AddressRange range{*address, 128};
  if (slash == std::string_view::npos) return range;
  const std::string_view bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 ||
      !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int value = std::stoi(std::string(bits));
  const int family_bits = address->IsV4() ? 32 : 128;
  if (value > family_bits) return std::nullopt;
  range.prefix_bits = value + (128 - family_bits);
  return range;
}

std::string AddressKey(const IpAddress& address) {
  if (address.IsV4()) return address.ToString();
  IpAddress block = address;
  std::fill(block.bytes.begin() + 8, block.bytes.end(), std::uint8_t{0});
  return block.ToString() + "/64";
}

std::string AddressKey(std::string_view address) {
  auto parsed = ParseIpAddress(address);
  return parsed ? AddressKey(*parsed) : std::string(address);
}

const char* FieldName(ForwardedHeader header) {
  return header == ForwardedHeader::kForwarded ? "Forwarded" : "X-Forwarded-For";
}

bool TrustedProxies::Trusts(const IpAddress& address) const {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const AddressRange& range) { return range.Contains(address); });
}

bool TrustedProxies::Trusts(std::string_view address) const {
  auto parsed = ParseIpAddress(address);
  return parsed && Trusts(*parsed);
}

Result<std::vector<AddressRange>> ParseTrustedProxies(std::string_view list) {
  std::vector<AddressRange> ranges;
  if (Trim(list).empty()) return ranges;
  for (std::string_view entry : SplitOutsideQuotes(list, ',')) {
    auto range = ParseAddressRange(entry);
    if (!range) {
      return Status(Code::kInvalidArgument,
                    "'" + std::string(entry) +
                        "' is geen IP-adres of adresblok (zoals 10.0.0.1, 10.0.0.0/8 of "
                        "2001:db8::/32)");
    }
    ranges.push_back(*range);
  }
  return ranges;
}

Result<std::string> ClientAddress(const TrustedProxies& proxies, std::string_view peer,
                                  const std::vector<std::string_view>& field_lines) {
  if (field_lines.empty() || !proxies.Trusts(peer)) return std::string(peer);
  // Several field lines are one list, in order (RFC 9110 section 5.3): a proxy may add its
  // own line after the client's (HAProxy's "option forwardfor") instead of appending.
  std::string joined(field_lines.front());
  for (std::size_t i = 1; i < field_lines.size(); ++i) {
    joined += ',';
    joined += field_lines[i];
  }
  const Entries entries = proxies.header == ForwardedHeader::kForwarded
                              ? ForwardedEntries(joined)
                              : XForwardedForEntries(joined);
  std::optional<IpAddress> left_most_proxy;
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    if (!*entry) return Ambiguous(proxies.header, "een adres ontbreekt of is onleesbaar");
    if (!proxies.Trusts(**entry)) return (*entry)->ToString();
    left_most_proxy = **entry;
  }
  if (left_most_proxy) return left_most_proxy->ToString();
  return std::string(peer);  // a field line without any entry: as if it were absent
}

}  // namespace navolg::http
