#include "selection.hpp"

#include <algorithm>

namespace luot::core::detail {

namespace {

bool is_priority(const v1::Ticket& ticket) {
  return !ticket.priority_class().empty();
}

bool in_key_order(const candidate& left, const candidate& right) {
  return left.position < right.position;
}

// Weight of a category at a weighted counter; a missing weight counts as 1
// so a short weights list in the config never hides a category.
std::int64_t weight_of(const counter_config& counter, std::size_t index) {
  return index < counter.weights.size() ? std::int64_t{counter.weights[index]} : 1;
}

}  // namespace

std::vector<candidate> candidate_set::all() const {
  std::vector<candidate> merged = directed;
  for (const auto& group : served)
    merged.insert(merged.end(), group.tickets.begin(), group.tickets.end());
  std::sort(merged.begin(), merged.end(), in_key_order);
  return merged;
}

candidate_set gather_candidates(const queue_state& state, const counter_config& counter) {
  candidate_set result;
  for (const auto& category : counter.categories) {
    candidate_group group{category, {}};
    for (const auto& position : state.waiting(category)) {
      const auto* ticket = state.ticket_at(position);
      if (ticket->target_counter().empty() || ticket->target_counter() == counter.id)
        group.tickets.push_back({position, ticket});
    }
    if (!group.tickets.empty()) result.served.push_back(std::move(group));
  }
  for (const auto& [category, queue] : state.waiting()) {
    if (std::find(counter.categories.begin(), counter.categories.end(), category) !=
        counter.categories.end())
      continue;
    for (const auto& position : queue) {
      const auto* ticket = state.ticket_at(position);
      if (ticket->target_counter() == counter.id) result.directed.push_back({position, ticket});
    }
  }
  std::sort(result.directed.begin(), result.directed.end(), in_key_order);
  return result;
}

std::int64_t priority_shift(const priority_policy& policy, const v1::Ticket& ticket) {
  if (policy.style != priority_policy::kind::aging || !is_priority(ticket)) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(policy.aging_bound).count() * 1000;
}

call_order_key order_key(const priority_policy& policy, const candidate& entry) {
  const bool priority = is_priority(*entry.ticket);
  switch (policy.style) {
    case priority_policy::kind::strict:
      return {priority ? 0 : 1, entry.position.key, 0, entry.position.serial};
    case priority_policy::kind::ratio:
      return {0, entry.position.key, priority ? 0 : 1, entry.position.serial};
    case priority_policy::kind::aging:
      break;
  }
  return {0, entry.position.key - priority_shift(policy, *entry.ticket), 0, entry.position.serial};
}

std::vector<candidate> call_order(const queue_state& state, const std::string& category) {
  const auto& policy = state.config().priority;
  std::vector<candidate> order;
  for (const auto& position : state.waiting(category))
    order.push_back({position, state.ticket_at(position)});
  std::sort(order.begin(), order.end(), [&](const candidate& left, const candidate& right) {
    return order_key(policy, left) < order_key(policy, right);
  });
  return order;
}

const v1::Ticket* pick_by_policy(const std::vector<candidate>& tickets,
                                 const priority_policy& policy, std::uint32_t regular_streak) {
  const candidate* first_priority = nullptr;
  const candidate* first_regular = nullptr;
  for (const auto& entry : tickets) {
    if (is_priority(*entry.ticket)) {
      if (first_priority == nullptr) first_priority = &entry;
    } else if (first_regular == nullptr) {
      first_regular = &entry;
    }
    if (first_priority != nullptr && first_regular != nullptr) break;
  }
  if (first_priority == nullptr) return first_regular ? first_regular->ticket : nullptr;
  if (first_regular == nullptr) return first_priority->ticket;
  switch (policy.style) {
    case priority_policy::kind::strict:
      return first_priority->ticket;
    case priority_policy::kind::ratio:
      return regular_streak >= policy.regular_per_priority ? first_priority->ticket
                                                           : first_regular->ticket;
    case priority_policy::kind::aging:
      break;
  }
  return order_key(policy, *first_priority) < order_key(policy, *first_regular)
             ? first_priority->ticket
             : first_regular->ticket;
}

std::string credit_key(const std::string& counter, const std::string& category) {
  return counter + "/" + category;
}

round_robin_step weighted_step(const queue_state& state, const counter_config& counter,
                               const std::vector<candidate_group>& eligible) {
  round_robin_step step;
  std::int64_t total = 0;
  std::int64_t best = 0;
  for (const auto& group : eligible) {
    const auto index = static_cast<std::size_t>(
        std::find(counter.categories.begin(), counter.categories.end(), group.category) -
        counter.categories.begin());
    const auto weight = weight_of(counter, index);
    const auto key = credit_key(counter.id, group.category);
    const auto& credits = state.memo().weight_credit();
    const auto found = credits.find(key);
    const auto credit = (found == credits.end() ? 0 : found->second) + weight;
    total += weight;
    // Ties go to the category listed first: strictly greater replaces.
    if (step.credits.empty() || credit > best) {
      best = credit;
      step.chosen = group.category;
    }
    step.credits.emplace_back(key, credit);
  }
  for (auto& [key, credit] : step.credits)
    if (key == credit_key(counter.id, step.chosen)) credit -= total;
  return step;
}

selection select_next(const queue_state& state, const counter_config& counter) {
  const auto& policy = state.config().priority;
  const auto& streaks = state.memo().regular_streak();
  const auto found = streaks.find(counter.id);
  const std::uint32_t streak = found == streaks.end() ? 0 : found->second;

  const auto candidates = gather_candidates(state, counter);
  if (candidates.empty()) return {};
  switch (counter.selection) {
    case selection_mode::oldest_first:
      return {pick_by_policy(candidates.all(), policy, streak), std::nullopt};
    case selection_mode::in_order:
      if (!candidates.directed.empty())
        return {pick_by_policy(candidates.directed, policy, streak), std::nullopt};
      return {pick_by_policy(candidates.served.front().tickets, policy, streak), std::nullopt};
    case selection_mode::weighted:
      break;
  }
  if (!candidates.directed.empty())
    return {pick_by_policy(candidates.directed, policy, streak), std::nullopt};
  auto step = weighted_step(state, counter, candidates.served);
  const auto chosen =
      std::find_if(candidates.served.begin(), candidates.served.end(),
                   [&](const auto& group) { return group.category == step.chosen; });
  return {pick_by_policy(chosen->tickets, policy, streak), std::move(step)};
}

}  // namespace luot::core::detail
