#pragma once

// What the device client tests share: fast client options and a recorder of
// everything a client reports, read from the test thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "device/device_client.hpp"

namespace luot::testing {

inline constexpr std::chrono::milliseconds fast_ping_interval{100};
inline constexpr std::chrono::milliseconds fast_ping_timeout{600};

// Options for 127.0.0.1:port with short pings and backoff, so each test takes
// well under a second per reconnect.
device::options fast_options(std::uint16_t port, device::encoding format, const std::string& token);

struct reported_call {
  v1::Call call;
  device::call_origin origin;
};

// Everything a device_client reports through its callbacks.
class recorder {
 public:
  // Sets the client's callbacks (before start()).
  void attach(device::device_client& client);

  std::vector<reported_call> calls() const;
  std::vector<device::link_status> states() const;
  std::size_t changes() const;
  // Waits until `holds` is true of the calls reported so far.
  bool wait_for_calls(const std::function<bool(const std::vector<reported_call>&)>& holds,
                      std::chrono::milliseconds timeout) const;
  // Waits until some state reported so far satisfies `holds`.
  bool wait_for_state(const std::function<bool(const device::link_status&)>& holds,
                      std::chrono::milliseconds timeout) const;
  // The same, among the states reported after the first `skip`.
  bool wait_for_state_after(std::size_t skip,
                            const std::function<bool(const device::link_status&)>& holds,
                            std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable reported_;
  std::vector<reported_call> calls_;
  std::vector<device::link_status> states_;
  std::size_t changes_ = 0;
};

// The seqs of `calls`, in the order reported.
std::vector<std::uint64_t> seqs_of(const std::vector<reported_call>& calls);

const char* name_of(device::encoding format);

}  // namespace luot::testing
