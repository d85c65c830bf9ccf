#include "api/server/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "api/http/problem.h"
#include "api/server/request_head.h"

namespace navolg::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using Clock = std::chrono::steady_clock;

bhttp::response<bhttp::string_body> ToBeast(Response response, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.set(bhttp::field::content_type, response.content_type);
  message.set("API-Version", kApiVersion);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  // A 304 names no length: it would have to be the length of the 200 it stands for (RFC 9110
  // section 8.6), and the body is not at hand.
  if (response.status == 304) message.erase(bhttp::field::content_length);
  return message;
}

void LogRequest(const std::string& method, const std::string& target, int status,
                Clock::duration elapsed, std::size_t bytes, const std::string& client) {
  // Only the path: a query string could carry something a user typed.
  const std::string path = target.substr(0, target.find('?'));
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const std::string line =
      nlohmann::json{{"method", method}, {"path", path},
                     {"status", status}, {"ms", static_cast<std::int64_t>(ms * 1000) / 1000.0},
                     {"bytes", bytes},   {"client", client}}
          .dump();
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

// A connection as the acceptor and the stopper see it. The stream and `busy` are touched on
// the connection's strand only; the flags are also read by the acceptor, under Impl::mutex.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}

  beast::tcp_stream stream;
  std::string peer;                 // the TCP peer's address
  std::string address_key;          // what it counts against (AddressKey); empty: a trusted proxy
  bool busy = false;                // handling a request or writing its answer
  std::atomic<bool> waiting{true};  // waiting for the first byte of a request
  std::atomic<bool> sent_anything{false};
  bool evicted = false;  // guarded by Impl::mutex: chosen to make room, about to close
};

using ConnectionPtr = std::shared_ptr<Connection>;

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
  std::list<ConnectionPtr> connections;                      // oldest first; guarded by mutex
  std::unordered_map<std::string, std::size_t> per_address;  // open ones; guarded by mutex
  std::size_t evicting = 0;                                  // evicted, not yet closed; mutex
  std::atomic<std::size_t> open{0};                          // connections.size()
  std::atomic<std::size_t> refusing{0};                      // being answered 503

  Impl(const ServerOptions& o, App& a, Metrics& m) : options(o), app(a), metrics(m) {}

  enum class Admission { kAdmitted, kOverAddressLimit, kFull };
  // Registers `connection` unless its address has too many open or the server is full with
  // no connection waiting for a request; at the cap, evicts the oldest waiting one.
  Admission Admit(const ConnectionPtr& connection);
  // Under mutex: the oldest connection waiting for a request that has never sent a byte,
  // else the oldest waiting between requests; nullptr when none is waiting.
  ConnectionPtr OldestWaiting() const;
  void Evict(ConnectionPtr victim);
  void Forget(const ConnectionPtr& connection);

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(ConnectionPtr connection);
  asio::awaitable<void> RefuseOverAddressLimit(beast::tcp_stream stream);
  void BeginStop();
};

