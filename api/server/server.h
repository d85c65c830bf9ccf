// The HTTP server: Boost.Beast sessions on Asio I/O threads, feeding an App.
//
// Every read has a deadline (a client that trickles its request is dropped), requests are
// bounded (body, header), and App::Handle runs on a separate pool of handler threads so that
// commands waiting for the group commit never block the I/O threads.
//
// Connections are limited so that idle ones cannot lock real clients out:
// - per TCP peer address (an IPv4 address, an IPv6 /64): one over max_connections_per_address
//   is answered 503 with Retry-After and closed (a trusted proxy is exempt);
// - from 3/4 of max_connections on, a connection waiting for (the first byte of) a request
//   gets at most kBusyFirstByteTimeout for it instead of the read timeout;
// - at max_connections, a new connection takes the place of the oldest one that is waiting
//   for a request, preferring one that has never sent a byte; only when every connection is
//   in the middle of a request is the new one closed. Stop (or SIGINT/SIGTERM) stops accepting,
//   lets requests in flight
// finish and answers them, closes idle connections, and then Run returns.
//
// This header is Boost-free on purpose; only server.cc includes Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/app.h"
#include "api/http/client_address.h"
#include "api/http/metrics.h"
#include "engine/status.h"

namespace navolg::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port)
  int io_threads = 2;
  int handler_threads = 64;              // how many requests may wait on the database at once
  std::size_t body_limit = 1024 * 1024;  // 413 beyond this
  std::size_t header_limit = 16 * 1024;  // 431 beyond this
  std::chrono::milliseconds read_timeout{10'000};  // to read one whole request, or to idle
  std::size_t max_connections = 1024;
  // Open connections from one TCP peer address; see above. A trusted proxy's are not
  // counted: every client behind it shares its address (limit them in the proxy).
  std::size_t max_connections_per_address = 64;
  // The reverse proxies whose forwarding header names the client (Request::client_address).
  TrustedProxies trusted_proxies;
  // The operator's listener (--metrics-listen): every request goes to App::HandleOperator.
  bool operator_only = false;
  bool handle_signals = true;  // stop on SIGINT and SIGTERM
  bool log_requests = true;    // one JSON line per request on stderr
};

// How long a connection may wait for the first byte of a request once the server has 3/4 of
// max_connections open (unless the read timeout is shorter).
inline constexpr std::chrono::milliseconds kBusyFirstByteTimeout{1000};

class Server {
 public:
  // Binds the listening socket; fails with a Dutch message when the address is unusable.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, App& app,
                                               Metrics& metrics);
  ~Server();

  std::uint16_t port() const;

  // Serves until Stop() or a signal; returns once every connection has closed.
  void Run();
  // Thread-safe; may be called before, during or after Run.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace navolg::http
