// Errors as values, shaped like a Kubernetes Status so the API can return them unchanged.
// Result<T> holds either a value or an Error; nothing here throws across module lines.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda {

struct FieldCause {
  std::string field;    // e.g. "spec.selector"
  std::string message;  // e.g. "Required value"
  std::string reason = "FieldValueInvalid";
};

struct Error {
  int code = 500;      // HTTP status code
  std::string reason;  // Kubernetes reason: NotFound, AlreadyExists, Invalid, Conflict, BadRequest…
  std::string message;  // one line a user can act on
  std::vector<FieldCause> causes;

  static Error not_found(const std::string& resource, const std::string& name);
  static Error already_exists(const std::string& resource, const std::string& name);
  static Error conflict(const std::string& message);
  static Error bad_request(const std::string& message);
  static Error gone(const std::string& message);
  static Error internal(const std::string& message);
  // 422 Invalid: message follows Kubernetes: `<Kind> "<name>" is invalid: <field>: <msg>`.
  static Error invalid(const std::string& kind, const std::string& name,
                       std::vector<FieldCause> causes);

  nlohmann::json to_status() const;
  static Error from_status(const nlohmann::json& status, int http_code);
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace kinda
