#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

TEST(TakeTicket, IssuesWaitingTicketWithTokenAndEventFields) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto decided = centre.must(take("A", "", "kiosk-req-1"), now, "kiosk-1");
  ASSERT_EQ(decided.events.size(), 1u);
  const auto& event = decided.events.front();
  EXPECT_EQ(event.seq(), 1u);
  EXPECT_EQ(event.service_day(), "2024-06-03");
  EXPECT_EQ(from_proto(event.at()), now);
  EXPECT_EQ(event.actor(), "kiosk-1");
  const auto& ticket = event.ticket_issued().ticket();
  EXPECT_EQ(ticket.id(), decided.ticket_id);
  EXPECT_EQ(ticket.number(), "A001");
  EXPECT_EQ(ticket.state(), v1::TICKET_STATE_WAITING);
  EXPECT_EQ(ticket.ordinal(), 1u);
  EXPECT_EQ(ticket.status_token(), "token-1");
  // The key is recorded with its issuer: only that issuer's retry finds it.
  EXPECT_EQ(ticket.client_key(), "kiosk-1\nkiosk-req-1");
  EXPECT_EQ(ticket.queue_key(), now.time_since_epoch().count() * 1000);
  EXPECT_EQ(centre.live().seq(), 1u);
  EXPECT_EQ(centre.live().service_day(), "2024-06-03");
}

TEST(TakeTicket, TicketIdsAreUniqueAndNeverReusedAcrossDays) {
  recorded_engine centre(small_centre());
  std::set<std::string> ids;
  for (int day = 3; day <= 5; ++day) {
    const auto now = vietnam_time(2024, 6, static_cast<unsigned>(day), 9, 0);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(ids.insert(centre.take_ticket("A", now)).second);
  }
  EXPECT_EQ(ids.size(), 9u);
}

TEST(TakeTicket, RefusesUnknownCategoryAndPriorityClass) {
  recorded_engine centre(small_centre());
  struct row {
    const char* name;
    v1::Command command;
    v1::ErrorCode code;
    std::vector<std::string> args;
  };
  const row rows[] = {
      {"unknown category", take("Z"), v1::ERROR_CODE_UNKNOWN_CATEGORY, {"Z"}},
      {"unknown priority", take("A", "vip"), v1::ERROR_CODE_UNKNOWN_PRIORITY_CLASS, {"vip"}},
  };
  for (const auto& [name, command, code, args] : rows) {
    SCOPED_TRACE(name);
    const auto refused = centre.run(command, morning());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.failure().code, code);
    EXPECT_EQ(refused.failure().args, args);
  }
}

TEST(TakeTicket, SameClientKeyReturnsSameTicketWithoutEvents) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto first = centre.must(take("A", "", "retry-me"), now);
  // Even after the category closes, the retry still gets its ticket.
  centre.must(close_category("A"), now);
  const auto again = centre.must(take("A", "", "retry-me"), now + 1s);
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.ticket_id, first.ticket_id);
  EXPECT_EQ(centre.category("A", now).issued_today(), 1u);
  // A different key is a new request, refused because A is closed.
  EXPECT_FALSE(centre.run(take("A", "", "other"), now).ok());
}

TEST(TakeTicket, ClientKeysAreForgottenOnTheNextDay) {
  recorded_engine centre(small_centre());
  const auto first = centre.must(take("A", "", "k"), morning());
  const auto next_day = centre.must(take("A", "", "k"), morning() + 24h);
  EXPECT_NE(next_day.ticket_id, first.ticket_id);
  EXPECT_EQ(centre.ticket(next_day.ticket_id, morning() + 24h).number(), "A001");
}

