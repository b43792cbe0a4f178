#include "store/group_committer.hpp"

#include <exception>
#include <utility>

namespace luot::store {

group_committer::group_committer(event_store& store, commit_observer observer)
    : store_(store), observer_(std::move(observer)), writer_([this] { run(); }) {}

group_committer::~group_committer() {
  stop();
}

void group_committer::submit(std::vector<v1::Event> batch, completion done) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_ && !failed()) {
      queue_.push_back(pending_batch{std::move(batch), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  if (done) {
    done(false);
  }
}

void group_committer::submit_snapshot(v1::Snapshot snapshot) {
  const std::lock_guard lock(mutex_);
  if (stopping_ || failed()) {
    return;
  }
  // Only the newest matters: an older one still waiting is superseded.
  queued_snapshot_ = std::move(snapshot);
  wake_.notify_one();
}

void group_committer::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  const std::lock_guard lock(stop_mutex_);
  // A completion that stops the committer cannot wait for its own thread;
  // the destructor joins later.
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) {
    writer_.join();
  }
}

void group_committer::run() {
  for (;;) {
    std::vector<pending_batch> work;
    std::optional<v1::Snapshot> snapshot;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock,
                 [this] { return stopping_ || !queue_.empty() || queued_snapshot_.has_value(); });
      if (queue_.empty() && !queued_snapshot_ && stopping_) {
        return;
      }
      work.swap(queue_);
      snapshot.swap(queued_snapshot_);
    }
    commit(work);
    if (snapshot && !failed()) {
      save(*snapshot);
    }
  }
}

void group_committer::commit(std::vector<pending_batch>& work) {
  if (work.empty()) {
    return;
  }
  bool durable = false;
  if (!failed()) {
    std::vector<v1::Event> events;
    if (work.size() == 1) {
      events.swap(work.front().events);
    } else {
      std::size_t total = 0;
      for (const auto& batch : work) {
        total += batch.events.size();
      }
      events.reserve(total);
      for (auto& batch : work) {
        for (auto& event : batch.events) {
          events.push_back(std::move(event));
        }
      }
    }
    std::chrono::nanoseconds latency{0};
    try {
      const auto started = std::chrono::steady_clock::now();
      if (!events.empty()) {
        store_.append(events);
      }
      latency = std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now() - started);
      durable = true;
    } catch (const std::exception& failure) {
      const std::lock_guard lock(mutex_);
      failure_reason_ = failure.what();
      failed_.store(true, std::memory_order_release);
    }
    if (durable) {
      if (!events.empty()) {
        transactions_.fetch_add(1, std::memory_order_relaxed);
      }
      batches_.fetch_add(work.size(), std::memory_order_relaxed);
      events_.fetch_add(events.size(), std::memory_order_relaxed);
      if (observer_ && !events.empty()) {
        observer_(latency, events.size(), work.size());
      }
    }
  }
  for (auto& batch : work) {
    if (batch.done) {
      batch.done(durable);
    }
  }
}

std::string group_committer::failure_reason() const {
  const std::lock_guard lock(mutex_);
  return failure_reason_;
}

void group_committer::save(const v1::Snapshot& snapshot) {
  try {
    store_.save_snapshot(snapshot);
    snapshots_saved_.fetch_add(1, std::memory_order_relaxed);
  } catch (const std::exception&) {
    snapshot_failures_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace luot::store
