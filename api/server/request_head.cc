#include "api/server/request_head.h"

#include <boost/beast/core/string.hpp>

#include "api/http/problem.h"

namespace navolg::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string_view TrimSpace(std::string_view value) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = value.find_last_not_of(" \t");
  return value.substr(first, last - first + 1);
}

}  // namespace

void ApplyLimits(BeastParser& parser, std::size_t body_limit, std::size_t header_limit) {
  parser.body_limit(body_limit);
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
}

std::optional<std::string> FramingRefusal(const bhttp::fields& fields) {
  if (fields.count(bhttp::field::host) > 1) {
    return "Het verzoek heeft meer dan één Host-kopregel.";
  }
  if (fields.count(bhttp::field::authorization) > 1) {
    return "Het verzoek heeft meer dan één Authorization-kopregel.";
  }
  const std::size_t codings = fields.count(bhttp::field::transfer_encoding);
  const std::size_t lengths = fields.count(bhttp::field::content_length);
  if (codings > 0 && lengths > 0) {
    return "Het verzoek heeft zowel Content-Length als Transfer-Encoding.";
  }
  if (codings > 1 ||
      (codings == 1 &&
       !beast::iequals(TrimSpace(fields[bhttp::field::transfer_encoding]), "chunked"))) {
    return "Alleen Transfer-Encoding: chunked wordt ondersteund.";
  }
  if (lengths > 1 || fields[bhttp::field::content_length].find(',') != std::string_view::npos) {
    return "Het verzoek heeft meer dan één Content-Length.";
  }
  return std::nullopt;
}

std::vector<std::string_view> FieldLines(const bhttp::fields& fields, std::string_view name) {
  std::vector<std::string_view> values;
  const auto [first, last] = fields.equal_range(name);
  for (auto it = first; it != last; ++it) values.push_back(it->value());
  return values;
}

HeadVerdict JudgeHead(const BeastParser& parser, std::string_view peer,
                      const TrustedProxies& proxies) {
  const auto& message = parser.get();
  if (auto refusal = FramingRefusal(message)) return {std::nullopt, ProblemResponse(400, *refusal)};
  auto client = ClientAddress(proxies, peer, FieldLines(message, FieldName(proxies.header)));
  if (!client.ok()) return {std::nullopt, ProblemResponse(400, client.status().message())};
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers[std::string(field.name_string())] = std::string(field.value());
  }
  request.client_address = std::move(*client);
  return {std::move(request), std::nullopt};
}

std::optional<Response> ReadErrorResponse(const beast::error_code& error, std::size_t body_limit) {
  if (error == bhttp::error::bad_transfer_encoding || error == bhttp::error::bad_content_length ||
      error == bhttp::error::multiple_content_length) {
    return ProblemResponse(400, "Het is niet eenduidig waar het verzoek eindigt.");
  }
  if (error == bhttp::error::body_limit) {
    return ProblemResponse(413, "Het verzoek is groter dan toegestaan (" +
                                    std::to_string(body_limit / 1024) + " KiB).");
  }
  if (error == bhttp::error::header_limit) {
    return ProblemResponse(431, "De kopregels van het verzoek zijn te groot.");
  }
  if (error == bhttp::error::bad_method || error == bhttp::error::bad_target ||
      error == bhttp::error::bad_version || error == bhttp::error::bad_field ||
      error == bhttp::error::bad_value || error == bhttp::error::bad_line_ending ||
      error == bhttp::error::bad_chunk || error == bhttp::error::bad_chunk_extension) {
    return ProblemResponse(400, "Het HTTP-verzoek is onleesbaar.");
  }
  return std::nullopt;  // closed, timed out (a trickling client), cancelled by Stop
}

}  // namespace navolg::http
