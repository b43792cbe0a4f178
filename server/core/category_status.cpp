#include "category_status.hpp"

#include "numbering.hpp"

namespace luot::core::detail {

bool within_hours(const weekly_hours& hours, local_timestamp moment) {
  if (!hours) return true;
  const auto day = std::chrono::floor<std::chrono::days>(moment);
  const auto weekday = std::chrono::weekday{day};
  const auto minute = std::chrono::floor<std::chrono::minutes>(moment - day);
  for (const auto& range : (*hours)[weekday.c_encoding()])
    if (range.begin <= minute && minute < range.end) return true;
  return false;
}

category_availability availability(const queue_state& state, const centre_calendar& calendar,
                                   const category_config& category, timestamp now) {
  const auto& closed = state.memo().closed_categories();
  if (const auto found = closed.find(category.code); found != closed.end())
    return {v1::CATEGORY_STATUS_CLOSED_MANUALLY, found->second};
  if (!within_hours(category.hours, calendar.to_local(now)))
    return {v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS, {}};
  if (numbering(category).exhausted(state.next_ordinal(category.code)))
    return {v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED, {}};
  return {v1::CATEGORY_STATUS_OPEN, {}};
}

}  // namespace luot::core::detail
