#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/engine.hpp"
#include "luot/v1/luot.pb.h"
#include "store/group_committer.hpp"
#include "store/recovery.hpp"

namespace luot::app {

// Takes the store's snapshots off the command path. It folds committed
// events into its own copy of the state, on its own thread, and hands a
// snapshot of that copy to the group committer when a service day closes
// and otherwise as store::snapshot_policy says: every `interval` events, or
// every as many events as the last snapshot held tickets once the day is
// bigger than that, so the snapshots' cost per event stays flat as the day
// grows and a restart replays at most max(interval, tickets) events.
// Building a snapshot of a busy day takes tens of milliseconds; done on the
// engine strand it stalled every command behind it. Its snapshots are of
// durable state only.
class snapshotter {
 public:
  using clock = std::function<core::timestamp()>;

  // `state` is the recovered state at the log's head; `last_snapshot_seq`
  // the seq of the newest snapshot the store holds.
  snapshotter(core::engine state, store::group_committer& committer, std::uint64_t interval,
              std::uint64_t last_snapshot_seq, clock now);
  ~snapshotter();
  snapshotter(const snapshotter&) = delete;
  snapshotter& operator=(const snapshotter&) = delete;

  // Committed events, in seq order. Thread-safe; never blocks on folding.
  void committed(std::shared_ptr<const std::vector<v1::Event>> events);

  // Folds what is queued (taking a snapshot if one is due), then ends the
  // thread. Idempotent. Call before the committer stops.
  void stop();

 private:
  void run();

  core::engine state_;
  store::group_committer& committer_;
  store::snapshot_policy policy_;
  clock now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<const std::vector<v1::Event>>> queue_;
  // Events in queue_; the thread folds them once there are this many (or a
  // day closed), so a snapshot is at most that late.
  static constexpr std::size_t wake_after_events = 128;
  std::size_t queued_events_ = 0;
  bool day_closed_queued_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace luot::app
