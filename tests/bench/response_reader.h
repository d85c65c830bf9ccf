// Reads HTTP/1.1 responses from a byte stream that arrives in pieces of any size, one response
// at a time (the load generator keeps one request in flight per connection). The body length
// comes from Content-Length (navolg always sends one); a response without it has no body.
// Chunked transfer encoding is not understood. Not thread-safe: one reader per connection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace navolg::bench {

class ResponseReader {
 public:
  enum class Progress { kNeedMore, kComplete, kMalformed };

  // Adds bytes just read. kComplete once a whole response is buffered (status(), etag() and
  // body() are then valid until Next()); kMalformed when the bytes are not an HTTP/1.x
  // response, after which the connection is of no further use.
  Progress Feed(const char* data, std::size_t size);

  // Drops the completed response. Returns the number of bytes that followed it (an answer
  // nobody asked for when only one request is in flight).
  std::size_t Next();

  int status() const { return status_; }
  // The ETag header's value as sent (with its quotes), empty when absent.
  std::string_view etag() const;
  std::string_view body() const;

 private:
  Progress ParseHead();

  std::string buffer_;
  std::size_t searched_ = 0;                    // bytes of buffer_ searched for the head's end
  std::size_t body_start_ = std::string::npos;  // set once the head is parsed
  std::size_t body_length_ = 0;
  std::size_t etag_start_ = 0, etag_length_ = 0;
  int status_ = 0;
};

}  // namespace navolg::bench
