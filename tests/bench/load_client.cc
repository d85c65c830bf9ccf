#include "tests/bench/load_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "tests/bench/response_reader.h"

namespace navolg::bench {
namespace {

using Clock = std::chrono::steady_clock;

// A non-blocking TCP connection to 127.0.0.1:port with Nagle off, or -1. The connect itself
// blocks: on loopback it completes at once, and it happens outside the timed loop or after a
// failure only.
int Connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int one = 1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Connection {
  ConnectionScript* script = nullptr;
  std::uint16_t port = 0;
  int fd = -1;  // -1 while broken, and for good when it could not be reopened
  ResponseReader reader;
  std::string request;
  std::size_t sent = 0;
  bool waits_to_write = false;  // registered for EPOLLOUT: the socket buffer was full
  Clock::time_point started;
};

// One thread's event loop over its connections. Every member is touched by that thread only.
class Worker {
 public:
  explicit Worker(std::vector<Connection*> connections)
      : epoll_(::epoll_create1(EPOLL_CLOEXEC)), connections_(std::move(connections)) {
    latencies_ms_.reserve(1 << 16);
  }
  ~Worker() { ::close(epoll_); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Drives the connections until `end`; answers after `end` are not counted.
  void Run(Clock::time_point end) {
    end_ = end;
    for (Connection* connection : connections_) {
      Watch(*connection, EPOLL_CTL_ADD, EPOLLIN);
      Start(*connection);
    }
    epoll_event events[128];
    for (Clock::time_point now; (now = Clock::now()) < end_;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(end_ - now).count();
      const int ready = ::epoll_wait(epoll_, events, 128, static_cast<int>(left));
      for (int i = 0; i < ready; ++i) {
        Connection& connection = *static_cast<Connection*>(events[i].data.ptr);
        if ((events[i].events & EPOLLOUT) && connection.fd >= 0) Send(connection);
        if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && connection.fd >= 0) {
          Receive(connection);
        }
      }
      Reopen();
    }
  }

  std::vector<double>& latencies_ms() { return latencies_ms_; }
  std::size_t failures() const { return failures_; }

 private:
  void Watch(Connection& connection, int operation, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = &connection;
    ::epoll_ctl(epoll_, operation, connection.fd, &event);
  }

  void Start(Connection& connection) {
    connection.request = connection.script->NextRequest();
    connection.sent = 0;
    connection.started = Clock::now();
    Send(connection);
  }

  // Writes what the socket takes; waits for EPOLLOUT when it takes no more.
  void Send(Connection& connection) {
    while (connection.sent < connection.request.size()) {
      const ssize_t n = ::send(connection.fd, connection.request.data() + connection.sent,
                               connection.request.size() - connection.sent, MSG_NOSIGNAL);
      if (n > 0) {
        connection.sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!connection.waits_to_write) Watch(connection, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
        connection.waits_to_write = true;
        return;
      } else {
        Break(connection);
        return;
      }
    }
    if (connection.waits_to_write) Watch(connection, EPOLL_CTL_MOD, EPOLLIN);
    connection.waits_to_write = false;
  }

  // One read per readiness event: epoll is level-triggered and asks again if more is there.
  void Receive(Connection& connection) {
    char chunk[65536];
    ssize_t n;
    do {
      n = ::recv(connection.fd, chunk, sizeof chunk, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return Break(connection);
    switch (connection.reader.Feed(chunk, static_cast<std::size_t>(n))) {
      case ResponseReader::Progress::kNeedMore:
        return;
      case ResponseReader::Progress::kMalformed:
        return Break(connection);
      case ResponseReader::Progress::kComplete:
        return Finish(connection);
    }
  }

  void Finish(Connection& connection) {
    const Clock::time_point now = Clock::now();
    if (now >= end_) return;  // too late to count, and no next request
    const ResponseReader& reader = connection.reader;
    const Outcome outcome =
        connection.script->OnAnswer(Answer{reader.status(), reader.etag(), reader.body()});
    if (outcome != Outcome::kNotCounted) {
      latencies_ms_.push_back(
          std::chrono::duration<double, std::milli>(now - connection.started).count());
    }
    if (outcome == Outcome::kFailure) ++failures_;
    if (connection.reader.Next() > 0) return Break(connection);  // bytes nobody asked for
    Start(connection);
  }

  // Counts a failure, tells the script, and leaves the connection to Reopen(): reopening
  // here could recurse when a fresh connection breaks at once.
  void Break(Connection& connection) {
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.fd, nullptr);
    ::close(connection.fd);
    connection.fd = -1;
    connection.reader = ResponseReader();
    connection.waits_to_write = false;
    ++failures_;
    connection.script->OnAnswer(Answer{});
    broken_.push_back(&connection);
  }

  void Reopen() {
    std::vector<Connection*> broken;
    broken.swap(broken_);
    for (Connection* connection : broken) {
      if (Clock::now() >= end_ || (connection->fd = Connect(connection->port)) < 0) continue;
      Watch(*connection, EPOLL_CTL_ADD, EPOLLIN);
      Start(*connection);
    }
  }

  const int epoll_;
  std::vector<Connection*> connections_;
  std::vector<Connection*> broken_;
  Clock::time_point end_;
  std::vector<double> latencies_ms_;
  std::size_t failures_ = 0;
};

}  // namespace

double LoadResult::PerSecond() const {
  return seconds > 0 ? static_cast<double>(latencies_ms.size()) / seconds : 0;
}

double LoadResult::PercentileMs(double fraction) const {
  if (latencies_ms.empty()) return 0;
  const auto index = static_cast<std::size_t>(static_cast<double>(latencies_ms.size()) * fraction);
  return latencies_ms[std::min(index, latencies_ms.size() - 1)];
}

LoadResult RunLoad(std::uint16_t port,
                   const std::vector<std::unique_ptr<ConnectionScript>>& scripts, int threads,
                   std::chrono::milliseconds duration) {
  return RunLoad(std::vector<std::uint16_t>{port}, scripts, threads, duration);
}

LoadResult RunLoad(const std::vector<std::uint16_t>& ports,
                   const std::vector<std::unique_ptr<ConnectionScript>>& scripts, int threads,
                   std::chrono::milliseconds duration) {
  LoadResult result;
  std::vector<Connection> connections(scripts.size());
  std::vector<std::vector<Connection*>> shares(static_cast<std::size_t>(
      std::clamp(threads, 1, std::max(1, static_cast<int>(scripts.size())))));
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    connections[i].script = scripts[i].get();
    connections[i].port = ports[i % ports.size()];
    connections[i].fd = Connect(connections[i].port);
    if (connections[i].fd < 0) {
      ++result.failures;
    } else {
      shares[i % shares.size()].push_back(&connections[i]);
    }
  }
  std::vector<std::unique_ptr<Worker>> workers;
  for (auto& share : shares) workers.push_back(std::make_unique<Worker>(std::move(share)));

  const Clock::time_point end = Clock::now() + duration;
  std::vector<std::thread> running;
  for (auto& worker : workers) running.emplace_back([&worker, end] { worker->Run(end); });
  for (auto& thread : running) thread.join();

  for (auto& worker : workers) {
    result.latencies_ms.insert(result.latencies_ms.end(), worker->latencies_ms().begin(),
                               worker->latencies_ms().end());
    result.failures += worker->failures();
  }
  for (Connection& connection : connections) {
    if (connection.fd >= 0) ::close(connection.fd);
  }
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  result.seconds = std::chrono::duration<double>(duration).count();
  return result;
}

}  // namespace navolg::bench
