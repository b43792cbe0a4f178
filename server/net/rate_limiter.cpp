#include "net/rate_limiter.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace luot::net {

namespace {

// Buckets idle this long are full again and can be forgotten.
constexpr auto forget_after = std::chrono::minutes(2);
}  // namespace

rate_limiter::rate_limiter(std::uint32_t per_minute) : capacity_(per_minute) {}

bool rate_limiter::allow(std::string_view key, clock::time_point now) {
  if (capacity_ <= 0) return true;
  const std::lock_guard lock(mutex_);
  // Swept when the map has doubled since the last sweep, so a crowd of
  // addresses all active at once costs amortized O(1) a request, not a walk
  // over every bucket each time.
  if (buckets_.size() >= next_sweep_) {
    std::erase_if(buckets_,
                  [now](const auto& entry) { return now - entry.second.updated > forget_after; });
    next_sweep_ = std::max(sweep_threshold, 2 * buckets_.size());
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

void rate_limiter::refund(std::string_view key) {
  if (capacity_ <= 0) return;
  const std::lock_guard lock(mutex_);
  const auto found = buckets_.find(key);
  if (found != buckets_.end())
    found->second.tokens = std::min(capacity_, found->second.tokens + 1.0);
}

std::size_t rate_limiter::tracked() {
  const std::lock_guard lock(mutex_);
  return buckets_.size();
}

std::string address_scope(std::string_view remote_address) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(remote_address), ec);
  if (ec) return std::string(remote_address);
  if (address.is_v4()) return address.to_v4().to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace luot::net
