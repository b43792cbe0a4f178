#include "state.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace luot::core::detail {

namespace {

std::int64_t milliseconds_between(const google::protobuf::Timestamp& from, timestamp to) {
  return (to - from_proto(from)).count();
}

}  // namespace

std::string ticket_id_for(std::uint64_t serial) {
  return "T" + std::to_string(serial);
}

std::optional<std::uint64_t> ticket_serial(std::string_view ticket_id) {
  if (ticket_id.size() < 2 || ticket_id.front() != 'T') return std::nullopt;
  std::uint64_t serial = 0;
  const auto* begin = ticket_id.data() + 1;
  const auto* end = ticket_id.data() + ticket_id.size();
  const auto [last, failure] = std::from_chars(begin, end, serial);
  if (failure != std::errc{} || last != end) return std::nullopt;
  return serial;
}

std::int64_t issue_key(timestamp moment) {
  return moment.time_since_epoch().count() * 1000;
}

std::int64_t issue_key(const v1::Ticket& ticket) {
  return issue_key(from_proto(ticket.issued_at()));
}

std::string scoped_client_key(std::string_view issuer, std::string_view client_key) {
  std::string scoped;
  scoped.reserve(issuer.size() + 1 + client_key.size());
  scoped.append(issuer);
  scoped += '\n';
  scoped.append(client_key);
  return scoped;
}

std::string_view issuer_of(std::string_view stored_client_key) {
  const auto newline = stored_client_key.find('\n');
  if (newline == std::string_view::npos) return {};
  return stored_client_key.substr(0, newline);
}

queue_state::queue_state(std::shared_ptr<const centre_config> config) : config_(std::move(config)) {
  for (const auto& counter : config_->counters) {
    v1::Counter state;
    state.set_id(counter.id);
    state.set_name_vi(counter.name_vi);
    state.set_name_en(counter.name_en);
    for (const auto& category : counter.categories) state.add_categories(category);
    state.set_state(v1::COUNTER_STATE_CLOSED);
    counters_.push_back(std::move(state));
  }
}

const v1::Ticket* queue_state::ticket(std::string_view ticket_id) const {
  const auto serial = ticket_serial(ticket_id);
  if (!serial) return nullptr;
  const auto found = tickets_.find(*serial);
  // "T007" parses to serial 7 but is a display number, not the id "T7".
  if (found == tickets_.end() || found->second.id() != ticket_id) return nullptr;
  return &found->second;
}

const v1::Ticket* queue_state::ticket_at(const queue_position& position) const {
  const auto found = tickets_.find(position.serial);
  return found == tickets_.end() ? nullptr : &found->second;
}

v1::Ticket* queue_state::mutable_ticket(std::string_view ticket_id) {
  return const_cast<v1::Ticket*>(std::as_const(*this).ticket(ticket_id));
}

const v1::Ticket* queue_state::ticket_by_client_key(std::string_view scoped_key) const {
  const auto found = by_client_key_.find(std::string(scoped_key));
  return found == by_client_key_.end() ? nullptr : &tickets_.at(found->second);
}

std::uint32_t queue_state::issued_today(std::string_view issuer, std::string_view category) const {
  const auto found = issued_by_.find(scoped_client_key(issuer, category));
  return found == issued_by_.end() ? 0 : found->second;
}

void queue_state::index(const v1::Ticket& ticket, std::uint64_t serial) {
  const auto& stored = ticket.client_key();
  const auto issuer = issuer_of(stored);
  // Only a ticket asked for with a key can be asked for again.
  if (stored.size() > (issuer.empty() ? 0 : issuer.size() + 1)) by_client_key_[stored] = serial;
  if (!issuer.empty()) ++issued_by_[scoped_client_key(issuer, ticket.category())];
  if (!ticket.status_token().empty()) by_token_[ticket.status_token()] = serial;
  auto& numbered = by_number_[ticket.number()];
  if (numbered.empty() || numbered.back() != serial) numbered.push_back(serial);
  if (ticket.state() == v1::TICKET_STATE_NO_SHOW) no_shows_.insert(serial);
  if (ticket.state() == v1::TICKET_STATE_DONE) note_finished(ticket, serial);
}

