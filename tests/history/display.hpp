#pragma once

// A hall screen in the workload: the shared device client subscribed to the
// whole centre, its mirror's seq recorded after every View and ViewUpdate
// it applies, across every reconnect.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "device/device_client.hpp"
#include "history.hpp"

namespace luot::history {

class display {
 public:
  // `round` is read at every step, to say in which round it happened.
  display(std::string name, device::options settings, const std::atomic<unsigned>& round);
  ~display();
  display(const display&) = delete;
  display& operator=(const display&) = delete;

  void start();
  // Waits until the mirror is at `seq` or beyond; false on timeout.
  bool reach(std::uint64_t seq, std::chrono::milliseconds timeout) const;
  // Stops the client and returns what it recorded, with its last view.
  mirror_trace finish();

 private:
  std::unique_ptr<device::device_client> client_;
  const std::atomic<unsigned>& round_;
  mutable std::mutex mutex_;
  mirror_trace trace_;
};

}  // namespace luot::history
