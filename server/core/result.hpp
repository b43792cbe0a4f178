#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::core {

// A catalogue message that explains a refusal: its key ("reason.x") and its
// own arguments, which are printed as they are. A typed value, so a string a
// client sent that merely looks like a key is never translated.
class reason {
 public:
  static reason of(std::string key, std::vector<std::string> args = {}) {
    reason made;
    made.key = std::move(key);
    made.args = std::move(args);
    return made;
  }
  // Any message type with the same two fields converts (the catalogue's
  // text::message), so `make_error(code, {text::reason(...)})` reads as it
  // did. A bare string does not: it is an argument, not a key.
  template <typename Message>
  requires(!std::same_as<std::remove_cvref_t<Message>, reason>) &&
      requires(const Message& message) {
    { message.key } -> std::convertible_to<std::string>;
    { message.args } -> std::convertible_to<std::vector<std::string>>;
  }
  reason(const Message& message) : key(message.key), args(message.args) {}

  bool operator==(const reason&) const = default;

  std::string key;
  std::vector<std::string> args;

 private:
  reason() = default;
};

// Why a domain operation was refused: a stable code plus the arguments the
// message catalogue fills into its text (e.g. the category code). Arguments
// are literal values; a message of the catalogue goes in `because`, which the
// text shows as {0} (translated), the arguments then following from {1}.
struct error {
  v1::ErrorCode code = v1::ERROR_CODE_UNSPECIFIED;
  std::vector<std::string> args;
  std::optional<core::reason> because;
};

inline error make_error(v1::ErrorCode code, std::vector<std::string> args = {}) {
  return error{code, std::move(args), std::nullopt};
}

inline error make_error(v1::ErrorCode code, reason because, std::vector<std::string> args = {}) {
  return error{code, std::move(args), std::move(because)};
}

// A value or the reason there is none; the expected-style return type of
// every domain operation. Ignoring one would ignore a refusal, so the
// compiler warns.
template <typename T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::move(value)) {}
  result(error failure) : state_(std::move(failure)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const error& failure() const { return std::get<1>(state_); }

 private:
  std::variant<T, error> state_;
};

}  // namespace luot::core
