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

namespace {

// The first ticket of each kind in `bucket`.
void add_front(const queue_state& state, const waiting_bucket* bucket,
               std::vector<candidate>& out) {
  if (bucket == nullptr) return;
  for (const auto* kind : {&bucket->priority, &bucket->regular}) {
    if (kind->empty()) continue;
    const auto& position = *kind->begin();
    out.push_back({position, state.ticket_at(position)});
  }
}

bool serves(const counter_config& counter, const std::string& category) {
  return std::find(counter.categories.begin(), counter.categories.end(), category) !=
         counter.categories.end();
}

}  // namespace

candidate_set gather_candidates(const queue_state& state, const counter_config& counter) {
  candidate_set result;
  for (const auto& category : counter.categories) {
    candidate_group group{category, {}};
    if (const auto* queue = state.waiting(category)) {
      add_front(state, queue->bucket({}), group.tickets);
      if (!counter.id.empty()) add_front(state, queue->bucket(counter.id), group.tickets);
    }
    std::sort(group.tickets.begin(), group.tickets.end(), in_key_order);
    if (!group.tickets.empty()) result.served.push_back(std::move(group));
  }
  if (!counter.id.empty()) {
    for (const auto& [category, queue] : state.waiting())
      if (!serves(counter, category)) add_front(state, queue.bucket(counter.id), result.directed);
  }
  std::sort(result.directed.begin(), result.directed.end(), in_key_order);
  return result;
}

std::vector<ordered_stream> counter_streams(const queue_state& state,
                                            const counter_config& counter) {
  std::vector<ordered_stream> streams;
  for (const auto& category : counter.categories) {
    if (const auto* queue = state.waiting(category)) {
      add_streams(queue->bucket({}), streams);
      if (!counter.id.empty()) add_streams(queue->bucket(counter.id), streams);
    }
  }
  if (!counter.id.empty()) {
    for (const auto& [category, queue] : state.waiting())
      if (!serves(counter, category)) add_streams(queue.bucket(counter.id), streams);
  }
  return streams;
}

std::vector<candidate> category_front(const queue_state& state, const std::string& category) {
  std::vector<candidate> front;
  if (const auto* queue = state.waiting(category))
    for (const auto& [target, bucket] : queue->buckets()) add_front(state, &bucket, front);
  std::sort(front.begin(), front.end(), in_key_order);
  return front;
}

std::int64_t priority_shift(const priority_policy& policy, const v1::Ticket& ticket) {
  return priority_shift(policy, is_priority(ticket));
}

call_order_key order_key(const priority_policy& policy, const candidate& entry) {
  return order_key(policy, entry.position, is_priority(*entry.ticket));
}

std::vector<candidate> call_order(const queue_state& state, const std::string& category) {
  std::vector<candidate> order;
  const auto* queue = state.waiting(category);
  if (queue == nullptr) return order;
  order.reserve(queue->size());
  call_order_walk walk(state.config().priority, streams_of(*queue));
  while (const auto next = walk.next())
    order.push_back({next->position, state.ticket_at(next->position)});
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
