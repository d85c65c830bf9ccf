// The HTTP server: Boost.Beast sessions on Asio I/O threads, feeding an App.
//
// Every read has a deadline (a client that trickles its request is dropped), requests are
// bounded (body, header), the number of open connections is capped, and App::Handle runs on
// a separate pool of handler threads so that commands waiting for the group commit never
// block the I/O threads. Stop (or SIGINT/SIGTERM) stops accepting, lets requests in flight
// finish and answers them, closes idle connections, and then Run returns.
//
// This header is Boost-free on purpose; only server.cc includes Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/app.h"
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
  bool handle_signals = true;  // stop on SIGINT and SIGTERM
  bool log_requests = true;    // one JSON line per request on stderr
};

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
