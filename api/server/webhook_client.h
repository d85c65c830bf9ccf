// Delivers one webhook message: an HTTP/1.1 POST of a JSON body, over TCP or TLS (https with
// the system's CA certificates and host name verification), with one deadline for the whole
// exchange. Boost-free header; webhook_client.cc is the Beast translation unit.
//
// Thread-safe: every call has its own I/O context and connection.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "api/http/webhook_url.h"

namespace navolg::http {

struct PostOutcome {
  enum class Kind {
    kDelivered,    // the receiver answered 2xx
    kRejected,     // the receiver answered, but not 2xx
    kUnreachable,  // no answer: name, connection, TLS, timeout, cancelled
  };
  Kind kind = Kind::kUnreachable;
  int status = 0;     // the HTTP status, when there was an answer
  std::string error;  // Dutch, for last_error and the log; empty when delivered
};

// POSTs `body` as application/json with `headers` (name, value) and Connection: close. Gives up
// after `timeout` or as soon as `cancel` becomes true (checked every few milliseconds).
PostOutcome PostJson(const WebhookUrl& url, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& cancel);

}  // namespace navolg::http
