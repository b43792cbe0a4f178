#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "time.hpp"

namespace luot::core {

// Folds the events of a range of service days into the figures a department
// reports upward (see v1::Report and docs/api.md for each definition):
// tickets issued, called, served, no-show and not served per category, per
// officer and per day; waiting and service times; the share called within
// the target wait; the satisfaction ratings. Pure: events in, figures out.
class report_builder {
 public:
  // `officer_names` maps usernames to display names; days are "YYYY-MM-DD".
  report_builder(const centre_config& config, std::map<std::string, std::string> officer_names,
                 std::string from_day, std::string to_day);
  ~report_builder();
  report_builder(const report_builder&) = delete;
  report_builder& operator=(const report_builder&) = delete;

  // Events in seq order; those of days outside the range are skipped.
  void add(const v1::Event& event);

  // The figures so far; tickets of a day not yet closed count as open.
  v1::Report finish(timestamp generated_at) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace luot::core
