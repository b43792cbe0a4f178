#include <algorithm>

#include "decider.hpp"

namespace luot::core::detail {

v1::Event& decider::emit_called(const v1::Ticket& ticket, const v1::Counter& counter, bool chosen) {
  auto& event = emit();
  auto* body = event.mutable_ticket_called();
  body->set_ticket_id(ticket.id());
  body->set_counter(counter.id());
  body->set_officer(counter.officer());
  body->set_chosen(chosen);
  return event;
}

result<decision> decider::call_next(const v1::CallNext& command) {
  auto counter = ready_counter(command.counter());
  if (!counter) return counter.failure();
  const auto* config = queue_.counter_config_for(command.counter());
  const auto chosen = detail::select_next(queue_, *config);
  if (chosen.ticket == nullptr)
    return make_error(v1::ERROR_CODE_NOTHING_WAITING, {command.counter()});
  auto& event = emit_called(*chosen.ticket, **counter, false);
  // The credits travel in the event, so replay never consults the weights.
  auto* credits = event.mutable_ticket_called()->mutable_credits();
  if (chosen.step)
    for (const auto& [key, credit] : chosen.step->credits)
      (*credits->mutable_credit())[key] = credit;
  return done(chosen.ticket->id(), command.counter());
}

result<decision> decider::call_ticket(const v1::CallTicket& command) {
  auto counter = ready_counter(command.counter());
  if (!counter) return counter.failure();
  auto ticket = resolve_ticket(command.ticket(), command.category());
  if (!ticket) return ticket.failure();
  // A no-show who came back to the counter may be called directly.
  const auto state = (*ticket)->state();
  if (state != v1::TICKET_STATE_WAITING && state != v1::TICKET_STATE_NO_SHOW)
    return make_error(v1::ERROR_CODE_TICKET_NOT_WAITING, {(*ticket)->number()});
  emit_called(**ticket, **counter, true);
  return done((*ticket)->id(), command.counter());
}

result<decision> decider::recall(const v1::Recall& command) {
  auto ticket = current_ticket(command.counter());
  if (!ticket) return ticket.failure();
  const auto& policy = queue_.config().no_show;
  auto& event = emit();
  if (policy.max_calls > 0 && (*ticket)->call_count() >= policy.max_calls) {
    auto* body = event.mutable_ticket_no_show();
    body->set_ticket_id((*ticket)->id());
    body->set_counter(command.counter());
    body->set_automatic(true);
  } else {
    auto* body = event.mutable_ticket_recalled();
    body->set_ticket_id((*ticket)->id());
    body->set_counter(command.counter());
    body->set_call_count((*ticket)->call_count() + 1);
  }
  return done((*ticket)->id(), command.counter());
}

result<decision> decider::mark_no_show(const v1::MarkNoShow& command) {
  auto ticket = current_ticket(command.counter());
  if (!ticket) return ticket.failure();
  auto* body = emit().mutable_ticket_no_show();
  body->set_ticket_id((*ticket)->id());
  body->set_counter(command.counter());
  body->set_automatic(false);
  return done((*ticket)->id(), command.counter());
}

// The key that puts a returning ticket right after the first
// `return_position` tickets of its category's call order. Walks only the
// front of the queue: O(return_position) merge steps.
std::int64_t decider::return_key(const v1::Ticket& ticket) const {
  const auto& policy = queue_.config().priority;
  const auto* queue = queue_.waiting(ticket.category());
  if (queue == nullptr) return detail::issue_key(ticket);
  const auto places = queue_.config().no_show.return_position;
  // Only tickets of the same rank can be compared by key: under the strict
  // policy a regular ticket cannot move ahead of priority ones.
  const bool priority = !ticket.priority_class().empty();
  const auto rank_of = [&](bool kind) { return std::get<0>(detail::order_key(policy, {}, kind)); };
  const auto rank = rank_of(priority);
  const auto all = detail::streams_of(*queue);
  std::vector<detail::ordered_stream> same_rank;
  std::size_t same_rank_size = 0;
  for (const auto& stream : all) {
    if (rank_of(stream.priority) != rank) continue;
    same_rank.push_back(stream);
    same_rank_size += stream.positions->size();
  }
  const auto shift = detail::priority_shift(policy, ticket);
  if (same_rank_size == 0) return detail::issue_key(ticket);
  const auto effective = [&](const detail::call_order_walk::entry& entry) {
    return std::get<1>(detail::order_key(policy, entry.position, entry.priority));
  };
  // How many of the first `places` in call order share its rank; with
  // fewer waiting than `return_position`, the ticket goes first.
  std::size_t before = 0;
  if (queue->size() >= places) {
    detail::call_order_walk walk(policy, all);
    for (std::uint32_t place = 0; place < places; ++place)
      if (const auto next = walk.next(); next && rank_of(next->priority) == rank) ++before;
  }
  detail::call_order_walk same(policy, same_rank);
  if (before == 0) return effective(*same.next()) - 1 + shift;
  if (before == same_rank_size) {
    // The last of its rank: the greatest effective key over the streams.
    std::int64_t last = 0;
    bool any = false;
    for (const auto& stream : same_rank) {
      if (stream.positions->empty()) continue;
      const auto key = effective(
          {*stream.positions->find_by_order(stream.positions->size() - 1), stream.priority});
      last = any ? std::max(last, key) : key;
      any = true;
    }
    return last + 1 + shift;
  }
  // Halfway between the neighbours keeps room for the next return; when
  // two keys are adjacent the ticket shares the earlier key and the issue
  // order decides.
  for (std::size_t index = 0; index + 1 < before; ++index) same.next();
  const auto after = effective(*same.next());
  const auto next = effective(*same.next());
  return after + (next - after) / 2 + shift;
}

result<decision> decider::return_no_show(const v1::ReturnNoShow& command) {
  auto ticket = resolve_ticket(command.ticket(), command.category());
  if (!ticket) return ticket.failure();
  if ((*ticket)->state() != v1::TICKET_STATE_NO_SHOW)
    return make_error(v1::ERROR_CODE_TICKET_NOT_NO_SHOW, {(*ticket)->number()});
  // Whichever tolerance is longer applies: few calls since, or little time.
  const auto& policy = queue_.config().no_show;
  const auto calls_since =
      queue_.category_calls((*ticket)->category()) - (*ticket)->category_calls_at_no_show();
  const auto time_since = now_ - from_proto((*ticket)->no_show_at());
  if (calls_since >= policy.return_within_calls && time_since > policy.return_within_time)
    return make_error(v1::ERROR_CODE_RETURN_TOO_LATE, {(*ticket)->number()});
  auto* body = emit().mutable_ticket_returned();
  body->set_ticket_id((*ticket)->id());
  body->set_queue_key(return_key(**ticket));
  return done((*ticket)->id(), {});
}

result<decision> decider::park(const v1::Park& command) {
  auto ticket = current_ticket(command.counter());
  if (!ticket) return ticket.failure();
  auto* body = emit().mutable_ticket_parked();
  body->set_ticket_id((*ticket)->id());
  body->set_counter(command.counter());
  return done((*ticket)->id(), command.counter());
}

result<decision> decider::resume_parked(const v1::ResumeParked& command) {
  auto counter = ready_counter(command.counter());
  if (!counter) return counter.failure();
  for (const auto& id : (*counter)->parked_ticket_ids()) {
    const auto* ticket = queue_.ticket(id);
    if (ticket == nullptr || (id != command.ticket() && ticket->number() != command.ticket()))
      continue;
    auto* body = emit().mutable_ticket_resumed();
    body->set_ticket_id(id);
    body->set_counter(command.counter());
    return done(id, command.counter());
  }
  return make_error(v1::ERROR_CODE_TICKET_NOT_PARKED, {command.ticket()});
}

result<decision> decider::transfer(const v1::Transfer& command) {
  auto ticket = current_ticket(command.counter());
  if (!ticket) return ticket.failure();
  if (command.to_category().empty() && command.to_counter().empty())
    return make_error(v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
                      reason::of("reason.transfer_no_target"));
  if (!command.to_category().empty() && queue_.category(command.to_category()) == nullptr)
    return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.to_category()});
  const counter_config* destination = nullptr;
  if (!command.to_counter().empty()) {
    destination = queue_.counter_config_for(command.to_counter());
    if (destination == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {command.to_counter()});
    if (command.to_counter() == command.counter())
      return make_error(v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
                        reason::of("reason.transfer_same_counter", {command.counter()}));
  }
  const auto& category =
      command.to_category().empty() ? (*ticket)->category() : command.to_category();
  std::int64_t key = detail::issue_key(**ticket);
  if (command.placement() == v1::PLACEMENT_FIRST) {
    // In front of everything the destination would consider calling.
    const auto others = destination != nullptr
                            ? detail::gather_candidates(queue_, *destination).all()
                            : detail::category_front(queue_, category);
    key = key_in_front_of(others, **ticket);
  }
  auto* body = emit().mutable_ticket_transferred();
  body->set_ticket_id((*ticket)->id());
  body->set_from_counter(command.counter());
  body->set_from_category((*ticket)->category());
  body->set_to_category(category);
  body->set_to_counter(command.to_counter());
  body->set_placement(command.placement());
  body->set_note(command.note());
  body->set_queue_key(key);
  return done((*ticket)->id(), command.counter());
}

result<decision> decider::finish(const v1::Finish& command) {
  auto ticket = current_ticket(command.counter());
  if (!ticket) return ticket.failure();
  if (!command.outcome().empty()) {
    const auto& outcomes = queue_.config().outcomes;
    if (std::none_of(outcomes.begin(), outcomes.end(),
                     [&](const auto& known) { return known.code == command.outcome(); }))
      return make_error(v1::ERROR_CODE_UNKNOWN_OUTCOME, {command.outcome()});
  }
  auto& event = emit();
  auto* body = event.mutable_ticket_finished();
  body->set_ticket_id((*ticket)->id());
  body->set_counter(command.counter());
  body->set_outcome(command.outcome());
  body->set_note(command.note());
  // The new average travels in the event, so replay never consults the
  // smoothing factor.
  body->set_average_service_ms(queue_.smoothed_service_ms(**ticket, now_));
  return done((*ticket)->id(), command.counter());
}

}  // namespace luot::core::detail
