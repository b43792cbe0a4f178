#include "app/snapshotter.hpp"

#include <algorithm>
#include <utility>

namespace luot::app {

snapshotter::snapshotter(core::engine state, store::group_committer& committer,
                         std::uint64_t interval, std::uint64_t last_snapshot_seq, clock now)
    : state_(std::move(state)),
      committer_(committer),
      policy_(interval, last_snapshot_seq),
      now_(std::move(now)),
      thread_([this] { run(); }) {}

snapshotter::~snapshotter() {
  stop();
}

void snapshotter::committed(std::shared_ptr<const std::vector<v1::Event>> events) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(events));
  }
  wake_.notify_one();
}

void snapshotter::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void snapshotter::run() {
  for (;;) {
    std::deque<std::shared_ptr<const std::vector<v1::Event>>> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      batch.swap(queue_);
    }
    bool day_closed = false;
    for (const auto& events : batch) {
      for (const auto& event : *events) {
        state_.fold(event);
        day_closed = day_closed || event.has_day_closed();
      }
    }
    if (day_closed || policy_.due(state_.seq())) {
      auto snapshot = state_.snapshot(now_(), core::visibility::internal);
      const auto tickets = static_cast<std::uint64_t>(snapshot.tickets_size());
      committer_.submit_snapshot(std::move(snapshot));
      policy_.taken(state_.seq(), tickets);
    }
  }
}

}  // namespace luot::app
