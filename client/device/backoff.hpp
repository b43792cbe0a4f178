#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace luot::device {

// Exponential backoff with full jitter: each delay is uniform in
// [0, ceiling], and the ceiling doubles from `initial` up to `maximum`.
// Jitter spreads the reconnects of a hall full of screens after a server
// restart, so they do not all arrive in the same millisecond.
class backoff {
 public:
  backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, std::uint64_t seed);

  // The delay before the next attempt; raises the ceiling for the one after.
  std::chrono::milliseconds next();
  // After a success: the next delay is drawn from [0, initial] again.
  void reset();

  // The bound the next delay is drawn under.
  std::chrono::milliseconds ceiling() const { return ceiling_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds maximum_;
  std::chrono::milliseconds ceiling_;
  std::mt19937_64 random_;
};

}  // namespace luot::device
