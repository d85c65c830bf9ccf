// How navolg judges a request it reads with Beast, apart from the socket: the parser's
// limits, the framing checks against request smuggling, the client's address behind a
// trusted proxy, the Boost-free Request built from the head, and what each read error is
// answered with. server.cc reads with these; the fuzz target for Beast's parser
// (tests/fuzz/http_parser_fuzz.cc) feeds them bytes without a socket.
//
// Beast appears here on purpose: only api/server includes it.
#pragma once

#include <boost/beast/http.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/client_address.h"
#include "api/http/http_types.h"

namespace navolg::http {

using BeastParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A fresh parser for one request with navolg's limits: beyond `body_limit` bytes of body the
// read fails with body_limit (413), beyond `header_limit` bytes of head with header_limit (431).
void ApplyLimits(BeastParser& parser, std::size_t body_limit, std::size_t header_limit);

// Why the head of a request cannot be trusted, as a Dutch detail; nullopt when it can.
//
// Where the body ends must be beyond doubt (RFC 9112 sections 6.1 and 6.3): a proxy in front
// of the server that reads it differently would otherwise see the rest of the body as a
// second request (request smuggling). Beast refuses some of this itself (a Content-Length
// after Transfer-Encoding: chunked, two different Content-Lengths) but reads
// "Transfer-Encoding: gzip" as "no body" and lets equal Content-Lengths pass. Only "chunked"
// is a coding we decode, so any other Transfer-Encoding is refused rather than passed on
// undecoded. Headers lose duplicates ("last one wins"), so two Host or Authorization fields
// are refused here, where they can still be counted.
std::optional<std::string> FramingRefusal(const boost::beast::http::fields& fields);

// The values of every field line named `name`, in the order they came.
std::vector<std::string_view> FieldLines(const boost::beast::http::fields& fields,
                                         std::string_view name);

// What a request whose head has been read comes to: the Request to read the body into and
// hand to the App, or the 400 problem to answer before closing.
struct HeadVerdict {
  std::optional<Request> request;
  std::optional<Response> refusal;
};

// Judges the head in `parser` (async_read_header or put has completed it) of a request from
// the TCP peer `peer`: its framing (FramingRefusal), then its client address (ClientAddress
// over the configured forwarding header's field lines). The Request has method, target,
// headers and client_address; fields of a chunked body's trailer section, which come after
// the head, never become headers (RFC 9110 section 6.5.1 lets a recipient discard them).
HeadVerdict JudgeHead(const BeastParser& parser, std::string_view peer,
                      const TrustedProxies& proxies);

// The problem a failed read is answered with (then the connection closes), with the body
// limit named in a 413; nullopt when there is nobody to answer (the client closed, the read
// timed out or was cancelled).
std::optional<Response> ReadErrorResponse(const boost::beast::error_code& error,
                                          std::size_t body_limit);

}  // namespace navolg::http
