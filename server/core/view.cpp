#include "view.hpp"

#include <algorithm>
#include <cmath>

#include "category_status.hpp"
#include "numbering.hpp"
#include "selection.hpp"

namespace luot::core::detail {

void strip_secrets(v1::Ticket& ticket) {
  ticket.clear_status_token();
  ticket.clear_client_key();
}

std::unordered_map<std::uint64_t, std::uint32_t> queue_view::people_ahead(
    const std::string& category) const {
  // Walk the policy's call order once. A ticket sent to a specific counter
  // only competes with untargeted tickets and those sent to the same counter.
  std::unordered_map<std::uint64_t, std::uint32_t> ahead;
  std::uint32_t untargeted = 0;
  std::unordered_map<std::string, std::uint32_t> targeted;
  for (const auto& entry : call_order(*state_, category)) {
    const auto& target = entry.ticket->target_counter();
    if (target.empty()) {
      ahead[entry.position.serial] = untargeted;
      ++untargeted;
    } else {
      auto& same_target = targeted[target];
      ahead[entry.position.serial] = untargeted + same_target;
      ++same_target;
    }
  }
  return ahead;
}

std::uint32_t queue_view::people_ahead_of(const v1::Ticket& waiting) const {
  // Counts what people_ahead() would, by rank queries on the category's
  // index: O(log n) in the queue's length.
  const auto* queue = state_->waiting(waiting.category());
  if (queue == nullptr) return 0;
  return queue->ahead_of(state_->config().priority,
                         queue_position{waiting.queue_key(), *ticket_serial(waiting.id())},
                         !waiting.priority_class().empty(), waiting.target_counter());
}

std::uint32_t queue_view::estimated_wait_seconds(const std::string& category,
                                                 std::uint32_t people) const {
  std::int64_t serving = 0;
  for (const auto& counter : state_->counters()) {
    if (counter.state() != v1::COUNTER_STATE_OPEN) continue;
    const auto& served = counter.categories();
    if (std::find(served.begin(), served.end(), category) != served.end()) ++serving;
  }
  const double milliseconds = static_cast<double>(people) *
                              static_cast<double>(state_->average_service_ms(category)) /
                              static_cast<double>(std::max<std::int64_t>(1, serving));
  return static_cast<std::uint32_t>(std::llround(milliseconds / 1000.0));
}

v1::Ticket queue_view::derive(const v1::Ticket& stored, std::uint32_t ahead,
                              visibility view) const {
  v1::Ticket ticket = stored;
  if (ticket.state() == v1::TICKET_STATE_WAITING) {
    ticket.set_people_ahead(ahead);
    ticket.set_estimated_wait_seconds(estimated_wait_seconds(ticket.category(), ahead));
  }
  if (view == visibility::public_view) strip_secrets(ticket);
  return ticket;
}

v1::Ticket queue_view::ticket(const v1::Ticket& stored, visibility view) const {
  std::uint32_t ahead = 0;
  if (stored.state() == v1::TICKET_STATE_WAITING) {
    ahead = people_ahead_of(stored);
  }
  return derive(stored, ahead, view);
}

v1::Category queue_view::category(const category_config& config) const {
  v1::Category category;
  category.set_code(config.code);
  category.set_name_vi(config.name_vi);
  category.set_name_en(config.name_en);
  const auto status = availability(*state_, *calendar_, config, now_);
  category.set_status(status.status);
  category.set_status_note(status.note);
  const auto counts = state_->counts(config.code);
  category.set_waiting_regular(counts.regular);
  category.set_waiting_priority(counts.priority);
  const auto untargeted = counts.untargeted;
  const auto next = state_->next_ordinal(config.code);
  category.set_issued_today(next - 1);
  category.set_daily_limit(config.daily_limit);
  // A regular ticket taken now queues behind every untargeted waiting
  // ticket: all of them were issued earlier, so even aged priority tickets
  // are ahead of it.
  category.set_estimated_wait_seconds(estimated_wait_seconds(config.code, untargeted));
  category.set_average_service_seconds(static_cast<std::uint32_t>(
      std::llround(static_cast<double>(state_->average_service_ms(config.code)) / 1000.0)));
  category.set_next_number(numbering(config).display(next).value_or(""));
  return category;
}

v1::Snapshot queue_view::snapshot(visibility view) const {
  const auto& config = state_->config();
  v1::Snapshot snapshot;
  snapshot.set_seq(state_->seq());
  snapshot.set_service_day(state_->service_day().empty() ? calendar_->service_day(now_)
                                                         : state_->service_day());
  *snapshot.mutable_at() = to_proto(now_);
  snapshot.set_centre_name(config.name);
  snapshot.set_time_zone(config.time_zone);
  for (const auto& category : config.categories)
    *snapshot.add_categories() = this->category(category);
  for (const auto& counter : state_->counters()) *snapshot.add_counters() = counter;
  std::unordered_map<std::uint64_t, std::uint32_t> ahead;
  for (const auto& [category, queue] : state_->waiting()) ahead.merge(people_ahead(category));
  for (const auto& [serial, ticket] : state_->tickets()) {
    const auto found = ahead.find(serial);
    *snapshot.add_tickets() = derive(ticket, found == ahead.end() ? 0 : found->second, view);
  }
  for (const auto& call : state_->recent_calls()) *snapshot.add_recent_calls() = call;
  for (const auto& [id, device] : state_->devices()) *snapshot.add_devices() = device;
  for (const auto& priority : config.priority_classes) {
    auto* added = snapshot.add_priority_classes();
    added->set_code(priority.code);
    added->set_name_vi(priority.name_vi);
    added->set_name_en(priority.name_en);
  }
  *snapshot.mutable_memo() = state_->memo();
  return snapshot;
}

v1::Counter queue_view::public_counter(const v1::Counter& counter) {
  v1::Counter shown = counter;
  shown.clear_officer();
  shown.clear_current_ticket_id();
  shown.clear_parked_ticket_ids();
  return shown;
}

v1::View queue_view::public_view() const {
  const auto& config = state_->config();
  v1::View view;
  view.set_seq(state_->seq());
  view.set_service_day(state_->service_day().empty() ? calendar_->service_day(now_)
                                                     : state_->service_day());
  *view.mutable_at() = to_proto(now_);
  view.set_centre_name(config.name);
  view.set_time_zone(config.time_zone);
  for (const auto& category : config.categories) *view.add_categories() = this->category(category);
  // Only configured counters: one removed from the config is closed (the
  // server refuses to start otherwise) and has no place on a screen.
  for (const auto& counter : config.counters)
    if (const auto* state = state_->counter(counter.id))
      *view.add_counters() = public_counter(*state);
  for (const auto& call : state_->recent_calls()) *view.add_recent_calls() = call;
  for (const auto& priority : config.priority_classes) {
    auto* added = view.add_priority_classes();
    added->set_code(priority.code);
    added->set_name_vi(priority.name_vi);
    added->set_name_en(priority.name_en);
  }
  view.set_recent_calls_limit(config.recent_calls_kept);
  for (const auto& [id, device] : state_->devices()) *view.add_devices() = device;
  return view;
}

}  // namespace luot::core::detail
