#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

// An engine with counter 1 (serving A) open and `count` A tickets waiting,
// taken one second apart from 08:00.
recorded_engine with_waiting(centre_config config, int count) {
  recorded_engine centre(std::move(config));
  centre.must(open_counter("1", "lan"), morning());
  for (int i = 0; i < count; ++i) centre.take_ticket("A", morning() + std::chrono::seconds{i});
  return centre;
}

TEST(Recall, CountsCallsThenMakesNoShowAtCallLimit) {
  auto config = small_centre();
  config.no_show.max_calls = 3;
  auto centre = with_waiting(config, 2);
  const auto now = morning() + 1min;
  const auto id = centre.must(call_next("1"), now).ticket_id;
  const auto second = centre.must(recall("1"), now + 1min);
  ASSERT_TRUE(second.events.at(0).has_ticket_recalled());
  EXPECT_EQ(second.events[0].ticket_recalled().call_count(), 2u);
  centre.must(recall("1"), now + 2min);
  EXPECT_EQ(centre.ticket(id, now).call_count(), 3u);
  const auto snapshot = centre.live().snapshot(now + 2min, visibility::public_view);
  ASSERT_EQ(snapshot.recent_calls_size(), 3);
  EXPECT_EQ(snapshot.recent_calls(0).call_count(), 3u);
  EXPECT_EQ(snapshot.recent_calls(2).call_count(), 1u);

  const auto fourth = centre.must(recall("1"), now + 3min);
  ASSERT_TRUE(fourth.events.at(0).has_ticket_no_show());
  EXPECT_TRUE(fourth.events[0].ticket_no_show().automatic());
  const auto ticket = centre.ticket(id, now + 3min);
  EXPECT_EQ(ticket.state(), v1::TICKET_STATE_NO_SHOW);
  EXPECT_EQ(from_proto(ticket.no_show_at()), now + 3min);
  EXPECT_EQ(ticket.category_calls_at_no_show(), 1u);
  EXPECT_EQ(centre.counter("1").current_ticket_id(), "");
}

TEST(Recall, UnlimitedWhenMaxCallsIsZero) {
  auto config = small_centre();
  config.no_show.max_calls = 0;
  auto centre = with_waiting(config, 1);
  const auto id = centre.must(call_next("1"), morning()).ticket_id;
  for (int i = 0; i < 6; ++i) centre.must(recall("1"), morning());
  EXPECT_EQ(centre.ticket(id, morning()).state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(centre.ticket(id, morning()).call_count(), 7u);
}

TEST(ReturnNoShow, AllowedWithinCallsOrTimeTolerance) {
  struct row {
    const char* name;
    int calls_since;
    std::chrono::minutes time_since;
    bool allowed;
  };
  // Tolerance: fewer than 2 calls since, or at most 5 minutes.
  const row rows[] = {
      {"no calls, long after", 0, 60min, true},    {"one call, long after", 1, 60min, true},
      {"two calls, within time", 2, 5min, true},   {"two calls, just after time", 2, 6min, false},
      {"five calls, long after", 5, 60min, false},
  };
  for (const auto& [name, calls_since, time_since, allowed] : rows) {
    SCOPED_TRACE(name);
    auto config = small_centre();
    config.no_show.return_within_calls = 2;
    config.no_show.return_within_time = 5min;
    auto centre = with_waiting(config, 8);
    const auto start = morning() + 1min;
    const auto id = centre.must(call_next("1"), start).ticket_id;
    centre.must(mark_no_show("1"), start);
    for (int i = 0; i < calls_since; ++i) {
      centre.must(call_next("1"), start);
      centre.must(finish("1"), start);
    }
    const auto returned = centre.run(return_no_show("A001"), start + time_since);
    EXPECT_EQ(returned.ok(), allowed);
    if (allowed) {
      EXPECT_EQ(returned->ticket_id, id);
      EXPECT_EQ(centre.ticket(id, start + time_since).state(), v1::TICKET_STATE_WAITING);
    } else {
      EXPECT_EQ(returned.failure().code, v1::ERROR_CODE_RETURN_TOO_LATE);
    }
  }
}

TEST(ReturnNoShow, PlacedAfterReturnPositionTickets) {
  struct row {
    const char* name;
    std::uint32_t position;
    int waiting;
    std::vector<std::string> expected;
  };
  // A001 is the no-show; A002.. wait behind it.
  const row rows[] = {
      {"after the first", 1, 3, {"A002", "A001", "A003", "A004"}},
      {"after the second", 2, 3, {"A002", "A003", "A001", "A004"}},
      {"after all of them", 3, 3, {"A002", "A003", "A004", "A001"}},
      {"fewer than position: front", 3, 2, {"A001", "A002", "A003"}},
      {"nobody waiting", 1, 0, {"A001"}},
  };
  for (const auto& [name, position, waiting, expected] : rows) {
    SCOPED_TRACE(name);
    auto config = small_centre();
    config.no_show.return_position = position;
    auto centre = with_waiting(config, waiting + 1);
    centre.must(call_next("1"), morning() + 1min);
    centre.must(mark_no_show("1"), morning() + 2min);
    const auto returned = centre.must(return_no_show("A001"), morning() + 3min);
    ASSERT_TRUE(returned.events.at(0).has_ticket_returned());
    std::vector<std::string> called;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      called.push_back(centre.call("1", morning() + 4min));
      centre.must(finish("1"), morning() + 4min);
    }
    EXPECT_EQ(called, expected);
  }
}

