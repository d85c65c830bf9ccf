// The webhook parts of navolg serve that need no database: which URLs are accepted, the retry
// delays, and one delivery over real sockets (HTTP to the test receiver; HTTPS to a TLS server
// in this process, with a certificate made by the openssl command for the test).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "api/http/webhook_url.h"
#include "api/server/webhook_client.h"
#include "api/server/webhook_sender.h"
#include "tests/http/webhook_receiver.h"

namespace navolg::http {
namespace {

using std::chrono::milliseconds;
using Kind = PostOutcome::Kind;
namespace fs = std::filesystem;

TEST(WebhookUrlTest, AcceptsHttpAndHttpsAndRefusesTheRestInDutch) {
  struct Accepted {
    const char* text;
    bool tls;
    const char* host;
    std::uint16_t port;
    const char* target;
  };
  for (const Accepted& c : std::vector<Accepted>{
           {"http://127.0.0.1:8081/hook", false, "127.0.0.1", 8081, "/hook"},
           {"HTTPS://hooks.example.nl", true, "hooks.example.nl", 443, "/"},
           {"https://hooks.example.nl:8443/a/b?x=1&y=2", true, "hooks.example.nl", 8443,
            "/a/b?x=1&y=2"},
           {"http://example.nl?x=1", false, "example.nl", 80, "/?x=1"},
           {"http://[::1]:9000/h", false, "::1", 9000, "/h"},
           {"http://[::1]/h", false, "::1", 80, "/h"},
       }) {
    SCOPED_TRACE(c.text);
    auto url = ParseWebhookUrl(c.text);
    ASSERT_TRUE(url.ok()) << url.status().message();
    EXPECT_EQ(url->tls, c.tls);
    EXPECT_EQ(url->host, c.host);
    EXPECT_EQ(url->port, c.port);
    EXPECT_EQ(url->target, c.target);
  }
  struct Refused {
    std::string text;
    const char* says;
  };
  for (const Refused& c : std::vector<Refused>{
           {"", "de URL is leeg"},
           {"mailto:beheer@example.nl", "begint met http:// of https://"},
           {"ftp://example.nl/", "het schema 'ftp' wordt niet ondersteund"},
           {"file:///etc/passwd", "het schema 'file' wordt niet ondersteund"},
           {"http:///pad", "de URL noemt geen host"},
           {"http://a:b@example.nl/", "geen gebruikersnaam of wachtwoord"},
           {"http://example.nl:/", "de poort is een getal"},
           {"http://example.nl:65536/", "de poort is een getal"},
           {"http://example.nl:8o/", "de poort is een getal"},
           {"http://[::1/", "tussen [ en ]"},
           {"http://[::1]8080/", "na ] volgt alleen :POORT"},
           {"http://example.nl/#x", "geen fragment"},
           {"http://example.nl/\xC3\xA9", "geen spaties, stuurtekens of letters met accenten"},
           {"http://example.nl/\n", "geen spaties"},
           {"http://" + std::string(2000, 'a') + "/", "langer dan 2000 tekens"},
       }) {
    SCOPED_TRACE(c.text);
    auto url = ParseWebhookUrl(c.text);
    ASSERT_FALSE(url.ok());
    EXPECT_EQ(url.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(url.status().message().rfind("Ongeldige webhook-URL: ", 0), 0u);
    EXPECT_NE(url.status().message().find(c.says), std::string::npos) << url.status().message();
  }
}

TEST(RetryDelayTest, DoublesFromTheBaseUpToTheCap) {
  SenderOptions options;
  options.retry_base = milliseconds(100);
  options.retry_max = milliseconds(1000);
  EXPECT_EQ(RetryDelay(1, options), milliseconds(100));
  EXPECT_EQ(RetryDelay(2, options), milliseconds(200));
  EXPECT_EQ(RetryDelay(4, options), milliseconds(800));
  EXPECT_EQ(RetryDelay(5, options), milliseconds(1000));
  EXPECT_EQ(RetryDelay(1'000'000, options), milliseconds(1000));
}

PostOutcome Post(const std::string& url, std::chrono::milliseconds timeout = milliseconds(5000)) {
  static const std::atomic<bool> kNoCancel{false};
  return PostJson(*ParseWebhookUrl(url), R"({"kind":"test"})", {{"Navolg-Message-Id", "m-1"}},
                  timeout, kNoCancel);
}

TEST(WebhookClientTest, PostsJsonAndReportsTheAnswer) {
  testing::WebhookReceiver receiver(/*failures=*/1);
  PostOutcome first = Post(receiver.Url("/pad?x=1"));
  EXPECT_EQ(first.kind, Kind::kRejected);
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.error, "de ontvanger antwoordde HTTP 500");
  PostOutcome second = Post(receiver.Url("/pad?x=1"));
  EXPECT_EQ(second.kind, Kind::kDelivered);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.error, "");
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].target, "/pad?x=1");
  EXPECT_EQ(requests[1].body, R"({"kind":"test"})");
  EXPECT_EQ(requests[1].Header("content-type"), "application/json");
  EXPECT_EQ(requests[1].Header("navolg-message-id"), "m-1");
  EXPECT_EQ(requests[1].Header("host"), "127.0.0.1:" + std::to_string(receiver.port()));
}

// A server that accepts connections (the kernel does, into the backlog) and never answers.
struct SilentServer {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  std::uint16_t port = 0;
  SilentServer() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd, 8);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd); }
};

