#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "luot/v1/luot.pb.h"
#include "text/catalogue.hpp"

namespace luot::display {

enum class layout_kind { hall, counter };

// How a piece of state should look; the painter maps it to the theme.
enum class tone { normal, positive, caution, muted };

// What the board shows, already in words from the catalogue: the painters
// only place and colour it, so every rule of what to show is tested here,
// without SDL.
struct board_content {
  struct call_line {
    std::string number;
    std::string counter;
  };
  struct counter_line {
    std::string name;
    std::string number;
    std::string state;
    tone state_tone = tone::normal;
  };
  struct category_line {
    std::string name;
    std::string waiting;
    // "3 ưu tiên" when priority tickets wait; empty otherwise.
    std::string waiting_note;
    std::string estimate;
    tone estimate_tone = tone::normal;
  };
  // The lost-connection banner: its headline and how old the data is.
  struct banner_text {
    std::string headline;
    std::string detail;
  };

  text::language language = text::language::vi;
  layout_kind layout = layout_kind::hall;
  bool has_view = false;

  std::string centre_name;
  std::string date;
  std::string clock;

  std::optional<call_line> newest;
  // The newest call was heard moments ago: drawn highlighted.
  bool newest_highlighted = false;
  // The calls before the newest, one per ticket, most recent first.
  std::vector<call_line> recent;
  // Places for recent calls on the board, so it keeps its shape early in
  // the day.
  int recent_slots = 6;
  std::vector<counter_line> counters;
  std::vector<category_line> categories;
  std::string ticker;
  std::optional<banner_text> banner;

  // The counter-top layout: its one counter.
  std::optional<counter_line> own_counter;
  std::string own_officer;
  // A call to this counter was heard moments ago.
  bool own_highlighted = false;
  // Set when the counter asked for is not in the view.
  std::string own_counter_missing;

  // When the content changes with no update from the server: the clock's
  // next minute, the end of the highlight, the banner's next second.
  std::chrono::system_clock::time_point next_change;
  // The moment this content describes.
  std::chrono::system_clock::time_point now;
};

// Everything a board is made from.
struct board_inputs {
  // Null before the first view.
  const v1::View* view = nullptr;
  // The link is live: no banner.
  bool live = false;
  // The last moment the data was known to be current (when not live).
  std::optional<std::chrono::system_clock::time_point> stale_since;
  std::chrono::system_clock::time_point now;
  // When this display heard the newest call (live or from a resync).
  std::optional<std::chrono::system_clock::time_point> newest_call_heard_at;
  std::uint64_t newest_call_heard_seq = 0;

  text::language language = text::language::vi;
  layout_kind layout = layout_kind::hall;
  // The counter-top layout's counter.
  std::string counter_id;
  // Calls listed below the newest one.
  int recent_count = 6;
  std::chrono::seconds highlight_for{10};
  // Empty: the catalogue's default notice.
  std::string ticker;
};

board_content build_board(const board_inputs& inputs);

// A counter's name in the board's language (its id when it has none).
std::string counter_label(const v1::View& view, const std::string& counter_id,
                          text::language language);

}  // namespace luot::display