TEST(ReturnNoShow, SecondReturnGoesBetweenFirstReturnAndTheRest) {
  auto config = small_centre();
  config.no_show.return_position = 1;
  auto centre = with_waiting(config, 5);
  for (int i = 0; i < 2; ++i) {
    centre.must(call_next("1"), morning() + 1min);
    centre.must(mark_no_show("1"), morning() + 1min);
  }
  centre.must(return_no_show("A001"), morning() + 2min);
  centre.must(return_no_show("A002"), morning() + 2min);
  std::vector<std::string> called;
  for (int i = 0; i < 5; ++i) {
    called.push_back(centre.call("1", morning() + 3min));
    centre.must(finish("1"), morning() + 3min);
  }
  EXPECT_EQ(called, (std::vector<std::string>{"A003", "A002", "A001", "A004", "A005"}));
}

TEST(CallTicket, CallsChosenTicketsIncludingReturnedNoShowAndOtherCategories) {
  auto centre = with_waiting(small_centre(), 3);
  centre.take_ticket("B", morning() + 5s);
  const auto now = morning() + 1min;
  const auto walk_up = centre.must(call_ticket("1", "1001"), now);
  ASSERT_TRUE(walk_up.events.at(0).ticket_called().chosen());
  EXPECT_EQ(centre.counter("1").current_number(), "1001");
  centre.must(finish("1"), now);
  const auto by_id =
      centre.must(call_ticket("1", centre.log()[2].ticket_issued().ticket().id()), now);
  EXPECT_EQ(centre.counter("1").current_number(), "A002");
  centre.must(mark_no_show("1"), now);
  // The no-show came back to the counter itself.
  const auto again = centre.must(call_ticket("1", "A002", "A"), now + 1min);
  EXPECT_EQ(again.ticket_id, by_id.ticket_id);
  EXPECT_EQ(centre.ticket(again.ticket_id, now).state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(centre.ticket(again.ticket_id, now).call_count(), 1u);
}

TEST(CallTicket, CategoryDisambiguatesSharedNumbers) {
  auto config = small_centre();
  config.categories.push_back(block_category("E", 1001, 1999));
  recorded_engine centre(config);
  centre.must(open_counter("1", "lan"), morning());
  centre.take_ticket("B", morning());
  const auto e = centre.take_ticket("E", morning());
  EXPECT_EQ(centre.run(call_ticket("1", "1001"), morning()).failure().code,
            v1::ERROR_CODE_AMBIGUOUS_TICKET);
  EXPECT_EQ(centre.must(call_ticket("1", "1001", "E"), morning()).ticket_id, e);
}

TEST(CallTicket, DisplayNumbersThatLookLikeIdsResolveAsNumbers) {
  auto config = small_centre();
  config.categories.push_back(prefix_category("T", "T"));
  recorded_engine centre(config);
  centre.must(open_counter("1", "lan"), morning());
  const auto first = centre.take_ticket("A", morning());  // id T1
  for (int i = 0; i < 7; ++i) centre.take_ticket("T", morning());
  // "T001" is the first T ticket, not the ticket with id "T1".
  const auto called = centre.must(call_ticket("1", "T001"), morning());
  EXPECT_NE(called.ticket_id, first);
  EXPECT_EQ(centre.counter("1").current_number(), "T001");
  centre.must(finish("1"), morning());
  EXPECT_EQ(centre.must(call_ticket("1", first), morning()).ticket_id, first);
}

TEST(Park, ParkAndResumeAtSameCounter) {
  auto centre = with_waiting(small_centre(), 2);
  const auto now = morning() + 1min;
  const auto id = centre.must(call_next("1"), now).ticket_id;
  centre.must(recall("1"), now);
  centre.must(park("1"), now + 1min);
  EXPECT_EQ(centre.ticket(id, now).state(), v1::TICKET_STATE_PARKED);
  EXPECT_EQ(centre.counter("1").parked_ticket_ids_size(), 1);
  EXPECT_EQ(centre.counter("1").current_ticket_id(), "");
  EXPECT_EQ(centre.call("1", now + 2min), "A002");
  centre.must(finish("1"), now + 3min);
  const auto resumed = centre.must(resume_parked("1", "A001"), now + 4min);
  ASSERT_TRUE(resumed.events.at(0).has_ticket_resumed());
  const auto ticket = centre.ticket(id, now + 4min);
  EXPECT_EQ(ticket.state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(ticket.call_count(), 2u);
  EXPECT_EQ(centre.counter("1").current_ticket_id(), id);
  EXPECT_EQ(centre.counter("1").parked_ticket_ids_size(), 0);
}

TEST(Transfer, PlacementDecidesPositionInDestination) {
  struct row {
    const char* name;
    v1::Placement placement;
    std::vector<std::string> expected;
  };
  const row rows[] = {
      {"first", v1::PLACEMENT_FIRST, {"A001", "1001", "1002"}},
      {"in order", v1::PLACEMENT_IN_ORDER, {"1001", "A001", "1002"}},
      {"unspecified means in order", v1::PLACEMENT_UNSPECIFIED, {"1001", "A001", "1002"}},
  };
  for (const auto& [name, placement, expected] : rows) {
    SCOPED_TRACE(name);
    recorded_engine centre(small_centre());
    const auto now = morning();
    centre.must(open_counter("1", "lan"), now);
    centre.must(open_counter("2", "minh"), now);
    centre.take_ticket("B", now);
    centre.take_ticket("A", now + 1s);
    centre.take_ticket("B", now + 2s);
    const auto id = centre.must(call_next("1"), now + 1min).ticket_id;
    const auto moved = centre.must(transfer("1", "B", "", placement, "sai lĩnh vực"), now + 2min);
    EXPECT_EQ(moved.events.at(0).ticket_transferred().from_category(), "A");
    const auto ticket = centre.ticket(id, now + 2min);
    EXPECT_EQ(ticket.state(), v1::TICKET_STATE_WAITING);
    EXPECT_EQ(ticket.category(), "B");
    EXPECT_EQ(ticket.number(), "A001");
    EXPECT_EQ(ticket.transferred_from_category(), "A");
    EXPECT_EQ(ticket.transfer_note(), "sai lĩnh vực");
    EXPECT_EQ(ticket.target_counter(), "");
    EXPECT_EQ(centre.counter("1").current_ticket_id(), "");
    std::vector<std::string> called;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      called.push_back(centre.call("2", now + 3min));
      centre.must(finish("2"), now + 3min);
    }
    EXPECT_EQ(called, expected);
  }
}

TEST(Transfer, FirstAtCounterGoesAheadOfItsWholeQueue) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.must(open_counter("3", "minh"), now);
  centre.take_ticket("B", now);
  centre.take_ticket("A", now + 1s);
  centre.take_ticket("A", now + 2s);
  centre.take_ticket("A", now + 3s);
  EXPECT_EQ(centre.call("1", now + 1min), "A001");
  centre.must(finish("1"), now + 1min);
  EXPECT_EQ(centre.call("1", now + 1min), "A002");
  centre.must(transfer("1", "", "3", v1::PLACEMENT_FIRST), now + 2min);
  EXPECT_EQ(centre.call("1", now + 3min), "A003");
  EXPECT_EQ(centre.call("3", now + 3min), "A002");
}