namespace {

// After answering a request it did not read to the end (413, 431, 400, 503), the server
// closes in stages (RFC 9112 section 9.6): it has sent its answer and shut down its sending
// side, and now reads and discards what the client still sends, for at most `time` and
// `most` bytes. Closing with unread data would make the kernel send a reset, which can
// destroy the answer before the client reads it: the client would see "connection reset"
// instead of the 413.
asio::awaitable<void> DrainBeforeClose(beast::tcp_stream& stream, std::chrono::milliseconds time,
                                       std::size_t most) {
  std::array<char, 8192> sink;
  std::size_t drained = 0;
  stream.expires_after(time);
  while (drained < most) {
    auto [error, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (error) break;  // the client closed, or the time passed
    drained += n;
  }
}

// A client's address as text, IPv4-mapped IPv6 ("::ffff:192.0.2.7") as plain IPv4.
std::string AddressText(const asio::ip::address& address) {
  const std::string text = address.to_string();
  auto parsed = ParseIpAddress(text);
  return parsed ? parsed->ToString() : text;
}

// How many 503 answers may be in progress at once; beyond that an over-limit connection is
// closed at once (a reset, without an answer), so that refusing costs no more than bounded
// memory and descriptors however fast one address opens connections.
constexpr std::size_t kMaxRefusing = 64;

}  // namespace

Server::Impl::Admission Server::Impl::Admit(const ConnectionPtr& connection) {
  ConnectionPtr victim;
  {
    std::lock_guard lock(mutex);
    if (!connection->address_key.empty()) {
      auto it = per_address.find(connection->address_key);
      if (it != per_address.end() && it->second >= options.max_connections_per_address) {
        return Admission::kOverAddressLimit;
      }
    }
    if (connections.size() - evicting >= options.max_connections) {
      victim = OldestWaiting();
      if (!victim) return Admission::kFull;
      victim->evicted = true;
      ++evicting;
    }
    connections.push_back(connection);
    if (!connection->address_key.empty()) ++per_address[connection->address_key];
    open = connections.size();
  }
  if (victim) Evict(std::move(victim));
  return Admission::kAdmitted;
}

ConnectionPtr Server::Impl::OldestWaiting() const {
  ConnectionPtr between_requests;
  for (const ConnectionPtr& candidate : connections) {
    if (candidate->evicted || !candidate->waiting) continue;
    if (!candidate->sent_anything) return candidate;
    if (!between_requests) between_requests = candidate;
  }
  return between_requests;
}

void Server::Impl::Evict(ConnectionPtr victim) {
  metrics.ConnectionEvicted();
  auto executor = victim->stream.get_executor();
  asio::post(executor, [this, victim = std::move(victim)] {
    // On its strand: if a request started meanwhile, it stays (one over the cap for a while).
    if (victim->waiting) {
      beast::error_code ignored;
      victim->stream.socket().cancel(ignored);
      return;
    }
    std::lock_guard lock(mutex);
    if (victim->evicted) {
      victim->evicted = false;
      --evicting;
    }
  });
}

void Server::Impl::Forget(const ConnectionPtr& connection) {
  std::lock_guard lock(mutex);
  connections.remove(connection);
  if (connection->evicted) --evicting;
  if (auto it = per_address.find(connection->address_key); it != per_address.end()) {
    if (--it->second == 0) per_address.erase(it);
  }
  open = connections.size();
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (ec) {
      if (stopping) co_return;
      if (ec == asio::error::no_descriptors) {
        // Out of file descriptors: the connection stays queued; retrying at once would spin.
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(kTuple);
      }
      continue;
    }
    beast::error_code peer_error;
    const auto peer = socket.remote_endpoint(peer_error);
    if (peer_error) continue;  // already gone; the socket closes with it
    auto connection = std::make_shared<Connection>(std::move(socket));
    connection->peer = AddressText(peer.address());
    if (!options.trusted_proxies.Trusts(connection->peer)) {
      connection->address_key = AddressKey(connection->peer);
    }
    switch (Admit(connection)) {
      case Admission::kAdmitted: {
        auto executor = connection->stream.get_executor();
        asio::co_spawn(executor, Serve(std::move(connection)), asio::detached);
        break;
      }
      case Admission::kOverAddressLimit:
        metrics.ConnectionOverAddressLimit();
        if (refusing < kMaxRefusing) {
          ++refusing;
          auto executor = connection->stream.get_executor();
          asio::co_spawn(executor, RefuseOverAddressLimit(std::move(connection->stream)),
                         asio::detached);
        }  // else the socket closes with `connection`
        break;
      case Admission::kFull:
        metrics.ConnectionRejected();
        break;
    }
  }
}

asio::awaitable<void> Server::Impl::RefuseOverAddressLimit(beast::tcp_stream stream) {
  Response response = ProblemResponse(
      503, "Er staan te veel verbindingen vanaf uw adres open. Probeer het later opnieuw.");
  response.headers["Retry-After"] = "10";
  auto message = ToBeast(std::move(response), 11, /*keep_alive=*/false);
  // The socket's send buffer is empty, so this small answer goes out at once.
  stream.expires_after(std::chrono::seconds(1));
  auto [write_error, written] = co_await bhttp::async_write(stream, message, kTuple);
  if (!write_error) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_await DrainBeforeClose(stream, std::chrono::milliseconds(500), 64 * 1024);
  }
  --refusing;
}

