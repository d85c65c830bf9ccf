// Request smuggling (RFC 9112 sections 6.1 and 6.3): a request whose framing the server
// cannot trust is answered 400 and the connection closed, so bytes after its head never run
// as a second request. Over a real server on a loopback port.
#include <cstdio>
#include <string>

#include "tests/http/server_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

// A complete request hidden where a lenient reader would see the start of the next one.
constexpr const char* kSmuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// The body of a process creation.
constexpr const char* kCreateBody = R"({"workflow":"standaard-participatie","title":"Marktplein"})";

// `body` as one chunk and the last chunk, then `trailer` (field lines ending in CRLF).
std::string Chunked(const std::string& body, const std::string& trailer = "") {
  char size[32];
  std::snprintf(size, sizeof size, "%zx", body.size());
  return std::string(size) + "\r\n" + body + "\r\n0\r\n" + trailer + "\r\n";
}

struct FramingCase {
  const char* name;
  const char* fields;  // header lines besides the request line and one Host
};

// Each head is followed by kSmuggled, in a body where Content-Length or chunked framing
// would put it, or right after the head where a reader that sees no body would.
const FramingCase kRefused[] = {
    {"gzip", "Transfer-Encoding: gzip\r\n"},
    {"xchunked", "Transfer-Encoding: xchunked\r\n"},
    {"identity", "Transfer-Encoding: identity\r\n"},
    {"chunked_then_gzip", "Transfer-Encoding: chunked, gzip\r\n"},
    {"gzip_then_chunked", "Transfer-Encoding: gzip, chunked\r\n"},
    {"two_te_fields", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"},
    {"two_chunked_fields", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"},
    {"cl_then_te", "Content-Length: 34\r\nTransfer-Encoding: chunked\r\n"},
    {"te_then_cl", "Transfer-Encoding: chunked\r\nContent-Length: 34\r\n"},
    {"two_cl_equal", "Content-Length: 34\r\nContent-Length: 34\r\n"},
    {"two_cl_different", "Content-Length: 34\r\nContent-Length: 0\r\n"},
    {"cl_list", "Content-Length: 34, 34\r\n"},
    {"two_host", "Host: y\r\nContent-Length: 34\r\n"},
    {"two_authorization",
     "Authorization: Bearer a\r\nAuthorization: Bearer b\r\nContent-Length: 34\r\n"},
};

class SmugglingTest : public ServerFixture, public ::testing::WithParamInterface<FramingCase> {};

TEST_P(SmugglingTest, RefusesWith400AndCloses) {
  HttpConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  const std::string head =
      std::string("POST /api/v1/processes HTTP/1.1\r\nHost: 127.0.0.1\r\n") + GetParam().fields;
  ASSERT_EQ(std::string(kSmuggled).size(), 34u);  // the Content-Length used above
  (void)connection.SendRaw(head + "\r\n" + kSmuggled);

  const HttpResult first = connection.ReadResponse(std::chrono::seconds(5));
  EXPECT_EQ(first.status, 400) << first.body;
  EXPECT_EQ(first.Header("content-type"), "application/problem+json");
  EXPECT_EQ(first.Header("connection"), "close");
  const HttpResult second = connection.ReadResponse(std::chrono::seconds(3));
  EXPECT_EQ(second.status, 0) << "the smuggled request was answered";
  EXPECT_TRUE(connection.ClosedByServer(std::chrono::seconds(3)));
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);  // the server keeps serving
}

INSTANTIATE_TEST_SUITE_P(Framing, SmugglingTest, ::testing::ValuesIn(kRefused),
                         [](const auto& test) { return std::string(test.param.name); });

class ChunkedTest : public ServerFixture {};

TEST_F(ChunkedTest, ChunkedBodyIsReadAndConnectionKeptAlive) {
  HttpConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  for (const char* coding : {"chunked", "CHUNKED", "  Chunked "}) {
    ASSERT_TRUE(connection.SendRaw(
        "POST /api/v1/processes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        tokens_.at("adviseur") + "\r\nContent-Type: application/json\r\nTransfer-Encoding:" +
        coding + "\r\n\r\n" + Chunked(kCreateBody)))
        << coding;
    const HttpResult created = connection.ReadResponse(std::chrono::seconds(5));
    EXPECT_EQ(created.status, 201) << coding << ": " << created.body;
  }
  EXPECT_EQ(connection.Request("GET", "/healthz").status, 200);
  EXPECT_EQ(connection.Request("GET", "/healthz").status, 200);
}

TEST_F(ChunkedTest, TrailerFieldsAreNotHeaders) {
  // An Authorization in the trailer section arrives after the head was checked; it must not
  // count as the request's credentials.
  HttpConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.SendRaw(
      "POST /api/v1/processes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
      Chunked(kCreateBody, "Authorization: Bearer " + tokens_.at("adviseur") + "\r\n")));
  const HttpResult answer = connection.ReadResponse(std::chrono::seconds(5));
  EXPECT_EQ(answer.status, 401) << answer.body;
}

}  // namespace
}  // namespace navolg
