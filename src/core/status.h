// Status and Result<T>: how every call that can fail reports it at a module boundary.
//
// Codes are an abseil subset, chosen by what the caller must do next:
//   InvalidArgument, NotFound, FailedPrecondition, AlreadyExists -> permanent: fix the input.
//   Unavailable, DeadlineExceeded, ResourceExhausted             -> transient: retry later.
//   Cancelled                                                    -> the caller asked to stop.
//   Internal                                                     -> a bug: retry, and alert.
// Result<T> is shaped like C++23 std::expected<T, Status>, so moving to it is a rename.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace enhancer {

enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kCancelled,
  kInternal,
};

// "invalid_argument", "not_found", ...: the code as it appears in API errors and logs.
std::string_view StatusCodeName(StatusCode code);

// True for codes where the same call may succeed later without any change to its input.
bool IsTransient(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not_found: product 42 does not exist"
  std::string ToString() const;

  // A copy whose message is "context: message"; the code and field are kept.
  Status WithContext(std::string_view context) const;

  // The one input to blame, when there is one (e.g. "raw_image_url"); empty otherwise.
  const std::string& field() const { return field_; }
  Status WithField(std::string field) const {
    Status s = *this;
    s.field_ = std::move(field);
    return s;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status ResourceExhaustedError(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DeadlineExceededError(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
inline Status CancelledError(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or the Status that explains why there is none. Constructing it from an OK Status is a
// bug and asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Status error) : state_(std::in_place_index<1>, std::move(error)) {  // NOLINT: implicit
    assert(!std::get<1>(state_).ok());
  }

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; an OK Status when there is a value.
  Status error() const { return has_value() ? Status() : std::get<1>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace enhancer

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define ENHANCER_RETURN_IF_ERROR(expr)           \
  do {                                           \
    ::enhancer::Status enhancer_status_ = (expr); \
    if (!enhancer_status_.ok()) return enhancer_status_; \
  } while (0)
