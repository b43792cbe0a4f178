#include "kiosk/screen_model.hpp"

#include <algorithm>

namespace luot::kiosk {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

bool is_menu(page which) {
  return which == page::idle || which == page::start || which == page::priority;
}

}  // namespace

std::string_view to_string(page which) {
  switch (which) {
    case page::idle:
      return "idle";
    case page::start:
      return "start";
    case page::priority:
      return "priority";
    case page::working:
      return "working";
    case page::confirmation:
      return "confirmation";
    case page::notice:
      return "notice";
    case page::out_of_service:
      return "out_of_service";
  }
  return "start";
}

screen_model::screen_model(const kiosk_timing& timing, text::language lang, clock::time_point now)
    : timing_(timing),
      language_(lang),
      starting_language_(lang),
      since_(now),
      last_touch_(now),
      offline_since_(now) {}

void screen_model::go(page next, clock::time_point now) {
  if (next == page_) return;
  page_ = next;
  since_ = now;
  if (next != page::priority && next != page::working) priority_class_.clear();
  if (next == page::idle) language_ = starting_language_;
}

bool screen_model::touched(clock::time_point now) {
  last_touch_ = now;
  if (page_ == page::idle || page_ == page::confirmation || page_ == page::notice) {
    go(page::start, now);
    return true;
  }
  return false;
}

void screen_model::choose_priority(const std::string& priority_class, clock::time_point now) {
  if (page_ != page::start) return;
  go(page::priority, now);
  priority_class_ = priority_class;
}

void screen_model::back(clock::time_point now) {
  if (page_ == page::priority) go(page::start, now);
}

void screen_model::toggle_language(clock::time_point) {
  language_ = language_ == text::language::vi ? text::language::en : text::language::vi;
}

void screen_model::pressed(const press_receipt& receipt, const std::string& category,
                           clock::time_point now) {
  pressed_category_ = category;
  if (receipt.accepted()) {
    awaited_ = receipt.id;
    shown_.reset();
    go(page::working, now);
    return;
  }
  press_report refusal;
  refusal.outcome = press_outcome::refused;
  refusal.category = category;
  refusal.reason = receipt.refusal;
  shown_ = refusal;
  go(page::notice, now);
}

void screen_model::reported(const press_report& report, clock::time_point now) {
  const bool ours = report.press_id == awaited_ && awaited_ != 0;
  switch (report.outcome) {
    case press_outcome::printed:
      // Ours, or one resumed after a restart or answered late: the citizen
      // may well be standing there, so show it whatever the page.
      shown_ = report;
      go(page::confirmation, now);
      since_ = now;
      break;
    case press_outcome::refused:
      if (!ours) break;
      shown_ = report;
      go(page::notice, now);
      break;
    case press_outcome::server_silent:
    case press_outcome::print_failed:
      // The out-of-service page says what is pending; keep the details.
      shown_ = report;
      break;
  }
}

void screen_model::tick(const service_state& state, clock::time_point now) {
  if (state.online()) {
    offline_since_.reset();
  } else if (!offline_since_) {
    offline_since_ = now;
  }
  if (state.phase == service_phase::waiting_for_printer) {
    fault_ = fault::reprint_pending;
  } else if (state.phase == service_phase::waiting_for_server) {
    fault_ = fault::server_pending;
  } else if (offline_since_ && now - *offline_since_ >= offline_grace_) {
    fault_ = fault::offline;
  } else if (!printer::can_print(state.printer)) {
    fault_ = fault::printer;
  } else {
    fault_ = fault::none;
  }

  const auto on_page = now - since_;
  const auto untouched = now - last_touch_;
  switch (page_) {
    case page::confirmation:
    case page::notice:
      if (on_page >= timing_.confirmation) go(page::start, now);
      break;
    case page::working:
      if (fault_ == fault::reprint_pending || fault_ == fault::server_pending) {
        go(page::out_of_service, now);
      } else if (state.phase == service_phase::idle &&
                 on_page >= timing_.request_timeout + timing_.give_up) {
        // The press ended without a report for this screen: do not hang.
        go(page::start, now);
      }
      break;
    case page::out_of_service:
      if (fault_ == fault::none) go(page::start, now);
      break;
    case page::start:
    case page::priority:
      if (untouched >= timing_.idle) go(page::idle, now);
      break;
    case page::idle:
      break;
  }
  if (fault_ != fault::none && is_menu(page_)) go(page::out_of_service, now);
}

std::optional<std::chrono::milliseconds> screen_model::until_next_change(
    clock::time_point now) const {
  std::optional<clock::time_point> due;
  const auto consider = [&](clock::time_point moment) {
    due = due ? std::min(*due, moment) : moment;
  };
  switch (page_) {
    case page::confirmation:
    case page::notice:
      consider(since_ + timing_.confirmation);
      break;
    case page::start:
    case page::priority:
      consider(last_touch_ + timing_.idle);
      break;
    case page::working:
      consider(since_ + timing_.request_timeout + timing_.give_up);
      break;
    case page::idle:
    case page::out_of_service:
      break;
  }
  if (offline_since_ && fault_ != fault::offline) consider(*offline_since_ + offline_grace_);
  if (!due) return std::nullopt;
  return std::max(milliseconds(0), duration_cast<milliseconds>(*due - now));
}

}  // namespace luot::kiosk
