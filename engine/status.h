// Status and Result<T>: errors as values inside navolg.
//
// A Status is either ok or carries a Code and a message. The message is written for the
// person who will read it: Dutch where a user reads it (refusals, validation), English only
// for operator-facing internals. Exceptions are used only at module edges (parsing input,
// SQLite, the network) and are translated into a Status before they cross a boundary.
// Both types are cheap to move and are [[nodiscard]]: ignoring an error is a compile warning.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace navolg {

// Every Code maps to an HTTP status in api/http/problem.cc; kInternal stays the last one.
enum class Code {
  kOk,
  kInvalidArgument,     // the input is malformed (bad JSON, wrong type)
  kNotFound,            // the named thing does not exist (or is not visible to the caller)
  kFailedPrecondition,  // the request is well-formed but the current state refuses it
  kAborted,             // a concurrent change won (stale version)
  kUnavailable,         // try again later (busy)
  kDataLoss,            // stored data is damaged
  kDamaged,             // a process's audit trail or its projection does not verify: changed
                        // outside navolg; the process refuses commands until restored
  kInternal,            // a bug or an unexpected failure underneath
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a value or a non-ok Status. Reaching for the value of a Result that
// holds an error is a bug: it asserts in debug builds (and is undefined behaviour otherwise),
// so check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    Checked();
    return *value_;
  }
  const T& value() const& {
    Checked();
    return *value_;
  }
  T&& value() && {
    Checked();
    return std::move(*value_);
  }
  T* operator->() {
    Checked();
    return &*value_;
  }
  const T* operator->() const {
    Checked();
    return &*value_;
  }
  T& operator*() & {
    Checked();
    return *value_;
  }
  const T& operator*() const& {
    Checked();
    return *value_;
  }

 private:
  void Checked() const { assert(ok() && "the value of a Result that holds an error"); }

  std::optional<T> value_;
  Status status_;
};

}  // namespace navolg
