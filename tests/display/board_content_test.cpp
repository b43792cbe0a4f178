// What the board shows, decided without SDL: words from the catalogue, the
// newest call and its highlight, states, estimates, the banner, the times a
// board must redraw by itself.
#include "board/board_content.hpp"

#include <gtest/gtest.h>

#include "board/local_time.hpp"
#include "sample_view.hpp"

namespace luot::display {
namespace {

using namespace std::chrono_literals;
using testing::sample_now;
using testing::sample_view;

board_inputs live_inputs(const v1::View& view) {
  board_inputs inputs;
  inputs.view = &view;
  inputs.live = true;
  inputs.now = sample_now();
  return inputs;
}

TEST(BoardContent, HeaderHasTheCentreTheVietnameseDateAndTheLocalClock) {
  const auto view = sample_view();
  const auto board = build_board(live_inputs(view));
  EXPECT_EQ(board.centre_name, "Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội");
  EXPECT_EQ(board.date, "Thứ Hai, ngày 12 tháng 5 năm 2025");
  EXPECT_EQ(board.clock, "09:41");
  // Nothing changes before the next minute when live and nothing is lit.
  EXPECT_EQ(board.next_change, sample_now() + 30s);
  EXPECT_FALSE(board.banner.has_value());

  auto english = live_inputs(view);
  english.language = text::language::en;
  EXPECT_EQ(build_board(english).date, "Monday, 12 May 2025");
}

TEST(BoardContent, LocalTimeFollowsTheCentresZone) {
  struct example {
    std::int64_t utc_seconds;
    const char* zone;
    const char* date;
    const char* time;
  };
  const example examples[] = {
      // 2025-05-11 17:05 UTC is already Monday 00:05 in Hanoi.
      {1746983100, "Asia/Ho_Chi_Minh", "Thứ Hai, ngày 12 tháng 5 năm 2025", "00:05"},
      {1746983100, "UTC", "Chủ nhật, ngày 11 tháng 5 năm 2025", "17:05"},
      // An unknown zone falls back to Hanoi rather than showing no clock.
      {1746983100, "Mars/Olympus", "Thứ Hai, ngày 12 tháng 5 năm 2025", "00:05"},
      // New Year in Hanoi while it is still 2024 in Greenwich.
      {1735664400, "", "Thứ Tư, ngày 1 tháng 1 năm 2025", "00:00"},
  };
  for (const auto& one : examples) {
    SCOPED_TRACE(one.zone);
    const auto clock =
        local_clock_at(std::chrono::system_clock::time_point(std::chrono::seconds(one.utc_seconds)),
                       one.zone, text::language::vi);
    EXPECT_EQ(clock.date, one.date);
    EXPECT_EQ(clock.time, one.time);
  }
}

TEST(BoardContent, NewestCallComesFirstAndEarlierOnesOncePerTicket) {
  auto view = sample_view();
  // A recall of A012 comes to the front: it is the newest, listed once.
  const auto earlier = view.recent_calls();
  view.clear_recent_calls();
  *view.add_recent_calls() = testing::make_call(250, "A012", "1", sample_now(), 2);
  for (const auto& call : earlier) *view.add_recent_calls() = call;
  auto inputs = live_inputs(view);
  inputs.recent_count = 4;
  const auto board = build_board(inputs);
  ASSERT_TRUE(board.newest.has_value());
  EXPECT_EQ(board.newest->number, "A012");
  EXPECT_EQ(board.newest->counter, "Quầy 1");
  ASSERT_EQ(board.recent.size(), 4u);
  EXPECT_EQ(board.recent[0].number, "1021");
  EXPECT_EQ(board.recent[0].counter, "Quầy 5 – Trả kết quả");
  for (const auto& line : board.recent) EXPECT_NE(line.number, "A012");
}

TEST(BoardContent, ANewCallIsHighlightedForAWhileAndTheBoardRedrawsWhenItEnds) {
  const auto view = sample_view();
  auto inputs = live_inputs(view);
  inputs.newest_call_heard_seq = view.recent_calls(0).seq();
  inputs.newest_call_heard_at = sample_now() - 4s;
  inputs.highlight_for = 10s;
  auto board = build_board(inputs);
  EXPECT_TRUE(board.newest_highlighted);
  EXPECT_EQ(board.next_change, sample_now() + 6s);

  inputs.now = sample_now() + 7s;
  EXPECT_FALSE(build_board(inputs).newest_highlighted);
  // Heard, but not the call at the front (an older one): no highlight.
  inputs.now = sample_now();
  inputs.newest_call_heard_seq = view.recent_calls(1).seq();
  EXPECT_FALSE(build_board(inputs).newest_highlighted);
}

TEST(BoardContent, CountersAndCategoriesInWords) {
  const auto view = sample_view();
  const auto board = build_board(live_inputs(view));
  ASSERT_EQ(board.counters.size(), 5u);
  struct expected_counter {
    const char* number;
    const char* state;
    tone shade;
  };
  const expected_counter counters[] = {{"A012", "Đang phục vụ", tone::positive},
                                       {"A011", "Đang phục vụ", tone::positive},
                                       {"—", "Tạm dừng: Họp giao ban", tone::caution},
                                       {"—", "Đóng", tone::muted},
                                       {"1021", "Đang phục vụ", tone::positive}};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(board.counters[i].name);
    EXPECT_EQ(board.counters[i].number, counters[i].number);
    EXPECT_EQ(board.counters[i].state, counters[i].state);
    EXPECT_EQ(board.counters[i].state_tone, counters[i].shade);
  }
  ASSERT_EQ(board.categories.size(), 6u);
  struct expected_category {
    const char* name;
    const char* waiting;
    const char* note;
    const char* estimate;
  };
  const expected_category categories[] = {
      {"Lao động – Việc làm", "14", "2 ưu tiên", "~25 phút"},
      {"Người có công", "4", "", "~48 phút"},
      {"Bảo trợ xã hội", "8", "1 ưu tiên", "~1 giờ 12 phút"},
      {"Giáo dục nghề nghiệp", "0", "", "Không phải chờ"},
      {"Trẻ em", "0", "", "Tạm ngừng"},
      {"Trả kết quả", "23", "", "~9 phút"},
  };
  for (std::size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(categories[i].name);
    EXPECT_EQ(board.categories[i].name, categories[i].name);
    EXPECT_EQ(board.categories[i].waiting, categories[i].waiting);
    EXPECT_EQ(board.categories[i].waiting_note, categories[i].note);
    EXPECT_EQ(board.categories[i].estimate, categories[i].estimate);
  }
}

TEST(BoardContent, LostConnectionKeepsTheDataAndSaysHowOldItIs) {
  const auto view = sample_view();
  auto inputs = live_inputs(view);
  inputs.live = false;
  inputs.stale_since = sample_now() - 135s;
  const auto board = build_board(inputs);
  ASSERT_TRUE(board.banner.has_value());
  EXPECT_EQ(board.banner->headline, "Mất kết nối máy chủ — đang kết nối lại…");
  EXPECT_EQ(board.banner->detail, "Dữ liệu lúc 09:39, cách đây 2 phút");
  // The last state stays on screen.
  ASSERT_TRUE(board.newest.has_value());
  EXPECT_EQ(board.newest->number, "1021");
  // Past its first minute the age changes by the minute: the board redraws
  // when "2 phút" becomes "3 phút" (in 45 s), not every second; the clock's
  // minute turns first (in 30 s).
  EXPECT_EQ(board.next_change, sample_now() + 30s);
  inputs.now = sample_now() + 31s;
  EXPECT_EQ(build_board(inputs).next_change, sample_now() + 45s);
  inputs.now = sample_now();
  inputs.stale_since = sample_now() - 20s;
  const auto fresh = build_board(inputs);
  EXPECT_EQ(fresh.banner->detail, "Dữ liệu lúc 09:41, cách đây 20 giây");
  EXPECT_EQ(fresh.next_change, sample_now() + 1s);

  board_inputs nothing;
  nothing.now = sample_now();
  const auto empty = build_board(nothing);
  ASSERT_TRUE(empty.banner.has_value());
  EXPECT_EQ(empty.banner->headline, "Đang kết nối máy chủ…");
  EXPECT_FALSE(empty.has_view);
}

TEST(BoardContent, ElapsedAndEstimatesInWords) {
  struct example {
    std::int64_t seconds;
    const char* vi;
    const char* en;
  };
  const example examples[] = {{0, "0 giây", "0 s"},
                              {59, "59 giây", "59 s"},
                              {60, "1 phút", "1 min"},
                              {3599, "59 phút", "59 min"},
                              {3660, "1 giờ 1 phút", "1 h 1 min"},
                              {200000, "2 ngày", "2 days"}};
  for (const auto& one : examples) {
    SCOPED_TRACE(one.seconds);
    EXPECT_EQ(elapsed_text(std::chrono::seconds(one.seconds), text::language::vi), one.vi);
    EXPECT_EQ(elapsed_text(std::chrono::seconds(one.seconds), text::language::en), one.en);
  }
  EXPECT_EQ(estimate_text(1, 3, text::language::vi), "~1 phút");
  EXPECT_EQ(estimate_text(61, 3, text::language::vi), "~2 phút");
  EXPECT_EQ(estimate_text(0, 0, text::language::en), "No wait");
}

TEST(BoardContent, CounterTopShowsItsCounterAndSaysWhenItIsMissing) {
  const auto view = sample_view();
  auto inputs = live_inputs(view);
  inputs.layout = layout_kind::counter;
  inputs.counter_id = "3";
  auto board = build_board(inputs);
  ASSERT_TRUE(board.own_counter.has_value());
  EXPECT_EQ(board.own_counter->name, "Quầy 3");
  EXPECT_EQ(board.own_counter->state, "Tạm dừng: Họp giao ban");
  EXPECT_EQ(board.own_officer, "Cán bộ: Lê Thị Hoà");

  inputs.counter_id = "5";
  inputs.newest_call_heard_seq = view.recent_calls(0).seq();
  inputs.newest_call_heard_at = sample_now();
  board = build_board(inputs);
  EXPECT_TRUE(board.own_highlighted);
  EXPECT_EQ(board.own_counter->number, "1021");

  inputs.counter_id = "9";
  board = build_board(inputs);
  EXPECT_FALSE(board.own_counter.has_value());
  EXPECT_EQ(board.own_counter_missing, "Màn hình này không thấy quầy \"9\"");
}

}  // namespace
}  // namespace luot::display