TEST(CallNext, CallsFinishesAndRecordsCall) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan", "Nguyễn Thị Lan"), now);
  const auto first = centre.take_ticket("A", now);
  centre.take_ticket("A", now + 1s);
  const auto called = centre.must(call_next("1"), now + 1min);
  ASSERT_EQ(called.events.size(), 1u);
  EXPECT_EQ(called.ticket_id, first);
  EXPECT_EQ(called.counter_id, "1");
  EXPECT_EQ(called.events[0].ticket_called().officer(), "lan");
  EXPECT_FALSE(called.events[0].ticket_called().chosen());

  const auto ticket = centre.ticket(first, now + 1min);
  EXPECT_EQ(ticket.state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(ticket.counter(), "1");
  EXPECT_EQ(ticket.officer(), "lan");
  EXPECT_EQ(ticket.call_count(), 1u);
  EXPECT_EQ(from_proto(ticket.called_at()), now + 1min);
  const auto counter = centre.counter("1");
  EXPECT_EQ(counter.current_ticket_id(), first);
  EXPECT_EQ(counter.current_number(), "A001");
  EXPECT_EQ(counter.officer_name(), "Nguyễn Thị Lan");
  EXPECT_EQ(counter.name_vi(), "Quầy 1");

  const auto snapshot = centre.live().snapshot(now + 1min, visibility::public_view);
  ASSERT_EQ(snapshot.recent_calls_size(), 1);
  EXPECT_EQ(snapshot.recent_calls(0).number(), "A001");
  EXPECT_EQ(snapshot.recent_calls(0).counter(), "1");
  EXPECT_EQ(snapshot.recent_calls(0).seq(), called.events[0].seq());
  EXPECT_EQ(snapshot.memo().category_calls().at("A"), 1u);

  centre.must(finish("1", "received", "đủ hồ sơ"), now + 6min);
  const auto done = centre.ticket(first, now + 6min);
  EXPECT_EQ(done.state(), v1::TICKET_STATE_DONE);
  EXPECT_EQ(done.outcome(), "received");
  EXPECT_EQ(done.outcome_note(), "đủ hồ sơ");
  EXPECT_EQ(from_proto(done.finished_at()), now + 6min);
  EXPECT_EQ(centre.counter("1").current_ticket_id(), "");
  EXPECT_EQ(centre.counter("1").served_today(), 1u);
  EXPECT_EQ(centre.call("1", now + 7min), "A002");
}

TEST(CallNext, RecentCallsKeepOnlyConfiguredNumberMostRecentFirst) {
  auto config = small_centre();
  config.recent_calls_kept = 2;
  recorded_engine centre(config);
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  for (int i = 0; i < 3; ++i) centre.take_ticket("A", now);
  for (int i = 0; i < 3; ++i) {
    centre.call("1", now + std::chrono::minutes{i});
    centre.must(finish("1"), now + std::chrono::minutes{i});
  }
  const auto snapshot = centre.live().snapshot(now + 5min, visibility::public_view);
  ASSERT_EQ(snapshot.recent_calls_size(), 2);
  EXPECT_EQ(snapshot.recent_calls(0).number(), "A003");
  EXPECT_EQ(snapshot.recent_calls(1).number(), "A002");
}

TEST(Visibility, PublicViewsAndRedactedEventsCarryNoSecrets) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  auto issued = centre.must(take("A", "", "secret-key"), now).events.front();
  const auto id = issued.ticket_issued().ticket().id();

  const auto internal = centre.live().snapshot(now, visibility::internal);
  EXPECT_EQ(internal.tickets(0).status_token(), "token-1");
  EXPECT_EQ(internal.tickets(0).client_key(), "officer\nsecret-key");
  const auto shown = centre.live().snapshot(now, visibility::public_view);
  EXPECT_EQ(shown.tickets(0).status_token(), "");
  EXPECT_EQ(shown.tickets(0).client_key(), "");
  EXPECT_EQ(centre.live().find_ticket(id, now, visibility::public_view)->status_token(), "");
  EXPECT_EQ(centre.live().find_ticket(id, now, visibility::internal)->status_token(), "token-1");

  redact(issued);
  EXPECT_EQ(issued.ticket_issued().ticket().status_token(), "");
  EXPECT_EQ(issued.ticket_issued().ticket().client_key(), "");
  EXPECT_EQ(issued.ticket_issued().ticket().number(), "A001");
}

