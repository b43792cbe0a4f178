#pragma once

#include <string>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::core {

// One centre's report in a province report.
struct centre_report {
  std::string centre;
  std::string name;
  v1::Report report;
};

// The province-wide total of centres' reports of the same days: every
// count summed (tickets, calls, outcomes, ratings, issued per hour, events
// read), the days merged by date, wait and service means weighted by their
// counts, and the share called within the target recomputed from the sums.
// Medians and 90th percentiles do not add up from per-centre figures: the
// total leaves them 0 (each centre's row has its own). Categories and
// officers belong to their centre and are not merged. `label` names the
// total (centre_name).
v1::Report sum_reports(const std::vector<centre_report>& centres, const std::string& label);

}  // namespace luot::core