std::vector<const v1::Ticket*> queue_state::tickets_numbered(std::string_view number) const {
  std::vector<const v1::Ticket*> numbered;
  const auto found = by_number_.find(std::string(number));
  if (found == by_number_.end()) return numbered;
  for (const auto serial : found->second)
    if (const auto ticket = tickets_.find(serial); ticket != tickets_.end())
      numbered.push_back(&ticket->second);
  return numbered;
}

void queue_state::set_state(v1::Ticket& ticket, v1::TicketState state) {
  if (ticket.state() == v1::TICKET_STATE_NO_SHOW || state == v1::TICKET_STATE_NO_SHOW) {
    const auto serial = *ticket_serial(ticket.id());
    if (state == v1::TICKET_STATE_NO_SHOW)
      no_shows_.insert(serial);
    else
      no_shows_.erase(serial);
  }
  ticket.set_state(state);
}

void queue_state::note_finished(const v1::Ticket& ticket, std::uint64_t serial) {
  // The latest finish wins; on equal moments the later ticket.
  auto& last = last_finished_[ticket.counter()];
  const auto found = tickets_.find(last);
  if (found == tickets_.end() || found->second.counter() != ticket.counter() ||
      std::make_pair(from_proto(found->second.finished_at()), last) <=
          std::make_pair(from_proto(ticket.finished_at()), serial))
    last = serial;
}

const v1::Ticket* queue_state::last_finished(std::string_view counter_id) const {
  const auto found = last_finished_.find(std::string(counter_id));
  if (found == last_finished_.end()) return nullptr;
  const auto ticket = tickets_.find(found->second);
  return ticket == tickets_.end() ? nullptr : &ticket->second;
}

void queue_state::clear_day_indexes() {
  tickets_.clear();
  waiting_.clear();
  counts_.clear();
  by_client_key_.clear();
  by_token_.clear();
  issued_by_.clear();
  by_number_.clear();
  no_shows_.clear();
  last_finished_.clear();
}

const v1::Ticket* queue_state::ticket_by_token(std::string_view status_token) const {
  if (status_token.empty()) return nullptr;
  const auto found = by_token_.find(std::string(status_token));
  return found == by_token_.end() ? nullptr : &tickets_.at(found->second);
}

const category_queue* queue_state::waiting(const std::string& category) const {
  const auto found = waiting_.find(category);
  return found == waiting_.end() ? nullptr : &found->second;
}

const v1::Counter* queue_state::counter(std::string_view counter_id) const {
  for (const auto& counter : counters_)
    if (counter.id() == counter_id) return &counter;
  return nullptr;
}

v1::Counter* queue_state::mutable_counter(std::string_view counter_id) {
  return const_cast<v1::Counter*>(std::as_const(*this).counter(counter_id));
}

v1::Counter* queue_state::counter_for_event(std::string_view counter_id) {
  if (auto* known = mutable_counter(counter_id)) return known;
  if (counter_id.empty()) return nullptr;
  // A counter the log names but today's config does not (it was removed):
  // its events still fold, so no ticket is silently dropped or called twice.
  // The server refuses to start while such a counter holds tickets.
  auto& added = counters_.emplace_back();
  added.set_id(std::string(counter_id));
  added.set_state(v1::COUNTER_STATE_CLOSED);
  return &added;
}

const counter_config* queue_state::counter_config_for(std::string_view counter_id) const {
  for (const auto& counter : config_->counters)
    if (counter.id == counter_id) return &counter;
  return nullptr;
}

const category_config* queue_state::category(std::string_view code) const {
  for (const auto& category : config_->categories)
    if (category.code == code) return &category;
  return nullptr;
}

