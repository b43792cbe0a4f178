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
  // Gives back a token `allow` took for a request that turned out to cost
  // nothing (a retry answered with the ticket already issued).
  void refund(std::string_view key);
  // Buckets held now (idle ones are forgotten as the map grows).
  std::size_t tracked();

 private:
  struct bucket {
    double tokens = 0;
    clock::time_point updated;
  };

  static constexpr std::size_t sweep_threshold = 4096;

  double capacity_;
  std::mutex mutex_;
  std::size_t next_sweep_ = sweep_threshold;
  std::map<std::string, bucket, std::less<>> buckets_;
};

// The part of a remote address that names one party for rate limits and
// client keys: an IPv4 address as it is, an IPv6 address by its /64 prefix
// (one host or home network gets a whole /64, so counting single IPv6
// addresses would let it take a fresh one per request), an IPv4-mapped
// IPv6 address as IPv4. Anything unparseable is returned unchanged.
std::string address_scope(std::string_view remote_address);

}  // namespace luot::net