TEST(Queries, FindTicketByTokenCounterAndUnknowns) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto id = centre.take_ticket("A", now);
  const auto found = centre.live().find_ticket_by_token("token-1", now);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id(), id);
  EXPECT_EQ(found->status_token(), "");
  EXPECT_FALSE(centre.live().find_ticket_by_token("token-2", now).has_value());
  EXPECT_FALSE(centre.live().find_ticket_by_token("", now).has_value());
  EXPECT_FALSE(centre.live().find_ticket("T999", now, visibility::internal).has_value());
  EXPECT_FALSE(centre.live().find_counter("9").has_value());
  EXPECT_EQ(centre.live().find_counter("2")->state(), v1::COUNTER_STATE_CLOSED);
}

TEST(Snapshot, DescribesCentreInConfigOrder) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto empty = centre.live().snapshot(now, visibility::public_view);
  EXPECT_EQ(empty.seq(), 0u);
  EXPECT_EQ(empty.service_day(), "2024-06-03");
  EXPECT_EQ(centre.live().service_day(), "");
  EXPECT_EQ(empty.centre_name(), "Trung tâm Phục vụ hành chính công");
  EXPECT_EQ(empty.time_zone(), "Asia/Ho_Chi_Minh");
  ASSERT_EQ(empty.categories_size(), 2);
  EXPECT_EQ(empty.categories(0).code(), "A");
  EXPECT_EQ(empty.categories(0).next_number(), "A001");
  EXPECT_EQ(empty.categories(1).next_number(), "1001");
  ASSERT_EQ(empty.counters_size(), 3);
  EXPECT_EQ(empty.counters(2).id(), "3");
  ASSERT_EQ(empty.priority_classes_size(), 2);
  EXPECT_EQ(empty.priority_classes(0).name_vi(), "Người cao tuổi");
}

TEST(Replay, FoldingTheLogReproducesTheLiveState) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.must(open_counter("3", "minh"), now);
  for (int i = 0; i < 4; ++i) centre.take_ticket(i % 2 ? "A" : "B", now + std::chrono::seconds{i});
  centre.take_ticket("A", now + 10s, "elderly");
  centre.call("1", now + 1min);
  centre.call("3", now + 1min);
  centre.must(finish("1", "received"), now + 5min);
  centre.must(park("3"), now + 6min);
  const auto later = now + 7min;
  EXPECT_EQ(stable_bytes(centre.replayed().snapshot(later, visibility::internal)),
            stable_bytes(centre.live().snapshot(later, visibility::internal)));
}

TEST(Replay, RestoredSnapshotPlusTailEqualsLive) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.take_ticket("A", now);
  centre.take_ticket("A", now + 1s, "elderly");
  centre.call("1", now + 1min);
  const auto saved = centre.live().snapshot(now + 1min, visibility::internal);
  const auto tail_from = centre.log().size();
  centre.must(finish("1"), now + 3min);
  centre.take_ticket("A", now + 4min);
  centre.must(close_category("A", "hết giờ"), now + 5min);
  centre.call("1", now + 5min);
  centre.must(mark_no_show("1"), now + 6min);

  engine restored(small_centre(), counting_tokens());
  restored.restore(saved);
  EXPECT_EQ(stable_bytes(restored.snapshot(now + 1min, visibility::internal)), stable_bytes(saved));
  for (std::size_t i = tail_from; i < centre.log().size(); ++i) restored.fold(centre.log()[i]);
  const auto later = now + 6min;
  EXPECT_EQ(stable_bytes(restored.snapshot(later, visibility::internal)),
            stable_bytes(centre.live().snapshot(later, visibility::internal)));
  EXPECT_EQ(restored.find_ticket_by_token("token-1", later)->number(), "A001");
}

}  // namespace
}  // namespace luot::core::testing
