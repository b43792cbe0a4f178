#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device/device_client.hpp"
#include "subscriber_group.hpp"

namespace luot::bench {

// Hall screens as the real devices run them: one luot::device::device_client
// each (its own thread, Hello with the display token, Subscribe, a mirror,
// pings). An arrival is timed in on_change, after the mirror applied the
// update: what a screen could draw.
class device_subscribers final : public subscriber_group {
 public:
  device_subscribers(std::uint16_t port, std::size_t count);
  ~device_subscribers() override;

  const char* kind() const override { return "device client"; }
  std::size_t count() const override { return screens_.size(); }
  void start() override;
  std::size_t live() const override;
  std::uint64_t lowest_seq() const override;
  void stop() override;
  const std::vector<std::vector<arrival>>& arrivals() const override { return arrivals_; }
  const issued_by_seq& checked() const override { return checked_; }
  std::size_t cut_off() const override { return cut_off_.load(); }
  std::size_t failed() const override { return failed_.load(); }
  std::string first_failure() const override;

 private:
  // One screen; its fields are written on its client's thread.
  struct screen {
    std::vector<arrival> arrivals;
    std::atomic<std::uint64_t> seq{0};
    std::atomic<bool> live{false};
    std::unique_ptr<device::device_client> client;
  };

  void fail(const std::string& why);

  std::uint16_t port_;
  std::vector<std::unique_ptr<screen>> screens_;
  std::vector<std::vector<arrival>> arrivals_;
  issued_by_seq checked_;
  std::atomic<std::size_t> cut_off_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex failure_mutex_;
  std::string first_failure_;
};

}  // namespace luot::bench
