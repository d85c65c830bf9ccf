// A tiny blocking HTTP/1.1 client over a loopback TCP socket, for tests that drive a real
// navolg server the way any client would. Understands Content-Length bodies (the server
// always sends one). Not for production use.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace navolg::testing {

struct HttpResult {
  int status = 0;                              // 0: no (complete) answer
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// The header lines of a message head whose first line ends at `first_line_end`, into
// `headers` with lower-case names and values without leading spaces.
inline void ParseHeaderLines(const std::string& head, std::size_t first_line_end,
                             std::map<std::string, std::string>& headers) {
  for (std::size_t line_end = first_line_end; line_end != std::string::npos;) {
    const std::size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(line_end + 2, next - line_end - 2);
    line_end = next;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(::tolower(c));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    headers[name] = value;
  }
}

// The bytes of one HTTP/1.1 request to the loopback server. `headers` are extra header lines
// ("Name: value\r\n"); a POST or PUT, or any request with a body, gets Content-Type and
// Content-Length.
inline std::string FormatRequest(const std::string& method, const std::string& target,
                                 const std::string& headers = "", const std::string& body = "",
                                 const std::string& content_type = "application/json") {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Type: " + content_type +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  return request;
}

class HttpConnection {
 public:
  // `source`: the loopback address to connect from ("127.0.0.2"; all of 127/8 is loopback),
  // so one test can be several clients to the server; empty: the system's choice.
  explicit HttpConnection(std::uint16_t port, const std::string& source = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (!source.empty()) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
          ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
        ::close(fd_);
        fd_ = -1;
        return;
      }
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    int one = 1;
    if (fd_ >= 0) ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~HttpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool SendRaw(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Sends one request and reads its answer. `headers` are extra header lines ("Name: value\r\n").
  //
  // A server may answer before it has read the whole request (413 as soon as Content-Length
  // is over the limit) and close; sending the rest then fails (EPIPE, ECONNRESET) while the
  // answer is already here. Like any HTTP client (RFC 9112 section 9.6), read it anyway.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& headers = "", const std::string& body = "",
                     const std::string& content_type = "application/json") {
    (void)SendRaw(FormatRequest(method, target, headers, body, content_type));
    return ReadResponse();
  }

  // Reads one response; status 0 if the connection closed first or `timeout` passed.
  HttpResult ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    HttpResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return {};
    }
    const std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12) return {};
    result.status = std::stoi(status_line.substr(9, 3));
    ParseHeaderLines(head, line_end, result.headers);
    const std::size_t length =
        std::stoul(result.Header("content-length").empty() ? "0" : result.Header("content-length"));
    while (buffer_.size() < length) {
      if (!Fill(deadline)) return {};
    }
    result.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return result;
  }

  // True when the server has closed the connection (reads end of stream) within `timeout`.
  bool ClosedByServer(std::chrono::milliseconds timeout) {
    return !Fill(std::chrono::steady_clock::now() + timeout, /*want_close=*/true);
  }

 private:
  // Reads more bytes; false on close, error or deadline.
  bool Fill(std::chrono::steady_clock::time_point deadline, bool want_close = false) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return want_close;  // timed out: not closed
      timeval tv{static_cast<time_t>(left.count() / 1000),
                 static_cast<suseconds_t>((left.count() % 1000) * 1000)};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char chunk[16384];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
      }
      if (n == 0) return false;  // closed
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    }
  }

  int fd_ = -1;
  std::string buffer_;
};

// One request on a new connection, as a client with `token` sends it: a JSON body (none when
// `body` is empty) and, when `version` is positive, If-Match for that version.
inline HttpResult Authorized(std::uint16_t port, const std::string& method,
                             const std::string& target, const std::string& token,
                             const std::string& body = "", std::int64_t version = 0) {
  HttpConnection connection(port);
  std::string headers = "Authorization: Bearer " + token + "\r\n";
  if (version > 0) headers += "If-Match: \"" + std::to_string(version) + "\"\r\n";
  return connection.Request(method, target, headers, body);
}

// A loopback port nothing listens on at this moment: bound, then closed (another program may
// take it before the caller does; a caller that listens on it retries).
inline std::uint16_t UnusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace navolg::testing
