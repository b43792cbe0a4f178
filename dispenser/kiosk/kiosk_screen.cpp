#include "kiosk/kiosk_screen.hpp"

namespace luot::kiosk {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

std::chrono::milliseconds until_next_minute(std::chrono::system_clock::time_point now) {
  const auto into = now.time_since_epoch() % std::chrono::minutes(1);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::minutes(1) - into) +
         50ms;
}

}  // namespace

kiosk_screen::kiosk_screen(const kiosk_options& options, kiosk_service& service,
                           SDL_Renderer* renderer, ui::font_library& fonts)
    : options_(options),
      service_(service),
      painter_(renderer, fonts),
      model_(options.timing, options.language, steady::now()) {}

void kiosk_screen::take_report(const press_report& report) {
  std::lock_guard lock(inbox_mutex_);
  inbox_.push_back(report);
}

void kiosk_screen::handle(const SDL_Event& event, ui::size output) {
  switch (event.type) {
    case SDL_FINGERDOWN:
      touch(static_cast<int>(event.tfinger.x * static_cast<float>(output.w)),
            static_cast<int>(event.tfinger.y * static_cast<float>(output.h)));
      break;
    case SDL_MOUSEBUTTONDOWN:
      // SDL also reports each touch as a click: take it once.
      if (event.button.which == SDL_TOUCH_MOUSEID) break;
      touch(event.button.x, event.button.y);
      break;
    case SDL_KEYDOWN:
      if (event.key.keysym.sym == SDLK_ESCAPE) model_.back(steady::now());
      break;
    default:
      break;
  }
}

void kiosk_screen::touch(int x, int y) {
  const auto now = steady::now();
  if (model_.touched(now)) return;
  const auto on = model_.current();
  if (on != page::start && on != page::priority) return;
  // Hit-test against what was drawn last: the buttons the citizen sees.
  const auto target = hit_test(painter_.menu(), x, y);
  const auto view = service_.view();
  switch (target.what) {
    case menu_target::kind::nothing:
      break;
    case menu_target::kind::language:
      model_.toggle_language(now);
      break;
    case menu_target::kind::back:
      model_.back(now);
      break;
    case menu_target::kind::priority_class:
      if (target.index < static_cast<std::size_t>(view.priority_classes_size())) {
        model_.choose_priority(view.priority_classes(static_cast<int>(target.index)).code(), now);
      }
      break;
    case menu_target::kind::category:
      if (target.index < static_cast<std::size_t>(view.categories_size())) {
        const auto& code = view.categories(static_cast<int>(target.index)).code();
        const auto priority = on == page::priority ? model_.priority_class() : std::string();
        model_.pressed(service_.press(code, priority, model_.language()), code, now);
      }
      break;
  }
}

void kiosk_screen::draw(ui::size output) {
  const auto now = steady::now();
  std::vector<press_report> reports;
  {
    std::lock_guard lock(inbox_mutex_);
    reports.swap(inbox_);
  }
  for (const auto& report : reports) {
    model_.reported(report, now);
    if (speaker_ != nullptr && report.outcome == press_outcome::printed && report.ticket &&
        model_.current() == page::confirmation) {
      speaker_->say(report.ticket->number(), model_.language());
    }
  }
  const auto state = service_.state();
  const auto view = service_.view();
  model_.tick(state, now);
  painter_.draw(output, {model_, state, view, options_.hotline, std::chrono::system_clock::now()});
}

std::chrono::milliseconds kiosk_screen::until_next_frame() const {
  auto due = until_next_minute(std::chrono::system_clock::now());
  if (const auto change = model_.until_next_change(steady::now())) due = std::min(due, *change);
  return due;
}

}  // namespace luot::kiosk
