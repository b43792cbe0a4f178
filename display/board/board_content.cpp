#include "board/board_content.hpp"

#include <algorithm>
#include <set>

#include "board/local_time.hpp"

namespace luot::display {

namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

std::string in_language(const std::string& vietnamese, const std::string& english,
                        text::language language) {
  if (language == text::language::en && !english.empty()) return english;
  return vietnamese.empty() ? english : vietnamese;
}

std::string words(text::language language, std::string_view key) {
  return std::string(text::lookup(language, key));
}

board_content::counter_line describe_counter(const v1::Counter& counter, text::language language) {
  board_content::counter_line line;
  line.name = in_language(counter.name_vi(), counter.name_en(), language);
  if (line.name.empty()) line.name = counter.id();
  line.number = counter.current_number().empty() ? words(language, "display.no_number")
                                                 : counter.current_number();
  switch (counter.state()) {
    case v1::COUNTER_STATE_OPEN:
      line.state = words(language, "display.counter_state.open");
      line.state_tone = tone::positive;
      break;
    case v1::COUNTER_STATE_PAUSED:
      line.state = counter.pause_reason().empty()
                       ? words(language, "display.counter_state.paused")
                       : text::format(language, "display.counter_state.paused_reason",
                                      {counter.pause_reason()});
      line.state_tone = tone::caution;
      break;
    default:
      line.state = words(language, "display.counter_state.closed");
      line.state_tone = tone::muted;
      break;
  }
  return line;
}

board_content::category_line describe_category(const v1::Category& category,
                                               text::language language) {
  board_content::category_line line;
  line.name = in_language(category.name_vi(), category.name_en(), language);
  const std::uint32_t waiting = category.waiting_regular() + category.waiting_priority();
  line.waiting = std::to_string(waiting);
  if (category.waiting_priority() > 0) {
    line.waiting_note = text::format(language, "display.waiting_priority",
                                     {std::to_string(category.waiting_priority())});
  }
  switch (category.status()) {
    case v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS:
      line.estimate = words(language, "display.category_state.outside_hours");
      line.estimate_tone = tone::muted;
      break;
    case v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED:
      line.estimate = words(language, "display.category_state.limit_reached");
      line.estimate_tone = tone::caution;
      break;
    case v1::CATEGORY_STATUS_CLOSED_MANUALLY:
      line.estimate = words(language, "display.category_state.closed");
      line.estimate_tone = tone::caution;
      break;
    default:
      line.estimate = estimate_text(category.estimated_wait_seconds(), waiting, language);
      line.estimate_tone = waiting == 0 ? tone::positive : tone::normal;
      break;
  }
  return line;
}

// The first moment after `now` that is `start` plus a whole number of steps.
system_clock::time_point next_tick(system_clock::time_point start, system_clock::time_point now,
                                   std::chrono::seconds step) {
  if (now < start) return start;
  const auto steps = (now - start) / step + 1;
  return start + steps * step;
}

}  // namespace

std::string counter_label(const v1::View& view, const std::string& counter_id,
                          text::language language) {
  for (const auto& counter : view.counters()) {
    if (counter.id() == counter_id) {
      const std::string name = in_language(counter.name_vi(), counter.name_en(), language);
      if (!name.empty()) return name;
    }
  }
  return counter_id;
}

board_content build_board(const board_inputs& inputs) {
  board_content board;
  const auto language = inputs.language;
  board.language = language;
  board.layout = inputs.layout;
  board.has_view = inputs.view != nullptr;
  board.now = inputs.now;
  board.recent_slots = inputs.recent_count;
  board.ticker = inputs.ticker.empty() ? words(language, "display.ticker_default") : inputs.ticker;

  const std::string zone = inputs.view != nullptr ? inputs.view->time_zone() : std::string();
  const auto clock = local_clock_at(inputs.now, zone, language);
  board.date = clock.date;
  board.clock = clock.time;
  board.next_change = clock.next_minute;

  if (!inputs.live) {
    board_content::banner_text banner;
    if (inputs.view == nullptr) {
      banner.headline = words(language, "display.connecting");
      banner.detail = words(language, "display.no_data_yet");
    } else {
      banner.headline = words(language, "display.disconnected");
      const auto since = inputs.stale_since.value_or(inputs.now);
      banner.detail = text::format(
          language, "display.data_age",
          {local_hour_minute(since, zone),
           elapsed_text(std::chrono::floor<std::chrono::seconds>(inputs.now - since), language)});
    }
    board.banner = std::move(banner);
    // The age is shown to the second for its first minute, then by minute:
    // the board redraws when the words change, not every second.
    if (inputs.view == nullptr) {
      board.next_change = std::min(board.next_change, next_tick(inputs.now, inputs.now, 1s));
    } else {
      const auto since = inputs.stale_since.value_or(inputs.now);
      const auto step =
          inputs.now - since < 60s ? std::chrono::seconds(1) : std::chrono::seconds(60);
      board.next_change = std::min(board.next_change, next_tick(since, inputs.now, step));
    }
  }
  if (inputs.view == nullptr) return board;
  const v1::View& view = *inputs.view;
  board.centre_name = view.centre_name();

  const auto heard_recently = [&](const v1::Call& call) {
    return inputs.newest_call_heard_at && inputs.newest_call_heard_seq == call.seq() &&
           inputs.now < *inputs.newest_call_heard_at + inputs.highlight_for;
  };
  std::set<std::string> listed;
  bool own_seen = false;
  for (const auto& call : view.recent_calls()) {
    if (inputs.layout == layout_kind::counter && call.counter() == inputs.counter_id && !own_seen) {
      own_seen = true;
      // The counter-top screen lights up for its own newest call only.
      board.own_highlighted = heard_recently(call);
      if (board.own_highlighted) {
        board.next_change =
            std::min(board.next_change, *inputs.newest_call_heard_at + inputs.highlight_for);
      }
    }
    if (!listed.insert(call.ticket_id().empty() ? call.number() : call.ticket_id()).second) {
      continue;
    }
    board_content::call_line line{call.number(), counter_label(view, call.counter(), language)};
    if (!board.newest) {
      board.newest = line;
      if (heard_recently(call)) {
        board.newest_highlighted = true;
        board.next_change =
            std::min(board.next_change, *inputs.newest_call_heard_at + inputs.highlight_for);
      }
    } else if (static_cast<int>(board.recent.size()) < inputs.recent_count) {
      board.recent.push_back(std::move(line));
    }
  }
  for (const auto& counter : view.counters()) {
    board.counters.push_back(describe_counter(counter, language));
    if (inputs.layout == layout_kind::counter && counter.id() == inputs.counter_id) {
      board.own_counter = board.counters.back();
      board.own_officer =
          counter.officer_name().empty()
              ? std::string()
              : text::format(language, "display.counter_top.officer", {counter.officer_name()});
    }
  }
  if (inputs.layout == layout_kind::counter && !board.own_counter) {
    board.own_counter_missing =
        text::format(language, "display.unknown_counter", {inputs.counter_id});
  }
  for (const auto& category : view.categories()) {
    board.categories.push_back(describe_category(category, language));
  }
  return board;
}

}  // namespace luot::display
