#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/kiosk_options.hpp"
#include "kiosk/kiosk_service.hpp"
#include "text/catalogue.hpp"

namespace luot::kiosk {

// The pages of the touch screen.
enum class page {
  // Nobody has touched the screen for a while: "touch to take a number".
  idle,
  // The categories, and the priority classes below them.
  start,
  // A priority class was chosen: the categories again, for a priority number.
  priority,
  // A press is being handled: "printing your ticket".
  working,
  // The number, people ahead, "Vui lòng chờ đến lượt", for a few seconds.
  confirmation,
  // Why no number was given (or that the server is slow), for a few seconds.
  notice,
  // No number can be issued now (offline, printer fault, a ticket waiting
  // to be reprinted): said plainly, no buttons.
  out_of_service,
};

std::string_view to_string(page which);

// Why the screen is out of service, worst first.
enum class fault { none, reprint_pending, server_pending, offline, printer };

// What the screen shows and how it reacts, without drawing anything: the
// window feeds it touches, press receipts, service reports and the time;
// the painter reads it. Time comes in as arguments, so every transition is
// tested without waiting. Not thread-safe: the drawing thread owns it.
class screen_model {
 public:
  using clock = std::chrono::steady_clock;

  screen_model(const kiosk_timing& timing, text::language lang, clock::time_point now);

  // A touch anywhere: wakes the idle screen, dismisses a confirmation or a
  // notice, and keeps the screen from going idle. True when the touch was
  // used up by that (it must not also press a button).
  bool touched(clock::time_point now);
  void choose_priority(const std::string& priority_class, clock::time_point now);
  void back(clock::time_point now);
  void toggle_language(clock::time_point now);

  // A category button was pressed and the service answered `receipt`.
  void pressed(const press_receipt& receipt, const std::string& category, clock::time_point now);
  // A report from the service (any press; resumed ones have id 0).
  void reported(const press_report& report, clock::time_point now);

  // Time passing; `state` decides whether the kiosk is out of service.
  void tick(const service_state& state, clock::time_point now);
  // How long until tick() would change something by itself.
  std::optional<std::chrono::milliseconds> until_next_change(clock::time_point now) const;

  page current() const { return page_; }
  fault current_fault() const { return fault_; }
  text::language language() const { return language_; }
  // The class chosen on the start page (priority page).
  const std::string& priority_class() const { return priority_class_; }
  // The category pressed (working page).
  const std::string& pressed_category() const { return pressed_category_; }
  // The report shown (confirmation, notice), or the refusal (notice).
  const std::optional<press_report>& shown() const { return shown_; }

 private:
  void go(page next, clock::time_point now);

  kiosk_timing timing_;
  text::language language_;
  text::language starting_language_;
  page page_ = page::start;
  fault fault_ = fault::none;
  clock::time_point since_;
  clock::time_point last_touch_;
  std::string priority_class_;
  std::string pressed_category_;
  std::uint64_t awaited_ = 0;
  std::optional<press_report> shown_;
  // Since when the link has not been live; nothing while it is.
  std::optional<clock::time_point> offline_since_;
  // How long the link may be down before the screen says so (a reconnect
  // that takes a second should not flash a fault).
  std::chrono::milliseconds offline_grace_{3000};
};

}  // namespace luot::kiosk
