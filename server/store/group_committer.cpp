#include "store/group_committer.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <utility>

namespace luot::store {

group_committer::group_committer(event_store& store, commit_observer observer,
                                 conflict_policy conflicts)
    : store_(store),
      observer_(std::move(observer)),
      conflicts_policy_(conflicts),
      writer_([this] { run(); }) {}

group_committer::~group_committer() {
  stop();
}

void group_committer::submit(std::vector<v1::Event> batch, completion done) {
  outcome_completion told;
  if (done) {
    told = [done = std::move(done)](commit_outcome outcome) {
      done(outcome == commit_outcome::durable);
    };
  }
  enqueue(pending_batch{std::move(batch), 0, std::move(told)});
}

void group_committer::submit(std::vector<v1::Event> batch, std::uint64_t epoch,
                             outcome_completion done) {
  enqueue(pending_batch{std::move(batch), epoch, std::move(done)});
}

void group_committer::admit_writers_after_pending() {
  pending_batch marker;
  marker.admit = true;
  enqueue(std::move(marker));
}

void group_committer::enqueue(pending_batch batch) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_ && !failed()) {
      queue_.push_back(std::move(batch));
      wake_.notify_one();
      return;
    }
  }
  if (batch.done) {
    batch.done(commit_outcome::failed);
  }
}

void group_committer::submit_snapshot(const v1::Snapshot& snapshot) {
  std::optional<encoded_snapshot> encoded;
  try {
    encoded = encode_snapshot(snapshot);
  } catch (const std::exception&) {
    snapshot_failures_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::lock_guard lock(mutex_);
  if (stopping_ || failed()) {
    return;
  }
  // Only the newest matters: an older one still waiting is superseded.
  queued_snapshot_ = std::move(encoded);
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
    std::optional<encoded_snapshot> snapshot;
    {
      std::unique_lock lock(mutex_);
      const auto something = [this] {
        return stopping_ || !queue_.empty() || queued_snapshot_.has_value();
      };
      if (!excluding_) {
        wake_.wait(lock, something);
      } else if (!wake_.wait_for(lock, max_exclusion_idle, something)) {
        // The writer re-decided without anything to append, or went quiet:
        // the others must not wait for it.
        lock.unlock();
        admit_writers();
        continue;
      }
      if (queue_.empty() && !queued_snapshot_ && stopping_) {
        lock.unlock();
        admit_writers();
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
  // Batches built on one that lost a conflict are stale: answered without
  // the store (their seqs may not even continue the log). Completions still
  // run in submission order.
  std::vector<pending_batch> fresh;
  std::vector<bool> stale(work.size(), false);
  for (std::size_t index = 0; index < work.size(); ++index) {
    stale[index] = !work[index].admit && stale_epoch_ && work[index].epoch <= *stale_epoch_;
  }
  for (std::size_t index = 0; index < work.size(); ++index) {
    if (!stale[index] && !work[index].admit) {
      fresh.push_back(pending_batch{std::move(work[index].events), work[index].epoch, {}});
    }
  }
  const auto outcome = fresh.empty() ? commit_outcome::durable : append(fresh);
  if (std::any_of(work.begin(), work.end(),
                  [](const pending_batch& batch) { return batch.admit; })) {
    admit_writers();
  }
  const auto stale_outcome = failed() ? commit_outcome::failed : commit_outcome::conflict;
  for (std::size_t index = 0; index < work.size(); ++index) {
    if (work[index].done) {
      work[index].done(stale[index] ? stale_outcome : outcome);
    }
  }
}

commit_outcome group_committer::append(std::vector<pending_batch>& work) {
  if (failed()) {
    return commit_outcome::failed;
  }
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
  } catch (const seq_conflict& conflict) {
    if (conflicts_policy_ == conflict_policy::report) {
      conflicts_.fetch_add(1, std::memory_order_relaxed);
      std::uint64_t newest = 0;
      for (const auto& batch : work) {
        newest = std::max(newest, batch.epoch);
      }
      stale_epoch_ = std::max(stale_epoch_.value_or(0), newest);
      // Before the writer hears of the conflict: the tail it reloads then
      // stays the end of the log until its re-decided batch is appended.
      exclude_writers();
      return commit_outcome::conflict;
    }
    const std::lock_guard lock(mutex_);
    failure_reason_ = conflict.what();
    failed_.store(true, std::memory_order_release);
    return commit_outcome::failed;
  } catch (const std::exception& failure) {
    const std::lock_guard lock(mutex_);
    failure_reason_ = failure.what();
    failed_.store(true, std::memory_order_release);
    return commit_outcome::failed;
  }
  if (!events.empty()) {
    transactions_.fetch_add(1, std::memory_order_relaxed);
  }
  batches_.fetch_add(work.size(), std::memory_order_relaxed);
  events_.fetch_add(events.size(), std::memory_order_relaxed);
  if (observer_ && !events.empty()) {
    observer_(latency, events.size(), work.size());
  }
  if (excluding_ && ++appended_while_excluding_ >= max_exclusive_transactions) {
    // Fair to the other writers, however busy this one is.
    admit_writers();
  }
  return commit_outcome::durable;
}

void group_committer::exclude_writers() {
  if (excluding_) {
    return;
  }
  try {
    store_.exclude_writers();
    excluding_ = true;
    appended_while_excluding_ = 0;
  } catch (const std::exception&) {
    // Retried without the exclusion: it may lose again, and is bounded.
  }
}

void group_committer::admit_writers() {
  if (!excluding_) {
    return;
  }
  excluding_ = false;
  try {
    store_.admit_writers();
  } catch (const std::exception&) {
    // A session that broke released the lock with it.
  }
}

std::string group_committer::failure_reason() const {
  const std::lock_guard lock(mutex_);
  return failure_reason_;
}

void group_committer::save(const encoded_snapshot& snapshot) {
  try {
    store_.save_snapshot(snapshot);
    snapshots_saved_.fetch_add(1, std::memory_order_relaxed);
  } catch (const std::exception&) {
    snapshot_failures_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace luot::store
