// The event_store contract, run against every store (SQLite and
// PostgreSQL) so the two cannot drift apart.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store_factory.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace luot::store {
namespace {

using testing::iota_seqs;
using testing::issued;
using testing::issued_range;
using testing::read_all;
using testing::seqs_of;

class EventStore : public testing::store_test {};
LUOT_INSTANTIATE_FOR_EVERY_STORE(EventStore);

bool same(const google::protobuf::Message& left, const google::protobuf::Message& right) {
  return google::protobuf::util::MessageDifferencer::Equals(left, right);
}

TEST_P(EventStore, EmptyLogStartsAtZero) {
  const auto store = open();
  EXPECT_EQ(store->last_seq(), 0U);
  EXPECT_TRUE(read_all(*store).empty());
  EXPECT_FALSE(store->latest_snapshot().has_value());
  EXPECT_TRUE(store->ready());
}

TEST_P(EventStore, AppendsAndReadsBackInSeqOrder) {
  const auto first = issued_range(1, 3);
  const auto second = issued_range(4, 5);
  {
    const auto store = open();
    store->append(first);
    EXPECT_EQ(store->last_seq(), 3U);
    store->append(second);
    EXPECT_EQ(store->last_seq(), 5U);
    EXPECT_EQ(seqs_of(read_all(*store, 3)), iota_seqs(4, 5));
    EXPECT_TRUE(read_all(*store, 5).empty());
    EXPECT_TRUE(read_all(*store, 99).empty());
  }
  // Everything survives closing the store, byte for byte.
  const auto store = open();
  EXPECT_EQ(store->last_seq(), 5U);
  const auto events = read_all(*store);
  ASSERT_EQ(seqs_of(events), iota_seqs(1, 5));
  for (std::size_t index = 0; index < 3; ++index) {
    EXPECT_TRUE(same(events[index], first[index])) << events[index].DebugString();
  }
  for (std::size_t index = 0; index < 2; ++index) {
    EXPECT_TRUE(same(events[3 + index], second[index])) << events[3 + index].DebugString();
  }
}

TEST_P(EventStore, AppendingNothingChangesNothing) {
  const auto store = open();
  store->append(issued_range(1, 2));
  store->append({});
  EXPECT_EQ(store->last_seq(), 2U);
}

// More events than one statement or one page of a read carries.
TEST_P(EventStore, AppendsAndReadsALargeBatchWhole) {
  const auto store = open();
  store->append(issued_range(1, 1));
  store->append(issued_range(2, 2600));
  EXPECT_EQ(store->last_seq(), 2600U);
  EXPECT_EQ(seqs_of(read_all(*store)), iota_seqs(1, 2600));
  EXPECT_EQ(seqs_of(read_all(*store, 999)), iota_seqs(1000, 2600));
  EXPECT_EQ(database().sql("SELECT count(*) FROM events"), "2600");
}

TEST_P(EventStore, RejectsSeqGapsAndRepeatsWritingNothing) {
  struct bad_batch {
    const char* name;
    std::vector<std::uint64_t> seqs;
    // The first seq is one the log holds: another writer's, not a bug.
    bool conflict;
  };
  const std::vector<bad_batch> cases{
      {"gap before the batch", {4, 5}, false},
      {"repeat of the last seq", {2, 3}, true},
      {"restart from one", {1}, true},
      {"gap inside the batch", {3, 5}, false},
      {"repeat inside the batch", {3, 3}, false},
      {"decreasing inside the batch", {3, 4, 3}, false},
      {"zero", {0}, false},
  };
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.name);
    SetUp();  // A fresh database per case.
    const auto store = open();
    store->append(issued_range(1, 2));
    std::vector<v1::Event> batch;
    for (const auto seq : bad.seqs) batch.push_back(issued(seq, "B"));
    try {
      store->append(batch);
      ADD_FAILURE() << "the batch was accepted";
    } catch (const seq_conflict& conflict) {
      EXPECT_TRUE(bad.conflict) << "a seq_conflict for a broken batch: " << conflict.what();
      EXPECT_EQ(conflict.last_seq(), 2U);
      EXPECT_NE(std::string(conflict.what()).find("does not continue the log"), std::string::npos)
          << conflict.what();
    } catch (const store_error& failure) {
      EXPECT_FALSE(bad.conflict) << "no seq_conflict: " << failure.what();
      const std::string message = failure.what();
      EXPECT_NE(message.find(database().location()), std::string::npos) << message;
      EXPECT_NE(message.find("does not continue the log"), std::string::npos) << message;
    }
    // Nothing of the batch was written, not even its valid prefix.
    EXPECT_EQ(store->last_seq(), 2U);
    const auto events = read_all(*store);
    EXPECT_EQ(seqs_of(events), iota_seqs(1, 2));
    for (const auto& event : events) EXPECT_EQ(event.ticket_issued().ticket().category(), "A");
    // The store is still usable afterwards.
    store->append(issued_range(3, 3));
    EXPECT_EQ(store->last_seq(), 3U);
  }
}

