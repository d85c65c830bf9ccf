// The settings of `navolg serve`: each from its flag, else its environment variable, else its
// default, checked once, before anything is opened. A wrong setting is an error value that
// names the flag and the variable and says what is allowed, in Dutch.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/server/server.h"
#include "api/server/webhook_sender.h"
#include "engine/status.h"
#include "storage/connection.h"

namespace navolg {

struct ServeSettings {
  bool show_help = false;      // --help: print ServeUsage() and start nothing
  std::string database;        // the database's path
  std::string listen;          // HOST:PORT as given, for the address navolg prints
  http::ServerOptions server;  // host, port, threads, limits, request log
  storage::Durability durability = storage::Durability::kFull;
  std::chrono::seconds watch_interval{60};
  http::SenderOptions sending;     // the webhook sender's timeouts and retries
  std::string public_origin;       // from --public-url; empty: from each request's Host
  std::string signing_key_option;  // --signing-key as given (see SigningKeyPath)
  std::string metrics_token;       // empty: GET /metrics answers 403 on the public listener
  // --metrics-listen: the operator's own listener, serving only GET /metrics without a token.
  std::optional<http::ServerOptions> metrics_server;
  std::string metrics_listen;  // HOST:PORT as given
  bool demo = false;           // --demo: fill a new database with an example (api/demo.h)
  // --first-password-file: where an empty database's first password goes (api/first_start.h);
  // empty: standard output.
  std::string first_password_file;
};

// Reads the environment variable `name`; nullptr when unset. Tests pass their own.
using Environment = std::function<const char*(const char* name)>;

// kInvalidArgument with a Dutch message that names the setting ("--io-threads
// (NAVOLG_IO_THREADS): ...") for an unknown flag, an unexpected argument or a value outside
// its range. With --help, only show_help is set.
Result<ServeSettings> ParseServeSettings(const std::vector<std::string>& args,
                                         const Environment& environment);

// The usage text of `navolg serve --help`.
const char* ServeUsage();

}  // namespace navolg
