#include "api/server/server.h"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "api/http/problem.h"

namespace navolg::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using Clock = std::chrono::steady_clock;

// The request as far as its head: called before the body is read, so that fields of a
// chunked body's trailer section, which arrive after FramingRefusal looked at the head, never
// become headers (RFC 9110 section 6.5.1 lets a recipient discard them).
Request FromBeastHead(const bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers[std::string(field.name_string())] = std::string(field.value());
  }
  return request;
}

std::string_view TrimSpace(std::string_view value) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = value.find_last_not_of(" \t");
  return value.substr(first, last - first + 1);
}

// Why the head of a request cannot be trusted, as a Dutch detail; nullopt when it can.
//
// Where the body ends must be beyond doubt (RFC 9112 section 6.1 and 6.3): a proxy in front of
// the server that reads it differently would otherwise see the rest of the body as a second
// request (request smuggling). Beast refuses some of this itself (a Content-Length after
// Transfer-Encoding: chunked, two different Content-Lengths) but reads "Transfer-Encoding:
// gzip" as "no body" and lets equal Content-Lengths pass. Only "chunked" is a coding we
// decode, so any other Transfer-Encoding is refused rather than passed on undecoded. Headers
// lose duplicates ("last one wins"), so two Host or Authorization fields are refused here,
// where they can still be counted.
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

