#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "subscriber_group.hpp"
#include "websocket_fleet.hpp"

namespace luot::bench {

// How raw subscribers behave beyond the defaults a fan-out row uses.
struct raw_subscriber_options {
  // Send Subscribe once open, as luot-server needs; a peer broadcaster
  // (bench/floor, bench/peers) needs nothing, and a subscriber is live as
  // soon as its handshake completes.
  bool subscribe = true;
  // Connections connecting or handshaking at once.
  std::size_t handshakes_at_once = 200;
  // Keep the wire bytes of every update the first subscriber receives.
  bool keep_first_payloads = false;
};

// Hall screens as a minimal receiver: every connection on one epoll thread
// (websocket_fleet), anonymous, Subscribe without after_seq (so each first
// gets the View), then every update is read and its seq taken from the wire
// without parsing the message. An arrival is timed by when the kernel
// received its bytes, so the receiver's own scheduling is not counted.
// Only the first subscriber parses its updates in full, to check them.
class raw_subscribers final : public subscriber_group, private fleet_listener {
 public:
  raw_subscribers(std::uint16_t port, std::size_t count, raw_subscriber_options options = {});
  ~raw_subscribers() override;

  const char* kind() const override { return "raw epoll"; }
  std::size_t count() const override { return seqs_.size(); }
  void start() override;
  std::size_t live() const override { return live_.load(); }
  std::uint64_t lowest_seq() const override;
  void stop() override;
  const std::vector<std::vector<arrival>>& arrivals() const override { return arrivals_; }
  const issued_by_seq& checked() const override { return checked_; }
  std::size_t cut_off() const override { return cut_off_.load(); }
  std::size_t failed() const override { return failed_.load(); }
  std::string first_failure() const override;
  // CPU time of the receiving thread.
  double cpu_seconds() const { return fleet_.cpu_seconds(); }
  // The first subscriber's updates as received, by seq (keep_first_payloads).
  // Read only after stop().
  const std::map<std::uint64_t, std::string>& first_payloads() const { return first_payloads_; }

 private:
  void opened(std::size_t connection) override;
  void received(std::size_t connection, std::string_view payload,
                bench_clock::time_point at) override;
  void ended(std::size_t connection, std::uint16_t close_code, const std::string& why) override;
  void fail(const std::string& why);

  std::vector<std::vector<arrival>> arrivals_;
  std::vector<std::atomic<std::uint64_t>> seqs_;
  std::vector<char> is_live_;
  raw_subscriber_options options_;
  std::map<std::uint64_t, std::string> first_payloads_;
  issued_by_seq checked_;
  std::atomic<std::size_t> live_{0};
  std::atomic<std::size_t> cut_off_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex failure_mutex_;
  std::string first_failure_;
  std::string subscribe_;
  websocket_fleet fleet_;
};

}  // namespace luot::bench
