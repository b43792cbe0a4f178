#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

// A centre where every refusal can happen at 08:20 on a Monday:
// counter 1 serves A003 and holds A002 parked; A001 is a no-show past the
// tolerance; counter 2 is closed, 3 paused, 4 open and idle (its category D
// is closed by hand and empty); B used up its one number; C opens at 13:00;
// 1001 exists in both B and E.
centre_config refusal_centre() {
  auto config = small_centre();
  auto limited = block_category("B", 1001, 1999);
  limited.daily_limit = 1;
  auto afternoon = prefix_category("C", "C");
  afternoon.hours.emplace();
  (*afternoon.hours)[1] = {time_range{13h, 17h}};
  config.categories = {prefix_category("A", "A"), limited, afternoon, prefix_category("D", "D"),
                       block_category("E", 1001, 1999)};
  config.counters = {counter_serving("1", {"A"}), counter_serving("2", {"B"}),
                     counter_serving("3", {"A"}), counter_serving("4", {"D"})};
  config.no_show.return_within_calls = 0;
  config.no_show.return_within_time = 10min;
  return config;
}

TEST(Rejection, EveryRefusalLeavesStateByteIdentical) {
  recorded_engine centre(refusal_centre());
  const auto start = vietnam_time(2024, 6, 3, 8, 0);
  centre.must(open_counter("1", "lan"), start);
  centre.must(open_counter("3", "minh"), start);
  centre.must(open_counter("4", "hoa"), start);
  centre.must(pause_counter("3", "họp"), start);
  for (int i = 0; i < 4; ++i) centre.take_ticket("A", start);
  centre.take_ticket("B", start);
  centre.take_ticket("E", start);
  centre.must(close_category("D", "thiếu cán bộ"), start);
  centre.call("1", start + 1min);
  centre.must(mark_no_show("1"), start + 1min);
  centre.call("1", start + 2min);
  centre.must(park("1"), start + 2min);
  ASSERT_EQ(centre.call("1", start + 3min), "A003");

  struct row {
    const char* name;
    v1::Command command;
    v1::ErrorCode code;
    std::vector<std::string> args;
    // The catalogue message that says why, when there is one.
    const char* because = nullptr;
    std::vector<std::string> because_args = {};
  };
  const row rows[] = {
      {"empty command", v1::Command{}, v1::ERROR_CODE_BAD_REQUEST, {}, "sec.empty_command"},
      {"take: unknown category", take("Z"), v1::ERROR_CODE_UNKNOWN_CATEGORY, {"Z"}},
      {"take: unknown priority", take("A", "vip"), v1::ERROR_CODE_UNKNOWN_PRIORITY_CLASS, {"vip"}},
      {"take: closed by hand", take("D"), v1::ERROR_CODE_CATEGORY_CLOSED, {"D"}},
      {"take: outside hours", take("C"), v1::ERROR_CODE_CATEGORY_OUTSIDE_HOURS, {"C"}},
      {"take: limit reached", take("B"), v1::ERROR_CODE_CATEGORY_LIMIT_REACHED, {"B"}},
      {"call next: unknown counter", call_next("9"), v1::ERROR_CODE_UNKNOWN_COUNTER, {"9"}},
      {"call next: closed", call_next("2"), v1::ERROR_CODE_COUNTER_CLOSED, {"2"}},
      {"call next: paused", call_next("3"), v1::ERROR_CODE_COUNTER_PAUSED, {"3"}},
      {"call next: busy", call_next("1"), v1::ERROR_CODE_COUNTER_BUSY, {"1", "A003"}},
      {"call next: nothing waiting", call_next("4"), v1::ERROR_CODE_NOTHING_WAITING, {"4"}},
      {"call ticket: busy", call_ticket("1", "A004"), v1::ERROR_CODE_COUNTER_BUSY, {"1", "A003"}},
      {"call ticket: not waiting",
       call_ticket("4", "A003"),
       v1::ERROR_CODE_TICKET_NOT_WAITING,
       {"A003"}},
      {"call ticket: parked is not waiting",
       call_ticket("4", "A002"),
       v1::ERROR_CODE_TICKET_NOT_WAITING,
       {"A002"}},
      {"call ticket: ambiguous",
       call_ticket("4", "1001"),
       v1::ERROR_CODE_AMBIGUOUS_TICKET,
       {"1001"}},
      {"call ticket: unknown", call_ticket("4", "X999"), v1::ERROR_CODE_UNKNOWN_TICKET, {"X999"}},
      {"call ticket: unknown in category",
       call_ticket("4", "A004", "B"),
       v1::ERROR_CODE_UNKNOWN_TICKET,
       {"A004"}},
      {"recall: no current", recall("4"), v1::ERROR_CODE_NO_CURRENT_TICKET, {"4"}},
      {"recall: unknown counter", recall("9"), v1::ERROR_CODE_UNKNOWN_COUNTER, {"9"}},
      {"no-show: no current", mark_no_show("4"), v1::ERROR_CODE_NO_CURRENT_TICKET, {"4"}},
      {"return: not a no-show",
       return_no_show("A004"),
       v1::ERROR_CODE_TICKET_NOT_NO_SHOW,
       {"A004"}},
      {"return: too late", return_no_show("A001"), v1::ERROR_CODE_RETURN_TOO_LATE, {"A001"}},
      {"return: unknown", return_no_show("A999"), v1::ERROR_CODE_UNKNOWN_TICKET, {"A999"}},
      {"park: no current", park("4"), v1::ERROR_CODE_NO_CURRENT_TICKET, {"4"}},
      {"resume parked: other counter",
       resume_parked("4", "A002"),
       v1::ERROR_CODE_TICKET_NOT_PARKED,
       {"A002"}},
      {"resume parked: busy",
       resume_parked("1", "A002"),
       v1::ERROR_CODE_COUNTER_BUSY,
       {"1", "A003"}},
      {"transfer: no target",
       transfer("1", "", "", v1::PLACEMENT_FIRST),
       v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
       {},
       "reason.transfer_no_target"},
      {"transfer: unknown category",
       transfer("1", "Z", "", v1::PLACEMENT_FIRST),
       v1::ERROR_CODE_UNKNOWN_CATEGORY,
       {"Z"}},
      {"transfer: unknown counter",
       transfer("1", "", "9", v1::PLACEMENT_FIRST),
       v1::ERROR_CODE_UNKNOWN_COUNTER,
       {"9"}},
      {"transfer: to itself",
       transfer("1", "", "1", v1::PLACEMENT_FIRST),
       v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
       {},
       "reason.transfer_same_counter",
       {"1"}},
      {"transfer: no current",
       transfer("4", "A", "", v1::PLACEMENT_FIRST),
       v1::ERROR_CODE_NO_CURRENT_TICKET,
       {"4"}},
      {"finish: unknown outcome", finish("1", "bogus"), v1::ERROR_CODE_UNKNOWN_OUTCOME, {"bogus"}},
      {"finish: no current", finish("4"), v1::ERROR_CODE_NO_CURRENT_TICKET, {"4"}},
      {"pause: closed", pause_counter("2"), v1::ERROR_CODE_COUNTER_CLOSED, {"2"}},
      {"pause: already paused", pause_counter("3"), v1::ERROR_CODE_COUNTER_PAUSED, {"3"}},
      {"pause: busy", pause_counter("1"), v1::ERROR_CODE_COUNTER_BUSY, {"1", "A003"}},
      {"resume: not paused", resume_counter("4"), v1::ERROR_CODE_COUNTER_NOT_PAUSED, {"4"}},
      {"open: unknown counter", open_counter("9", "lan"), v1::ERROR_CODE_UNKNOWN_COUNTER, {"9"}},
      {"close counter: busy", close_counter("1"), v1::ERROR_CODE_COUNTER_BUSY, {"1", "A003"}},
      {"close category: unknown", close_category("Z"), v1::ERROR_CODE_UNKNOWN_CATEGORY, {"Z"}},
      {"reopen category: not closed",
       reopen_category("A"),
       v1::ERROR_CODE_CATEGORY_NOT_CLOSED,
       {"A"}},
      {"reopen category: unknown", reopen_category("Z"), v1::ERROR_CODE_UNKNOWN_CATEGORY, {"Z"}},
  };
  const auto now = start + 20min;
  for (const auto& [name, command, code, args, because, because_args] : rows) {
    SCOPED_TRACE(name);
    const auto before = stable_bytes(centre.live().snapshot(now, visibility::internal));
    const auto seq = centre.live().seq();
    const auto refused = centre.run(command, now);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(v1::ErrorCode_Name(refused.failure().code), v1::ErrorCode_Name(code));
    EXPECT_EQ(refused.failure().args, args);
    if (because == nullptr) {
      EXPECT_FALSE(refused.failure().because.has_value());
    } else {
      ASSERT_TRUE(refused.failure().because.has_value());
      EXPECT_EQ(refused.failure().because->key, because);
      EXPECT_EQ(refused.failure().because->args, because_args);
    }
    EXPECT_EQ(centre.live().seq(), seq);
    EXPECT_EQ(stable_bytes(centre.live().snapshot(now, visibility::internal)), before);
  }
}

}  // namespace
}  // namespace luot::core::testing
