#include <algorithm>
#include <map>

#include "decider.hpp"

namespace luot::core::detail {

result<decision> decider::pause_counter(const v1::PauseCounter& command) {
  auto counter = ready_counter(command.counter());
  if (!counter) return counter.failure();
  auto* body = emit().mutable_counter_paused();
  body->set_counter(command.counter());
  body->set_reason(command.reason());
  return done({}, command.counter());
}

result<decision> decider::resume_counter(const v1::ResumeCounter& command) {
  auto counter = known_counter(command.counter());
  if (!counter) return counter.failure();
  if ((*counter)->state() != v1::COUNTER_STATE_PAUSED)
    return make_error(v1::ERROR_CODE_COUNTER_NOT_PAUSED, {command.counter()});
  emit().mutable_counter_resumed()->set_counter(command.counter());
  return done({}, command.counter());
}

result<decision> decider::open_counter(const v1::OpenCounter& command) {
  auto counter = known_counter(command.counter());
  if (!counter) return counter.failure();
  // Signing in again to one's own counter is a no-op, so a console that
  // reconnects can always send it.
  if ((*counter)->state() != v1::COUNTER_STATE_CLOSED && (*counter)->officer() == command.officer())
    return done({}, command.counter());
  auto* body = emit().mutable_counter_opened();
  body->set_counter(command.counter());
  body->set_officer(command.officer());
  body->set_officer_name(command.officer_name());
  return done({}, command.counter());
}

result<decision> decider::close_counter(const v1::CloseCounter& command) {
  auto counter = known_counter(command.counter());
  if (!counter) return counter.failure();
  if (!(*counter)->current_ticket_id().empty())
    return make_error(v1::ERROR_CODE_COUNTER_BUSY,
                      {command.counter(), (*counter)->current_number()});
  if ((*counter)->state() == v1::COUNTER_STATE_CLOSED) return done({}, command.counter());
  // Parked citizens go back to the front of their category, in the order
  // they were parked, so nobody is lost when the officer leaves.
  std::map<std::string, std::vector<const v1::Ticket*>> parked_by_category;
  for (const auto& id : (*counter)->parked_ticket_ids())
    if (const auto* ticket = queue_.ticket(id))
      parked_by_category[ticket->category()].push_back(ticket);
  for (const auto& id : (*counter)->parked_ticket_ids()) {
    const auto* ticket = queue_.ticket(id);
    if (ticket == nullptr) continue;
    const auto& group = parked_by_category[ticket->category()];
    const auto index = std::find(group.begin(), group.end(), ticket) - group.begin();
    const auto others = detail::category_front(queue_, ticket->category());
    auto* body = emit().mutable_ticket_requeued();
    body->set_ticket_id(id);
    body->set_queue_key(
        others.empty()
            ? detail::issue_key(*ticket)
            : key_in_front_of(others, *ticket, static_cast<std::int64_t>(group.size()) - index));
  }
  emit().mutable_counter_closed()->set_counter(command.counter());
  return done({}, command.counter());
}

result<decision> decider::close_category(const v1::CloseCategory& command) {
  if (queue_.category(command.category()) == nullptr)
    return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
  if (queue_.memo().closed_categories().contains(command.category())) return done({}, {});
  auto* body = emit().mutable_category_closed();
  body->set_category(command.category());
  body->set_note(command.note());
  return done({}, {});
}

result<decision> decider::reopen_category(const v1::ReopenCategory& command) {
  if (queue_.category(command.category()) == nullptr)
    return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
  if (!queue_.memo().closed_categories().contains(command.category()))
    return make_error(v1::ERROR_CODE_CATEGORY_NOT_CLOSED, {command.category()});
  emit().mutable_category_reopened()->set_category(command.category());
  return done({}, {});
}

result<decision> decider::report_device_status(const v1::ReportDeviceStatus& command) {
  constexpr std::size_t detail_limit = 200;
  if (command.device().empty())
    return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of("reason.device_required"));
  if (command.health() == v1::DEVICE_HEALTH_UNSPECIFIED ||
      !v1::DeviceHealth_IsValid(command.health()))
    return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of("reason.health_required"));
  if (command.detail().size() > detail_limit)
    return make_error(v1::ERROR_CODE_BAD_REQUEST,
                      reason::of("reason.detail_too_long", {std::to_string(detail_limit)}));
  // Only a change is worth an event: a kiosk may report every minute.
  const auto& known = queue_.devices();
  if (const auto found = known.find(command.device()); found != known.end() &&
                                                       found->second.health() == command.health() &&
                                                       found->second.detail() == command.detail())
    return done({}, {});
  auto* status = emit().mutable_device_status_changed()->mutable_status();
  status->set_device(command.device());
  status->set_health(command.health());
  status->set_detail(command.detail());
  *status->mutable_since() = to_proto(now_);
  return done({}, {});
}

// A manager's change to a member of staff, checked like the config's
// [[staff]]; the server has already hashed the password.
result<decision> decider::set_staff(const v1::StaffRecord& record) {
  const auto bad = [](std::string why) {
    return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of(std::move(why)));
  };
  const auto& name = record.username();
  if (name.empty() || name.size() > 32 || !std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      }))
    return bad("reason.username_format");
  if (record.display_name().empty() || record.display_name().size() > 200)
    return bad("reason.display_name_required");
  if (record.role() != "officer" && record.role() != "manager") return bad("reason.role_invalid");
  if (!record.password_hash().starts_with("$argon2id$"))
    return bad("reason.password_hash_required");
  for (const auto& counter : record.counters())
    if (queue_.counter_config_for(counter) == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter});
  *emit().mutable_staff_set()->mutable_record() = record;
  return done({}, {});
}

}  // namespace luot::core::detail
