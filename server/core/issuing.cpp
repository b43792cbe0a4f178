#include <algorithm>

#include "category_status.hpp"
#include "decider.hpp"
#include "numbering.hpp"

namespace luot::core::detail {

// How many of `category`'s numbers today the issuer may take, when the
// numbers can run out and the issuer's allowance caps its share: at least
// one, so a tiny limit still serves a citizen.
std::optional<std::uint32_t> decider::issuer_share(const category_config& category) const {
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

result<decision> decider::take_ticket(const v1::TakeTicket& command) {
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
  if (category == nullptr) return make_error(v1::ERROR_CODE_UNKNOWN_CATEGORY, {command.category()});
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

// One rating per finished service, from the counter that finished it,
// within the rating window after the finish.
result<decision> decider::rate_service(const v1::RateService& command) {
  auto counter = known_counter(command.counter());
  if (!counter) return counter.failure();
  const auto* ticket = queue_.ticket(command.ticket());
  if (ticket == nullptr) return make_error(v1::ERROR_CODE_UNKNOWN_TICKET, {command.ticket()});
  if (command.rating() == v1::SERVICE_RATING_UNSPECIFIED ||
      !v1::ServiceRating_IsValid(command.rating()))
    return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of("reason.rating_required"));
  for (const auto criterion : command.criteria())
    if (criterion == v1::RATING_CRITERION_UNSPECIFIED || !v1::RatingCriterion_IsValid(criterion))
      return make_error(v1::ERROR_CODE_BAD_REQUEST, reason::of("reason.unknown_criterion"));
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

}  // namespace luot::core::detail