TEST(WebhookClientTest, NoAnswerIsUnreachableWithinTheTimeoutOrAtCancel) {
  PostOutcome refused =
      Post("http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/");
  EXPECT_EQ(refused.kind, Kind::kUnreachable);
  EXPECT_EQ(refused.error.rfind("verbinding mislukt: ", 0), 0u) << refused.error;

  PostOutcome unknown = Post("http://host-die-niet-bestaat.invalid/");
  EXPECT_EQ(unknown.kind, Kind::kUnreachable);
  EXPECT_EQ(unknown.error.rfind("host 'host-die-niet-bestaat.invalid' niet gevonden", 0), 0u)
      << unknown.error;

  SilentServer silent;
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.port) + "/";
  auto started = std::chrono::steady_clock::now();
  PostOutcome timed_out = Post(url, milliseconds(300));
  EXPECT_EQ(timed_out.kind, Kind::kUnreachable);
  EXPECT_NE(timed_out.error.find("de tijd is verstreken"), std::string::npos) << timed_out.error;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  std::atomic<bool> cancel{false};
  std::thread stopper([&cancel] {
    std::this_thread::sleep_for(milliseconds(100));
    cancel = true;
  });
  started = std::chrono::steady_clock::now();
  PostOutcome cancelled = PostJson(*ParseWebhookUrl(url), "{}", {}, milliseconds(30'000), cancel);
  stopper.join();
  EXPECT_EQ(cancelled.kind, Kind::kUnreachable);
  EXPECT_EQ(cancelled.error, "afgebroken: navolg stopt");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

// HTTPS: a TLS server in this process with a certificate made for the test. The client trusts
// only the system's CA certificates (here: SSL_CERT_FILE, which OpenSSL's default paths read)
// and checks the host name.
class WebhookTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("openssl version > /dev/null 2>&1") != 0) {
      GTEST_SKIP() << "the openssl command is not installed";
    }
    dir_ = fs::path(::testing::TempDir()) / ("navolg-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    MakeCertificate("loopback", "IP:127.0.0.1");
    MakeCertificate("elders", "DNS:elders.example");
  }
  void TearDown() override {
    ::unsetenv("SSL_CERT_FILE");
    fs::remove_all(dir_);
  }

  void MakeCertificate(const std::string& name, const std::string& alt_names) {
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=" + name +
        " -addext subjectAltName=" + alt_names + " -keyout " + (dir_ / (name + ".key")).string() +
        " -out " + (dir_ / (name + ".pem")).string() + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  // Serves one connection with `certificate`: answers 204 to one request. Returns what the
  // client sent ("" when the handshake failed).
  std::string ServeOnce(const std::string& certificate,
                        const std::function<void(std::uint16_t)>& client) {
    namespace asio = boost::asio;
    namespace bhttp = boost::beast::http;
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_server);
    context.use_certificate_chain_file((dir_ / (certificate + ".pem")).string());
    context.use_private_key_file((dir_ / (certificate + ".key")).string(), asio::ssl::context::pem);
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    std::string received;
    std::thread server([&] {
      asio::ssl::stream<asio::ip::tcp::socket> stream(io, context);
      acceptor.accept(stream.lowest_layer());
      boost::system::error_code error;
      stream.handshake(asio::ssl::stream_base::server, error);
      if (error) return;
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      bhttp::read(stream, buffer, request, error);
      if (error) return;
      received = request.body();
      bhttp::response<bhttp::empty_body> response{bhttp::status::no_content, 11};
      response.keep_alive(false);
      bhttp::write(stream, response, error);
      stream.shutdown(error);
    });
    client(acceptor.local_endpoint().port());
    server.join();
    return received;
  }

  fs::path dir_;
};

TEST_F(WebhookTlsTest, DeliversToATrustedCertificateForTheHost) {
  ::setenv("SSL_CERT_FILE", (dir_ / "loopback.pem").c_str(), 1);
  PostOutcome outcome;
  const std::string received = ServeOnce("loopback", [&](std::uint16_t port) {
    outcome = Post("https://127.0.0.1:" + std::to_string(port) + "/hook");
  });
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.error;
  EXPECT_EQ(outcome.status, 204);
  EXPECT_EQ(received, R"({"kind":"test"})");
}

TEST_F(WebhookTlsTest, RefusesAnUntrustedCertificateAndAnotherHostsCertificate) {
  // Not trusted: the system's CA certificates do not include the test's.
  PostOutcome untrusted;
  EXPECT_EQ(ServeOnce("loopback",
                      [&](std::uint16_t port) {
                        untrusted = Post("https://127.0.0.1:" + std::to_string(port) + "/hook");
                      }),
            "");
  EXPECT_EQ(untrusted.kind, Kind::kUnreachable);
  EXPECT_EQ(untrusted.error.rfind("TLS mislukt: ", 0), 0u) << untrusted.error;
  EXPECT_NE(untrusted.error.find("certificate verify failed"), std::string::npos)
      << untrusted.error;

  // Trusted, but made out to another host.
  ::setenv("SSL_CERT_FILE", (dir_ / "elders.pem").c_str(), 1);
  PostOutcome wrong_host;
  EXPECT_EQ(ServeOnce("elders",
                      [&](std::uint16_t port) {
                        wrong_host = Post("https://127.0.0.1:" + std::to_string(port) + "/hook");
                      }),
            "");
  EXPECT_EQ(wrong_host.kind, Kind::kUnreachable);
  EXPECT_EQ(wrong_host.error.rfind("TLS mislukt: ", 0), 0u) << wrong_host.error;
}

}  // namespace
}  // namespace navolg::http
