#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace luot::net {

// A token bucket per key (a remote address or a kiosk id): `per_minute`
// requests in a burst, refilled evenly over a minute. Thread-safe.
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  // Zero per minute means no limit.
  explicit rate_limiter(std::uint32_t per_minute);

  // Takes one token for `key`; false when its bucket is empty.
  bool allow(std::string_view key, clock::time_point now = clock::now());

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point updated;
  };

  double capacity_;
  std::mutex mutex_;
  std::map<std::string, bucket, std::less<>> buckets_;
};

}  // namespace luot::net