std::uint32_t queue_state::next_ordinal(const std::string& category) const {
  const auto found = memo_.next_ordinal().find(category);
  return found == memo_.next_ordinal().end() ? 1 : found->second;
}

std::int64_t queue_state::average_service_ms(const std::string& category) const {
  const auto found = memo_.average_service_ms().find(category);
  if (found != memo_.average_service_ms().end()) return found->second;
  const auto* config = this->category(category);
  return config
             ? std::chrono::duration_cast<std::chrono::milliseconds>(config->default_service_time)
                   .count()
             : 0;
}

std::int64_t queue_state::smoothed_service_ms(const v1::Ticket& ticket, timestamp finished) const {
  // Exponential smoothing: the newest service counts with weight `a`.
  const auto served_ms =
      std::max<std::int64_t>(0, milliseconds_between(ticket.called_at(), finished));
  const double weight = config_->service_time_smoothing;
  const auto previous = average_service_ms(ticket.category());
  return std::llround((1.0 - weight) * static_cast<double>(previous) +
                      weight * static_cast<double>(served_ms));
}

std::uint32_t queue_state::category_calls(const std::string& category) const {
  const auto found = memo_.category_calls().find(category);
  return found == memo_.category_calls().end() ? 0 : found->second;
}

namespace {

// Adds `step` (+1 or -1) to the counts a waiting ticket contributes to.
void count_waiting(queue_state::waiting_counts& counts, const v1::Ticket& ticket, int step) {
  auto& kind = ticket.priority_class().empty() ? counts.regular : counts.priority;
  kind = static_cast<std::uint32_t>(static_cast<int>(kind) + step);
  if (ticket.target_counter().empty())
    counts.untargeted = static_cast<std::uint32_t>(static_cast<int>(counts.untargeted) + step);
}

}  // namespace

namespace {

std::int64_t issued_ms(const v1::Ticket& ticket) {
  return from_proto(ticket.issued_at()).time_since_epoch().count();
}

}  // namespace

void queue_state::enqueue(const v1::Ticket& ticket) {
  const bool inserted = waiting_[ticket.category()].insert(
      {ticket.queue_key(), *ticket_serial(ticket.id())}, !ticket.priority_class().empty(),
      ticket.target_counter(), issued_ms(ticket));
  if (inserted) count_waiting(counts_[ticket.category()], ticket, +1);
}

void queue_state::dequeue(const v1::Ticket& ticket) {
  const auto found = waiting_.find(ticket.category());
  if (found == waiting_.end()) return;
  if (found->second.erase({ticket.queue_key(), *ticket_serial(ticket.id())},
                          !ticket.priority_class().empty(), ticket.target_counter(),
                          issued_ms(ticket)))
    count_waiting(counts_[ticket.category()], ticket, -1);
  if (found->second.empty()) waiting_.erase(found);
}

queue_state::waiting_counts queue_state::counts(const std::string& category) const {
  const auto found = counts_.find(category);
  return found == counts_.end() ? waiting_counts{} : found->second;
}

void queue_state::release_from_counter(const std::string& ticket_id) {
  for (auto& counter : counters_) {
    if (counter.current_ticket_id() == ticket_id) {
      counter.clear_current_ticket_id();
      counter.clear_current_number();
    }
  }
}

void queue_state::remember_call(const v1::Ticket& ticket, const v1::Event& event) {
  v1::Call call;
  call.set_ticket_id(ticket.id());
  call.set_number(ticket.number());
  call.set_category(ticket.category());
  call.set_counter(ticket.counter());
  call.set_call_count(ticket.call_count());
  *call.mutable_at() = event.at();
  call.set_seq(event.seq());
  recent_calls_.push_front(std::move(call));
  while (recent_calls_.size() > config_->recent_calls_kept) recent_calls_.pop_back();
}

}  // namespace luot::core::detail
