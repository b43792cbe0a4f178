// What staff see beyond the public view: a counter's queue, the rating
// prompt of a counter's tablet, the manager's monitor; and the rules of a
// rating (one per finished service, from its counter, within the window).
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

v1::Command rate(const std::string& counter, const std::string& ticket,
                 v1::ServiceRating rating = v1::SERVICE_RATING_SATISFIED) {
  v1::Command command;
  auto& body = *command.mutable_rate_service();
  body.set_counter(counter);
  body.set_ticket(ticket);
  body.set_rating(rating);
  return command;
}

v1::Command set_staff(const std::string& username, const std::string& role,
                      std::vector<std::string> counters = {},
                      const std::string& hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA") {
  v1::Command command;
  auto& record = *command.mutable_set_staff()->mutable_record();
  record.set_username(username);
  record.set_display_name("Phạm Thị Hoa");
  record.set_role(role);
  record.set_password_hash(hash);
  for (auto& counter : counters) record.add_counters(std::move(counter));
  return command;
}

TEST(Staff, ChangesAreCheckedAndKeptAcrossDaysSnapshotsAndReplay) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const struct {
    std::string name;
    v1::Command command;
    v1::ErrorCode refused;
  } refused[] = {
      {"bad username", set_staff("hoa hoa", "officer"), v1::ERROR_CODE_BAD_REQUEST},
      {"bad role", set_staff("hoa", "boss"), v1::ERROR_CODE_BAD_REQUEST},
      {"unknown counter", set_staff("hoa", "officer", {"9"}), v1::ERROR_CODE_UNKNOWN_COUNTER},
      {"no hash", set_staff("hoa", "officer", {}, "plain"), v1::ERROR_CODE_BAD_REQUEST},
  };
  for (const auto& row : refused) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(centre.run(row.command, now).failure().code, row.refused);
  }
  centre.must(set_staff("hoa", "officer", {"2"}), now);
  centre.must(set_staff("hoa", "manager", {}), now + 1min);
  // A new day does not forget who works here.
  centre.take_ticket("A", now + 24h);
  const auto records = centre.live().staff_records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].role(), "manager");
  EXPECT_TRUE(records[0].counters().empty());
  EXPECT_EQ(centre.replayed().staff_records().size(), 1u);
  engine restored(small_centre(), counting_tokens());
  restored.restore(centre.live().snapshot(now + 24h, visibility::internal));
  EXPECT_EQ(restored.staff_records().at(0).role(), "manager");
}

TEST(CounterQueue, ListsWhatTheCounterMayCallInPolicyOrderUpToTheLimit) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("3", "lan"), now);
  const auto a1 = centre.take_ticket("A", now);
  const auto b1 = centre.take_ticket("B", now + 1min);
  const auto a2 = centre.take_ticket("A", now + 2min, "elderly");
  centre.take_ticket("A", now + 3min);
  // Counter 1 serves A only: B's ticket is not in its list.
  centre.must(open_counter("1", "minh"), now);
  const auto only_a = centre.live().counter_queue("1", now + 5min, 10);
  ASSERT_TRUE(only_a.has_value());
  EXPECT_EQ(only_a->waiting_total(), 3u);

  const auto queue = centre.live().counter_queue("3", now + 5min, 3);
  ASSERT_TRUE(queue.has_value());
  EXPECT_EQ(queue->waiting_total(), 4u);
  ASSERT_EQ(queue->waiting_size(), 3);
  // Strict priority: the elderly citizen first, then by issue time.
  EXPECT_EQ(queue->waiting(0).id(), a2);
  EXPECT_EQ(queue->waiting(1).id(), a1);
  EXPECT_EQ(queue->waiting(2).id(), b1);
  EXPECT_TRUE(queue->waiting(0).status_token().empty());
  EXPECT_FALSE(queue->has_current());
  ASSERT_EQ(queue->outcomes_size(), 2);
  EXPECT_EQ(queue->outcomes(0).code(), "received");
  EXPECT_FALSE(centre.live().counter_queue("9", now, 3).has_value());
}

TEST(CounterQueue, ShowsTheCurrentTicketItsParkedAndTodaysNoShows) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  const auto parked = centre.take_ticket("A", now);
  const auto absent = centre.take_ticket("A", now);
  const auto current = centre.take_ticket("A", now);
  centre.must(call_ticket("1", parked), now + 1min);
  centre.must(park("1"), now + 2min);
  centre.must(call_ticket("1", absent), now + 3min);
  centre.must(mark_no_show("1"), now + 4min);
  centre.must(call_ticket("1", current), now + 5min);
  const auto queue = centre.live().counter_queue("1", now + 6min, 10);
  ASSERT_TRUE(queue.has_value());
  EXPECT_EQ(queue->current().id(), current);
  EXPECT_EQ(queue->current().called_at().seconds(), to_proto(now + 5min).seconds());
  ASSERT_EQ(queue->parked_size(), 1);
  EXPECT_EQ(queue->parked(0).id(), parked);
  ASSERT_EQ(queue->no_shows_size(), 1);
  EXPECT_EQ(queue->no_shows(0).id(), absent);
  EXPECT_EQ(queue->waiting_total(), 0u);
}