asio::awaitable<void> Server::Impl::Serve(ConnectionPtr connection) {
  beast::tcp_stream& stream = connection->stream;
  metrics.ConnectionOpened();
  const std::size_t busy_from = options.max_connections - options.max_connections / 4;
  const auto busy_first_byte =
      std::min<std::chrono::milliseconds>(kBusyFirstByteTimeout, options.read_timeout);
  beast::flat_buffer buffer;
  bool unread_request = false;  // answered an error before reading the whole request
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (stopping || connection->evicted) break;
    }
    // The read timeout covers waiting for the request and reading all of it.
    const auto deadline = Clock::now() + options.read_timeout;
    stream.expires_at(deadline);
    if (buffer.size() == 0) {
      // Waiting for a request: this is when the connection may be evicted, and, while the
      // server is busy, how long it may wait is short.
      connection->waiting = true;
      metrics.ConnectionIdle(true);
      if (open >= busy_from) stream.expires_after(busy_first_byte);
      auto [error, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      connection->waiting = false;
      metrics.ConnectionIdle(false);
      if (error) break;  // closed, timed out, evicted, stopped
      buffer.commit(n);
      connection->sent_anything = true;
      stream.expires_at(deadline);
    }
    connection->waiting = false;
    BeastParser parser;
    ApplyLimits(parser, options.body_limit, options.header_limit);
    // The head first: its framing is checked before a byte of the body is read.
    beast::error_code read_error;
    std::tie(read_error, std::ignore) =
        co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    std::optional<Response> refusal;
    Request request;
    if (!read_error) {
      HeadVerdict verdict = JudgeHead(parser, connection->peer, options.trusted_proxies);
      if (verdict.refusal) {
        refusal = std::move(verdict.refusal);
      } else {
        request = std::move(*verdict.request);
        std::tie(read_error, std::ignore) =
            co_await bhttp::async_read(stream, buffer, parser, kTuple);
      }
    }
    if (!refusal && read_error) refusal = ReadErrorResponse(read_error, options.body_limit);
    if (!refusal && read_error) break;  // closed, timed out (a trickling client), stopped
    const auto started = Clock::now();
    Response response;
    bool keep_alive = false;
    unsigned version = 11;
    std::string method, target;
    unread_request = refusal.has_value();
    if (refusal) {
      response = std::move(*refusal);
    } else {
      connection->busy = true;
      const auto& message = parser.get();
      version = message.version();
      keep_alive = message.keep_alive();
      method = std::string(message.method_string());
      target = std::string(message.target());
      request.body = std::move(parser.get().body());
      // App::Handle may wait for the group commit: run it on the handler pool.
      response = co_await asio::co_spawn(
          handlers,
          [this, &request]() -> asio::awaitable<Response> {
            co_return options.operator_only ? app.HandleOperator(request) : app.Handle(request);
          },
          asio::use_awaitable);
    }
    if (stopping) keep_alive = false;
    const int status = response.status;
    auto message = ToBeast(std::move(response), version, keep_alive);
    const std::size_t body_bytes = message.body().size();
    stream.expires_after(options.read_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, message, kTuple);
    connection->busy = false;
    if (options.log_requests) {
      LogRequest(method.empty() ? "-" : method, target, status, Clock::now() - started, body_bytes,
                 request.client_address.empty() ? connection->peer : request.client_address);
    }
    if (write_error || !keep_alive) break;
  }
  connection->waiting = false;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_request && !stopping) {
    co_await DrainBeforeClose(stream, std::chrono::seconds(1), 4 * 1024 * 1024);
  }
  stream.socket().close(ignored);
  Forget(connection);
  metrics.ConnectionClosed();
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  asio::post(io, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    std::lock_guard lock(mutex);
    for (const ConnectionPtr& connection : connections) {
      // Each connection is touched only on its own strand; a busy one closes after its answer.
      asio::post(connection->stream.get_executor(), [connection] {
        if (connection->busy) return;
        beast::error_code ignored_cancel;
        connection->stream.socket().cancel(ignored_cancel);
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
