#include "net/rate_limiter.hpp"

#include <algorithm>

namespace luot::net {

namespace {

// Buckets idle this long are full again and can be forgotten.
constexpr auto forget_after = std::chrono::minutes(2);
constexpr std::size_t sweep_threshold = 4096;

}  // namespace

rate_limiter::rate_limiter(std::uint32_t per_minute) : capacity_(per_minute) {}

bool rate_limiter::allow(std::string_view key, clock::time_point now) {
  if (capacity_ <= 0) return true;
  const std::lock_guard lock(mutex_);
  if (buckets_.size() >= sweep_threshold) {
    std::erase_if(buckets_,
                  [now](const auto& entry) { return now - entry.second.updated > forget_after; });
  }
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    found = buckets_.emplace(std::string(key), bucket{capacity_, now}).first;
  }
  bucket& entry = found->second;
  const std::chrono::duration<double> elapsed = now - entry.updated;
  entry.tokens = std::min(capacity_, entry.tokens + elapsed.count() * capacity_ / 60.0);
  entry.updated = now;
  if (entry.tokens < 1.0) return false;
  entry.tokens -= 1.0;
  return true;
}

}  // namespace luot::net