bhttp::response<bhttp::string_body> ToBeast(Response response, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.set(bhttp::field::content_type, response.content_type);
  message.set("API-Version", kApiVersion);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

void LogRequest(const std::string& method, const std::string& target, int status,
                Clock::duration elapsed, std::size_t bytes) {
  // Only the path: a query string could carry something a user typed.
  const std::string path = target.substr(0, target.find('?'));
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const std::string line = nlohmann::json{
      {"method", method},
      {"path", path},
      {"status", status},
      {"ms", static_cast<std::int64_t>(ms * 1000) / 1000.0},
      {"bytes", bytes}}.dump();
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

// A connection as the stopper sees it: idle ones are closed at once, busy ones after their
// answer.
struct Connection {
  beast::tcp_stream* stream = nullptr;
  bool busy = false;  // touched on the connection's strand only
};

struct Server::Impl {
  ServerOptions options;
  App& app;
  Metrics& metrics;
  asio::io_context io{options.io_threads};
  asio::thread_pool handlers{static_cast<std::size_t>(options.handler_threads)};
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::list<Connection*> connections;  // guarded by mutex

  Impl(const ServerOptions& o, App& a, Metrics& m) : options(o), app(a), metrics(m) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(beast::tcp_stream stream);
  void BeginStop();
};

namespace {

// After answering a request it did not read to the end (413, 431, 400), the server closes in
// stages (RFC 9112 section 9.6): it has sent its answer and shut down its sending side, and
// now reads and discards what the client still sends, for at most 1 s and 4 MiB. Closing
// with unread data would make the kernel send a reset, which can destroy the answer before
// the client reads it: the client would see "connection reset" instead of the 413.
asio::awaitable<void> DrainBeforeClose(beast::tcp_stream& stream) {
  constexpr std::size_t kMaxDrained = 4 * 1024 * 1024;
  std::array<char, 8192> sink;
  std::size_t drained = 0;
  stream.expires_after(std::chrono::seconds(1));
  while (drained < kMaxDrained) {
    auto [error, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (error) break;  // the client closed, or the second passed
    drained += n;
  }
}

}  // namespace

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (ec) {
      if (stopping) co_return;
      continue;  // e.g. too many open files: try the next one
    }
    std::size_t open;
    {
      std::lock_guard lock(mutex);
      open = connections.size();
    }
    if (open >= options.max_connections) {
      metrics.ConnectionRejected();
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(socket.get_executor(), Serve(beast::tcp_stream(std::move(socket))),
                   asio::detached);
  }
}

asio::awaitable<void> Server::Impl::Serve(beast::tcp_stream stream) {
  Connection connection{&stream, false};
  std::list<Connection*>::iterator registered;
  {
    std::lock_guard lock(mutex);
    registered = connections.insert(connections.end(), &connection);
  }
  metrics.ConnectionOpened();
  std::string peer_address;
  {
    beast::error_code peer_error;
    const auto peer = stream.socket().remote_endpoint(peer_error);
    if (!peer_error) peer_address = peer.address().to_string();
  }
  beast::flat_buffer buffer;
  bool unread_request = false;  // answered an error before reading the whole request
  while (!stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    stream.expires_after(options.read_timeout);
    // The head first: its framing is checked before a byte of the body is read.
    beast::error_code read_error;
    std::tie(read_error, std::ignore) =
        co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    std::optional<std::string> refusal;
    Request request;
    if (!read_error) {
      refusal = FramingRefusal(parser.get());
      if (!refusal) {
        request = FromBeastHead(parser.get());
        request.client_address = peer_address;
        std::tie(read_error, std::ignore) =
            co_await bhttp::async_read(stream, buffer, parser, kTuple);
      }
    }
    const auto started = Clock::now();
    Response response;
    bool keep_alive = false;
    unsigned version = 11;
    std::string method, target;
    unread_request = (read_error && read_error != bhttp::error::end_of_stream) || refusal;
    if (refusal) {
      response = ProblemResponse(400, *refusal);
    } else if (read_error == bhttp::error::bad_transfer_encoding ||
               read_error == bhttp::error::bad_content_length ||
               read_error == bhttp::error::multiple_content_length) {
      response = ProblemResponse(400, "Het is niet eenduidig waar het verzoek eindigt.");
    } else if (read_error == bhttp::error::body_limit) {
      response = ProblemResponse(413, "Het verzoek is groter dan toegestaan (" +
                                          std::to_string(options.body_limit / 1024) + " KiB).");
    } else if (read_error == bhttp::error::header_limit) {
      response = ProblemResponse(431, "De kopregels van het verzoek zijn te groot.");
    } else if (read_error == bhttp::error::bad_method || read_error == bhttp::error::bad_target ||
               read_error == bhttp::error::bad_version || read_error == bhttp::error::bad_field ||
               read_error == bhttp::error::bad_value ||
               read_error == bhttp::error::bad_line_ending ||
               read_error == bhttp::error::bad_chunk ||
               read_error == bhttp::error::bad_chunk_extension) {
      response = ProblemResponse(400, "Het HTTP-verzoek is onleesbaar.");
    } else if (read_error) {
      break;  // closed, timed out (a trickling client), cancelled by Stop
    } else {
      connection.busy = true;
      const auto& message = parser.get();
      version = message.version();
      keep_alive = message.keep_alive();
      method = std::string(message.method_string());
      target = std::string(message.target());
      request.body = std::move(parser.get().body());
      // App::Handle may wait for the group commit: run it on the handler pool.
      response = co_await asio::co_spawn(
          handlers,
          [this, &request]() -> asio::awaitable<Response> { co_return app.Handle(request); },
          asio::use_awaitable);
    }
    if (stopping) keep_alive = false;
    const int status = response.status;
    auto message = ToBeast(std::move(response), version, keep_alive);
    const std::size_t body_bytes = message.body().size();
    stream.expires_after(options.read_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, message, kTuple);
    connection.busy = false;
    if (options.log_requests) {
      LogRequest(method.empty() ? "-" : method, target, status, Clock::now() - started, body_bytes);
    }
    if (write_error || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_request && !stopping) co_await DrainBeforeClose(stream);
  {
    std::lock_guard lock(mutex);
    connections.erase(registered);
  }
  metrics.ConnectionClosed();
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  asio::post(io, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    std::lock_guard lock(mutex);
    for (Connection* connection : connections) {
      // Each connection is touched only on its own strand.
      asio::post(connection->stream->get_executor(), [this, connection] {
        std::lock_guard inner(mutex);  // it may have ended meanwhile
        for (Connection* c : connections) {
          if (c == connection && !c->busy) {
            beast::error_code ignored_cancel;
            c->stream->socket().cancel(ignored_cancel);
          }
        }
      });
    }
  });
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, App& app,
                                              Metrics& metrics) {
  auto impl = std::make_unique<Impl>(options, app, metrics);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return Status(Code::kInvalidArgument, "'" + options.host + "' is geen IP-adres.");
  }
  const tcp::endpoint endpoint{address, options.port};
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kUnavailable, "Kan niet luisteren op " + options.host + ":" +
                                          std::to_string(options.port) + ": " + ec.message());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  impl_->handlers.join();
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](const beast::error_code& ec, int) {
      if (!ec) impl_->BeginStop();
    });
  }
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i) {
    threads.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (auto& thread : threads) thread.join();
}

void Server::Stop() {
  if (impl_->stopping) return;
  impl_->BeginStop();
}

}  // namespace navolg::http
