#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

// Takes tickets one second apart, in the order given.
void take_in_order(recorded_engine& centre,
                   const std::vector<std::pair<std::string, std::string>>& tickets,
                   timestamp start) {
  auto now = start;
  for (const auto& [category, priority] : tickets) {
    centre.take_ticket(category, now, priority);
    now += 1s;
  }
}

// Calls `count` tickets at `counter`, finishing each, and returns their numbers.
std::vector<std::string> serve(recorded_engine& centre, const std::string& counter, int count,
                               timestamp now) {
  std::vector<std::string> numbers;
  for (int i = 0; i < count; ++i) {
    numbers.push_back(centre.call(counter, now));
    // A refused call ("<NOTHING_WAITING>") leaves nothing to finish.
    if (!numbers.back().starts_with("<")) centre.must(finish(counter), now);
  }
  return numbers;
}

TEST(CallNext, SelectionModesChooseAcrossCategories) {
  struct row {
    const char* name;
    counter_config counter;
    std::vector<std::string> expected;
  };
  const row rows[] = {
      {"oldest first",
       counter_serving("3", {"A", "B"}, selection_mode::oldest_first),
       {"1001", "A001", "1002", "A002", "A003", "A004", "<ERROR_CODE_NOTHING_WAITING>"}},
      {"in order",
       counter_serving("3", {"A", "B"}, selection_mode::in_order),
       {"A001", "A002", "A003", "A004", "1001", "1002", "<ERROR_CODE_NOTHING_WAITING>"}},
      {"in order, B listed first",
       counter_serving("3", {"B", "A"}, selection_mode::in_order),
       {"1001", "1002", "A001", "A002", "A003", "A004", "<ERROR_CODE_NOTHING_WAITING>"}},
      // Smooth weighted round robin 2:1 gives A B A, A B A, ...; once B is
      // empty only A is eligible.
      {"weighted 2:1",
       counter_serving("3", {"A", "B"}, selection_mode::weighted, {2, 1}),
       {"A001", "1001", "A002", "A003", "1002", "A004", "<ERROR_CODE_NOTHING_WAITING>"}},
      {"weighted 1:3",
       counter_serving("3", {"A", "B"}, selection_mode::weighted, {1, 3}),
       {"1001", "A001", "1002", "A002", "A003", "A004", "<ERROR_CODE_NOTHING_WAITING>"}},
  };
  for (const auto& [name, counter, expected] : rows) {
    SCOPED_TRACE(name);
    auto config = small_centre();
    config.counters = {counter};
    recorded_engine centre(config);
    centre.must(open_counter("3", "minh"), morning());
    take_in_order(centre, {{"B", ""}, {"A", ""}, {"B", ""}, {"A", ""}, {"A", ""}, {"A", ""}},
                  morning());
    EXPECT_EQ(serve(centre, "3", 7, morning() + 10min), expected);
    EXPECT_EQ(stable_bytes(centre.replayed().snapshot(morning() + 1h, visibility::internal)),
              stable_bytes(centre.live().snapshot(morning() + 1h, visibility::internal)));
  }
}

TEST(CallNext, PriorityPoliciesInterleaveRegularAndPriority) {
  struct row {
    const char* name;
    priority_policy policy;
    std::vector<std::pair<std::string, std::string>> tickets;
    std::vector<std::string> expected;
  };
  priority_policy strict;
  strict.style = priority_policy::kind::strict;
  priority_policy ratio_two;
  ratio_two.style = priority_policy::kind::ratio;
  ratio_two.regular_per_priority = 2;
  priority_policy ratio_zero = ratio_two;
  ratio_zero.regular_per_priority = 0;
  const std::vector<std::pair<std::string, std::string>> five_then_two = {
      {"A", ""}, {"A", ""}, {"A", ""}, {"A", ""}, {"A", ""}, {"A", "elderly"}, {"A", "disabled"}};
  const row rows[] = {
      {"strict", strict, five_then_two, {"A006", "A007", "A001", "A002", "A003", "A004", "A005"}},
      {"ratio 2",
       ratio_two,
       five_then_two,
       {"A001", "A002", "A006", "A003", "A004", "A007", "A005"}},
      {"ratio 0 behaves strictly",
       ratio_zero,
       five_then_two,
       {"A006", "A007", "A001", "A002", "A003", "A004", "A005"}},
  };
  for (const auto& [name, policy, tickets, expected] : rows) {
    SCOPED_TRACE(name);
    auto config = small_centre();
    config.priority = policy;
    recorded_engine centre(config);
    centre.must(open_counter("1", "lan"), morning());
    take_in_order(centre, tickets, morning());
    EXPECT_EQ(serve(centre, "1", static_cast<int>(expected.size()), morning() + 10min), expected);
  }
}

TEST(CallNext, AgingPriorityCountsAsTakenBoundEarlier) {
  auto config = small_centre();
  config.priority.style = priority_policy::kind::aging;
  config.priority.aging_bound = 15min;
  recorded_engine centre(config);
  centre.must(open_counter("1", "lan"), morning());
  const auto at = [](int hour, int minute) { return vietnam_time(2024, 6, 3, hour, minute); };
  centre.take_ticket("A", at(8, 0));              // A001 regular, effective 08:00
  centre.take_ticket("A", at(8, 6));              // A002 regular, effective 08:06
  centre.take_ticket("A", at(8, 10), "elderly");  // A003 priority, effective 07:55
  centre.take_ticket("A", at(8, 20), "elderly");  // A004 priority, effective 08:05
  centre.take_ticket("A", at(8, 21));             // A005 regular, effective 08:21
  centre.take_ticket("A", at(8, 36), "elderly");  // A006 priority, exactly 15 min later
  EXPECT_EQ(serve(centre, "1", 6, at(8, 40)),
            (std::vector<std::string>{"A003", "A001", "A004", "A002", "A005", "A006"}));
}

TEST(CallNext, TargetedTicketsOnlyGoToTheirCounter) {
  auto config = small_centre();
  config.counters = {counter_serving("1", {"A"}),
                     counter_serving("2", {"B"}, selection_mode::in_order),
                     counter_serving("3", {"A", "B"})};
  recorded_engine centre(config);
  const auto now = morning();
  for (const auto& counter : {"1", "2", "3"}) centre.must(open_counter(counter, "officer"), now);
  centre.take_ticket("B", now);       // 1001
  centre.take_ticket("A", now + 1s);  // A001
  centre.take_ticket("A", now + 2s);  // A002
  EXPECT_EQ(centre.call("1", now + 1min), "A001");
  // A001 is sent to counter 2, which does not serve A: only 2 may call it,
  // and an in-order counter takes such a directed ticket first.
  centre.must(transfer("1", "", "2", v1::PLACEMENT_IN_ORDER, "cần quầy 2"), now + 2min);
  EXPECT_EQ(centre.call("3", now + 3min), "1001");
  EXPECT_EQ(centre.call("1", now + 3min), "A002");
  centre.must(finish("1"), now + 4min);
  EXPECT_EQ(centre.call("1", now + 4min), "<ERROR_CODE_NOTHING_WAITING>");
  EXPECT_EQ(centre.call("2", now + 4min), "A001");
  const auto ticket = centre.ticket(centre.counter("2").current_ticket_id(), now + 4min);
  EXPECT_EQ(ticket.transferred_from_counter(), "1");
  EXPECT_EQ(ticket.transferred_from_category(), "A");
  EXPECT_EQ(ticket.transfer_note(), "cần quầy 2");
  EXPECT_EQ(ticket.category(), "A");
}

}  // namespace
}  // namespace luot::core::testing