TEST(Finish, OutcomesAndSmoothedServiceTime) {
  auto config = small_centre();
  config.service_time_smoothing = 0.2;
  config.categories[0].default_service_time = 300s;
  auto centre = with_waiting(config, 3);
  const auto now = morning() + 1min;
  EXPECT_EQ(centre.category("A", now).average_service_seconds(), 300u);
  centre.must(call_next("1"), now);
  EXPECT_EQ(centre.run(finish("1", "lost"), now).failure().code, v1::ERROR_CODE_UNKNOWN_OUTCOME);
  centre.must(finish("1", "received"), now + 100s);
  // 0.8 * 300 + 0.2 * 100 = 260 seconds.
  EXPECT_EQ(centre.live().snapshot(now, visibility::internal).memo().average_service_ms().at("A"),
            260000);
  EXPECT_EQ(centre.category("A", now).average_service_seconds(), 260u);
  centre.must(call_next("1"), now + 100s);
  centre.must(finish("1"), now + 560s);  // No outcome is allowed.
  // 0.8 * 260 + 0.2 * 460 = 300 seconds.
  EXPECT_EQ(centre.category("A", now).average_service_seconds(), 300u);
  EXPECT_EQ(centre.counter("1").served_today(), 2u);
  EXPECT_EQ(centre.category("B", now).average_service_seconds(), 300u);
}

