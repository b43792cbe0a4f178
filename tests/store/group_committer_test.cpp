#include "store/group_committer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace luot::store {
namespace {

using namespace std::chrono_literals;
using testing::iota_seqs;
using testing::issued;
using testing::read_all;
using testing::seqs_of;

// The committer over every store: grouping, ordering and failure must not
// depend on which database is underneath.
class GroupCommitter : public testing::store_test {};
LUOT_INSTANTIATE_FOR_EVERY_STORE(GroupCommitter);

// Holds the first append until the test releases it, so the test decides
// what queues up behind a commit in flight.
class gated_store final : public event_store {
 public:
  explicit gated_store(event_store& inner) : inner_(inner) {}

  void wait_until_first_append() { entered_future_.wait(); }
  void release() { release_.set_value(); }

  void append(std::span<const v1::Event> events) override {
    if (first_) {
      first_ = false;
      entered_.set_value();
      release_future_.wait();
    }
    inner_.append(events);
  }
  std::uint64_t last_seq() override { return inner_.last_seq(); }
  void read_after(std::uint64_t after_seq,
                  const std::function<void(const v1::Event&)>& visit) override {
    inner_.read_after(after_seq, visit);
  }
  using event_store::save_snapshot;
  void save_snapshot(const store::encoded_snapshot& snapshot) override {
    inner_.save_snapshot(snapshot);
  }
  std::optional<v1::Snapshot> latest_snapshot() override { return inner_.latest_snapshot(); }
  bool ready() override { return inner_.ready(); }

 private:
  event_store& inner_;
  bool first_ = true;
  std::promise<void> entered_;
  std::shared_future<void> entered_future_ = entered_.get_future().share();
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
};

// What the completions reported, in the order they ran.
struct completion_log {
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, bool>> entries;

  group_committer::completion record(std::uint64_t tag) {
    return [this, tag](bool durable) {
      const std::lock_guard lock(mutex);
      entries.emplace_back(tag, durable);
    };
  }
  std::vector<std::pair<std::uint64_t, bool>> snapshot() {
    const std::lock_guard lock(mutex);
    return entries;
  }
};

std::vector<v1::Event> one(std::uint64_t seq) {
  return {issued(seq)};
}

TEST_P(GroupCommitter, GroupsConcurrentSubmissionsIntoFewerTransactions) {
  constexpr int threads = 8;
  constexpr int per_thread = 200;
  constexpr std::uint64_t total = threads * per_thread;

  std::mutex observed_mutex;
  std::vector<std::chrono::nanoseconds> latencies;
  std::size_t observed_events = 0;
  std::size_t observed_batches = 0;
  std::vector<std::uint64_t> completed_seqs;
  std::vector<bool> durable(total + 1, false);
  {
    const auto store = open();
    group_committer committer(
        *store, [&](std::chrono::nanoseconds latency, std::size_t events, std::size_t batches) {
          const std::lock_guard lock(observed_mutex);
          latencies.push_back(latency);
          observed_events += events;
          observed_batches += batches;
        });

    // Stands in for the engine's strand: seqs are assigned and submitted
    // under one lock, so submission order is seq order.
    std::mutex strand;
    std::uint64_t next_seq = 1;
    std::vector<std::thread> workers;
    for (int worker = 0; worker < threads; ++worker) {
      workers.emplace_back([&] {
        for (int index = 0; index < per_thread; ++index) {
          const std::lock_guard lock(strand);
          const std::uint64_t seq = next_seq++;
          committer.submit(one(seq), [&, seq](bool ok) {
            // The writer thread is the only caller: no lock needed.
            completed_seqs.push_back(seq);
            durable[seq] = ok;
          });
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    committer.stop();

    EXPECT_FALSE(committer.failed());
    EXPECT_EQ(committer.batches(), total);
    EXPECT_EQ(committer.events(), total);
    EXPECT_LT(committer.transactions(), total) << "no two submissions shared a transaction";
    EXPECT_GE(committer.transactions(), 1U);
    EXPECT_EQ(observed_events, total);
    EXPECT_EQ(observed_batches, total);
    EXPECT_EQ(latencies.size(), committer.transactions());

    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&](double fraction) {
      const auto index =
          static_cast<std::size_t>(fraction * static_cast<double>(latencies.size() - 1));
      return std::chrono::duration_cast<std::chrono::microseconds>(latencies[index]).count();
    };
    const double per_transaction =
        static_cast<double>(total) / static_cast<double>(committer.transactions());
    std::cout << "[ grouping ] " << total << " submissions in " << committer.transactions()
              << " transactions (" << per_transaction << " events per transaction); commit p50 "
              << percentile(0.5) << " us, p99 " << percentile(0.99) << " us, max "
              << percentile(1.0) << " us\n";
    ::testing::Test::RecordProperty("events_per_transaction", std::to_string(per_transaction));
  }

  // Completions ran in submission order, each told the truth.
  EXPECT_EQ(completed_seqs, iota_seqs(1, total));
  EXPECT_EQ(std::count(durable.begin() + 1, durable.end(), true),
            static_cast<std::ptrdiff_t>(total));
  const auto store = open();
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, total));
}

// Like a hall of kiosks: each thread waits for its ticket to be durable
// before taking the next, so at most one batch per thread can share a commit.
TEST_P(GroupCommitter, WaitingSubmittersShareCommits) {
  constexpr int threads = 8;
  constexpr int per_thread = 200;
  constexpr std::uint64_t total = threads * per_thread;
  std::vector<std::chrono::nanoseconds> latencies;
  std::size_t largest_group = 0;
  std::uint64_t transactions = 0;
  {
    const auto store = open();
    group_committer committer(
        *store, [&](std::chrono::nanoseconds latency, std::size_t, std::size_t batches) {
          latencies.push_back(latency);  // Only the writer thread calls this.
          largest_group = std::max(largest_group, batches);
        });
    std::mutex strand;
    std::uint64_t next_seq = 1;
    std::atomic<int> refused{0};
    std::vector<std::thread> workers;
    for (int worker = 0; worker < threads; ++worker) {
      workers.emplace_back([&] {
        for (int index = 0; index < per_thread; ++index) {
          std::promise<bool> acknowledged;
          {
            const std::lock_guard lock(strand);
            committer.submit(one(next_seq++),
                             [&acknowledged](bool ok) { acknowledged.set_value(ok); });
          }
          if (!acknowledged.get_future().get()) {
            ++refused;
          }
        }
      });
    }
    for (auto& worker : workers) {
      worker.join();
    }
    committer.stop();
    transactions = committer.transactions();
    EXPECT_EQ(refused.load(), 0);
    EXPECT_EQ(committer.batches(), total);
    EXPECT_LT(transactions, total) << "no two waiting submitters shared a commit";
    EXPECT_LE(largest_group, static_cast<std::size_t>(threads));
  }
  std::sort(latencies.begin(), latencies.end());
  const auto percentile = [&](double fraction) {
    const auto index =
        static_cast<std::size_t>(fraction * static_cast<double>(latencies.size() - 1));
    return std::chrono::duration_cast<std::chrono::microseconds>(latencies[index]).count();
  };
  std::cout << "[ grouping ] closed loop: " << total << " submissions in " << transactions
            << " transactions (" << static_cast<double>(total) / static_cast<double>(transactions)
            << " per transaction, largest " << largest_group << "); commit p50 " << percentile(0.5)
            << " us, p99 " << percentile(0.99) << " us\n";
  const auto store = open();
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, total));
}

