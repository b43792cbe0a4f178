#include "device/backoff.hpp"

#include <algorithm>

namespace luot::device {

backoff::backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum,
                 std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      maximum_(std::max(maximum, initial_)),
      ceiling_(initial_),
      random_(seed) {}

std::chrono::milliseconds backoff::next() {
  std::uniform_int_distribution<std::chrono::milliseconds::rep> pick(0, ceiling_.count());
  const std::chrono::milliseconds delay(pick(random_));
  ceiling_ = std::min(maximum_, ceiling_ * 2);
  return delay;
}

void backoff::reset() {
  ceiling_ = initial_;
}

}  // namespace luot::device