TEST(Counter, PauseResumeOpenAndTakeOver) {
  auto centre = with_waiting(small_centre(), 2);
  const auto now = morning() + 1min;
  centre.must(pause_counter("1", "đi họp"), now);
  EXPECT_EQ(centre.counter("1").state(), v1::COUNTER_STATE_PAUSED);
  EXPECT_EQ(centre.counter("1").pause_reason(), "đi họp");
  EXPECT_EQ(centre.run(call_next("1"), now).failure().code, v1::ERROR_CODE_COUNTER_PAUSED);
  centre.must(resume_counter("1"), now);
  EXPECT_EQ(centre.counter("1").state(), v1::COUNTER_STATE_OPEN);
  EXPECT_EQ(centre.counter("1").pause_reason(), "");
  const auto id = centre.must(call_next("1"), now).ticket_id;

  // The same officer signing in again changes nothing.
  const auto again = centre.must(open_counter("1", "lan", "Lan"), now);
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.counter_id, "1");
  // Another officer takes the counter over as it is.
  const auto takeover = centre.must(open_counter("1", "hung", "Trần Văn Hùng"), now);
  ASSERT_EQ(takeover.events.size(), 1u);
  EXPECT_EQ(centre.counter("1").officer(), "hung");
  EXPECT_EQ(centre.counter("1").officer_name(), "Trần Văn Hùng");
  EXPECT_EQ(centre.counter("1").current_ticket_id(), id);
  EXPECT_EQ(centre.counter("1").state(), v1::COUNTER_STATE_OPEN);
}

