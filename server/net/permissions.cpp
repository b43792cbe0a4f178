#include "net/permissions.hpp"

#include <algorithm>

#include "text/catalogue.hpp"

namespace luot::net {

namespace {

core::error denied(std::string_view reason_key, const std::vector<std::string>& args = {}) {
  return core::make_error(v1::ERROR_CODE_PERMISSION_DENIED, {text::reason(reason_key, args)});
}

core::error unauthenticated() {
  return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
}

bool is_device(const principal& who) {
  return who.kind == principal_kind::display || who.kind == principal_kind::kiosk ||
         who.kind == principal_kind::rating;
}

bool is_manager(const principal& who) {
  return who.kind == principal_kind::staff && who.staff_role == config::role::manager;
}

bool in_zone(const principal& who, std::string_view counter) {
  return who.zone.empty() || std::find(who.zone.begin(), who.zone.end(), counter) != who.zone.end();
}

// Anonymous callers are asked to sign in; known parties of the wrong kind
// are refused with `reason_key`.
std::optional<core::error> require(bool allowed, const principal& who, std::string_view reason_key,
                                   const std::vector<std::string>& args = {}) {
  if (allowed) return std::nullopt;
  if (who.kind == principal_kind::anonymous) return unauthenticated();
  return denied(reason_key, args);
}

}  // namespace

std::optional<core::error> authorize(const principal& who, access what, std::string_view counter) {
  switch (what) {
    case access::staff_snapshot:
    case access::sign_out:
      return require(who.kind == principal_kind::staff, who, "reason.staff_only");
    case access::counter_queue:
      // It names other citizens' tickets: the officer of that counter, or a manager.
      if (auto refused = require(who.kind == principal_kind::staff, who, "reason.staff_only"))
        return refused;
      if (is_manager(who) || who.counter == counter) return std::nullopt;
      return denied("reason.other_counter", {who.counter, std::string(counter)});
    case access::rating_prompt:
      if (auto refused =
              require(who.kind == principal_kind::rating || who.kind == principal_kind::staff, who,
                      "reason.rating_devices_only"))
        return refused;
      if (who.kind == principal_kind::rating && !in_zone(who, counter))
        return denied("reason.rating_other_counter", {std::string(counter)});
      return std::nullopt;
    case access::manager_pages:
      return require(is_manager(who), who, "reason.managers_only");
  }
  return denied("reason.staff_only");
}

std::optional<std::string> counter_of(const v1::Command& command) {
  switch (command.action_case()) {
    case v1::Command::kCallNext:
      return command.call_next().counter();
    case v1::Command::kFinish:
      return command.finish().counter();
    case v1::Command::kCallTicket:
      return command.call_ticket().counter();
    case v1::Command::kRecall:
      return command.recall().counter();
    case v1::Command::kMarkNoShow:
      return command.mark_no_show().counter();
    case v1::Command::kPark:
      return command.park().counter();
    case v1::Command::kResumeParked:
      return command.resume_parked().counter();
    case v1::Command::kTransfer:
      return command.transfer().counter();
    case v1::Command::kPauseCounter:
      return command.pause_counter().counter();
    case v1::Command::kResumeCounter:
      return command.resume_counter().counter();
    case v1::Command::kCloseCounter:
      return command.close_counter().counter();
    default:
      return std::nullopt;
  }
}

std::optional<core::error> authorize(const principal& who, const v1::Command& command) {
  // A device reports its own status (the server fills in which device).
  if (command.has_report_device_status())
    return require(is_device(who), who, "reason.devices_only");
  if (who.kind == principal_kind::display) return denied("reason.display_no_commands");
  // The rating tablet beside a counter rates services there, nothing else.
  if (command.has_rate_service()) {
    if (auto refused =
            require(who.kind == principal_kind::rating, who, "reason.rating_devices_only"))
      return refused;
    const auto& counter = command.rate_service().counter();
    if (!in_zone(who, counter)) return denied("reason.rating_other_counter", {counter});
    return std::nullopt;
  }
  if (who.kind == principal_kind::rating) return denied("reason.rating_device_rates_only");
  switch (command.action_case()) {
    case v1::Command::ACTION_NOT_SET:
      return core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.empty_command")});
    case v1::Command::kTakeTicket:
      return std::nullopt;
    case v1::Command::kOpenCounter:
      return denied("reason.counters_open_on_sign_in");
    case v1::Command::kReturnNoShow:
      return require(who.kind == principal_kind::staff, who, "reason.staff_only");
    case v1::Command::kCloseCategory:
    case v1::Command::kReopenCategory:
    case v1::Command::kSetStaff:
      return require(is_manager(who), who, "reason.managers_only");
    default:
      break;
  }
  // Everything else is a counter command.
  if (auto refused = require(who.kind == principal_kind::staff, who, "reason.officers_only"))
    return refused;
  const auto counter = counter_of(command);
  if (!counter || who.counter.empty() || *counter != who.counter)
    return denied("reason.other_counter", {who.counter, counter.value_or("")});
  return std::nullopt;
}

std::optional<core::error> authorize_sign_in(const config::staff_member& member,
                                             std::string_view counter) {
  if (counter.empty() || member.counters.empty()) return std::nullopt;
  if (std::find(member.counters.begin(), member.counters.end(), counter) != member.counters.end())
    return std::nullopt;
  return denied("reason.counter_not_allowed", {std::string(counter)});
}

std::optional<core::error> authorize_staffing(const v1::Command& command, std::string_view actor,
                                              const v1::Counter* counter) {
  if (command.has_open_counter()) return std::nullopt;
  const auto counter_id = counter_of(command);
  if (!counter_id || counter == nullptr || counter->state() == v1::COUNTER_STATE_CLOSED ||
      counter->officer() == actor)
    return std::nullopt;
  return denied("reason.counter_staffed_by", {*counter_id, counter->officer()});
}

bool bound_to_centre(const config::staff_member& member, std::string_view centre) {
  return member.centres.empty() ||
         std::find(member.centres.begin(), member.centres.end(), centre) != member.centres.end();
}

bool bound_to_centre(const config::device& device, std::string_view centre) {
  return device.centre.empty() || device.centre == centre;
}

std::optional<core::error> authorize_centre(const principal& who, std::string_view centre) {
  if (who.kind == principal_kind::anonymous || who.centre == centre) return std::nullopt;
  return denied("reason.other_centre", {who.centre, std::string(centre)});
}

core::result<std::vector<std::string>> province_centres(const principal& who,
                                                        const std::vector<std::string>& centres) {
  if (auto refused = require(is_manager(who), who, "reason.managers_only")) return *refused;
  std::vector<std::string> covered;
  for (const auto& centre : centres) {
    const bool bound = who.centres.empty() ? centre == who.centre
                                           : std::find(who.centres.begin(), who.centres.end(),
                                                       centre) != who.centres.end();
    if (bound) covered.push_back(centre);
  }
  return covered;
}

}  // namespace luot::net
