// Plain HTTP request and response values, free of Boost: the server (api/server/server.cc) converts
// Beast messages to and from these, so routing, handlers and their tests compile in seconds
// and need no socket.
#pragma once

#include <strings.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace navolg::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return ::strcasecmp(a.c_str(), b.c_str()) < 0;
  }
};

using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;                        // "GET", "PUT", ...
  std::string target;                        // as sent: path and query
  std::string path;                          // percent-decoded path, without the query
  std::map<std::string, std::string> query;  // percent-decoded query parameters
  Headers headers;
  std::string body;
  // The client's IP address as text ("192.0.2.7", "2001:db8::1"): the TCP peer, or, when the
  // peer is a trusted proxy, the address that proxy reports. Every per-address limit keys on
  // it. Empty when unknown (tests that build a Request by hand).
  std::string client_address;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;  // besides Content-Type, Content-Length and API-Version
  std::string body;
};

// Splits a request target into its decoded path and query parameters. Returns false for a
// malformed target (bad percent-encoding, no leading '/').
bool ParseTarget(const std::string& target, std::string& path,
                 std::map<std::string, std::string>& query);

}  // namespace navolg::http
