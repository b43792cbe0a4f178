#pragma once

#include <string>

#include "luot/v1/luot.pb.h"
#include "text/catalogue.hpp"

namespace luot::net {

// A report as CSV with exactly the figures of its JSON form: one row per
// category, officer and day plus the total, column headings from the
// catalogue. UTF-8 with a byte-order mark so a spreadsheet shows the
// Vietnamese names right; fields quoted where needed.
std::string report_csv(const v1::Report& report, text::language language);

}  // namespace luot::net
