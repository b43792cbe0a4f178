#include "client_support.hpp"

namespace luot::testing {

device::options fast_options(std::uint16_t port, device::encoding format,
                             const std::string& token) {
  device::options settings;
  settings.server_url = "http://127.0.0.1:" + std::to_string(port);
  settings.token = token;
  settings.format = format;
  settings.client_name = "luot-device-test";
  settings.ping_interval = fast_ping_interval;
  settings.ping_timeout = fast_ping_timeout;
  settings.backoff_initial = std::chrono::milliseconds(20);
  settings.backoff_max = std::chrono::milliseconds(200);
  settings.connect_timeout = std::chrono::milliseconds(3000);
  return settings;
}

void recorder::attach(device::device_client& client) {
  client.on_call([this](const v1::Call& call, device::call_origin origin) {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back({call, origin});
    }
    reported_.notify_all();
  });
  client.on_state([this](const device::link_status& status) {
    {
      std::lock_guard lock(mutex_);
      states_.push_back(status);
    }
    reported_.notify_all();
  });
  client.on_change([this](const view::mirror&, const view::change&) {
    {
      std::lock_guard lock(mutex_);
      ++changes_;
    }
    reported_.notify_all();
  });
}

std::vector<reported_call> recorder::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<device::link_status> recorder::states() const {
  std::lock_guard lock(mutex_);
  return states_;
}

std::size_t recorder::changes() const {
  std::lock_guard lock(mutex_);
  return changes_;
}

bool recorder::wait_for_calls(const std::function<bool(const std::vector<reported_call>&)>& holds,
                              std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return reported_.wait_for(lock, timeout, [&] { return holds(calls_); });
}

bool recorder::wait_for_state(const std::function<bool(const device::link_status&)>& holds,
                              std::chrono::milliseconds timeout) const {
  return wait_for_state_after(0, holds, timeout);
}

bool recorder::wait_for_state_after(std::size_t skip,
                                    const std::function<bool(const device::link_status&)>& holds,
                                    std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return reported_.wait_for(lock, timeout, [&] {
    for (std::size_t i = skip; i < states_.size(); ++i) {
      if (holds(states_[i])) return true;
    }
    return false;
  });
}

std::vector<std::uint64_t> seqs_of(const std::vector<reported_call>& calls) {
  std::vector<std::uint64_t> seqs;
  for (const auto& each : calls) seqs.push_back(each.call.seq());
  return seqs;
}

const char* name_of(device::encoding format) {
  return format == device::encoding::json ? "luot.v1.json" : "luot.v1.proto";
}

}  // namespace luot::testing