// Two servers on one database: the second decided on a stale log.
TEST_P(EventStore, ASeqTakenByAnotherStoreObjectIsAConflict) {
  const auto first = open();
  const auto second = open();
  first->append(issued_range(1, 2));
  second->append(issued_range(3, 3));
  try {
    first->append(std::vector{issued(3, "B"), issued(4, "B")});
    ADD_FAILURE() << "a taken seq was appended again";
  } catch (const seq_conflict& conflict) {
    EXPECT_EQ(conflict.last_seq(), 3U) << conflict.what();
    EXPECT_NE(std::string(conflict.what()).find(database().location()), std::string::npos)
        << conflict.what();
  }
  for (const auto* store : {&first, &second}) {
    EXPECT_EQ((*store)->last_seq(), 3U);
    const auto events = read_all(**store);
    ASSERT_EQ(seqs_of(events), iota_seqs(1, 3));
    EXPECT_EQ(events.back().ticket_issued().ticket().category(), "A");
  }
  // Re-decided on the fresh tail, the append goes through.
  first->append(std::vector{issued(4, "B")});
  EXPECT_EQ(second->last_seq(), 4U);
}

// Writers racing for the next seq through their own store objects: each
// seq is won by exactly one, the losers are told, and the log has no hole.
TEST_P(EventStore, RacingWritersNeverShareASeqNorLeaveAHole) {
  constexpr int writers = 3;
  constexpr int wins_wanted = 60;
  std::vector<std::unique_ptr<event_store>> stores;
  for (int writer = 0; writer < writers; ++writer) stores.push_back(open());
  std::atomic<int> total_wins{0};
  std::vector<int> wins(writers, 0);
  std::vector<int> conflicts(writers, 0);
  std::mutex failure_mutex;
  std::string failure;
  std::vector<std::thread> threads;
  for (int writer = 0; writer < writers; ++writer) {
    threads.emplace_back([&, writer] {
      auto& store = *stores[writer];
      try {
        while (total_wins.load() < wins_wanted) {
          auto event = issued(store.last_seq() + 1);
          event.set_actor("writer-" + std::to_string(writer));
          try {
            store.append(std::vector{event});
            ++wins[writer];
            ++total_wins;
          } catch (const seq_conflict&) {
            ++conflicts[writer];
          }
        }
      } catch (const store_error& error) {
        const std::lock_guard lock(failure_mutex);
        failure = error.what();
        total_wins = wins_wanted;  // Stops the others too.
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failure, "") << "a writer failed with something else than a conflict";

  const auto events = read_all(*stores.front());
  ASSERT_EQ(seqs_of(events), iota_seqs(1, events.size()));
  std::vector<int> logged(writers, 0);
  for (const auto& event : events) ++logged[std::stoi(event.actor().substr(7))];
  // Every acknowledged append is in the log under its writer, and nothing
  // else is.
  EXPECT_EQ(logged, wins);
  int all_conflicts = 0;
  for (const int count : conflicts) all_conflicts += count;
  std::cout << "[ racing ] " << events.size() << " appends won, " << all_conflicts
            << " conflicts\n";
}

TEST_P(EventStore, ReadersOnAnotherThreadSeeOnlyWholeTransactions) {
  constexpr std::uint64_t batch_size = 3;
  constexpr std::uint64_t batches = 100;
  const auto store = open();
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (std::uint64_t batch = 0; batch < batches; ++batch) {
      store->append(issued_range(batch * batch_size + 1, (batch + 1) * batch_size));
    }
    writing = false;
  });
  int reads = 0;
  while (writing || reads == 0) {
    const auto seqs = seqs_of(read_all(*store));
    ++reads;
    ASSERT_EQ(seqs.size() % batch_size, 0U) << "a reader saw half a transaction";
    ASSERT_EQ(seqs, iota_seqs(1, seqs.size()));
  }
  writer.join();
  EXPECT_EQ(store->last_seq(), batch_size * batches);
}

TEST_P(EventStore, KeepsTheLatestSnapshot) {
  v1::Snapshot newest;
  {
    const auto store = open();
    store->append(issued_range(1, 10));
    for (std::uint64_t seq = 2; seq <= 10; seq += 2) {
      v1::Snapshot snapshot;
      snapshot.set_seq(seq);
      snapshot.set_service_day("2026-03-05");
      snapshot.mutable_at()->set_seconds(testing::morning_ms / 1000 + static_cast<int>(seq));
      snapshot.set_centre_name("Bộ phận một cửa Sở LĐ-TB&XH");
      snapshot.add_tickets()->set_number("A" + std::to_string(seq));
      (*snapshot.mutable_memo()->mutable_next_ordinal())["A"] = static_cast<std::uint32_t>(seq);
      store->save_snapshot(snapshot);
      newest = snapshot;
    }
    // A snapshot of a state the log never reached would replay nothing.
    v1::Snapshot beyond;
    beyond.set_seq(11);
    EXPECT_THROW(store->save_snapshot(beyond), store_error);
  }
  const auto store = open();
  const auto latest = store->latest_snapshot();
  ASSERT_TRUE(latest.has_value());
  EXPECT_TRUE(same(*latest, newest)) << latest->DebugString();
  // Old snapshots are pruned; the log itself never is.
  EXPECT_LT(std::stoi(database().sql("SELECT count(*) FROM snapshots")), 5);
  EXPECT_EQ(database().sql("SELECT count(*) FROM events"), "10");
}

// Reports read days through a reader of their own, next to the store.
TEST_P(EventStore, ReportsReadWholeServiceDaysInSeqOrder) {
  const auto store = open();
  std::vector<v1::Event> events;
  const std::vector<std::string> days{"2026-03-04", "2026-03-05", "2026-03-05", "2026-03-06",
                                      "2026-03-07"};
  for (std::size_t index = 0; index < days.size(); ++index) {
    auto event = issued(index + 1);
    event.set_service_day(days[index]);
    events.push_back(event);
  }
  store->append(events);

  const auto reader = open_log_reader(database().database());
  std::vector<v1::Event> seen;
  reader->read_days("2026-03-05", "2026-03-06",
                    [&](const v1::Event& event) { seen.push_back(event); });
  EXPECT_EQ(seqs_of(seen), iota_seqs(2, 4));
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_TRUE(same(seen.front(), events[1]));
  seen.clear();
  reader->read_days("2026-03-08", "2026-03-09",
                    [&](const v1::Event& event) { seen.push_back(event); });
  EXPECT_TRUE(seen.empty());
}

}  // namespace
}  // namespace luot::store
