#include "store/recovery.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "crash_centre.hpp"
#include "store_backends.hpp"

namespace luot::store {
namespace {

using testing::centre_morning;
using testing::crash_centre;
using testing::random_tokens;
using testing::take_ticket;

// Recovery runs on every store.
class Recovery : public testing::store_test {};
LUOT_INSTANTIATE_FOR_EVERY_STORE(Recovery);

v1::Command open_counter() {
  v1::Command command;
  auto& open = *command.mutable_open_counter();
  open.set_counter("Q1");
  open.set_officer("lan");
  open.set_officer_name("Nguyễn Thị Lan");
  return command;
}

v1::Command call_next() {
  v1::Command command;
  command.mutable_call_next()->set_counter("Q1");
  return command;
}

v1::Command finish() {
  v1::Command command;
  command.mutable_finish()->set_counter("Q1");
  command.mutable_finish()->set_outcome("resolved");
  return command;
}

// A live engine whose every decision is appended to the store, as the
// server does, minus the threads.
class live_centre {
 public:
  explicit live_centre(event_store& store) : store_(store) {}

  void run(const v1::Command& command) {
    now_ += std::chrono::seconds(37);
    auto decided = engine_.execute(command, now_, core::actor{"officer.lan"});
    ASSERT_TRUE(decided.ok()) << command.DebugString() << " refused with code "
                              << decided.failure().code;
    store_.append(decided->events);
  }

  void take_snapshot() { store_.save_snapshot(engine_.snapshot(now_, core::visibility::internal)); }

  core::engine& engine() { return engine_; }
  core::timestamp now() const { return now_; }

 private:
  event_store& store_;
  core::engine engine_{crash_centre(), random_tokens()};
  core::timestamp now_ = centre_morning();
};

// The morning's work at one counter: tickets in both categories, some called
// and finished, some still waiting.
void a_morning(live_centre& centre, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    centre.run(take_ticket("A"));
    centre.run(take_ticket("B"));
    centre.run(take_ticket("A"));
    centre.run(call_next());
    centre.run(finish());
  }
}

// Both engines describe the same centre, secrets included.
void expect_same_state(const core::engine& recovered, const core::engine& live,
                       core::timestamp now) {
  const auto expected = live.snapshot(now, core::visibility::internal);
  const auto actual = recovered.snapshot(now, core::visibility::internal);
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(expected, actual)) << differences;
  EXPECT_GT(expected.tickets_size(), 0);
}

TEST_P(Recovery, ReplaysTheWholeLogWithoutASnapshot) {
  const auto store = open();
  live_centre centre(*store);
  centre.run(open_counter());
  a_morning(centre, 6);

  core::engine recovered(crash_centre(), random_tokens());
  EXPECT_EQ(recover(recovered, *store), store->last_seq());
  EXPECT_EQ(recovered.seq(), centre.engine().seq());
  expect_same_state(recovered, centre.engine(), centre.now());
}

TEST_P(Recovery, RestoresTheLatestSnapshotThenReplaysOnlyTheTail) {
  const auto store = open();
  live_centre centre(*store);
  centre.run(open_counter());
  a_morning(centre, 3);
  centre.take_snapshot();
  const std::uint64_t snapshot_seq = centre.engine().seq();
  a_morning(centre, 4);

  core::engine recovered(crash_centre(), random_tokens());
  EXPECT_EQ(recover(recovered, *store), store->last_seq() - snapshot_seq);
  EXPECT_EQ(recovered.seq(), centre.engine().seq());
  expect_same_state(recovered, centre.engine(), centre.now());

  // The recovered engine decides exactly what the live one would.
  const auto later = centre.now() + std::chrono::minutes(1);
  const auto from_live = centre.engine().apply(take_ticket("B"), later, core::actor{});
  const auto from_recovered = recovered.apply(take_ticket("B"), later, core::actor{});
  ASSERT_TRUE(from_live.ok());
  ASSERT_TRUE(from_recovered.ok());
  ASSERT_EQ(from_live->events.size(), from_recovered->events.size());
  const auto& live_ticket = from_live->events.back().ticket_issued().ticket();
  const auto& recovered_ticket = from_recovered->events.back().ticket_issued().ticket();
  EXPECT_EQ(recovered_ticket.number(), live_ticket.number());
  EXPECT_EQ(recovered_ticket.id(), live_ticket.id());
  EXPECT_EQ(recovered_ticket.ordinal(), live_ticket.ordinal());
}

TEST_P(Recovery, RefusesToFoldAcrossAHoleInTheLog) {
  {
    const auto store = open();
    live_centre centre(*store);
    centre.run(open_counter());
    a_morning(centre, 2);
  }
  // Damage the log the way only someone outside Luot could.
  database().sql("DELETE FROM events WHERE seq = 4");
  ASSERT_EQ(database().sql("SELECT count(*) FROM events WHERE seq = 4"), "0");

  const auto store = open();
  core::engine recovered(crash_centre(), random_tokens());
  try {
    recover(recovered, *store);
    ADD_FAILURE() << "recovered across a hole";
  } catch (const store_error& failure) {
    EXPECT_NE(std::string(failure.what()).find("expected seq 4, found 5"), std::string::npos)
        << failure.what();
  }
}

TEST_P(Recovery, OfAnEmptyStoreReplaysNothing) {
  const auto store = open();
  core::engine recovered(crash_centre(), random_tokens());
  EXPECT_EQ(recover(recovered, *store), 0U);
  EXPECT_EQ(recovered.seq(), 0U);
}

TEST(SnapshotPolicy, IsDueEveryIntervalEvents) {
  snapshot_policy policy(100, 40);
  EXPECT_FALSE(policy.due(139));
  EXPECT_TRUE(policy.due(140));
  policy.taken(142);
  EXPECT_FALSE(policy.due(241));
  EXPECT_TRUE(policy.due(242));
  EXPECT_FALSE(snapshot_policy(0).due(1'000'000)) << "an interval of zero means never";
}

TEST(SnapshotPolicy, SpacesSnapshotsAsFarApartAsTheLastOneHeldTickets) {
  // A snapshot's cost grows with the tickets it holds; spacing them by that
  // many events keeps the cost per event flat as the day grows.
  snapshot_policy policy(1000, 0);
  policy.taken(5000, 300);
  EXPECT_EQ(policy.spacing(), 1000U) << "a small day keeps the interval";
  EXPECT_FALSE(policy.due(5999));
  EXPECT_TRUE(policy.due(6000));
  policy.taken(6000, 20'000);
  EXPECT_EQ(policy.spacing(), 20'000U) << "what a restart replays at most";
  EXPECT_FALSE(policy.due(25'999));
  EXPECT_TRUE(policy.due(26'000));
  policy.taken(26'000);
  EXPECT_TRUE(policy.due(27'000)) << "an unknown size falls back to the interval";
  EXPECT_FALSE(snapshot_policy(0).due(1'000'000));
}

}  // namespace
}  // namespace luot::store
