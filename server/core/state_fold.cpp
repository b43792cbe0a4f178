#include <algorithm>

#include "selection.hpp"
#include "state.hpp"

// How each event changes the state of the day (fold), and the state a
// snapshot holds (restore). The indexes and lookups they keep up are in
// state.cpp.

namespace luot::core::detail {

void queue_state::fold(const v1::Event& event) {
  seq_ = event.seq();
  switch (event.body_case()) {
    case v1::Event::kDayClosed:
      fold_day_closed(event);
      return;
    default:
      // The first event of a fresh engine opens its day; after that only
      // DayClosed moves to another day, so a clock that steps back across
      // the reset time never reopens yesterday.
      if (service_day_.empty()) service_day_ = event.service_day();
      break;
  }
  switch (event.body_case()) {
    case v1::Event::kTicketIssued:
      return fold_issued(event);
    case v1::Event::kTicketCalled:
      return fold_called(event);
    case v1::Event::kTicketFinished:
      return fold_finished(event);
    case v1::Event::kTicketRecalled:
      return fold_recalled(event);
    case v1::Event::kTicketNoShow:
      return fold_no_show(event);
    case v1::Event::kTicketReturned:
      return fold_returned(event);
    case v1::Event::kTicketParked:
      return fold_parked(event);
    case v1::Event::kTicketResumed:
      return fold_resumed(event);
    case v1::Event::kTicketTransferred:
      return fold_transferred(event);
    case v1::Event::kTicketRequeued:
      return fold_requeued(event);
    case v1::Event::kCounterOpened: {
      const auto& body = event.counter_opened();
      if (auto* counter = counter_for_event(body.counter())) {
        // A second officer signing in takes the counter over as it is.
        if (counter->state() == v1::COUNTER_STATE_CLOSED)
          counter->set_state(v1::COUNTER_STATE_OPEN);
        counter->set_officer(body.officer());
        counter->set_officer_name(body.officer_name());
      }
      return;
    }
    case v1::Event::kCounterClosed:
      if (auto* counter = counter_for_event(event.counter_closed().counter())) {
        counter->set_state(v1::COUNTER_STATE_CLOSED);
        counter->clear_officer();
        counter->clear_officer_name();
        counter->clear_pause_reason();
        counter->clear_parked_ticket_ids();
      }
      return;
    case v1::Event::kCounterPaused:
      if (auto* counter = counter_for_event(event.counter_paused().counter())) {
        counter->set_state(v1::COUNTER_STATE_PAUSED);
        counter->set_pause_reason(event.counter_paused().reason());
      }
      return;
    case v1::Event::kCounterResumed:
      if (auto* counter = counter_for_event(event.counter_resumed().counter())) {
        counter->set_state(v1::COUNTER_STATE_OPEN);
        counter->clear_pause_reason();
      }
      return;
    case v1::Event::kCategoryClosed:
      (*memo_.mutable_closed_categories())[event.category_closed().category()] =
          event.category_closed().note();
      return;
    case v1::Event::kCategoryReopened:
      memo_.mutable_closed_categories()->erase(event.category_reopened().category());
      return;
    case v1::Event::kDeviceStatusChanged: {
      const auto& status = event.device_status_changed().status();
      devices_[status.device()] = status;
      return;
    }
    case v1::Event::kStaffSet: {
      const auto& record = event.staff_set().record();
      (*memo_.mutable_staff())[record.username()] = record;
      return;
    }
    case v1::Event::kServiceRated:
      if (auto* ticket = mutable_ticket(event.service_rated().ticket_id()))
        ticket->set_rating(event.service_rated().rating());
      return;
    default:
      // An event this build does not know changes nothing it can see.
      return;
  }
}

void queue_state::fold_issued(const v1::Event& event) {
  const auto& ticket = event.ticket_issued().ticket();
  const auto serial = ticket_serial(ticket.id());
  if (!serial) return;
  tickets_[*serial] = ticket;
  (*memo_.mutable_next_ordinal())[ticket.category()] = ticket.ordinal() + 1;
  memo_.set_last_ticket_serial(std::max(memo_.last_ticket_serial(), *serial));
  index(ticket, *serial);
  if (ticket.state() == v1::TICKET_STATE_WAITING) enqueue(ticket);
}

void queue_state::fold_called(const v1::Event& event) {
  const auto& body = event.ticket_called();
  auto* ticket = mutable_ticket(body.ticket_id());
  auto* counter = counter_for_event(body.counter());
  if (ticket == nullptr || counter == nullptr) return;
  if (!body.chosen()) {
    if (body.has_credits()) {
      for (const auto& [key, credit] : body.credits().credit())
        (*memo_.mutable_weight_credit())[key] = credit;
    } else if (const auto* config = counter_config_for(body.counter())) {
      // A log written before calls carried their credits: replay the
      // weighted step. The state here is exactly the state apply saw.
      if (config->selection == selection_mode::weighted) {
        const auto candidates = gather_candidates(*this, *config);
        if (candidates.directed.empty() && !candidates.served.empty()) {
          const auto step = weighted_step(*this, *config, candidates.served);
          for (const auto& [key, credit] : step.credits)
            (*memo_.mutable_weight_credit())[key] = credit;
        }
      }
    }
    auto& streak = (*memo_.mutable_regular_streak())[body.counter()];
    streak = ticket->priority_class().empty() ? streak + 1 : 0;
  }
  if (ticket->state() == v1::TICKET_STATE_WAITING) dequeue(*ticket);
  set_state(*ticket, v1::TICKET_STATE_CALLED);
  ticket->set_counter(body.counter());
  ticket->set_officer(body.officer());
  *ticket->mutable_called_at() = event.at();
  ticket->set_call_count(1);
  counter->set_current_ticket_id(ticket->id());
  counter->set_current_number(ticket->number());
  (*memo_.mutable_category_calls())[ticket->category()] += 1;
  remember_call(*ticket, event);
}

void queue_state::fold_recalled(const v1::Event& event) {
  const auto& body = event.ticket_recalled();
  auto* ticket = mutable_ticket(body.ticket_id());
  if (ticket == nullptr) return;
  ticket->set_call_count(body.call_count());
  remember_call(*ticket, event);
}

void queue_state::fold_no_show(const v1::Event& event) {
  auto* ticket = mutable_ticket(event.ticket_no_show().ticket_id());
  if (ticket == nullptr) return;
  set_state(*ticket, v1::TICKET_STATE_NO_SHOW);
  *ticket->mutable_no_show_at() = event.at();
  ticket->set_category_calls_at_no_show(category_calls(ticket->category()));
  release_from_counter(ticket->id());
}

void queue_state::fold_returned(const v1::Event& event) {
  const auto& body = event.ticket_returned();
  auto* ticket = mutable_ticket(body.ticket_id());
  if (ticket == nullptr) return;
  set_state(*ticket, v1::TICKET_STATE_WAITING);
  ticket->set_queue_key(body.queue_key());
  enqueue(*ticket);
}

void queue_state::fold_parked(const v1::Event& event) {
  const auto& body = event.ticket_parked();
  auto* ticket = mutable_ticket(body.ticket_id());
  auto* counter = counter_for_event(body.counter());
  if (ticket == nullptr || counter == nullptr) return;
  set_state(*ticket, v1::TICKET_STATE_PARKED);
  release_from_counter(ticket->id());
  counter->add_parked_ticket_ids(ticket->id());
}

void queue_state::fold_resumed(const v1::Event& event) {
  const auto& body = event.ticket_resumed();
  auto* ticket = mutable_ticket(body.ticket_id());
  auto* counter = counter_for_event(body.counter());
  if (ticket == nullptr || counter == nullptr) return;
  auto* parked = counter->mutable_parked_ticket_ids();
  parked->erase(std::remove(parked->begin(), parked->end(), ticket->id()), parked->end());
  set_state(*ticket, v1::TICKET_STATE_CALLED);
  counter->set_current_ticket_id(ticket->id());
  counter->set_current_number(ticket->number());
}

void queue_state::fold_transferred(const v1::Event& event) {
  const auto& body = event.ticket_transferred();
  auto* ticket = mutable_ticket(body.ticket_id());
  if (ticket == nullptr) return;
  release_from_counter(ticket->id());
  set_state(*ticket, v1::TICKET_STATE_WAITING);
  ticket->set_transferred_from_counter(body.from_counter());
  ticket->set_transferred_from_category(body.from_category());
  ticket->set_transfer_note(body.note());
  if (!body.to_category().empty()) ticket->set_category(body.to_category());
  ticket->set_target_counter(body.to_counter());
  ticket->set_queue_key(body.queue_key());
  enqueue(*ticket);
}

void queue_state::fold_finished(const v1::Event& event) {
  const auto& body = event.ticket_finished();
  auto* ticket = mutable_ticket(body.ticket_id());
  if (ticket == nullptr) return;
  release_from_counter(ticket->id());
  set_state(*ticket, v1::TICKET_STATE_DONE);
  *ticket->mutable_finished_at() = event.at();
  note_finished(*ticket, *ticket_serial(ticket->id()));
  ticket->set_outcome(body.outcome());
  ticket->set_outcome_note(body.note());
  // Exponential smoothing: the newest service counts with weight `a`.
  (*memo_.mutable_average_service_ms())[ticket->category()] =
      body.has_average_service_ms() ? body.average_service_ms()
                                    : smoothed_service_ms(*ticket, from_proto(event.at()));
  if (auto* counter = counter_for_event(body.counter()))
    counter->set_served_today(counter->served_today() + 1);
}

void queue_state::fold_requeued(const v1::Event& event) {
  const auto& body = event.ticket_requeued();
  auto* ticket = mutable_ticket(body.ticket_id());
  if (ticket == nullptr) return;
  for (auto& counter : counters_) {
    auto* parked = counter.mutable_parked_ticket_ids();
    parked->erase(std::remove(parked->begin(), parked->end(), ticket->id()), parked->end());
  }
  // The counter that held it is gone; any counter of the category may call it.
  ticket->clear_target_counter();
  set_state(*ticket, v1::TICKET_STATE_WAITING);
  ticket->set_queue_key(body.queue_key());
  enqueue(*ticket);
}

void queue_state::fold_day_closed(const v1::Event& event) {
  // The old day's tickets stay in the log (as not served where unfinished);
  // the new day starts with none of them in memory.
  service_day_ = event.day_closed().next_service_day();
  clear_day_indexes();
  recent_calls_.clear();
  for (auto& counter : counters_) {
    counter.clear_current_ticket_id();
    counter.clear_current_number();
    counter.clear_parked_ticket_ids();
    counter.set_served_today(0);
  }
  memo_.clear_next_ordinal();
  memo_.clear_category_calls();
}

void queue_state::restore(const v1::Snapshot& snapshot) {
  seq_ = snapshot.seq();
  // A snapshot of an engine that never saw an event names the calendar day
  // of its moment; such an engine still has no day of its own.
  service_day_ = snapshot.seq() == 0 && snapshot.tickets().empty() ? "" : snapshot.service_day();
  clear_day_indexes();
  for (auto ticket : snapshot.tickets()) {
    const auto serial = ticket_serial(ticket.id());
    if (!serial) continue;
    ticket.clear_people_ahead();
    ticket.clear_estimated_wait_seconds();
    if (ticket.state() == v1::TICKET_STATE_WAITING) enqueue(ticket);
    const auto& stored = tickets_[*serial] = std::move(ticket);
    index(stored, *serial);
  }
  for (auto& counter : counters_) {
    const auto name_vi = counter.name_vi();
    const auto name_en = counter.name_en();
    const auto categories = counter.categories();
    const auto id = counter.id();
    counter.Clear();
    counter.set_id(id);
    counter.set_state(v1::COUNTER_STATE_CLOSED);
    for (const auto& saved : snapshot.counters())
      if (saved.id() == id) counter = saved;
    // Names and categories come from today's config, like a fresh engine.
    counter.set_name_vi(name_vi);
    counter.set_name_en(name_en);
    *counter.mutable_categories() = categories;
  }
  // Counters the snapshot knows but today's config does not stay, as the
  // fold would have kept them.
  for (const auto& saved : snapshot.counters())
    if (counter(saved.id()) == nullptr) counters_.push_back(saved);
  recent_calls_.assign(snapshot.recent_calls().begin(), snapshot.recent_calls().end());
  devices_.clear();
  for (const auto& device : snapshot.devices()) devices_[device.device()] = device;
  memo_ = snapshot.memo();
}

}  // namespace luot::core::detail
