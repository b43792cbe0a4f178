// The touch screen end to end on an offscreen canvas: SDL events go in,
// the real service talks to a real in-process server and prints to a file,
// and the pages follow. What a citizen does, touch by touch.
#include <gtest/gtest.h>

#include "../server/support.hpp"
#include "kiosk/kiosk_app.hpp"
#include "kiosk/kiosk_screen.hpp"
#include "kiosk_support.hpp"
#include "ui/canvas.hpp"

namespace luot::kiosk::testing {
namespace {

using namespace std::chrono_literals;
using luot::testing::running_server;
using luot::testing::temp_dir;
using luot::testing::test_settings;

constexpr ui::size portrait{1080, 1920};

SDL_Event click_at(const ui::rect& area) {
  SDL_Event event{};
  event.type = SDL_MOUSEBUTTONDOWN;
  event.button.which = 0;
  event.button.button = SDL_BUTTON_LEFT;
  event.button.x = area.x + area.w / 2;
  event.button.y = area.y + area.h / 2;
  return event;
}

SDL_Event finger_at(const ui::rect& area, ui::size screen) {
  SDL_Event event{};
  event.type = SDL_FINGERDOWN;
  event.tfinger.x = static_cast<float>(area.x + area.w / 2) / static_cast<float>(screen.w);
  event.tfinger.y = static_cast<float>(area.y + area.h / 2) / static_cast<float>(screen.h);
  return event;
}

// A kiosk with its screen on an offscreen canvas, connected to `port`.
class touch_kiosk {
 public:
  explicit touch_kiosk(kiosk_options options)
      : options_(std::move(options)),
        service_(options_, make_printer(options_)),
        canvas_(portrait.w, portrait.h),
        screen_(options_, service_, canvas_.renderer(), fonts_) {
    service_.on_report([this](const press_report& report) { screen_.take_report(report); });
    service_.start();
  }
  ~touch_kiosk() { service_.stop(); }

  kiosk_screen& screen() { return screen_; }
  kiosk_service& service() { return service_; }

  // Draws frames until the page is `wanted` (the service answers on its
  // own thread).
  bool reaches(page wanted, std::chrono::milliseconds timeout = wait_limit) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      screen_.draw(portrait);
      if (screen_.model().current() == wanted) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

 private:
  kiosk_options options_;
  kiosk_service service_;
  ui::offscreen_canvas canvas_;
  ui::font_library fonts_;
  kiosk_screen screen_;
};

TEST(KioskTouch, OneTouchGivesANumberThenTheStartComesBack) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto printed = dir.path() / "printed.bin";
  auto options = fast_options(server.port(), dir.path() / "state", "file:" + printed.string());
  options.timing.confirmation = 500ms;
  touch_kiosk kiosk(options);
  ASSERT_TRUE(kiosk.service().wait_for_view(wait_limit));
  ASSERT_TRUE(kiosk.reaches(page::start));

  const auto menu = layout_menu(portrait, 2, 1, page::start);
  kiosk.screen().handle(finger_at(menu.categories[1], portrait), portrait);
  ASSERT_TRUE(kiosk.reaches(page::confirmation));
  const auto& shown = kiosk.screen().model().shown();
  ASSERT_TRUE(shown && shown->ticket);
  EXPECT_EQ(shown->ticket->number(), "B001");
  EXPECT_EQ(shown->ticket->priority_class(), "");
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 1u);
  // A few seconds later the next citizen sees the buttons again.
  EXPECT_TRUE(kiosk.reaches(page::start, 3s));
}

TEST(KioskTouch, TwoTouchesGiveAPriorityNumber) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto printed = dir.path() / "printed.bin";
  touch_kiosk kiosk(fast_options(server.port(), dir.path() / "state", "file:" + printed.string()));
  ASSERT_TRUE(kiosk.service().wait_for_view(wait_limit));
  ASSERT_TRUE(kiosk.reaches(page::start));

  const auto start = layout_menu(portrait, 2, 1, page::start);
  kiosk.screen().handle(click_at(start.priority_classes[0]), portrait);
  ASSERT_TRUE(kiosk.reaches(page::priority));
  EXPECT_EQ(kiosk.screen().model().priority_class(), "cao-tuoi");
  const auto priority = layout_menu(portrait, 2, 1, page::priority);
  kiosk.screen().handle(click_at(priority.categories[0]), portrait);
  ASSERT_TRUE(kiosk.reaches(page::confirmation));
  const auto& ticket = *kiosk.screen().model().shown()->ticket;
  EXPECT_EQ(ticket.number(), "A001");
  EXPECT_EQ(ticket.priority_class(), "cao-tuoi");
  const auto issued = tickets_from(server.port(), "kiosk-1");
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].priority_class(), "cao-tuoi");
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 1u);
}

TEST(KioskTouch, BackLanguageAndAClickMadeFromATouchAreHandledOnce) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  touch_kiosk kiosk(
      fast_options(server.port(), dir.path() / "state", "file:" + (dir.path() / "p.bin").string()));
  ASSERT_TRUE(kiosk.service().wait_for_view(wait_limit));
  ASSERT_TRUE(kiosk.reaches(page::start));
  const auto start = layout_menu(portrait, 2, 1, page::start);

  kiosk.screen().handle(click_at(start.language_button), portrait);
  EXPECT_EQ(kiosk.screen().model().language(), text::language::en);
  kiosk.screen().handle(click_at(start.priority_classes[0]), portrait);
  ASSERT_TRUE(kiosk.reaches(page::priority));
  SDL_Event escape{};
  escape.type = SDL_KEYDOWN;
  escape.key.keysym.sym = SDLK_ESCAPE;
  kiosk.screen().handle(escape, portrait);
  ASSERT_TRUE(kiosk.reaches(page::start));

  // SDL reports a touch twice, as a finger and as a click from the touch
  // mouse: the click is ignored, so one touch is one press.
  auto from_touch = click_at(start.categories[0]);
  from_touch.button.which = SDL_TOUCH_MOUSEID;
  kiosk.screen().handle(from_touch, portrait);
  kiosk.screen().draw(portrait);
  EXPECT_EQ(kiosk.screen().model().current(), page::start);
  EXPECT_TRUE(tickets_from(server.port(), "kiosk-1").empty());
}

}  // namespace
}  // namespace luot::kiosk::testing
