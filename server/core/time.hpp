#pragma once

#include <chrono>
#include <string>

#include "google/protobuf/timestamp.pb.h"

namespace date {
class time_zone;
}

namespace luot::core {

// A moment in UTC with millisecond resolution: the only notion of "now" the
// engine knows, always handed in by its caller.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Wall-clock time in the centre's time zone.
using local_timestamp = std::chrono::local_time<std::chrono::milliseconds>;

google::protobuf::Timestamp to_proto(timestamp moment);
timestamp from_proto(const google::protobuf::Timestamp& moment);

// The centre's time zone plus the local time of day at which a new service
// day starts (numbering resets then). Converting is pure computation over
// the time zone rules loaded once at start-up.
class centre_calendar {
 public:
  // Throws std::runtime_error when the zone name is unknown.
  centre_calendar(const std::string& zone_name, std::chrono::minutes reset_time);

  local_timestamp to_local(timestamp moment) const;
  // "YYYY-MM-DD" of the service day `moment` belongs to.
  std::string service_day(timestamp moment) const;
  const std::string& zone_name() const { return zone_name_; }
  std::chrono::minutes reset_time() const { return reset_time_; }

 private:
  std::string zone_name_;
  const date::time_zone* zone_;
  std::chrono::minutes reset_time_;
};

}  // namespace luot::core
