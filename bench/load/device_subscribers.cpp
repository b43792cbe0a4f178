#include "device_subscribers.hpp"

#include <algorithm>

#include "server_child.hpp"

namespace luot::bench {

device_subscribers::device_subscribers(std::uint16_t port, std::size_t count) : port_(port) {
  for (std::size_t index = 0; index < count; ++index) {
    auto each = std::make_unique<screen>();
    each->arrivals.reserve(1 << 12);
    device::options settings;
    settings.server_url = "ws://127.0.0.1:" + std::to_string(port_);
    settings.token = std::string(display_token);
    settings.client_name = "bench_load";
    each->client = std::make_unique<device::device_client>(settings);
    auto* self = each.get();
    const bool checking = index == 0;
    each->client->on_change(
        [this, self, checking](const view::mirror& mirror, const view::change& what) {
          const auto at = bench_clock::now();
          const auto seq = mirror.seq();
          if (!what.replaced) self->arrivals.push_back({seq, at});
          if (checking) {
            auto& issued = checked_[seq];
            for (const auto& category : mirror.view().categories()) {
              issued[category.code()] = category.issued_today();
            }
          }
          self->seq.store(seq, std::memory_order_release);
        });
    each->client->on_state([this, self](const device::link_status& status) {
      if (status.state == device::connection_state::live) {
        self->live.store(true, std::memory_order_release);
      } else if (status.state == device::connection_state::disconnected) {
        self->live.store(false, std::memory_order_release);
        if (status.close_code == 1008) {
          cut_off_.fetch_add(1);
        } else if (!stopping_.load()) {
          fail("disconnected: " + status.reason);
        }
      }
    });
    screens_.push_back(std::move(each));
  }
}

device_subscribers::~device_subscribers() {
  stop();
}

void device_subscribers::start() {
  for (auto& each : screens_) each->client->start();
}

std::size_t device_subscribers::live() const {
  return static_cast<std::size_t>(
      std::count_if(screens_.begin(), screens_.end(),
                    [](const auto& each) { return each->live.load(std::memory_order_acquire); }));
}

std::uint64_t device_subscribers::lowest_seq() const {
  std::uint64_t lowest = ~std::uint64_t{0};
  for (const auto& each : screens_) {
    lowest = std::min(lowest, each->seq.load(std::memory_order_acquire));
  }
  return screens_.empty() ? 0 : lowest;
}

void device_subscribers::stop() {
  if (stopping_.exchange(true)) return;
  for (auto& each : screens_) each->client->stop();
  arrivals_.clear();
  for (auto& each : screens_) arrivals_.push_back(std::move(each->arrivals));
}

void device_subscribers::fail(const std::string& why) {
  if (failed_.fetch_add(1) == 0) {
    const std::lock_guard lock(failure_mutex_);
    first_failure_ = why;
  }
}

std::string device_subscribers::first_failure() const {
  const std::lock_guard lock(failure_mutex_);
  return first_failure_;
}

}  // namespace luot::bench
