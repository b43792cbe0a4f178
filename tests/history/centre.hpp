#pragma once

// The centre a history run drives: three categories, four counters with one
// officer each, a manager, a hall display and up to `max_kiosks` kiosks.

#include <string>
#include <vector>

namespace luot::history {

inline constexpr unsigned max_kiosks = 16;
inline constexpr const char* manager_username = "quan-ly";

const std::vector<std::string>& categories();
const std::vector<std::string>& counters();
// The officer who works at `counter` ("can-bo-2" at counter 2).
std::string officer_at(const std::string& counter);
// Kiosk `index` (1 to max_kiosks): its device id and token.
std::string kiosk_id(unsigned index);
std::string kiosk_token(unsigned index);

// The centre as TOML: numbers A00001 ... (five digits: a long run issues
// tens of thousands a day), every category always open, no automatic
// no-shows, rate limits out of the way, and a reset time twelve hours away.
std::string centre_toml();

}  // namespace luot::history
