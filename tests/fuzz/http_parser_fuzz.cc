// Fuzz target: Beast's request parser with navolg's limits and checks, without a socket:
// the bytes a connection receives, read request after request as api/server/server.cc reads
// them (ApplyLimits, the head, JudgeHead with its framing checks and the client address
// behind a trusted proxy, the body, ReadErrorResponse), until the bytes run out or a request
// is refused (the server closes then).
//
// Input: the first byte picks the peer (a trusted proxy or not) and the forwarding header;
// the rest is what the client sent. Invariants: a refusal is a 4xx problem; an accepted
// request has a method and a client address, and its body is within the limit.
#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/server/request_head.h"

namespace {

namespace beast = boost::beast;
using navolg::http::BeastParser;

// Small limits, so that inputs of a few KiB reach them.
constexpr std::size_t kBodyLimit = 4096;
constexpr std::size_t kHeaderLimit = 2048;

// Feeds `bytes` to `parser` until `done` says so or an error; removes what was consumed.
// Running out of bytes first is the end of the stream, as when the client closes.
template <typename Done>
beast::error_code Feed(BeastParser& parser, std::string_view& bytes, Done done) {
  beast::error_code error;
  while (!done()) {
    std::size_t used = 0;
    if (!bytes.empty()) {
      used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
      bytes.remove_prefix(used);
      if (error == beast::http::error::need_more) error = {};
      if (error) return error;
    }
    if (used == 0) {  // no more bytes, or none the parser can take without more
      parser.put_eof(error);
      return error ? error : beast::error_code(beast::http::error::end_of_stream);
    }
  }
  return error;
}

void CheckRefusal(const navolg::http::Response& response) {
  if (response.status < 400 || response.status > 499) std::abort();
  if (response.content_type != "application/problem+json") std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  navolg::http::TrustedProxies proxies;
  proxies.ranges = {*navolg::http::ParseAddressRange("10.0.0.0/8"),
                    *navolg::http::ParseAddressRange("2001:db8::/32")};
  proxies.header = (data[0] & 1) != 0 ? navolg::http::ForwardedHeader::kForwarded
                                      : navolg::http::ForwardedHeader::kXForwardedFor;
  const char* const kPeers[] = {"10.0.0.1", "192.0.2.7", "2001:db8::1", "2001:db9::1"};
  const std::string_view peer = kPeers[(data[0] >> 1) % 4];
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int request_count = 0; request_count < 16 && !bytes.empty(); ++request_count) {
    BeastParser parser;
    navolg::http::ApplyLimits(parser, kBodyLimit, kHeaderLimit);
    beast::error_code error = Feed(parser, bytes, [&] { return parser.is_header_done(); });
    if (!error) {
      navolg::http::HeadVerdict verdict = navolg::http::JudgeHead(parser, peer, proxies);
      if (verdict.refusal.has_value() == verdict.request.has_value()) std::abort();
      if (verdict.refusal) {
        CheckRefusal(*verdict.refusal);
        return 0;
      }
      if (verdict.request->client_address.empty()) std::abort();
      error = Feed(parser, bytes, [&] { return parser.is_done(); });
    }
    if (error) {
      if (auto refusal = navolg::http::ReadErrorResponse(error, kBodyLimit)) CheckRefusal(*refusal);
      return 0;  // answered and closed, or the client went away
    }
    if (parser.get().body().size() > kBodyLimit) std::abort();
    if (!parser.get().keep_alive()) return 0;
  }
  return 0;
}
