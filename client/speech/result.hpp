#pragma once

#include <string>
#include <utility>
#include <variant>

namespace luot::speech {

// A value or a sentence saying why there is none (for a technician's log:
// "missing voice clip /srv/clips/muoi-huyen.wav for \"mười\"").
template <typename T>
class result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  static result failure(std::string reason) { return result(failure_tag{}, std::move(reason)); }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::string& error() const { return std::get<1>(state_); }

 private:
  struct failure_tag {};
  result(failure_tag, std::string reason) : state_(std::in_place_index<1>, std::move(reason)) {}

  std::variant<T, std::string> state_;
};

}  // namespace luot::speech
