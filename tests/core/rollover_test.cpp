#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

TEST(ServiceDay, ResetTimeSplitsDaysInCentreTimeZone) {
  // Reset at 05:00 Asia/Ho_Chi_Minh (UTC+7): 04:59 still belongs to the day
  // before; 05:00 starts the new one.
  const auto config = small_centre();
  const centre_calendar calendar(config.time_zone, config.reset_time);
  struct row {
    const char* name;
    timestamp moment;
    const char* day;
  };
  const row rows[] = {
      {"04:59 local", vietnam_time(2024, 6, 4, 4, 59), "2024-06-03"},
      {"04:59:59.999 local", vietnam_time(2024, 6, 4, 4, 59, 59) + 999ms, "2024-06-03"},
      {"05:00 local", vietnam_time(2024, 6, 4, 5, 0), "2024-06-04"},
      {"23:30 local (16:30 UTC)", vietnam_time(2024, 6, 4, 23, 30), "2024-06-04"},
      {"00:30 local, previous UTC day", vietnam_time(2024, 6, 5, 0, 30), "2024-06-04"},
  };
  for (const auto& [name, moment, day] : rows) {
    SCOPED_TRACE(name);
    EXPECT_EQ(calendar.service_day(moment), day);
  }
}

TEST(RollOver, NothingDueOnFreshEngineOrSameDay) {
  recorded_engine centre(small_centre());
  EXPECT_TRUE(centre.live().roll_over(morning()).empty());
  centre.take_ticket("A", vietnam_time(2024, 6, 3, 6, 0));
  EXPECT_TRUE(centre.live().roll_over(vietnam_time(2024, 6, 4, 4, 59)).empty());
  EXPECT_EQ(centre.live().roll_over(vietnam_time(2024, 6, 4, 5, 0)).size(), 1u);
}

