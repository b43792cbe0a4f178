#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::core {

// Why a domain operation was refused: a stable code plus the arguments the
// message catalogue fills into its text (e.g. the category code).
struct error {
  v1::ErrorCode code = v1::ERROR_CODE_UNSPECIFIED;
  std::vector<std::string> args;
};

inline error make_error(v1::ErrorCode code, std::vector<std::string> args = {}) {
  return error{code, std::move(args)};
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
