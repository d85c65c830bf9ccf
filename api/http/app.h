// The HTTP API of navolg (api/http/openapi.json) as a function from request to response: routing,
// authentication, the authorisation policy, JSON in and out, problem+json errors.
// No sockets and no Boost here; api/server/server.cc feeds it.
//
// Thread-safe: any number of I/O threads call Handle at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/http/http_types.h"
#include "api/http/metrics.h"
#include "engine/calendar.h"
#include "engine/ed25519.h"
#include "storage/account_store.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"

namespace navolg::http {

// The full API version, sent as API-Version on every response (NL GOV API Design Rules).
inline constexpr const char* kApiVersion = "1.0.0";

// What the App and its handlers work with. The pointers are borrowed and outlive the App.
struct Services {
  storage::GroupCommitter* committer = nullptr;  // the single writer
  storage::ReadStore* reads = nullptr;           // reads and token look-ups
  std::function<Time()> clock;                   // now, in UTC
  Metrics* metrics = nullptr;
  // Signs the checkpoint that ends every export and is published at
  // GET /api/v1/audit/public-key. Without one, exports end without a checkpoint and that
  // route answers 404.
  const SigningKey* signing_key = nullptr;
  // The deadline watcher's and webhook sender's figures for /metrics; empty when they do
  // not run (tests that drive App alone).
  std::function<BackgroundStats()> background = {};
  // Sign-in with a password, browser sessions and the beheerder's user administration.
  // Without one, those routes answer 503 and session cookies are not accepted.
  storage::AccountStore* accounts = nullptr;
  // The origin browsers reach navolg at, from PublicOrigin (api/http/authentication.h), e.g.
  // "https://navolg.gemeente.nl": the Origin that changing cookie requests must carry, and
  // Secure cookies when https. Empty: "http://" + the request's Host.
  std::string public_origin{};
  // The operator's credential for GET /metrics: when set, that route answers only a request
  // with "Authorization: Bearer <metrics_token>" (401 otherwise). Empty: /metrics answers 403
  // with how to enable it (the operator's own listener, HandleOperator, needs no token).
  std::string metrics_token{};
};

class App {
 public:
  explicit App(Services services);
  ~App();

  // Handles one request. Never throws: an unexpected failure becomes a 500 problem that
  // reveals no internals. Records the request in the metrics under its route pattern.
  Response Handle(const Request& request);

  // The operator's own listener (navolg serve --metrics-listen, an address only the operator
  // reaches): GET or HEAD /metrics without a token, 405 for another method there, 404 for
  // any other path. Never throws.
  Response HandleOperator(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace navolg::http
