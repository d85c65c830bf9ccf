// Webhook URLs: what an organisation's webhook may be, checked when it is configured and
// again before each delivery. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.h"

namespace navolg::http {

struct WebhookUrl {
  bool tls = false;          // https
  std::string host;          // a name or an IP address (IPv6 without brackets)
  std::uint16_t port = 80;   // 80 or 443 unless given
  std::string target = "/";  // path and query, as given
};

// Accepts http://HOST[:PORT][/PATH][?QUERY] and https://... of at most 2000 printable ASCII
// characters. Refuses, with a Dutch message that says what to change, any other scheme, a
// missing host, a bad port, a user name or password in the URL, and a fragment (#).
Result<WebhookUrl> ParseWebhookUrl(const std::string& text);

}  // namespace navolg::http
