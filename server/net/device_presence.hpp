#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace luot::net {

// Which devices (displays, kiosks, rating tablets) have a WebSocket open
// now, for a manager's monitor. Sessions tell it when a device says Hello
// and when that connection ends. Thread-safe.
class device_presence {
 public:
  void connected(const std::string& device) {
    const std::lock_guard lock(mutex_);
    ++connections_[device];
  }

  void disconnected(const std::string& device) {
    const std::lock_guard lock(mutex_);
    const auto found = connections_.find(device);
    if (found == connections_.end()) return;
    if (--found->second == 0) connections_.erase(found);
  }

  bool online(std::string_view device) const {
    const std::lock_guard lock(mutex_);
    return connections_.find(device) != connections_.end();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int, std::less<>> connections_;
};

}  // namespace luot::net