TEST(Counter, CloseRequeuesParkedTicketsAtFront) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.must(open_counter("3", "minh"), now);
  for (int i = 0; i < 4; ++i) centre.take_ticket("A", now + std::chrono::seconds{i});
  centre.call("1", now + 1min);
  centre.must(park("1"), now + 1min);
  centre.call("1", now + 2min);
  centre.must(park("1"), now + 2min);
  const auto closed = centre.must(close_counter("1"), now + 3min);
  ASSERT_EQ(closed.events.size(), 3u);
  EXPECT_TRUE(closed.events[0].has_ticket_requeued());
  EXPECT_TRUE(closed.events[1].has_ticket_requeued());
  EXPECT_TRUE(closed.events[2].has_counter_closed());
  const auto counter = centre.counter("1");
  EXPECT_EQ(counter.state(), v1::COUNTER_STATE_CLOSED);
  EXPECT_EQ(counter.officer(), "");
  EXPECT_EQ(counter.parked_ticket_ids_size(), 0);
  std::vector<std::string> called;
  for (int i = 0; i < 4; ++i) {
    called.push_back(centre.call("3", now + 4min));
    centre.must(finish("3"), now + 4min);
  }
  EXPECT_EQ(called, (std::vector<std::string>{"A001", "A002", "A003", "A004"}));
  // Closing a closed counter is a no-op.
  EXPECT_TRUE(centre.must(close_counter("1"), now + 5min).events.empty());
  // Signing in again opens it.
  centre.must(open_counter("1", "lan"), now + 6min);
  EXPECT_EQ(centre.counter("1").state(), v1::COUNTER_STATE_OPEN);
}

TEST(Category, CloseByHandStopsNewTicketsButServesWaiting) {
  auto centre = with_waiting(small_centre(), 1);
  const auto now = morning() + 1min;
  const auto closed = centre.must(close_category("A", "hết hồ sơ mẫu"), now);
  ASSERT_EQ(closed.events.size(), 1u);
  EXPECT_TRUE(centre.must(close_category("A"), now).events.empty());
  EXPECT_EQ(centre.category("A", now).status(), v1::CATEGORY_STATUS_CLOSED_MANUALLY);
  EXPECT_EQ(centre.category("A", now).status_note(), "hết hồ sơ mẫu");
  EXPECT_EQ(centre.run(take("A"), now).failure().code, v1::ERROR_CODE_CATEGORY_CLOSED);
  EXPECT_EQ(centre.call("1", now), "A001");
  centre.must(reopen_category("A"), now);
  EXPECT_EQ(centre.category("A", now).status(), v1::CATEGORY_STATUS_OPEN);
  EXPECT_EQ(centre.ticket(centre.take_ticket("A", now), now).number(), "A002");
}

TEST(Category, OpeningHoursWithNoonBreak) {
  auto config = small_centre();
  config.categories[0].hours.emplace();
  for (unsigned weekday = 1; weekday <= 5; ++weekday)
    (*config.categories[0].hours)[weekday] = {time_range{7h + 30min, 11h + 30min},
                                              time_range{13h + 30min, 17h}};
  recorded_engine centre(config);
  struct row {
    const char* name;
    timestamp moment;
    bool open;
  };
  // 3 June 2024 is a Monday, 9 June a Sunday.
  const row rows[] = {
      {"07:29 before opening", vietnam_time(2024, 6, 3, 7, 29), false},
      {"07:30 opening", vietnam_time(2024, 6, 3, 7, 30), true},
      {"11:29 before the break", vietnam_time(2024, 6, 3, 11, 29), true},
      {"11:30 noon break starts", vietnam_time(2024, 6, 3, 11, 30), false},
      {"12:45 noon break", vietnam_time(2024, 6, 3, 12, 45), false},
      {"13:30 afternoon opens", vietnam_time(2024, 6, 3, 13, 30), true},
      {"16:59 last minute", vietnam_time(2024, 6, 3, 16, 59), true},
      {"17:00 closed", vietnam_time(2024, 6, 3, 17, 0), false},
      {"Sunday 09:00", vietnam_time(2024, 6, 9, 9, 0), false},
  };
  for (const auto& [name, moment, open] : rows) {
    SCOPED_TRACE(name);
    EXPECT_EQ(centre.category("A", moment).status(),
              open ? v1::CATEGORY_STATUS_OPEN : v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS);
    const auto taken = centre.run(take("A"), moment);
    EXPECT_EQ(taken.ok(), open);
    if (!open) {
      EXPECT_EQ(taken.failure().code, v1::ERROR_CODE_CATEGORY_OUTSIDE_HOURS);
    }
    // Without hours, B is always open.
    EXPECT_EQ(centre.category("B", moment).status(), v1::CATEGORY_STATUS_OPEN);
  }
}

