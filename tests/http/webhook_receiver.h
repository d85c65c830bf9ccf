// A webhook receiver for tests: a real HTTP/1.1 server on a loopback port, in a thread of the
// test process, that records every request and answers 500 to the first `failures` attempts
// of each message (by its Navolg-Message-Id) and 200 after that. One request per connection.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/http/http_client.h"
#include "tests/wait_until.h"

namespace navolg::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;  // the status the receiver answered

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(int failures) : failures_(failures) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~WebhookReceiver() {
    ::shutdown(fd_, SHUT_RDWR);  // wakes the blocked accept
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // Polls until `done(requests)` holds or `limit` passes; returns whether it held.
  bool WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
               std::chrono::milliseconds limit) const {
    return WaitUntil([&] { return done(requests()); }, limit);
  }

 private:
  void Serve() {
    for (;;) {
      const int connection = ::accept(fd_, nullptr, nullptr);
      if (connection < 0) return;  // shut down
      timeval timeout{5, 0};
      ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      ReceivedRequest request;
      if (Read(connection, request)) {
        const std::string id = request.Header("navolg-message-id");
        {
          std::lock_guard lock(mutex_);
          request.answered = attempts_[id]++ < failures_ ? 500 : 200;
          requests_.push_back(request);
        }
        const std::string answer =
            request.answered == 200
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                : "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                  "Connection: close\r\n\r\n";
        ::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
      }
      ::close(connection);
    }
  }

  static bool Read(int connection, ReceivedRequest& request) {
    std::string data;
    std::size_t header_end = std::string::npos;
    std::size_t length = 0;
    char chunk[4096];
    for (;;) {
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          ParseHead(data.substr(0, header_end), request);
          length = std::stoul(
              request.Header("content-length").empty() ? "0" : request.Header("content-length"));
        }
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + length) {
        request.body = data.substr(header_end + 4, length);
        return true;
      }
      const ssize_t n = ::recv(connection, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      data.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static void ParseHead(const std::string& head, ReceivedRequest& request) {
    const std::size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const auto space = first.find(' ');
    request.method = first.substr(0, space);
    request.target = first.substr(space + 1, first.rfind(' ') - space - 1);
    ParseHeaderLines(head, line_end, request.headers);
  }

  int failures_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::map<std::string, int> attempts_;
};

}  // namespace navolg::testing
