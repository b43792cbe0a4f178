#include "net/sign_in_guard.hpp"

namespace luot::net {

namespace {

// Beyond this many tracked pairs the oldest records are dropped first, so
// guessing from many addresses cannot grow the table without bound.
constexpr std::size_t records_limit = 10000;

}  // namespace

sign_in_guard::sign_in_guard(std::uint32_t failures, std::chrono::minutes period)
    : failures_(failures), period_(period) {}

std::string sign_in_guard::key(std::string_view username, std::string_view address) {
  std::string joined(username);
  joined += '\n';
  joined += address;
  return joined;
}

void sign_in_guard::forget_old(core::timestamp now) {
  std::erase_if(records_, [&](const auto& entry) { return now - entry.second.last >= period_; });
}

std::uint32_t sign_in_guard::locked_minutes(std::string_view username, std::string_view address,
                                            core::timestamp now) {
  if (failures_ == 0) return 0;
  const std::lock_guard lock(mutex_);
  const auto found = records_.find(key(username, address));
  if (found == records_.end() || found->second.count < failures_) return 0;
  const auto left = found->second.last + period_ - now;
  if (left <= core::timestamp::duration::zero()) {
    records_.erase(found);
    return 0;
  }
  return static_cast<std::uint32_t>(std::chrono::ceil<std::chrono::minutes>(left).count());
}

bool sign_in_guard::failed(std::string_view username, std::string_view address,
                           core::timestamp now) {
  if (failures_ == 0) return false;
  const std::lock_guard lock(mutex_);
  if (records_.size() >= records_limit) forget_old(now);
  auto& entry = records_[key(username, address)];
  // Failures further apart than the period start counting afresh.
  if (entry.count > 0 && now - entry.last >= period_) entry.count = 0;
  ++entry.count;
  entry.last = now;
  return entry.count >= failures_;
}

void sign_in_guard::succeeded(std::string_view username, std::string_view address) {
  const std::lock_guard lock(mutex_);
  records_.erase(key(username, address));
}

verification_budget::verification_budget(std::size_t total, std::size_t per_address)
    : total_(total), per_address_(per_address) {}

bool verification_budget::try_acquire(std::string_view address) {
  const std::lock_guard lock(mutex_);
  if (in_flight_ >= total_) return false;
  auto found = by_address_.find(address);
  if (found != by_address_.end() && found->second >= per_address_) return false;
  if (found == by_address_.end()) found = by_address_.emplace(std::string(address), 0).first;
  ++found->second;
  ++in_flight_;
  return true;
}

void verification_budget::release(std::string_view address) {
  const std::lock_guard lock(mutex_);
  const auto found = by_address_.find(address);
  if (found == by_address_.end()) return;
  --in_flight_;
  if (--found->second == 0) by_address_.erase(found);
}

std::size_t verification_budget::in_flight() const {
  const std::lock_guard lock(mutex_);
  return in_flight_;
}

}  // namespace luot::net
