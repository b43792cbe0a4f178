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
  // Woken for a batch of events, not every commit: at thousands of commits
  // a second a wake-up each (a futex call and a thread switch) cost more
  // than the folding. A day's close is folded at once, so its snapshot is
  // taken while the close is fresh.
  const bool closes_day = std::any_of(events->begin(), events->end(), [](const v1::Event& event) {
    return event.has_day_closed();
  });
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    queued_events_ += events->size();
    queue_.push_back(std::move(events));
    day_closed_queued_ = day_closed_queued_ || closes_day;
    wake = day_closed_queued_ || queued_events_ >= wake_after_events;
  }
  if (wake) wake_.notify_one();
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
      wake_.wait(lock, [this] {
        return stopping_ || day_closed_queued_ || queued_events_ >= wake_after_events;
      });
      if (queue_.empty()) return;
      batch.swap(queue_);
      queued_events_ = 0;
      day_closed_queued_ = false;
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
