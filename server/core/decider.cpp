#include "decider.hpp"

#include <algorithm>

namespace luot::core::detail {

decider::decider(const queue_state& queue, const centre_calendar& calendar,
                 const token_source& tokens, timestamp now, const actor& who)
    : queue_(queue),
      calendar_(calendar),
      tokens_(tokens),
      now_(now),
      who_(who),
      // The calendar day of `now`, unless the host clock stepped back
      // before the engine's current day: events never go back a day.
      service_day_(std::max(calendar.service_day(now), queue.service_day())) {}

result<decision> decider::decide(const v1::Command& command) {
  switch (command.action_case()) {
    case v1::Command::kTakeTicket:
      return take_ticket(command.take_ticket());
    case v1::Command::kCallNext:
      return call_next(command.call_next());
    case v1::Command::kCallTicket:
      return call_ticket(command.call_ticket());
    case v1::Command::kFinish:
      return finish(command.finish());
    case v1::Command::kRecall:
      return recall(command.recall());
    case v1::Command::kMarkNoShow:
      return mark_no_show(command.mark_no_show());
    case v1::Command::kReturnNoShow:
      return return_no_show(command.return_no_show());
    case v1::Command::kPark:
      return park(command.park());
    case v1::Command::kResumeParked:
      return resume_parked(command.resume_parked());
    case v1::Command::kTransfer:
      return transfer(command.transfer());
    case v1::Command::kPauseCounter:
      return pause_counter(command.pause_counter());
    case v1::Command::kResumeCounter:
      return resume_counter(command.resume_counter());
    case v1::Command::kOpenCounter:
      return open_counter(command.open_counter());
    case v1::Command::kCloseCounter:
      return close_counter(command.close_counter());
    case v1::Command::kCloseCategory:
      return close_category(command.close_category());
    case v1::Command::kReopenCategory:
      return reopen_category(command.reopen_category());
    case v1::Command::kReportDeviceStatus:
      return report_device_status(command.report_device_status());
    case v1::Command::kRateService:
      return rate_service(command.rate_service());
    case v1::Command::kSetStaff:
      return set_staff(command.set_staff().record());
    case v1::Command::ACTION_NOT_SET:
      break;
  }
  return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of("sec.empty_command"));
}

v1::Event& decider::emit() {
  auto& event = decision_.events.emplace_back();
  event.set_seq(queue_.seq() + decision_.events.size());
  event.set_service_day(service_day_);
  *event.mutable_at() = to_proto(now_);
  event.set_actor(who_.name);
  return event;
}

decision decider::done(std::string ticket_id, std::string counter_id) {
  decision_.ticket_id = std::move(ticket_id);
  decision_.counter_id = std::move(counter_id);
  return std::move(decision_);
}

// A configured counter, regardless of its state (the log may still name
// counters that were removed from the config; nobody acts on those).
result<const v1::Counter*> decider::known_counter(const std::string& id) const {
  const auto* counter = queue_.counter(id);
  if (counter == nullptr || queue_.counter_config_for(id) == nullptr)
    return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {id});
  return counter;
}

// A counter that is open, not paused and not serving anyone: ready to call.
result<const v1::Counter*> decider::ready_counter(const std::string& id) const {
  auto counter = known_counter(id);
  if (!counter) return counter;
  if ((*counter)->state() == v1::COUNTER_STATE_CLOSED)
    return make_error(v1::ERROR_CODE_COUNTER_CLOSED, {id});
  if ((*counter)->state() == v1::COUNTER_STATE_PAUSED)
    return make_error(v1::ERROR_CODE_COUNTER_PAUSED, {id});
  if (!(*counter)->current_ticket_id().empty())
    return make_error(v1::ERROR_CODE_COUNTER_BUSY, {id, (*counter)->current_number()});
  return counter;
}

// The ticket a counter is serving now.
result<const v1::Ticket*> decider::current_ticket(const std::string& counter_id) const {
  auto counter = known_counter(counter_id);
  if (!counter) return counter.failure();
  const auto* ticket = queue_.ticket((*counter)->current_ticket_id());
  if (ticket == nullptr) return make_error(v1::ERROR_CODE_NO_CURRENT_TICKET, {counter_id});
  return ticket;
}

// A ticket of today by id, or by display number (narrowed by category
// when the same number exists in several categories).
result<const v1::Ticket*> decider::resolve_ticket(const std::string& reference,
                                                  const std::string& category) const {
  if (const auto* ticket = queue_.ticket(reference)) return ticket;
  auto matches = queue_.tickets_numbered(reference);
  if (!category.empty())
    std::erase_if(matches,
                  [&](const v1::Ticket* ticket) { return ticket->category() != category; });
  if (matches.empty()) return make_error(v1::ERROR_CODE_UNKNOWN_TICKET, {reference});
  if (matches.size() > 1) return make_error(v1::ERROR_CODE_AMBIGUOUS_TICKET, {reference});
  return matches.front();
}

// The lowest effective key a ticket can get in front of `others` (the
// front of a queue is enough: each kind's first ticket has its lowest
// key), turned back into its own key space (aged priority tickets carry a
// shift).
std::int64_t decider::key_in_front_of(const std::vector<candidate>& others,
                                      const v1::Ticket& ticket, std::int64_t places) const {
  const auto& policy = queue_.config().priority;
  if (others.empty()) return detail::issue_key(ticket);
  std::int64_t lowest = std::get<1>(detail::order_key(policy, others.front()));
  for (const auto& other : others)
    lowest = std::min(lowest, std::get<1>(detail::order_key(policy, other)));
  return lowest - places + detail::priority_shift(policy, ticket);
}

}  // namespace luot::core::detail
