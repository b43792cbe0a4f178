#include "engine.hpp"

#include <algorithm>

#include "decider.hpp"
#include "staff_view.hpp"
#include "state.hpp"
#include "view.hpp"

namespace luot::core {

struct engine::state {
  state(centre_config centre, token_source source)
      : config(std::make_shared<const centre_config>(std::move(centre))),
        calendar(config->time_zone, config->reset_time),
        tokens(std::move(source)),
        queue(config) {}

  std::shared_ptr<const centre_config> config;
  centre_calendar calendar;
  token_source tokens;
  detail::queue_state queue;
};

engine::engine(centre_config config, token_source tokens)
    : state_(std::make_unique<state>(std::move(config), std::move(tokens))) {}

engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

result<decision> engine::apply(const v1::Command& command, timestamp now, const actor& who) const {
  return detail::decider(state_->queue, state_->calendar, state_->tokens, now, who).decide(command);
}

std::vector<v1::Event> engine::roll_over(timestamp now) const {
  const auto& current = state_->queue.service_day();
  const auto next = state_->calendar.service_day(now);
  // "YYYY-MM-DD" compares like the dates it names. A moment before the
  // current day (the host clock stepped back) closes nothing.
  if (current.empty() || next <= current) return {};
  v1::Event event;
  event.set_seq(state_->queue.seq() + 1);
  // The closing belongs to the day it closes.
  event.set_service_day(current);
  *event.mutable_at() = to_proto(now);
  event.set_actor("system");
  auto* body = event.mutable_day_closed();
  body->set_service_day(current);
  body->set_next_service_day(next);
  std::uint32_t unfinished = 0;
  for (const auto& [serial, ticket] : state_->queue.tickets()) {
    switch (ticket.state()) {
      case v1::TICKET_STATE_WAITING:
      case v1::TICKET_STATE_CALLED:
      case v1::TICKET_STATE_PARKED:
      case v1::TICKET_STATE_NO_SHOW:
        ++unfinished;
        break;
      default:
        break;
    }
  }
  body->set_not_served(unfinished);
  return {std::move(event)};
}

void engine::fold(const v1::Event& event) {
  state_->queue.fold(event);
}

result<decision> engine::execute(const v1::Command& command, timestamp now, const actor& who) {
  auto closing = roll_over(now);
  if (closing.empty()) {
    auto decided = apply(command, now, who);
    if (!decided) return decided;
    for (const auto& event : decided->events) fold(event);
    return decided;
  }
  // Decide against the new day on a copy, so a refused command leaves the
  // engine exactly as it was (the day closes with the next accepted one).
  auto next = std::make_unique<state>(*state_);
  for (const auto& event : closing) next->queue.fold(event);
  auto decided =
      detail::decider(next->queue, next->calendar, next->tokens, now, who).decide(command);
  if (!decided) return decided;
  for (const auto& event : decided->events) next->queue.fold(event);
  state_ = std::move(next);
  closing.insert(closing.end(), std::make_move_iterator(decided->events.begin()),
                 std::make_move_iterator(decided->events.end()));
  decided->events = std::move(closing);
  return decided;
}

void engine::restore(const v1::Snapshot& snapshot) {
  state_->queue.restore(snapshot);
}

std::uint64_t engine::seq() const {
  return state_->queue.seq();
}

const std::string& engine::service_day() const {
  return state_->queue.service_day();
}

v1::Snapshot engine::snapshot(timestamp now, visibility view) const {
  return detail::queue_view(state_->queue, state_->calendar, now).snapshot(view);
}

std::optional<v1::Ticket> engine::find_ticket(std::string_view ticket_id, timestamp now,
                                              visibility view) const {
  const auto* ticket = state_->queue.ticket(ticket_id);
  if (ticket == nullptr) return std::nullopt;
  return detail::queue_view(state_->queue, state_->calendar, now).ticket(*ticket, view);
}

std::optional<v1::Ticket> engine::find_ticket_by_token(std::string_view status_token,
                                                       timestamp now) const {
  const auto* ticket = state_->queue.ticket_by_token(status_token);
  if (ticket == nullptr) return std::nullopt;
  // The citizen already holds the token; what goes back is the public view.
  return detail::queue_view(state_->queue, state_->calendar, now)
      .ticket(*ticket, visibility::public_view);
}

std::optional<v1::Counter> engine::find_counter(std::string_view counter_id) const {
  const auto* counter = state_->queue.counter(counter_id);
  if (counter == nullptr) return std::nullopt;
  return *counter;
}

v1::View engine::view(timestamp now) const {
  return detail::queue_view(state_->queue, state_->calendar, now).public_view();
}

std::vector<std::string> engine::unconfigured_in_use() const {
  const auto& queue = state_->queue;
  std::vector<std::string> problems;
  for (const auto& counter : queue.counters()) {
    if (queue.counter_config_for(counter.id()) != nullptr) continue;
    if (counter.state() == v1::COUNTER_STATE_CLOSED && counter.current_ticket_id().empty() &&
        counter.parked_ticket_ids().empty())
      continue;
    std::string problem = "counter \"" + counter.id() + "\" is not in the config but is ";
    problem +=
        counter.current_ticket_id().empty() ? "open today" : "serving " + counter.current_number();
    if (!counter.parked_ticket_ids().empty())
      problem +=
          " and holds " + std::to_string(counter.parked_ticket_ids().size()) + " parked ticket(s)";
    problems.push_back(std::move(problem));
  }
  for (const auto& [category, waiting] : queue.waiting()) {
    if (waiting.empty() || queue.category(category) != nullptr) continue;
    problems.push_back("category \"" + category + "\" is not in the config but has " +
                       std::to_string(waiting.size()) + " ticket(s) waiting");
  }
  return problems;
}

std::vector<v1::StaffRecord> engine::staff_records() const {
  std::vector<v1::StaffRecord> records;
  for (const auto& [username, record] : state_->queue.memo().staff()) records.push_back(record);
  std::sort(records.begin(), records.end(),
            [](const auto& left, const auto& right) { return left.username() < right.username(); });
  return records;
}

std::optional<v1::CounterQueue> engine::counter_queue(std::string_view counter_id, timestamp now,
                                                      std::size_t limit) const {
  return detail::staff_view(state_->queue, state_->calendar, now).counter_queue(counter_id, limit);
}

std::optional<v1::RatingPrompt> engine::rating_prompt(std::string_view counter_id,
                                                      timestamp now) const {
  return detail::staff_view(state_->queue, state_->calendar, now).rating_prompt(counter_id);
}

v1::Monitor engine::monitor(timestamp now) const {
  return detail::staff_view(state_->queue, state_->calendar, now).monitor();
}

const centre_config& engine::config() const {
  return *state_->config;
}

const centre_calendar& engine::calendar() const {
  return state_->calendar;
}

void redact(v1::Event& event) {
  if (event.has_ticket_issued())
    detail::strip_secrets(*event.mutable_ticket_issued()->mutable_ticket());
}

}  // namespace luot::core