TEST_P(GroupCommitter, QueuesSubmissionsBehindACommitInFlight) {
  const auto store = open();
  gated_store gate(*store);
  std::vector<std::pair<std::size_t, std::size_t>> commits;
  completion_log log;
  group_committer committer(gate,
                            [&](std::chrono::nanoseconds, std::size_t events, std::size_t batches) {
                              commits.emplace_back(events, batches);
                            });

  committer.submit(one(1), log.record(1));
  gate.wait_until_first_append();
  // Both wait for the commit of seq 1, then share the next one.
  committer.submit({issued(2), issued(3)}, log.record(2));
  committer.submit(one(4), log.record(4));
  gate.release();
  committer.stop();

  const std::vector<std::pair<std::size_t, std::size_t>> expected_commits{{1, 1}, {3, 2}};
  EXPECT_EQ(commits, expected_commits);
  EXPECT_EQ(committer.transactions(), 2U);
  EXPECT_EQ(committer.batches(), 3U);
  const std::vector<std::pair<std::uint64_t, bool>> expected_log{{1, true}, {2, true}, {4, true}};
  EXPECT_EQ(log.snapshot(), expected_log);
  EXPECT_EQ(store->last_seq(), 4U);
}

TEST_P(GroupCommitter, AFailedCommitFailsItsWholeGroupAndEverythingAfter) {
  const auto store = open();
  gated_store gate(*store);
  completion_log log;
  group_committer committer(gate);

  committer.submit(one(1), log.record(1));
  gate.wait_until_first_append();
  committer.submit(one(2), log.record(2));
  committer.submit(one(9), log.record(9));  // A gap: the store refuses the group.
  gate.release();
  committer.stop();

  const std::vector<std::pair<std::uint64_t, bool>> expected{{1, true}, {2, false}, {9, false}};
  EXPECT_EQ(log.snapshot(), expected);
  EXPECT_TRUE(committer.failed());
  EXPECT_NE(committer.failure_reason().find(database().location()), std::string::npos)
      << committer.failure_reason();
  EXPECT_NE(committer.failure_reason().find("does not continue the log"), std::string::npos)
      << committer.failure_reason();
  // Seq 2 was valid but shared the refused transaction: not written.
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, 1));
}

