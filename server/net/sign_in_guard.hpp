#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace luot::net {

// Locks out password guessing against one account from one address: after
// `failures` wrong passwords for a username from an address within
// `period`, sign-in for that pair is refused until `period` has passed since
// the last failure. A success clears the pair. Other addresses (the officer
// at their own counter) and other usernames are not affected. Thread-safe.
class sign_in_guard {
 public:
  // Zero failures turns the lockout off.
  sign_in_guard(std::uint32_t failures, std::chrono::minutes period);

  // Minutes left (rounded up) when the pair is locked now; zero when not.
  std::uint32_t locked_minutes(std::string_view username, std::string_view address,
                               core::timestamp now);
  // A wrong password; true when it locks the pair.
  bool failed(std::string_view username, std::string_view address, core::timestamp now);
  void succeeded(std::string_view username, std::string_view address);

  std::uint32_t failures() const { return failures_; }
  std::chrono::minutes period() const { return period_; }

 private:
  struct record {
    std::uint32_t count = 0;
    core::timestamp last;
  };

  static std::string key(std::string_view username, std::string_view address);
  void forget_old(core::timestamp now);

  std::uint32_t failures_;
  std::chrono::minutes period_;
  std::mutex mutex_;
  std::map<std::string, record, std::less<>> records_;
};

// Password checks waiting or running at once (argon2id is slow and
// memory-hard on purpose): at most `total` in all and at most `per_address`
// from one address, so that one address guessing as fast as it can holds a
// bounded share and never locks out everyone else. Thread-safe.
class verification_budget {
 public:
  verification_budget(std::size_t total, std::size_t per_address);

  // Takes a place for a check from `address`; false when none is free.
  bool try_acquire(std::string_view address);
  // Gives back a place `try_acquire` took.
  void release(std::string_view address);

  std::size_t in_flight() const;

 private:
  std::size_t total_;
  std::size_t per_address_;
  mutable std::mutex mutex_;
  std::size_t in_flight_ = 0;
  std::map<std::string, std::size_t, std::less<>> by_address_;
};

}  // namespace luot::net
