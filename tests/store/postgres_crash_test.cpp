// PostgreSQL killed with SIGKILL (the postmaster and every process it
// started, as a crash of its machine would) while a store appends: after
// crash recovery every acknowledged event is there, byte for byte, and the
// log has no hole. This holds because the store's COMMIT returns only once
// the WAL is flushed (synchronous_commit on); with it off, the last
// acknowledged commits live only in PostgreSQL's shared memory and die with
// it. What a process kill cannot show is the flush to the platter itself:
// the kernel still holds written pages, so only a power cut would tell.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "postgres_instance.hpp"
#include "store/postgres_store.hpp"
#include "store_test_support.hpp"

namespace luot::store {
namespace {

using namespace std::chrono_literals;
using testing::iota_seqs;
using testing::issued;
using testing::issued_range;
using testing::read_all;
using testing::seqs_of;

TEST(PostgresCrash, EveryAcknowledgedEventSurvivesAKilledServer) {
  constexpr std::uint64_t batch = 3;
  constexpr std::uint64_t wanted_before_kill = 150;
  auto& server = luot::testing::shared_postgres();
  const auto url = server.url(server.create_database());
  postgres_store store(url);

  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t acknowledged = 0;
  std::string failure;
  bool stopped = false;
  std::thread appender([&] {
    for (std::uint64_t first = 1;; first += batch) {
      try {
        store.append(issued_range(first, first + batch - 1));
      } catch (const store_error& error) {
        const std::lock_guard lock(mutex);
        failure = error.what();
        stopped = true;
        changed.notify_all();
        return;
      }
      const std::lock_guard lock(mutex);
      acknowledged = first + batch - 1;
      changed.notify_all();
    }
  });
  {
    std::unique_lock lock(mutex);
    const bool enough =
        changed.wait_for(lock, 120s, [&] { return stopped || acknowledged >= wanted_before_kill; });
    if (!enough || stopped) {
      lock.unlock();
      server.kill();  // Ends the appender either way.
      appender.join();
      server.start();
      FAIL() << "the appender did not get going: " << failure;
    }
  }
  // While the appender keeps appending.
  server.kill();
  appender.join();
  EXPECT_NE(failure.find("'" + url + "'"), std::string::npos) << failure;
  server.start();

  postgres_store after(url);
  const auto events = read_all(after);
  std::cout << "[ crash ] " << acknowledged << " events acknowledged before the kill, "
            << events.size() << " in the log after recovery\n";
  ASSERT_GE(events.size(), acknowledged) << "an acknowledged event was lost";
  // Only the batch in flight may have committed without being acknowledged.
  EXPECT_LE(events.size(), acknowledged + batch);
  EXPECT_EQ(seqs_of(events), iota_seqs(1, events.size()));
  for (const auto& event : events) {
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(event, issued(event.seq())))
        << event.DebugString();
  }
  // The old store object finds the restarted server by itself.
  EXPECT_TRUE(store.ready());
  EXPECT_EQ(store.last_seq(), events.size());
}

}  // namespace
}  // namespace luot::store
