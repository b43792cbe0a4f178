#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "time.hpp"

namespace luot::core {

// How a category turns ordinals into what citizens see and hear.
struct number_format {
  enum class kind { prefix, block };
  kind style = kind::prefix;
  // kind::prefix: prefix followed by the ordinal padded to `width` digits ("A007").
  std::string prefix;
  unsigned width = 3;
  // kind::block: ordinal n is shown as first + n - 1, up to `last` ("1001".."1999").
  std::uint32_t first = 1;
  std::uint32_t last = 999;
};

// Local times of day, [begin, end).
struct time_range {
  std::chrono::minutes begin{0};
  std::chrono::minutes end{24 * 60};
};

// Opening hours per weekday (index 0 = Sunday, as std::chrono::weekday),
// each day a list of ranges so a noon break is simply a gap. An empty
// optional means "always open".
using weekly_hours = std::optional<std::array<std::vector<time_range>, 7>>;

struct category_config {
  std::string code;
  std::string name_vi;
  std::string name_en;
  number_format format;
  weekly_hours hours;
  // Zero means no limit besides the numeric block.
  std::uint32_t daily_limit = 0;
  // Starting point of the smoothed service time before any ticket finished.
  std::chrono::seconds default_service_time{300};
};

// How a counter chooses among the categories it serves.
enum class selection_mode {
  // The ticket that has waited longest across all served categories.
  oldest_first,
  // Categories in the listed order: the first non-empty one wins.
  in_order,
  // Smooth weighted round robin over non-empty categories by `weights`.
  weighted,
};

struct counter_config {
  std::string id;
  std::string name_vi;
  std::string name_en;
  std::vector<std::string> categories;
  selection_mode selection = selection_mode::oldest_first;
  // Same length as `categories` when selection is weighted.
  std::vector<std::uint32_t> weights;
};

struct priority_class_config {
  std::string code;
  std::string name_vi;
  std::string name_en;
};

// How priority tickets are interleaved with regular ones.
struct priority_policy {
  enum class kind {
    // A servable priority ticket always goes first.
    strict,
    // After every `regular_per_priority` regular calls at a counter, one
    // priority ticket (when one waits).
    ratio,
    // A priority ticket counts as if taken `aging_bound` earlier: no regular
    // ticket waits more than that bound longer because of priority tickets.
    aging,
  };
  kind style = kind::aging;
  std::uint32_t regular_per_priority = 3;
  std::chrono::minutes aging_bound{15};
};

struct no_show_policy {
  // A recall beyond this many calls marks the ticket a no-show (0 = manual only).
  std::uint32_t max_calls = 3;
  // A no-show may return while fewer than this many tickets of its category
  // were called since, or within `return_within_time`, whichever is longer.
  std::uint32_t return_within_calls = 10;
  std::chrono::minutes return_within_time{30};
  // A returning ticket is placed after this many waiting tickets.
  std::uint32_t return_position = 1;
};

struct outcome_config {
  std::string code;
  std::string name_vi;
  std::string name_en;
};

// Everything the queue engine needs to know about a centre. Built from the
// TOML file by server/config; tests build it directly.
struct centre_config {
  std::string name;
  std::string time_zone = "Asia/Ho_Chi_Minh";
  std::chrono::minutes reset_time{0};
  std::vector<category_config> categories;
  std::vector<counter_config> counters;
  std::vector<priority_class_config> priority_classes;
  std::vector<outcome_config> outcomes;
  priority_policy priority;
  no_show_policy no_show;
  // Calls listed in the snapshot's recent_calls.
  std::uint32_t recent_calls_kept = 10;
  // Weight of the newest service time in the smoothed average.
  double service_time_smoothing = 0.2;
  // The wait the centre promises: reports give the share called within it.
  std::chrono::minutes target_wait{30};
  // A manager's monitor raises an alert when someone has waited longer.
  std::chrono::minutes alert_wait{45};
  // How long after a finish the citizen may still rate the service.
  std::chrono::minutes rating_window{10};
};

}  // namespace luot::core
