// Who the client is: the TCP peer, or, when that peer is a configured trusted reverse proxy,
// the address that proxy reports in X-Forwarded-For or Forwarded (RFC 7239). Every
// per-address limit keys on the result (Request::client_address).
//
// Boost-free: api/server/server.cc calls ClientAddress with the peer's address and the
// forwarding header's field lines as it saw them (before duplicates are lost).
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace navolg::http {

// An IPv4 or IPv6 address, kept as 16 bytes: IPv4 as the IPv4-mapped IPv6 address
// ::ffff:a.b.c.d, so that "192.0.2.7" and "::ffff:192.0.2.7" are the same client.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  bool IsV4() const;
  // "192.0.2.7" for IPv4 (also when it arrived IPv4-mapped), RFC 5952 text for IPv6.
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// nullopt unless `text` is exactly one IPv4 address (dotted quad) or IPv6 address (without
// brackets, port or zone).
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// One address ("192.0.2.7") or a CIDR block ("10.0.0.0/8", "2001:db8::/32").
struct AddressRange {
  IpAddress first;
  int prefix_bits = 128;  // of the 16-byte form: an IPv4 /24 is 96 + 24

  bool Contains(const IpAddress& address) const;
};

// nullopt for anything but an address or ADDRESS/BITS with BITS within the family (0-32 for
// IPv4, 0-128 for IPv6).
std::optional<AddressRange> ParseAddressRange(std::string_view text);

// What per-address limits count by: the IPv4 address, or the /64 block of an IPv6 address
// ("2001:db8:1:2::/64"): a subscriber is routinely given a whole /64, so counting single
// IPv6 addresses would give one client 2^64 allowances. Text that is no address is its own
// key.
std::string AddressKey(const IpAddress& address);
std::string AddressKey(std::string_view address);

// Which header a trusted proxy reports the client in.
enum class ForwardedHeader { kXForwardedFor, kForwarded };

// The field name of `header` ("X-Forwarded-For", "Forwarded").
const char* FieldName(ForwardedHeader header);

// The reverse proxies whose forwarding header is believed, and which header that is.
struct TrustedProxies {
  std::vector<AddressRange> ranges;  // empty: no proxy is trusted, the peer is the client
  ForwardedHeader header = ForwardedHeader::kXForwardedFor;

  bool Trusts(const IpAddress& address) const;
  // False for text that is no address.
  bool Trusts(std::string_view address) const;
};

// "ADDR[,ADDR...]", each an address or CIDR block, spaces allowed around commas. Empty text:
// no proxies. kInvalidArgument with a Dutch message that names the first wrong entry.
Result<std::vector<AddressRange>> ParseTrustedProxies(std::string_view list);

// The client's address for a request from the TCP peer `peer` whose configured forwarding
// header arrived as `field_lines` (each field line's value, in order; empty when absent).
//
// - From a peer that is not a trusted proxy: the peer, whatever the header says (a client
//   can write anything there).
// - From a trusted proxy: walking the header's addresses from the right (each proxy appends
//   the address it received the request from), the first that is not itself a trusted
//   proxy; the left-most when all are; the peer when the header is absent.
// - Several field lines are one list, joined in order (RFC 9110 section 5.3).
// - kInvalidArgument (Dutch) when a trusted proxy's forwarding is ambiguous: on the walk from
//   the right up to the chosen address, an entry that is not an address (a
//   Forwarded element without exactly one usable for=, "unknown", an obfuscated name,
//   text that is no address). Entries left of the chosen address are never looked at: they
//   are the client's own words.
//
// X-Forwarded-For entries are bare addresses; Forwarded for= values may be quoted and carry
// a port ("192.0.2.7:4711", "[2001:db8::1]:4711").
Result<std::string> ClientAddress(const TrustedProxies& proxies, std::string_view peer,
                                  const std::vector<std::string_view>& field_lines);

}  // namespace navolg::http