TEST(Category, ManualCloseTakesPrecedenceOverHoursAndLimit) {
  auto config = small_centre();
  config.categories[0].daily_limit = 1;
  config.categories[0].hours.emplace();
  (*config.categories[0].hours)[1] = {time_range{7h, 12h}};
  recorded_engine centre(config);
  const auto open_time = vietnam_time(2024, 6, 3, 8, 0);
  const auto evening = vietnam_time(2024, 6, 3, 19, 0);
  centre.take_ticket("A", open_time);
  EXPECT_EQ(centre.category("A", open_time).status(), v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED);
  EXPECT_EQ(centre.category("A", evening).status(), v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS);
  centre.must(close_category("A"), open_time);
  EXPECT_EQ(centre.category("A", evening).status(), v1::CATEGORY_STATUS_CLOSED_MANUALLY);
}

TEST(Estimate, PeopleAheadAndWaitUseSmoothedTimeAndOpenCounters) {
  auto config = small_centre();
  config.categories[0].default_service_time = 300s;
  recorded_engine centre(config);
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.must(open_counter("3", "minh"), now);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(centre.take_ticket("A", now + std::chrono::seconds{i}));
  // Strict policy: a priority ticket taken last is first in line.
  ids.push_back(centre.take_ticket("A", now + 10s, "elderly"));
  struct row {
    std::size_t index;
    std::uint32_t ahead;
    std::uint32_t seconds;
  };
  // Two open counters serve A: wait = ahead * 300 s / 2.
  const row rows[] = {{4, 0, 0}, {0, 1, 150}, {1, 2, 300}, {2, 3, 450}, {3, 4, 600}};
  for (const auto& [index, ahead, seconds] : rows) {
    SCOPED_TRACE(centre.ticket(ids[index], now).number());
    const auto ticket = centre.ticket(ids[index], now);
    EXPECT_EQ(ticket.people_ahead(), ahead);
    EXPECT_EQ(ticket.estimated_wait_seconds(), seconds);
  }
  const auto category = centre.category("A", now);
  EXPECT_EQ(category.waiting_regular(), 4u);
  EXPECT_EQ(category.waiting_priority(), 1u);
  EXPECT_EQ(category.estimated_wait_seconds(), 750u);
  // A paused counter does not count: one counter left.
  centre.must(pause_counter("3"), now);
  EXPECT_EQ(centre.ticket(ids[3], now).estimated_wait_seconds(), 1200u);
  EXPECT_EQ(centre.category("A", now).estimated_wait_seconds(), 1500u);
  // The public snapshot carries the same derived numbers.
  const auto snapshot = centre.live().snapshot(now, visibility::public_view);
  for (const auto& ticket : snapshot.tickets()) {
    if (ticket.id() == ids[3]) {
      EXPECT_EQ(ticket.people_ahead(), 4u);
    }
  }
  // A called ticket has nobody ahead.
  centre.must(call_next("1"), now);
  EXPECT_EQ(centre.ticket(ids[4], now).people_ahead(), 0u);
  EXPECT_EQ(centre.ticket(ids[3], now).people_ahead(), 3u);
}

TEST(Estimate, AgingPeopleAheadFollowsEffectiveKey) {
  auto config = small_centre();
  config.priority.style = priority_policy::kind::aging;
  config.priority.aging_bound = 15min;
  recorded_engine centre(config);
  const auto at = [](int minute) { return vietnam_time(2024, 6, 3, 8, minute); };
  const auto early = centre.take_ticket("A", at(0));
  const auto late = centre.take_ticket("A", at(20));
  const auto priority = centre.take_ticket("A", at(25), "elderly");  // effective 08:10
  EXPECT_EQ(centre.ticket(early, at(30)).people_ahead(), 0u);
  EXPECT_EQ(centre.ticket(priority, at(30)).people_ahead(), 1u);
  EXPECT_EQ(centre.ticket(late, at(30)).people_ahead(), 2u);
}

}  // namespace
}  // namespace luot::core::testing
