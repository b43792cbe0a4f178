#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "luot/v1/luot.pb.h"
#include "store/event_store.hpp"

namespace luot::store {

// What became of a submitted batch.
enum class commit_outcome {
  durable,
  // Another writer took its seqs first (or an earlier batch of the same
  // epoch lost that way): nothing of it was written; re-decide and resubmit.
  conflict,
  // The store failed; nothing more will be written.
  failed,
};

// What a seq_conflict from the store does: fail the committer, as any store
// error does (a log with one writer, where a conflict means a bug), or come
// back to the batches concerned as commit_outcome::conflict (a log that
// several servers share).
enum class conflict_policy { fatal, report };

// The single writer of an event store: batches submitted from any thread are
// appended by one writer thread, everything pending at once in one
// transaction (one fsync). While a commit is in flight new batches queue for
// the next one, so throughput grows with load while each command waits for
// exactly one fsync.
class group_committer {
 public:
  // Told whether the batch is durable. Runs on the writer thread, in
  // submission order; it must be quick and must not throw (callers re-post
  // to their own executor).
  using completion = std::function<void(bool durable)>;
  using outcome_completion = std::function<void(commit_outcome)>;

  // Told after every successful commit how long the transaction took (its
  // fsync included) and how many events and batches it carried, for the
  // metrics histogram. Runs on the writer thread before the completions.
  using commit_observer = std::function<void(std::chrono::nanoseconds latency, std::size_t events,
                                             std::size_t batches)>;

  // The store must outlive the committer; nobody else may write to it while
  // the committer runs.
  explicit group_committer(event_store& store, commit_observer observer = {},
                           conflict_policy conflicts = conflict_policy::fatal);
  ~group_committer();
  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  // Queues a batch for the next commit. Batches must be submitted in seq
  // order (callers assign seqs and submit under the same lock or strand).
  // Once the committer has failed or stopped, `done(false)` runs at once on
  // the calling thread.
  void submit(std::vector<v1::Event> batch, completion done);

  // Like submit, for a writer that re-decides on conflict (with
  // conflict_policy::report). After a conflict the committer excludes the
  // other writers before answering it, so the batches re-decided on the
  // reloaded tail cannot lose again. `epoch` counts
  // the writer's rebuilds of its state: batches of one epoch build on one
  // another, so once one of them conflicts, every later batch of that epoch
  // (or an older one) is answered `conflict` without touching the store.
  // The writer then rebuilds its state, increments the epoch and submits
  // its re-decided batches with it.
  void submit(std::vector<v1::Event> batch, std::uint64_t epoch, outcome_completion done);

  // The writer has re-decided everything a conflict concerned: the other
  // writers are admitted again once what was submitted so far is appended.
  // (Also after max_exclusive_transactions, or when the writer submits
  // nothing for max_exclusion_idle, so a writer never holds the others up
  // for long.)
  void admit_writers_after_pending();

  // Queues a snapshot to be saved after every batch submitted before it. A
  // snapshot is only a cache of the log, so failing to save one is counted
  // but does not fail the committer. It is serialized here, on the caller's
  // thread (the snapshotter's): the writer only writes its bytes.
  void submit_snapshot(const v1::Snapshot& snapshot);

  // Commits everything submitted so far, then joins the writer thread.
  // Idempotent; later submissions fail.
  void stop();

  // True once an append failed: the state folded in memory can no longer be
  // made durable and every later submission fails.
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // What broke, once failed() (the store_error's text: file and reason).
  std::string failure_reason() const;

  // Counters, for tests and metrics.
  std::uint64_t transactions() const { return transactions_.load(std::memory_order_relaxed); }
  std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  std::uint64_t events() const { return events_.load(std::memory_order_relaxed); }
  std::uint64_t snapshots_saved() const { return snapshots_saved_.load(std::memory_order_relaxed); }
  std::uint64_t conflicts() const { return conflicts_.load(std::memory_order_relaxed); }
  std::uint64_t snapshot_failures() const {
    return snapshot_failures_.load(std::memory_order_relaxed);
  }

 private:
  struct pending_batch {
    std::vector<v1::Event> events;
    std::uint64_t epoch = 0;
    outcome_completion done;
    // No batch: admits the other writers once everything before it is in.
    bool admit = false;
  };

  void run();
  void enqueue(pending_batch batch);
  void exclude_writers();
  void admit_writers();
  void commit(std::vector<pending_batch>& work);
  commit_outcome append(std::vector<pending_batch>& work);
  void save(const encoded_snapshot& snapshot);

  event_store& store_;
  commit_observer observer_;
  conflict_policy conflicts_policy_;
  // Batches of this epoch or older build on a batch that lost a conflict
  // (writer thread only).
  std::optional<std::uint64_t> stale_epoch_;
  // After a conflict the other writers are excluded (event_store::
  // exclude_writers) until the re-decided batches are appended, for at
  // most this many transactions (writer thread only).
  static constexpr unsigned max_exclusive_transactions = 4;
  static constexpr std::chrono::milliseconds max_exclusion_idle{200};
  bool excluding_ = false;
  unsigned appended_while_excluding_ = 0;

  // Serializes joining, so stop() may race with the destructor.
  std::mutex stop_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<pending_batch> queue_;
  std::optional<encoded_snapshot> queued_snapshot_;
  bool stopping_ = false;
  std::string failure_reason_;

  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> conflicts_{0};
  std::atomic<std::uint64_t> snapshots_saved_{0};
  std::atomic<std::uint64_t> snapshot_failures_{0};

  // Last member: started once everything it uses exists.
  std::thread writer_;
};

}  // namespace luot::store
