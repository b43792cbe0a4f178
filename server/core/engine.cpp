#include "engine.hpp"

#include <algorithm>
#include <map>

#include "category_status.hpp"
#include "numbering.hpp"
#include "selection.hpp"
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

namespace {

using detail::candidate;
using detail::queue_state;

// Decides one command against a fixed state: checks it, then writes the
// events it causes. Never changes the state.
class decider {
 public:
  decider(const queue_state& queue, const centre_calendar& calendar, const token_source& tokens,
          timestamp now, const actor& who)
      : queue_(queue),
        calendar_(calendar),
        tokens_(tokens),
        now_(now),
        who_(who),
        // The calendar day of `now`, unless the host clock stepped back
        // before the engine's current day: events never go back a day.
        service_day_(std::max(calendar.service_day(now), queue.service_day())) {}

  result<decision> decide(const v1::Command& command) {
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
    return make_error(v1::ERROR_CODE_BAD_REQUEST, {"empty command"});
  }

 private:
  v1::Event& emit() {
    auto& event = decision_.events.emplace_back();
    event.set_seq(queue_.seq() + decision_.events.size());
    event.set_service_day(service_day_);
    *event.mutable_at() = to_proto(now_);
    event.set_actor(who_.name);
    return event;
  }

  decision done(std::string ticket_id, std::string counter_id) {
    decision_.ticket_id = std::move(ticket_id);
    decision_.counter_id = std::move(counter_id);
    return std::move(decision_);
  }

  // A configured counter, regardless of its state (the log may still name
  // counters that were removed from the config; nobody acts on those).
  result<const v1::Counter*> known_counter(const std::string& id) const {
    const auto* counter = queue_.counter(id);
    if (counter == nullptr || queue_.counter_config_for(id) == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {id});
    return counter;
  }