TEST_P(GroupCommitter, RefusesSubmissionsOnceFailed) {
  const auto store = open();
  completion_log log;
  group_committer committer(*store);
  committer.submit(one(5), log.record(5));  // The log is empty: a gap.
  for (int attempt = 0; attempt < 1000 && !committer.failed(); ++attempt) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(committer.failed());

  // A valid batch is refused at once, on the submitting thread.
  const auto submitter = std::this_thread::get_id();
  std::thread::id completed_on;
  bool durable = true;
  committer.submit(one(1), [&](bool ok) {
    durable = ok;
    completed_on = std::this_thread::get_id();
  });
  EXPECT_FALSE(durable);
  EXPECT_EQ(completed_on, submitter);
  committer.stop();
  EXPECT_EQ(store->last_seq(), 0U);
  const std::vector<std::pair<std::uint64_t, bool>> expected{{5, false}};
  EXPECT_EQ(log.snapshot(), expected);
}

TEST_P(GroupCommitter, StopCommitsEverythingSubmittedFirst) {
  const auto store = open();
  completion_log log;
  {
    group_committer committer(*store);
    for (std::uint64_t seq = 1; seq <= 50; ++seq) {
      committer.submit(one(seq), log.record(seq));
    }
    committer.stop();
    EXPECT_EQ(log.snapshot().size(), 50U);

    bool durable = true;
    committer.submit(one(51), [&](bool ok) { durable = ok; });
    EXPECT_FALSE(durable) << "a stopped committer accepted work";
    committer.stop();  // Idempotent; the destructor stops once more.
  }
  const auto entries = log.snapshot();
  EXPECT_TRUE(
      std::all_of(entries.begin(), entries.end(), [](const auto& entry) { return entry.second; }));
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, 50));
}

TEST_P(GroupCommitter, SavesASnapshotAfterTheEventsBeforeIt) {
  const auto store = open();
  {
    group_committer committer(*store);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
      committer.submit(one(seq), {});
    }
    v1::Snapshot snapshot;
    snapshot.set_seq(3);
    snapshot.set_centre_name("Trung tâm phục vụ hành chính công");
    committer.submit_snapshot(snapshot);
    committer.stop();
    EXPECT_EQ(committer.snapshots_saved(), 1U);
    EXPECT_EQ(committer.snapshot_failures(), 0U);
  }
  const auto latest = store->latest_snapshot();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->seq(), 3U);
  EXPECT_EQ(latest->centre_name(), "Trung tâm phục vụ hành chính công");
}

TEST_P(GroupCommitter, AFailedSnapshotDoesNotFailTheLog) {
  const auto store = open();
  group_committer committer(*store);
  committer.submit(one(1), {});
  v1::Snapshot beyond;
  beyond.set_seq(7);
  committer.submit_snapshot(beyond);
  bool durable = false;
  committer.submit(one(2), [&](bool ok) { durable = ok; });
  committer.stop();
  EXPECT_EQ(committer.snapshot_failures(), 1U);
  EXPECT_FALSE(committer.failed());
  EXPECT_TRUE(durable);
  EXPECT_FALSE(store->latest_snapshot().has_value());
  EXPECT_EQ(store->last_seq(), 2U);
}

}  // namespace
}  // namespace luot::store

namespace luot::store {
namespace {

// What the outcome completions reported, in the order they ran.
struct outcome_log {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::uint64_t, commit_outcome>> entries;

  group_committer::outcome_completion record(std::uint64_t tag) {
    return [this, tag](commit_outcome outcome) {
      const std::lock_guard lock(mutex);
      entries.emplace_back(tag, outcome);
      changed.notify_all();
    };
  }
  void wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 60s, [&] { return entries.size() >= count; }));
  }
};

TEST_P(GroupCommitter, AConflictComesBackAsAValueAndStalesTheRestOfItsEpoch) {
  const auto store = open();
  const auto other = open();
  // Another server took seq 1 first.
  other->append(one(1));
  outcome_log log;
  group_committer committer(*store, {}, conflict_policy::report);
  committer.submit(one(1), 0, log.record(1));
  // Built on the first (seq 2 follows its seq 1): stale with it, whether
  // it shares its transaction or comes after it.
  committer.submit(one(2), 0, log.record(2));
  log.wait_for(2);
  // Re-decided on the log as it is, in the next epoch.
  committer.submit(one(2), 1, log.record(3));
  committer.stop();

  const std::vector<std::pair<std::uint64_t, commit_outcome>> expected{
      {1, commit_outcome::conflict}, {2, commit_outcome::conflict}, {3, commit_outcome::durable}};
  EXPECT_EQ(log.entries, expected);
  EXPECT_FALSE(committer.failed());
  EXPECT_GE(committer.conflicts(), 1U);
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, 2));
}

TEST_P(GroupCommitter, AConflictFailsACommitterThatDoesNotReportThem) {
  const auto store = open();
  const auto other = open();
  other->append(one(1));
  completion_log log;
  group_committer committer(*store);
  committer.submit(one(1), log.record(1));
  committer.stop();
  const std::vector<std::pair<std::uint64_t, bool>> expected{{1, false}};
  EXPECT_EQ(log.snapshot(), expected);
  EXPECT_TRUE(committer.failed());
  EXPECT_EQ(committer.conflicts(), 0U);
}

}  // namespace
}  // namespace luot::store
