#include "time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <stdexcept>

namespace luot::core {

google::protobuf::Timestamp to_proto(timestamp moment) {
  const auto since_epoch = moment.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  google::protobuf::Timestamp result;
  result.set_seconds(seconds.count());
  result.set_nanos(static_cast<std::int32_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds).count()));
  return result;
}

timestamp from_proto(const google::protobuf::Timestamp& moment) {
  return timestamp{std::chrono::seconds{moment.seconds()} +
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::nanoseconds{moment.nanos()})};
}

centre_calendar::centre_calendar(const std::string& zone_name, std::chrono::minutes reset_time)
    : zone_name_(zone_name), zone_(nullptr), reset_time_(reset_time) {
  try {
    zone_ = date::locate_zone(zone_name);
  } catch (const std::exception&) {
    throw std::runtime_error("unknown time zone \"" + zone_name + "\"");
  }
}

local_timestamp centre_calendar::to_local(timestamp moment) const {
  const auto local =
      zone_->to_local(date::sys_time<std::chrono::milliseconds>{moment.time_since_epoch()});
  return local_timestamp{local.time_since_epoch()};
}

std::string centre_calendar::service_day(timestamp moment) const {
  const auto shifted = to_local(moment) - reset_time_;
  const auto day = date::floor<date::days>(
      date::local_time<std::chrono::milliseconds>{shifted.time_since_epoch()});
  return date::format("%F", date::year_month_day{day});
}

}  // namespace luot::core
