#include "api/server/webhook_client.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace navolg::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Request = bhttp::request<bhttp::string_body>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A receiver's answer is only looked at for its status; a longer body is not read.
constexpr std::size_t kAnswerLimit = 64 * 1024;

PostOutcome Unreachable(std::string error) {
  return PostOutcome{PostOutcome::Kind::kUnreachable, 0, std::move(error)};
}

std::string Why(const beast::error_code& error) {
  if (error == beast::error::timeout) return "de tijd is verstreken";
  return error.message();
}

bool IsIpAddress(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string HostHeader(const WebhookUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) host += ":" + std::to_string(url.port);
  return host;
}

template <typename Stream>
asio::awaitable<PostOutcome> Exchange(Stream& stream, Request& request) {
  auto [write_error, written] = co_await bhttp::async_write(stream, request, kTuple);
  if (write_error) co_return Unreachable("verzenden mislukt: " + Why(write_error));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kAnswerLimit);
  auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
  // An answer whose body is cut short or too long still says its status.
  if (read_error && !parser.is_header_done()) {
    co_return Unreachable("geen antwoord ontvangen: " + Why(read_error));
  }
  const int status = static_cast<int>(parser.get().result_int());
  if (status >= 200 && status < 300)
    co_return PostOutcome{PostOutcome::Kind::kDelivered, status, ""};
  co_return PostOutcome{PostOutcome::Kind::kRejected, status,
                        "de ontvanger antwoordde HTTP " + std::to_string(status)};
}

asio::awaitable<PostOutcome> Deliver(WebhookUrl url, Request request, asio::ssl::context* tls,
                                     Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_error, endpoints] =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), kTuple);
  if (resolve_error) {
    co_return Unreachable("host '" + url.host + "' niet gevonden: " + Why(resolve_error));
  }
  beast::tcp_stream plain(executor);
  plain.expires_at(deadline);
  auto [connect_error, endpoint] = co_await plain.async_connect(endpoints, kTuple);
  if (connect_error) co_return Unreachable("verbinding mislukt: " + Why(connect_error));
  if (tls == nullptr) co_return co_await Exchange(plain, request);

  beast::ssl_stream<beast::tcp_stream> secure(std::move(plain), *tls);
  if (!IsIpAddress(url.host)) {
    // SNI, so that a server with several names presents the right certificate.
    SSL_set_tlsext_host_name(secure.native_handle(), url.host.c_str());
  }
  secure.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::get_lowest_layer(secure).expires_at(deadline);
  auto [handshake_error] = co_await secure.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (handshake_error) co_return Unreachable("TLS mislukt: " + Why(handshake_error));
  co_return co_await Exchange(secure, request);
}

}  // namespace

PostOutcome PostJson(const WebhookUrl& url, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& cancel) {
  const Clock::time_point deadline = Clock::now() + timeout;
  try {
    // Declared before the I/O context, so that they outlive the operations it destroys
    // when the loop below gives up early.
    std::optional<asio::ssl::context> tls;
    std::optional<PostOutcome> outcome;
    asio::io_context io;
    if (url.tls) {
      tls.emplace(asio::ssl::context::tls_client);
      tls->set_default_verify_paths();
      tls->set_verify_mode(asio::ssl::verify_peer);
    }
    Request request{bhttp::verb::post, url.target, 11};
    request.set(bhttp::field::host, HostHeader(url));
    request.set(bhttp::field::user_agent, "navolg");
    request.set(bhttp::field::content_type, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.keep_alive(false);
    request.body() = body;
    request.prepare_payload();

    asio::co_spawn(io, Deliver(url, std::move(request), tls ? &*tls : nullptr, deadline),
                   [&outcome](std::exception_ptr error, PostOutcome result) {
                     outcome =
                         error ? Unreachable("interne fout bij het verzenden") : std::move(result);
                   });
    // In short slices, so that a stop is not kept waiting for a slow receiver. The resolver
    // is not bound by the stream's deadline; this loop bounds everything.
    while (!outcome) {
      if (cancel.load()) return Unreachable("afgebroken: navolg stopt");
      if (Clock::now() > deadline) {
        return Unreachable("de tijd is verstreken (" + std::to_string(timeout.count()) + " ms)");
      }
      io.run_for(std::chrono::milliseconds(20));
    }
    return *outcome;
  } catch (const std::exception& e) {
    return Unreachable(std::string("verzenden mislukt: ") + e.what());
  }
}

}  // namespace navolg::http
