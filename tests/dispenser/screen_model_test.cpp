// The touch screen's pages and timing, without drawing: touches, receipts,
// reports and the time go in, the page comes out.
#include "kiosk/screen_model.hpp"

#include <gtest/gtest.h>

namespace luot::kiosk {
namespace {

using namespace std::chrono_literals;
using clock = screen_model::clock;

kiosk_timing timing() {
  kiosk_timing t;
  t.confirmation = 8s;
  t.idle = 60s;
  t.request_timeout = 5s;
  t.give_up = 15s;
  return t;
}

service_state healthy() {
  service_state state;
  state.link.state = device::connection_state::live;
  state.printer = printer::printer_status::ready;
  return state;
}

press_report printed(std::uint64_t id, const std::string& number) {
  press_report report;
  report.press_id = id;
  report.outcome = press_outcome::printed;
  report.category = "A";
  report.ticket = v1::Ticket{};
  report.ticket->set_number(number);
  return report;
}

struct ScreenModel : ::testing::Test {
  clock::time_point t0 = clock::time_point(1000s);
  screen_model model{timing(), text::language::vi, t0};
};

TEST_F(ScreenModel, APressShowsTheNumberForAFewSecondsThenTheStart) {
  model.tick(healthy(), t0);
  EXPECT_EQ(model.current(), page::start);
  model.pressed({7, {}}, "A", t0 + 1s);
  EXPECT_EQ(model.current(), page::working);
  EXPECT_EQ(model.pressed_category(), "A");
  model.reported(printed(7, "A012"), t0 + 2s);
  EXPECT_EQ(model.current(), page::confirmation);
  EXPECT_EQ(model.shown()->ticket->number(), "A012");
  model.tick(healthy(), t0 + 9s);
  EXPECT_EQ(model.current(), page::confirmation);
  EXPECT_EQ(model.until_next_change(t0 + 9s), std::chrono::milliseconds(1000));
  model.tick(healthy(), t0 + 10s);
  EXPECT_EQ(model.current(), page::start);
}

TEST_F(ScreenModel, ATouchDismissesTheConfirmationWithoutPressingAnything) {
  model.pressed({1, {}}, "A", t0);
  model.reported(printed(1, "A001"), t0);
  EXPECT_TRUE(model.touched(t0 + 1s));
  EXPECT_EQ(model.current(), page::start);
  // On the start page a touch is for the buttons.
  EXPECT_FALSE(model.touched(t0 + 2s));
}

TEST_F(ScreenModel, ARefusalIsShownWithItsReason) {
  model.pressed({0, {"Tạm ngừng", "Closed"}}, "B", t0);
  EXPECT_EQ(model.current(), page::notice);
  EXPECT_EQ(model.shown()->reason.vi, "Tạm ngừng");
  model.tick(healthy(), t0 + 8s);
  EXPECT_EQ(model.current(), page::start);

  model.pressed({3, {}}, "B", t0 + 10s);
  press_report refused;
  refused.press_id = 3;
  refused.outcome = press_outcome::refused;
  refused.reason = {"Lĩnh vực \"B\" tạm ngừng tiếp nhận.", "x"};
  model.reported(refused, t0 + 11s);
  EXPECT_EQ(model.current(), page::notice);
  // Someone else's refusal (another press) is not shown.
  refused.press_id = 2;
  model.touched(t0 + 12s);
  model.reported(refused, t0 + 12s);
  EXPECT_EQ(model.current(), page::start);
}

TEST_F(ScreenModel, PriorityPathRemembersTheClassAndGoesBack) {
  model.choose_priority("cao-tuoi", t0);
  EXPECT_EQ(model.current(), page::priority);
  EXPECT_EQ(model.priority_class(), "cao-tuoi");
  model.back(t0 + 1s);
  EXPECT_EQ(model.current(), page::start);
  EXPECT_EQ(model.priority_class(), "");
}

TEST_F(ScreenModel, UntouchedItGoesIdleAndForgetsTheLanguage) {
  model.toggle_language(t0);
  EXPECT_EQ(model.language(), text::language::en);
  model.choose_priority("cao-tuoi", t0);
  model.tick(healthy(), t0 + 59s);
  EXPECT_EQ(model.current(), page::priority);
  model.tick(healthy(), t0 + 60s);
  EXPECT_EQ(model.current(), page::idle);
  EXPECT_EQ(model.language(), text::language::vi);
  EXPECT_EQ(model.priority_class(), "");
  EXPECT_TRUE(model.touched(t0 + 61s));
  EXPECT_EQ(model.current(), page::start);
}

TEST_F(ScreenModel, FaultsTakeOverTheMenuAndLeaveWhenFixed) {
  struct fault_case {
    const char* name;
    service_state state;
    fault expected;
  };
  auto paper_out = healthy();
  paper_out.printer = printer::printer_status::paper_out;
  auto reprint = healthy();
  reprint.phase = service_phase::waiting_for_printer;
  auto server = healthy();
  server.phase = service_phase::waiting_for_server;
  const fault_case cases[] = {
      {"paper out", paper_out, fault::printer},
      {"reprint pending", reprint, fault::reprint_pending},
      {"server pending", server, fault::server_pending},
  };
  for (const auto& [name, state, expected] : cases) {
    SCOPED_TRACE(name);
    screen_model fresh(timing(), text::language::vi, t0);
    fresh.tick(state, t0);
    EXPECT_EQ(fresh.current(), page::out_of_service);
    EXPECT_EQ(fresh.current_fault(), expected);
    fresh.tick(healthy(), t0 + 1s);
    EXPECT_EQ(fresh.current(), page::start);
  }
}

TEST_F(ScreenModel, AShortDropOfTheLinkDoesNotFlashAFault) {
  auto offline = healthy();
  offline.link.state = device::connection_state::disconnected;
  model.tick(healthy(), t0);
  model.tick(offline, t0 + 1s);
  EXPECT_EQ(model.current(), page::start);
  EXPECT_EQ(model.until_next_change(t0 + 1s), std::chrono::milliseconds(3000));
  model.tick(offline, t0 + 3s);
  EXPECT_EQ(model.current(), page::start);
  model.tick(offline, t0 + 4s);
  EXPECT_EQ(model.current(), page::out_of_service);
  EXPECT_EQ(model.current_fault(), fault::offline);
}

TEST_F(ScreenModel, APressThatWaitsShowsWhatItWaitsFor) {
  model.pressed({4, {}}, "A", t0);
  auto waiting = healthy();
  waiting.phase = service_phase::waiting_for_server;
  model.tick(waiting, t0 + 1s);
  EXPECT_EQ(model.current(), page::out_of_service);
  EXPECT_EQ(model.current_fault(), fault::server_pending);
  // Answered late: the number is shown all the same.
  model.reported(printed(4, "A003"), t0 + 30s);
  EXPECT_EQ(model.current(), page::confirmation);
}

TEST_F(ScreenModel, ATicketPrintedAfterARestartIsShown) {
  model.reported(printed(0, "B002"), t0);
  EXPECT_EQ(model.current(), page::confirmation);
}

}  // namespace
}  // namespace luot::kiosk
