#include "tests/bench/response_reader.h"

#include <strings.h>

#include <charconv>

namespace navolg::bench {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";

bool NameIs(std::string_view line, std::size_t colon, std::string_view name) {
  return colon == name.size() && ::strncasecmp(line.data(), name.data(), name.size()) == 0;
}

std::string_view TrimSpaces(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

ResponseReader::Progress ResponseReader::Feed(const char* data, std::size_t size) {
  buffer_.append(data, size);
  if (body_start_ == std::string::npos) {
    // Search only the new bytes, plus the last three old ones a split "\r\n\r\n" may start in.
    const std::size_t from = searched_ >= 3 ? searched_ - 3 : 0;
    const std::size_t end = buffer_.find(kHeadEnd, from);
    searched_ = buffer_.size();
    if (end == std::string::npos) return Progress::kNeedMore;
    body_start_ = end + kHeadEnd.size();
    if (ParseHead() == Progress::kMalformed) return Progress::kMalformed;
  }
  return buffer_.size() >= body_start_ + body_length_ ? Progress::kComplete : Progress::kNeedMore;
}

ResponseReader::Progress ResponseReader::ParseHead() {
  const std::string_view head(buffer_.data(), body_start_ - 2);  // each line ends in "\r\n"
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1." || head[8] != ' ') {
    return Progress::kMalformed;
  }
  const auto [status_end, status_error] =
      std::from_chars(head.data() + 9, head.data() + 12, status_);
  if (status_error != std::errc() || status_end != head.data() + 12) return Progress::kMalformed;
  body_length_ = 0;
  etag_start_ = etag_length_ = 0;
  // Every line of `head` ends in "\r\n", the status line included.
  for (std::size_t start = head.find("\r\n") + 2; start < head.size();) {
    const std::size_t line_end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, line_end - start);
    start = line_end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Progress::kMalformed;
    const std::string_view value = TrimSpaces(line.substr(colon + 1));
    if (NameIs(line, colon, "content-length")) {
      const auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), body_length_);
      if (error != std::errc() || end != value.data() + value.size()) {
        return Progress::kMalformed;
      }
    } else if (NameIs(line, colon, "etag")) {
      etag_start_ = static_cast<std::size_t>(value.data() - buffer_.data());
      etag_length_ = value.size();
    }
  }
  return Progress::kComplete;
}

std::size_t ResponseReader::Next() {
  const std::size_t used = body_start_ + body_length_;
  buffer_.erase(0, used);  // keeps its capacity: no allocation per response
  searched_ = 0;
  body_start_ = std::string::npos;
  body_length_ = 0;
  etag_start_ = etag_length_ = 0;
  status_ = 0;
  return buffer_.size();
}

std::string_view ResponseReader::etag() const {
  return std::string_view(buffer_).substr(etag_start_, etag_length_);
}

std::string_view ResponseReader::body() const {
  return std::string_view(buffer_).substr(body_start_, body_length_);
}

}  // namespace navolg::bench