TEST(Rating, OnePerFinishedServiceFromItsCounterWithinTheWindow) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan", "Nguyễn Thị Lan"), now);
  const auto ticket = centre.take_ticket("A", now);
  const auto other = centre.take_ticket("A", now);
  EXPECT_FALSE(centre.live().rating_prompt("1", now).has_value());
  centre.must(call_ticket("1", ticket), now + 1min);
  const struct {
    std::string name;
    v1::Command command;
    v1::ErrorCode refused;
  } early[] = {
      {"not finished yet", rate("1", ticket), v1::ERROR_CODE_RATING_CLOSED},
      {"unknown ticket", rate("1", "T999"), v1::ERROR_CODE_UNKNOWN_TICKET},
      {"unknown counter", rate("9", ticket), v1::ERROR_CODE_UNKNOWN_COUNTER},
      {"no rating", rate("1", ticket, v1::SERVICE_RATING_UNSPECIFIED), v1::ERROR_CODE_BAD_REQUEST},
  };
  for (const auto& row : early) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(centre.run(row.command, now + 2min).failure().code, row.refused);
  }
  centre.must(finish("1"), now + 4min);
  const auto prompt = centre.live().rating_prompt("1", now + 5min);
  ASSERT_TRUE(prompt.has_value());
  EXPECT_EQ(prompt->ticket_id(), ticket);
  EXPECT_EQ(prompt->officer_name(), "Nguyễn Thị Lan");
  EXPECT_EQ(prompt->rating_closes_at().seconds(), to_proto(now + 14min).seconds());

  EXPECT_EQ(centre.run(rate("2", ticket), now + 5min).failure().code, v1::ERROR_CODE_RATING_CLOSED);
  const auto rated = centre.must(rate("1", ticket, v1::SERVICE_RATING_VERY_SATISFIED), now + 5min);
  ASSERT_EQ(rated.events.size(), 1u);
  const auto& event = rated.events[0].service_rated();
  EXPECT_EQ(event.ticket_id(), ticket);
  EXPECT_EQ(event.counter(), "1");
  EXPECT_EQ(event.officer(), "lan");
  EXPECT_EQ(event.category(), "A");
  EXPECT_EQ(centre.run(rate("1", ticket), now + 6min).failure().code, v1::ERROR_CODE_ALREADY_RATED);
  EXPECT_EQ(centre.live().rating_prompt("1", now + 6min)->rating(),
            v1::SERVICE_RATING_VERY_SATISFIED);
  // The rating survives replay, as part of the ticket.
  EXPECT_EQ(centre.replayed().find_ticket(ticket, now, visibility::public_view)->rating(),
            v1::SERVICE_RATING_VERY_SATISFIED);

  // Past the window (10 minutes by default) the service cannot be rated.
  centre.must(call_ticket("1", other), now + 7min);
  centre.must(finish("1"), now + 8min);
  EXPECT_EQ(centre.run(rate("1", other), now + 19min).failure().code, v1::ERROR_CODE_RATING_CLOSED);
}

TEST(Monitor, GivesServiceStartsLongestWaitsAndAlertsOverTheThreshold) {
  auto config = small_centre();
  config.alert_wait = std::chrono::minutes(20);
  recorded_engine centre(config);
  const auto now = morning();
  centre.must(open_counter("1", "lan", "Nguyễn Thị Lan"), now);
  centre.take_ticket("A", now);
  centre.take_ticket("A", now + 10min);
  centre.take_ticket("B", now + 10min);
  centre.call("1", now + 11min);
  const auto monitor = centre.live().monitor(now + 26min);
  EXPECT_EQ(monitor.alert_wait_seconds(), 1200u);
  ASSERT_EQ(monitor.counters_size(), 3);
  EXPECT_EQ(monitor.counters(0).counter().officer(), "lan");
  EXPECT_EQ(monitor.counters(0).service_started_at().seconds(), to_proto(now + 11min).seconds());
  EXPECT_EQ(monitor.counters(0).current_category(), "A");
  EXPECT_FALSE(monitor.counters(1).has_service_started_at());
  ASSERT_EQ(monitor.categories_size(), 2);
  // A's remaining ticket has waited 16 minutes, B's too: no alert yet.
  EXPECT_EQ(monitor.categories(0).longest_wait_seconds(), 16u * 60u);
  EXPECT_FALSE(monitor.categories(0).alert());
  const auto later = centre.live().monitor(now + 31min);
  EXPECT_EQ(later.categories(1).longest_wait_seconds(), 21u * 60u);
  EXPECT_TRUE(later.categories(1).alert());
}

}  // namespace
}  // namespace luot::core::testing
