#pragma once

// A kiosk in the workload: takes tickets one after another, each with its
// own idempotency key, over HTTP or over the shared device client's
// WebSocket. A request whose answer was lost is retried with the same key
// until the server answers, as a real kiosk does after a power blip.

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "device/device_client.hpp"
#include "history.hpp"

namespace luot::history {

enum class channel { http, websocket };

class kiosk {
 public:
  // Kiosk `index` (its device id and token from centre.hpp).
  kiosk(unsigned index, channel via, std::uint16_t port, recorder& history, std::uint64_t seed);
  ~kiosk();
  kiosk(const kiosk&) = delete;
  kiosk& operator=(const kiosk&) = delete;

  void start();
  // Stops taking new tickets once the current key has an answer; joins.
  void stop();
  // Gives up on the current key too (the server is not coming back).
  void abandon();
  const std::string& name() const { return name_; }

 private:
  enum class attempt_end { settled, retry };

  void run();
  // Takes one ticket under `key`, retrying until the server answers.
  void settle(const std::string& key, const std::string& category);
  attempt_end over_http(std::uint64_t op, const std::string& key, const std::string& category);
  attempt_end over_websocket(std::uint64_t op, const std::string& key, const std::string& category);
  void pause(std::chrono::milliseconds longest);

  unsigned index_;
  channel via_;
  std::uint16_t port_;
  recorder& history_;
  std::mt19937_64 random_;
  std::string name_;
  std::unique_ptr<device::device_client> client_;
  std::atomic<bool> stopping_ = false;
  std::atomic<bool> abandoned_ = false;
  std::thread thread_;
};

// Options for a device client of the workload: quick to reconnect, with
// the backoff jitter seeded from the run.
device::options workload_options(std::uint16_t port, device::encoding format, std::string token,
                                 std::uint64_t seed);

}  // namespace luot::history
