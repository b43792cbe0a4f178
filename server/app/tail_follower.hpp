#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "luot/v1/luot.pb.h"
#include "store/append_watch.hpp"
#include "store/event_store.hpp"

namespace luot::app {

// Reads the events other luot-server instances append to a shared log. On
// its own thread it waits for the store's append_watch (PostgreSQL's
// LISTEN/NOTIFY), and also every `poll_interval` in case a notification was
// lost, then reads the log after the last seq it read, through a
// connection of its own, and hands the events over in seq order (this
// server's own events among them: the publisher publishes each seq once).
class tail_follower {
 public:
  using delivery = std::function<void(std::vector<v1::Event> events)>;

  // Reads after `after_seq`; `deliver` runs on the follower's thread and
  // must only hand the events over (post them to the hub strand).
  tail_follower(std::unique_ptr<store::append_watch> watch,
                std::unique_ptr<store::event_store> reader, std::uint64_t after_seq,
                delivery deliver,
                std::chrono::milliseconds poll_interval = std::chrono::seconds(1));
  ~tail_follower();
  tail_follower(const tail_follower&) = delete;
  tail_follower& operator=(const tail_follower&) = delete;

  // Reads the tail now, without waiting for a notification. Thread-safe.
  void read_now();

  // Ends the thread. Idempotent.
  void stop();

 private:
  void run();
  void read();

  std::unique_ptr<store::append_watch> watch_;
  std::unique_ptr<store::event_store> reader_;
  std::uint64_t after_;
  delivery deliver_;
  std::chrono::milliseconds poll_interval_;
  std::atomic<bool> stopping_{false};
  bool read_failed_ = false;
  std::thread thread_;
};

}  // namespace luot::app