TEST(RollOver, ClosesDayAtResetTimeAndRestartsNumbering) {
  recorded_engine centre(small_centre());
  const auto day_one = vietnam_time(2024, 6, 3, 9, 0);
  centre.must(open_counter("1", "lan"), day_one);
  centre.must(open_counter("3", "minh"), day_one);
  const auto done = centre.take_ticket("A", day_one);
  const auto called = centre.take_ticket("A", day_one);
  const auto parked = centre.take_ticket("A", day_one);
  const auto no_show = centre.take_ticket("A", day_one);
  const auto waiting = centre.take_ticket("B", day_one);
  centre.call("1", day_one);
  centre.must(finish("1"), day_one + 5min);
  centre.call("1", day_one + 6min);
  centre.call("3", day_one + 6min);
  centre.must(park("3"), day_one + 7min);
  centre.call("3", day_one + 8min);
  centre.must(mark_no_show("3"), day_one + 9min);
  centre.must(close_category("B", "bảo trì"), day_one + 10min);
  ASSERT_EQ(centre.ticket(parked, day_one + 10min).state(), v1::TICKET_STATE_PARKED);
  ASSERT_EQ(centre.ticket(no_show, day_one + 10min).state(), v1::TICKET_STATE_NO_SHOW);
  ASSERT_EQ(centre.ticket(called, day_one + 10min).state(), v1::TICKET_STATE_CALLED);

  // 04:59 next morning: still the same service day, numbering continues.
  const auto before_reset = vietnam_time(2024, 6, 4, 4, 59);
  const auto same_day = centre.must(take("A"), before_reset);
  ASSERT_EQ(same_day.events.size(), 1u);
  EXPECT_EQ(same_day.events[0].ticket_issued().ticket().number(), "A005");
  EXPECT_EQ(same_day.events[0].service_day(), "2024-06-03");

  // 05:00: the day closes first, then the ticket opens the new day as A001.
  const auto at_reset = vietnam_time(2024, 6, 4, 5, 0);
  const auto new_day = centre.must(take("A"), at_reset);
  ASSERT_EQ(new_day.events.size(), 2u);
  const auto& closing = new_day.events[0];
  ASSERT_TRUE(closing.has_day_closed());
  EXPECT_EQ(closing.service_day(), "2024-06-03");
  EXPECT_EQ(closing.day_closed().service_day(), "2024-06-03");
  EXPECT_EQ(closing.day_closed().next_service_day(), "2024-06-04");
  // called + parked + no-show + waiting B + the 04:59 ticket.
  EXPECT_EQ(closing.day_closed().not_served(), 5u);
  EXPECT_EQ(closing.seq() + 1, new_day.events[1].seq());
  EXPECT_EQ(new_day.events[1].service_day(), "2024-06-04");
  EXPECT_EQ(new_day.events[1].ticket_issued().ticket().number(), "A001");
  EXPECT_EQ(centre.live().service_day(), "2024-06-04");

  // Old tickets leave the state; counters keep state and officer only.
  for (const auto& id : {done, called, parked, no_show, waiting})
    EXPECT_FALSE(centre.live().find_ticket(id, at_reset, visibility::internal).has_value());
  const auto counter = centre.counter("3");
  EXPECT_EQ(counter.state(), v1::COUNTER_STATE_OPEN);
  EXPECT_EQ(counter.officer(), "minh");
  EXPECT_EQ(counter.current_ticket_id(), "");
  EXPECT_EQ(counter.parked_ticket_ids_size(), 0);
  EXPECT_EQ(centre.counter("1").served_today(), 0u);
  const auto snapshot = centre.live().snapshot(at_reset, visibility::internal);
  EXPECT_EQ(snapshot.tickets_size(), 1);
  EXPECT_EQ(snapshot.recent_calls_size(), 0);
  EXPECT_EQ(snapshot.memo().category_calls_size(), 0);
  // A manual close outlives the day; the smoothed service time too.
  EXPECT_EQ(snapshot.categories(1).status(), v1::CATEGORY_STATUS_CLOSED_MANUALLY);
  EXPECT_EQ(snapshot.categories(1).status_note(), "bảo trì");
  EXPECT_EQ(snapshot.memo().average_service_ms().at("A"), 300000 * 8 / 10 + 300000 * 2 / 10);
  EXPECT_EQ(snapshot.categories(1).next_number(), "1001");
  EXPECT_EQ(stable_bytes(centre.replayed().snapshot(at_reset, visibility::internal)),
            stable_bytes(snapshot));
}

TEST(RollOver, ClockSteppingBackDoesNotReopenYesterday) {
  recorded_engine centre(small_centre());
  const auto id = centre.take_ticket("A", vietnam_time(2024, 6, 4, 5, 1));
  const auto earlier = vietnam_time(2024, 6, 4, 4, 58);
  EXPECT_TRUE(centre.live().roll_over(earlier).empty());
  const auto taken = centre.must(take("A"), earlier);
  ASSERT_EQ(taken.events.size(), 1u);
  EXPECT_EQ(taken.events[0].ticket_issued().ticket().number(), "A002");
  EXPECT_EQ(taken.events[0].service_day(), "2024-06-04");
  EXPECT_EQ(centre.live().service_day(), "2024-06-04");
  EXPECT_TRUE(centre.live().find_ticket(id, earlier, visibility::internal).has_value());
  // Back on time, the day goes on; nothing closes.
  EXPECT_TRUE(centre.live().roll_over(vietnam_time(2024, 6, 4, 5, 2)).empty());
}

TEST(RollOver, RefusedCommandOnNewDayChangesNothing) {
  recorded_engine centre(small_centre());
  centre.take_ticket("A", morning());
  const auto next_day = morning() + 24h;
  const auto before = stable_bytes(centre.live().snapshot(next_day, visibility::internal));
  const auto refused = centre.run(call_next("1"), next_day);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.failure().code, v1::ERROR_CODE_COUNTER_CLOSED);
  EXPECT_EQ(stable_bytes(centre.live().snapshot(next_day, visibility::internal)), before);
  EXPECT_EQ(centre.live().service_day(), "2024-06-03");
}

}  // namespace
}  // namespace luot::core::testing