  // A counter that is open, not paused and not serving anyone: ready to call.
  result<const v1::Counter*> ready_counter(const std::string& id) const {
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
  result<const v1::Ticket*> current_ticket(const std::string& counter_id) const {
    auto counter = known_counter(counter_id);
    if (!counter) return counter.failure();
    const auto* ticket = queue_.ticket((*counter)->current_ticket_id());
    if (ticket == nullptr) return make_error(v1::ERROR_CODE_NO_CURRENT_TICKET, {counter_id});
    return ticket;
  }

  // A ticket of today by id, or by display number (narrowed by category
  // when the same number exists in several categories).
  result<const v1::Ticket*> resolve_ticket(const std::string& reference,
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
  std::int64_t key_in_front_of(const std::vector<candidate>& others, const v1::Ticket& ticket,
                               std::int64_t places = 1) const {
    const auto& policy = queue_.config().priority;
    if (others.empty()) return detail::issue_key(ticket);
    std::int64_t lowest = std::get<1>(detail::order_key(policy, others.front()));
    for (const auto& other : others)
      lowest = std::min(lowest, std::get<1>(detail::order_key(policy, other)));
    return lowest - places + detail::priority_shift(policy, ticket);
  }

  // How many of `category`'s numbers today the issuer may take, when the
  // numbers can run out and the issuer's allowance caps its share: at least
  // one, so a tiny limit still serves a citizen.
  std::optional<std::uint32_t> issuer_share(const category_config& category) const {
    const auto percent = who_.allowance.category_share_percent;
    if (percent == 0 || percent >= 100) return std::nullopt;
    std::optional<std::uint64_t> capacity;
    if (category.daily_limit != 0) capacity = category.daily_limit;
    if (category.format.style == number_format::kind::block) {
      const std::uint64_t block =
          category.format.last >= category.format.first
              ? std::uint64_t{category.format.last} - category.format.first + 1
              : 0;
      capacity = capacity ? std::min(*capacity, block) : block;
    }
    if (!capacity) return std::nullopt;
    return static_cast<std::uint32_t>(std::max<std::uint64_t>(1, *capacity * percent / 100));
  }

  result<decision> take_ticket(const v1::TakeTicket& command) {
    // A retry of a request that already got a ticket gets that ticket again,
    // even if the category closed or the issuer's limits ran out in between;
    // but only to the issuer: keys are looked up among its own tickets.
    const auto& issuer = who_.issuer.empty() ? who_.name : who_.issuer;
    auto scoped_key = detail::scoped_client_key(issuer, command.client_key());
    if (!command.client_key().empty()) {
      if (const auto* earlier = queue_.ticket_by_client_key(scoped_key))
        return done(earlier->id(), {});
    }
    if (who_.allowance.rate == rate_state::spent) return make_error(v1::ERROR_CODE_RATE_LIMITED);
    const auto* category = queue_.category(command.category());
    if (category == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
    if (!command.priority_class().empty()) {
      const auto& classes = queue_.config().priority_classes;
      if (std::none_of(classes.begin(), classes.end(),
                       [&](const auto& known) { return known.code == command.priority_class(); }))
        return make_error(v1::ERROR_CODE_UNKNOWN_PRIORITY_CLASS, {command.priority_class()});
    }
    if (const auto share = issuer_share(*category);
        share && queue_.issued_today(issuer, category->code) >= *share)
      return make_error(v1::ERROR_CODE_RATE_LIMITED, {category->code, std::to_string(*share)});
    switch (detail::availability(queue_, calendar_, *category, now_).status) {
      case v1::CATEGORY_STATUS_CLOSED_MANUALLY:
        return make_error(v1::ERROR_CODE_CATEGORY_CLOSED, {category->code});
      case v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS:
        return make_error(v1::ERROR_CODE_CATEGORY_OUTSIDE_HOURS, {category->code});
      case v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED:
        return make_error(v1::ERROR_CODE_CATEGORY_LIMIT_REACHED, {category->code});
      default:
        break;
    }
    const auto ordinal = queue_.next_ordinal(category->code);
    const auto serial = queue_.memo().last_ticket_serial() + 1;
    auto& event = emit();
    auto* ticket = event.mutable_ticket_issued()->mutable_ticket();
    ticket->set_id(detail::ticket_id_for(serial));
    ticket->set_number(*numbering(*category).display(ordinal));
    ticket->set_category(category->code);
    ticket->set_priority_class(command.priority_class());
    ticket->set_state(v1::TICKET_STATE_WAITING);
    ticket->set_service_day(event.service_day());
    ticket->set_ordinal(ordinal);
    *ticket->mutable_issued_at() = to_proto(now_);
    ticket->set_queue_key(detail::issue_key(now_));
    ticket->set_client_key(std::move(scoped_key));
    ticket->set_source(who_.name);
    if (tokens_) ticket->set_status_token(tokens_());
    return done(ticket->id(), {});
  }

  v1::Event& emit_called(const v1::Ticket& ticket, const v1::Counter& counter, bool chosen) {
    auto& event = emit();
    auto* body = event.mutable_ticket_called();
    body->set_ticket_id(ticket.id());
    body->set_counter(counter.id());
    body->set_officer(counter.officer());
    body->set_chosen(chosen);
    return event;
  }

  result<decision> call_next(const v1::CallNext& command) {
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

  result<decision> call_ticket(const v1::CallTicket& command) {
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

  result<decision> recall(const v1::Recall& command) {
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

  result<decision> mark_no_show(const v1::MarkNoShow& command) {
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
  std::int64_t return_key(const v1::Ticket& ticket) const {
    const auto& policy = queue_.config().priority;
    const auto* queue = queue_.waiting(ticket.category());
    if (queue == nullptr) return detail::issue_key(ticket);
    const auto places = queue_.config().no_show.return_position;
    // Only tickets of the same rank can be compared by key: under the strict
    // policy a regular ticket cannot move ahead of priority ones.
    const bool priority = !ticket.priority_class().empty();
    const auto rank_of = [&](bool kind) {
      return std::get<0>(detail::order_key(policy, {}, kind));
    };
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

  result<decision> return_no_show(const v1::ReturnNoShow& command) {
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

  result<decision> park(const v1::Park& command) {
    auto ticket = current_ticket(command.counter());
    if (!ticket) return ticket.failure();
    auto* body = emit().mutable_ticket_parked();
    body->set_ticket_id((*ticket)->id());
    body->set_counter(command.counter());
    return done((*ticket)->id(), command.counter());
  }

  result<decision> resume_parked(const v1::ResumeParked& command) {
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

  result<decision> transfer(const v1::Transfer& command) {
    auto ticket = current_ticket(command.counter());
    if (!ticket) return ticket.failure();
    if (command.to_category().empty() && command.to_counter().empty())
      return make_error(v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
                        {"chưa chọn lĩnh vực hoặc quầy nhận"});
    if (!command.to_category().empty() && queue_.category(command.to_category()) == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.to_category()});
    const counter_config* destination = nullptr;
    if (!command.to_counter().empty()) {
      destination = queue_.counter_config_for(command.to_counter());
      if (destination == nullptr)
        return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {command.to_counter()});
      if (command.to_counter() == command.counter())
        return make_error(v1::ERROR_CODE_TRANSFER_TARGET_INVALID,
                          {"không thể chuyển về chính quầy " + command.counter()});
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

  result<decision> finish(const v1::Finish& command) {
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

  result<decision> pause_counter(const v1::PauseCounter& command) {
    auto counter = ready_counter(command.counter());
    if (!counter) return counter.failure();
    auto* body = emit().mutable_counter_paused();
    body->set_counter(command.counter());
    body->set_reason(command.reason());
    return done({}, command.counter());
  }

  result<decision> resume_counter(const v1::ResumeCounter& command) {
    auto counter = known_counter(command.counter());
    if (!counter) return counter.failure();
    if ((*counter)->state() != v1::COUNTER_STATE_PAUSED)
      return make_error(v1::ERROR_CODE_COUNTER_NOT_PAUSED, {command.counter()});
    emit().mutable_counter_resumed()->set_counter(command.counter());
    return done({}, command.counter());
  }

  result<decision> open_counter(const v1::OpenCounter& command) {
    auto counter = known_counter(command.counter());
    if (!counter) return counter.failure();
    // Signing in again to one's own counter is a no-op, so a console that
    // reconnects can always send it.
    if ((*counter)->state() != v1::COUNTER_STATE_CLOSED &&
        (*counter)->officer() == command.officer())
      return done({}, command.counter());
    auto* body = emit().mutable_counter_opened();
    body->set_counter(command.counter());
    body->set_officer(command.officer());
    body->set_officer_name(command.officer_name());
    return done({}, command.counter());
  }

  result<decision> close_counter(const v1::CloseCounter& command) {
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

  result<decision> close_category(const v1::CloseCategory& command) {
    if (queue_.category(command.category()) == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
    if (queue_.memo().closed_categories().contains(command.category())) return done({}, {});
    auto* body = emit().mutable_category_closed();
    body->set_category(command.category());
    body->set_note(command.note());
    return done({}, {});
  }

  result<decision> reopen_category(const v1::ReopenCategory& command) {
    if (queue_.category(command.category()) == nullptr)
      return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
    if (!queue_.memo().closed_categories().contains(command.category()))
      return make_error(v1::ERROR_CODE_CATEGORY_NOT_CLOSED, {command.category()});
    emit().mutable_category_reopened()->set_category(command.category());
    return done({}, {});
  }

  result<decision> report_device_status(const v1::ReportDeviceStatus& command) {
    constexpr std::size_t detail_limit = 200;
    if (command.device().empty()) return make_error(v1::ERROR_CODE_BAD_REQUEST, {"no device"});
    if (command.health() == v1::DEVICE_HEALTH_UNSPECIFIED ||
        !v1::DeviceHealth_IsValid(command.health()))
      return make_error(v1::ERROR_CODE_BAD_REQUEST, {"health is required"});
    if (command.detail().size() > detail_limit)
      return make_error(v1::ERROR_CODE_BAD_REQUEST,
                        {"detail over " + std::to_string(detail_limit) + " bytes"});
    // Only a change is worth an event: a kiosk may report every minute.
    const auto& known = queue_.devices();
    if (const auto found = known.find(command.device());
        found != known.end() && found->second.health() == command.health() &&
        found->second.detail() == command.detail())
      return done({}, {});
    auto* status = emit().mutable_device_status_changed()->mutable_status();
    status->set_device(command.device());
    status->set_health(command.health());
    status->set_detail(command.detail());
    *status->mutable_since() = to_proto(now_);
    return done({}, {});
  }

  // One rating per finished service, from the counter that finished it,
  // within the rating window after the finish.
  result<decision> rate_service(const v1::RateService& command) {
    auto counter = known_counter(command.counter());
    if (!counter) return counter.failure();
    const auto* ticket = queue_.ticket(command.ticket());
    if (ticket == nullptr) return make_error(v1::ERROR_CODE_UNKNOWN_TICKET, {command.ticket()});
    if (command.rating() == v1::SERVICE_RATING_UNSPECIFIED ||
        !v1::ServiceRating_IsValid(command.rating()))
      return make_error(v1::ERROR_CODE_BAD_REQUEST, {"rating is required"});
    for (const auto criterion : command.criteria())
      if (criterion == v1::RATING_CRITERION_UNSPECIFIED || !v1::RatingCriterion_IsValid(criterion))
        return make_error(v1::ERROR_CODE_BAD_REQUEST, {"unknown criterion"});
    if (ticket->rating() != v1::SERVICE_RATING_UNSPECIFIED)
      return make_error(v1::ERROR_CODE_ALREADY_RATED, {ticket->number()});
    const auto window =
        std::chrono::duration_cast<std::chrono::milliseconds>(queue_.config().rating_window);
    if (ticket->state() != v1::TICKET_STATE_DONE || ticket->counter() != command.counter() ||
        now_ - from_proto(ticket->finished_at()) > window)
      return make_error(v1::ERROR_CODE_RATING_CLOSED, {ticket->number()});
    auto* body = emit().mutable_service_rated();
    body->set_ticket_id(ticket->id());
    body->set_counter(command.counter());
    body->set_officer(ticket->officer());
    body->set_category(ticket->category());
    body->set_rating(command.rating());
    for (const auto criterion : command.criteria())
      body->add_criteria(static_cast<v1::RatingCriterion>(criterion));
    return done(ticket->id(), {});
  }

  // A manager's change to a member of staff, checked like the config's
  // [[staff]]; the server has already hashed the password.
  result<decision> set_staff(const v1::StaffRecord& record) {
    const auto bad = [](std::string why) {
      return make_error(v1::ERROR_CODE_BAD_REQUEST, {std::move(why)});
    };
    const auto& name = record.username();
    if (name.empty() || name.size() > 32 || !std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        }))
      return bad("username must be 1-32 letters, digits, - or _");
    if (record.display_name().empty() || record.display_name().size() > 200)
      return bad("display name is required");
    if (record.role() != "officer" && record.role() != "manager")
      return bad("role must be officer or manager");
    if (!record.password_hash().starts_with("$argon2id$")) return bad("password is required");
    for (const auto& counter : record.counters())
      if (queue_.counter_config_for(counter) == nullptr)
        return make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter});
    *emit().mutable_staff_set()->mutable_record() = record;
    return done({}, {});
  }

  const queue_state& queue_;
  const centre_calendar& calendar_;
  const token_source& tokens_;
  timestamp now_;
  const actor& who_;
  std::string service_day_;
  decision decision_;
};

}  // namespace

engine::engine(centre_config config, token_source tokens)
    : state_(std::make_unique<state>(std::move(config), std::move(tokens))) {}

engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

result<decision> engine::apply(const v1::Command& command, timestamp now, const actor& who) const {
  return decider(state_->queue, state_->calendar, state_->tokens, now, who).decide(command);
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
  auto decided = decider(next->queue, next->calendar, next->tokens, now, who).decide(command);
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
