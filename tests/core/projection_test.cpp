// The public view and its updates: what a call carries, a bounded size
// whatever the day's volume, and replay that does not depend on today's
// config.
#include "core/projection.hpp"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "view/mirror.hpp"

namespace luot::core::testing {
namespace {

// Folds every event of `log` into a fresh engine for `config`.
engine replay(const centre_config& config, const std::vector<v1::Event>& log) {
  engine fresh(config, counting_tokens());
  for (const auto& event : log) fresh.fold(event);
  return fresh;
}

TEST(Projection, ACallCarriesNumberCategoryAndCounter) {
  recorded_engine centre(small_centre());
  auto now = morning();
  centre.take_ticket("B", now);
  centre.must(open_counter("2", "lan", "Nguyễn Thị Lan"), now);
  const auto before = centre.live().view(now);
  now += 1min;
  const auto decided = centre.must(call_next("2"), now);
  ASSERT_EQ(decided.events.size(), 1u);
  const auto update = project(centre.live(), decided.events[0], before);
  ASSERT_TRUE(update.has_call());
  EXPECT_EQ(update.call().number(), "1001");
  EXPECT_EQ(update.call().category(), "B");
  EXPECT_EQ(update.call().counter(), "2");
  EXPECT_EQ(update.call().seq(), decided.events[0].seq());
  EXPECT_EQ(update.cause(), "ticket_called");
  ASSERT_EQ(update.counters_size(), 1);
  EXPECT_EQ(update.counters(0).current_number(), "1001");
  EXPECT_EQ(update.counters(0).officer_name(), "Nguyễn Thị Lan");
  EXPECT_TRUE(update.counters(0).officer().empty());
  EXPECT_TRUE(update.counters(0).current_ticket_id().empty());
  // Category A did not change, so it is not in the update.
  ASSERT_EQ(update.categories_size(), 1);
  EXPECT_EQ(update.categories(0).code(), "B");

  // A recall is announced again: a new call with its own seq.
  const auto before_recall = centre.live().view(now);
  const auto recalled = centre.must(recall("2"), now + 30s);
  const auto again = project(centre.live(), recalled.events[0], before_recall);
  ASSERT_TRUE(again.has_call());
  EXPECT_EQ(again.call().call_count(), 2u);
  EXPECT_EQ(again.call().seq(), recalled.events[0].seq());
}

TEST(Projection, TheViewStaysSmallWhateverTheDaysVolume) {
  auto config = small_centre();
  config.categories[1].format.last = 9999;
  recorded_engine centre(config);
  auto now = morning();
  centre.must(open_counter("3", "lan"), now);
  for (int i = 0; i < 5000; ++i) {
    now += 100ms;
    centre.must(take(i % 2 == 0 ? "A" : "B", i % 7 == 0 ? "elderly" : ""), now);
    if (i % 5 == 0) {
      centre.must(call_next("3"), now);
      centre.must(finish("3", "received"), now);
    }
  }
  const auto view = centre.live().view(now);
  const auto binary = view.SerializeAsString();
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(view, &json).ok());
  // 5,000 tickets, and the view is the size of a few categories, counters
  // and ten calls: no ticket list, no memo.
  EXPECT_LT(binary.size(), 2'500u) << binary.size();
  EXPECT_LT(json.size(), 6'000u) << json.size();
  EXPECT_EQ(view.categories(0).waiting_regular() + view.categories(0).waiting_priority() +
                view.categories(1).waiting_regular() + view.categories(1).waiting_priority(),
            4000u);
  EXPECT_EQ(json.find("token-"), std::string::npos);
}

TEST(Projection, ReplayDoesNotDependOnTodaysWeightsOrSmoothing) {
  auto config = small_centre();
  config.counters[2] = counter_serving("3", {"A", "B"}, selection_mode::weighted, {3, 1});
  config.service_time_smoothing = 0.2;
  recorded_engine centre(config);
  auto now = morning();
  centre.must(open_counter("3", "lan"), now);
  for (int i = 0; i < 12; ++i) {
    centre.must(take("A"), now);
    centre.must(take("B"), now);
  }
  for (int i = 0; i < 10; ++i) {
    now += 2min;
    centre.must(call_next("3"), now);
    now += 3min;
    centre.must(finish("3", "received"), now);
  }
  // A manager edits the weights and the smoothing before a restart.
  auto edited = config;
  edited.counters[2].weights = {1, 5};
  edited.service_time_smoothing = 0.9;
  const auto original = stable_bytes(centre.live().snapshot(now, visibility::internal));
  EXPECT_EQ(stable_bytes(replay(edited, centre.log()).snapshot(now, visibility::internal)),
            original);
}

TEST(Projection, ACounterRemovedFromTheConfigKeepsItsTicketsAndStopsTheStart) {
  recorded_engine centre(small_centre());
  auto now = morning();
  const auto first = centre.take_ticket("A", now);
  const auto second = centre.take_ticket("A", now);
  centre.must(open_counter("3", "lan"), now);
  centre.must(call_next("3"), now);
  centre.must(park("3"), now);
  centre.must(call_next("3"), now);

  auto without = small_centre();
  without.counters.pop_back();  // Counter 3 is gone from the TOML.
  const auto replayed = replay(without, centre.log());
  // Its tickets are not silently put back in the queue to be called twice.
  EXPECT_EQ(replayed.find_ticket(first, now, visibility::internal)->state(),
            v1::TICKET_STATE_PARKED);
  EXPECT_EQ(replayed.find_ticket(second, now, visibility::internal)->state(),
            v1::TICKET_STATE_CALLED);
  const auto problems = replayed.unconfigured_in_use();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("counter \"3\""), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("serving A002"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("1 parked"), std::string::npos) << problems[0];
  // Nobody can act on it, and it is not on any screen.
  EXPECT_FALSE(replayed.apply(call_next("3"), now, actor{}).ok());
  const auto shown = replayed.view(now);
  for (const auto& counter : shown.counters()) EXPECT_NE(counter.id(), "3");

  // Once closed (its tickets back in the queue), removing it is fine.
  centre.must(finish("3"), now);
  centre.must(close_counter("3"), now);
  EXPECT_TRUE(replay(without, centre.log()).unconfigured_in_use().empty());
}

TEST(Projection, ACategoryRemovedWithTicketsWaitingStopsTheStart) {
  recorded_engine centre(small_centre());
  centre.take_ticket("B", morning());
  auto without = small_centre();
  without.categories.pop_back();
  without.counters = {counter_serving("1", {"A"})};
  const auto problems = replay(without, centre.log()).unconfigured_in_use();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("category \"B\""), std::string::npos) << problems[0];
}

TEST(Projection, ATicketViewHoldsOnlyThatTicketAndItsCategory) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.take_ticket("A", now);
  const auto mine = centre.take_ticket("A", now);
  const auto token = centre.live().find_ticket(mine, now, visibility::internal)->status_token();
  const auto view = ticket_view(centre.live(), token, now);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->ticket().number(), "A002");
  EXPECT_EQ(view->ticket().people_ahead(), 1u);
  EXPECT_TRUE(view->ticket().status_token().empty());
  ASSERT_EQ(view->categories_size(), 1);
  EXPECT_EQ(view->categories(0).code(), "A");
  EXPECT_TRUE(view->recent_calls().empty());
  EXPECT_FALSE(ticket_view(centre.live(), "not-a-token", now).has_value());
}

}  // namespace
}  // namespace luot::core::testing
