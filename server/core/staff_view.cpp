#include "staff_view.hpp"

#include <algorithm>

#include "selection.hpp"
#include "view.hpp"

namespace luot::core::detail {

namespace {

// Today's no-shows listed for a counter, most recent first.
constexpr std::size_t no_shows_listed = 20;

std::uint32_t seconds_between(timestamp from, timestamp to) {
  if (to <= from) return 0;
  return static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
}

}  // namespace

v1::Ticket staff_view::staff_ticket(const v1::Ticket& stored) const {
  // People ahead and the estimate as the citizen sees them; no secrets.
  return queue_view(*state_, *calendar_, now_).ticket(stored, visibility::public_view);
}

std::optional<v1::CounterQueue> staff_view::counter_queue(std::string_view counter_id,
                                                          std::size_t limit) const {
  const auto* config = state_->counter_config_for(counter_id);
  const auto* counter = state_->counter(counter_id);
  if (config == nullptr || counter == nullptr) return std::nullopt;
  v1::CounterQueue queue;
  queue.set_seq(state_->seq());
  *queue.mutable_at() = to_proto(now_);
  *queue.mutable_counter() = *counter;
  if (const auto* current = state_->ticket(counter->current_ticket_id()))
    *queue.mutable_current() = staff_ticket(*current);

  // What this counter may call, across its categories and the tickets sent
  // to it by name, in the priority policy's order. Its selection mode may
  // still pick another category first; the list is what waits, not a plan.
  // Costs O(limit) steps of a merge, however long the queue.
  const auto streams = counter_streams(*state_, *config);
  std::size_t total = 0;
  for (const auto& stream : streams) total += stream.positions->size();
  queue.set_waiting_total(static_cast<std::uint32_t>(total));
  call_order_walk walk(state_->config().priority, streams);
  for (std::size_t shown = 0; shown < limit; ++shown) {
    const auto next = walk.next();
    if (!next) break;
    *queue.add_waiting() = staff_ticket(*state_->ticket_at(next->position));
  }

  for (const auto& id : counter->parked_ticket_ids())
    if (const auto* parked = state_->ticket(id)) *queue.add_parked() = staff_ticket(*parked);

  std::vector<const v1::Ticket*> no_shows;
  for (const auto serial : state_->no_shows()) {
    const auto& ticket = state_->tickets().at(serial);
    const auto& served = config->categories;
    if (std::find(served.begin(), served.end(), ticket.category()) == served.end() &&
        ticket.counter() != config->id)
      continue;
    no_shows.push_back(&ticket);
  }
  std::sort(no_shows.begin(), no_shows.end(), [](const v1::Ticket* left, const v1::Ticket* right) {
    return from_proto(left->no_show_at()) > from_proto(right->no_show_at());
  });
  if (no_shows.size() > no_shows_listed) no_shows.resize(no_shows_listed);
  for (const auto* ticket : no_shows) *queue.add_no_shows() = staff_ticket(*ticket);
  for (const auto& outcome : state_->config().outcomes) {
    auto& added = *queue.add_outcomes();
    added.set_code(outcome.code);
    added.set_name_vi(outcome.name_vi);
    added.set_name_en(outcome.name_en);
  }
  return queue;
}

std::optional<v1::RatingPrompt> staff_view::rating_prompt(std::string_view counter_id) const {
  const auto* last = state_->last_finished(counter_id);
  if (last == nullptr) return std::nullopt;
  v1::RatingPrompt prompt;
  prompt.set_ticket_id(last->id());
  prompt.set_number(last->number());
  prompt.set_category(last->category());
  for (const auto& counter : state_->counters())
    if (counter.id() == counter_id && counter.officer() == last->officer())
      prompt.set_officer_name(counter.officer_name());
  *prompt.mutable_finished_at() = last->finished_at();
  *prompt.mutable_rating_closes_at() = to_proto(
      from_proto(last->finished_at()) +
      std::chrono::duration_cast<std::chrono::milliseconds>(state_->config().rating_window));
  prompt.set_rating(last->rating());
  return prompt;
}

v1::Monitor staff_view::monitor() const {
  const auto& config = state_->config();
  const queue_view view(*state_, *calendar_, now_);
  v1::Monitor monitor;
  monitor.set_seq(state_->seq());
  *monitor.mutable_at() = to_proto(now_);
  monitor.set_service_day(state_->service_day().empty() ? calendar_->service_day(now_)
                                                        : state_->service_day());
  const auto alert_after = std::chrono::duration_cast<std::chrono::seconds>(config.alert_wait);
  monitor.set_alert_wait_seconds(static_cast<std::uint32_t>(alert_after.count()));
  monitor.set_target_wait_seconds(static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(config.target_wait).count()));
  for (const auto& counter_config : config.counters) {
    const auto* counter = state_->counter(counter_config.id);
    if (counter == nullptr) continue;
    auto& entry = *monitor.add_counters();
    *entry.mutable_counter() = *counter;
    if (const auto* current = state_->ticket(counter->current_ticket_id())) {
      *entry.mutable_service_started_at() = current->called_at();
      entry.set_current_category(current->category());
    }
  }
  for (const auto& category : config.categories) {
    auto& entry = *monitor.add_categories();
    *entry.mutable_category() = view.category(category);
    // The earliest issue time among the waiting: O(1).
    std::uint32_t longest = 0;
    if (const auto* waiting = state_->waiting(category.code))
      if (const auto earliest = waiting->earliest_issued_ms())
        longest = seconds_between(timestamp{std::chrono::milliseconds{*earliest}}, now_);
    entry.set_longest_wait_seconds(longest);
    entry.set_alert(longest > alert_after.count());
  }
  for (const auto& [id, status] : state_->devices()) {
    auto& device = *monitor.add_devices();
    device.set_device(id);
    *device.mutable_status() = status;
  }
  return monitor;
}

}  // namespace luot::core::detail
