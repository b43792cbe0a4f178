// The engine answers people-ahead and call-next from an index (rank queries
// and the front of each queue) instead of walking the queue. These tests pin
// both against brute force over the whole snapshot, under every priority
// policy, for random sequences full of ties, priority tickets, transfers to
// named counters, returned no-shows and requeued parked tickets.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <tuple>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

std::uint64_t serial_of(const v1::Ticket& ticket) {
  return std::stoull(ticket.id().substr(1));
}

bool is_priority(const v1::Ticket& ticket) {
  return !ticket.priority_class().empty();
}

// docs/queue-rules.md, written out independently of the engine.
std::tuple<int, std::int64_t, int, std::uint64_t> call_rank(const priority_policy& policy,
                                                            const v1::Ticket& ticket) {
  const bool priority = is_priority(ticket);
  switch (policy.style) {
    case priority_policy::kind::strict:
      return {priority ? 0 : 1, ticket.queue_key(), 0, serial_of(ticket)};
    case priority_policy::kind::ratio:
      return {0, ticket.queue_key(), priority ? 0 : 1, serial_of(ticket)};
    case priority_policy::kind::aging:
      break;
  }
  const std::int64_t shift =
      priority ? std::chrono::milliseconds{policy.aging_bound}.count() * 1000 : 0;
  return {0, ticket.queue_key() - shift, 0, serial_of(ticket)};
}

// Waiting tickets of the same category before `ticket` in call order that
// compete with it: untargeted ones, and those sent to the same counter.
std::uint32_t brute_people_ahead(const priority_policy& policy, const v1::Snapshot& snapshot,
                                 const v1::Ticket& ticket) {
  std::uint32_t ahead = 0;
  for (const auto& other : snapshot.tickets()) {
    if (other.state() != v1::TICKET_STATE_WAITING || other.id() == ticket.id() ||
        other.category() != ticket.category())
      continue;
    if (!other.target_counter().empty() && other.target_counter() != ticket.target_counter())
      continue;
    if (call_rank(policy, other) < call_rank(policy, ticket)) ++ahead;
  }
  return ahead;
}

// What CallNext must choose, by the rules in docs/queue-rules.md over every
// waiting ticket; empty when nothing may be called.
std::optional<std::string> brute_call_next(const centre_config& config,
                                           const counter_config& counter,
                                           const v1::Snapshot& snapshot) {
  const auto serves = [&](const std::string& category) {
    return std::find(counter.categories.begin(), counter.categories.end(), category) !=
           counter.categories.end();
  };
  std::vector<const v1::Ticket*> directed;
  std::map<std::string, std::vector<const v1::Ticket*>> served;
  for (const auto& ticket : snapshot.tickets()) {
    if (ticket.state() != v1::TICKET_STATE_WAITING) continue;
    const bool mine = ticket.target_counter() == counter.id;
    if (serves(ticket.category())) {
      if (ticket.target_counter().empty() || mine) served[ticket.category()].push_back(&ticket);
    } else if (mine) {
      directed.push_back(&ticket);
    }
  }
  const auto& streaks = snapshot.memo().regular_streak();
  const std::uint32_t streak =
      streaks.contains(counter.id) ? streaks.at(counter.id) : std::uint32_t{0};
  const auto pick = [&](const std::vector<const v1::Ticket*>& tickets) -> std::string {
    const v1::Ticket* first_priority = nullptr;
    const v1::Ticket* first_regular = nullptr;
    const auto by_key = [](const v1::Ticket* left, const v1::Ticket* right) {
      return std::make_pair(left->queue_key(), serial_of(*left)) <
             std::make_pair(right->queue_key(), serial_of(*right));
    };
    for (const auto* ticket : tickets) {
      auto& first = is_priority(*ticket) ? first_priority : first_regular;
      if (first == nullptr || by_key(ticket, first)) first = ticket;
    }
    if (first_priority == nullptr) return first_regular->id();
    if (first_regular == nullptr) return first_priority->id();
    switch (config.priority.style) {
      case priority_policy::kind::strict:
        return first_priority->id();
      case priority_policy::kind::ratio:
        return streak >= config.priority.regular_per_priority ? first_priority->id()
                                                              : first_regular->id();
      case priority_policy::kind::aging:
        break;
    }
    return call_rank(config.priority, *first_priority) < call_rank(config.priority, *first_regular)
               ? first_priority->id()
               : first_regular->id();
  };
  if (directed.empty() && served.empty()) return std::nullopt;
  switch (counter.selection) {
    case selection_mode::oldest_first: {
      auto all = directed;
      for (const auto& [category, tickets] : served)
        all.insert(all.end(), tickets.begin(), tickets.end());
      return pick(all);
    }
    case selection_mode::in_order:
      if (!directed.empty()) return pick(directed);
      for (const auto& category : counter.categories)
        if (served.contains(category)) return pick(served.at(category));
      return std::nullopt;
    case selection_mode::weighted:
      break;
  }
  if (!directed.empty()) return pick(directed);
  // Smooth weighted round robin; ties to the category listed first.
  const auto& credits = snapshot.memo().weight_credit();
  std::optional<std::string> chosen;
  std::int64_t best = 0;
  for (std::size_t index = 0; index < counter.categories.size(); ++index) {
    const auto& category = counter.categories[index];
    if (!served.contains(category)) continue;
    const auto key = counter.id + "/" + category;
    const std::int64_t weight = index < counter.weights.size() ? counter.weights[index] : 1;
    const auto credit = (credits.contains(key) ? credits.at(key) : 0) + weight;
    if (!chosen || credit > best) {
      best = credit;
      chosen = category;
    }
  }
  return pick(served.at(*chosen));
}

centre_config busy_centre(priority_policy::kind style, std::uint32_t return_position) {
  auto config = small_centre();
  config.categories = {prefix_category("A", "A"), block_category("B", 1001, 1999),
                       prefix_category("C", "C")};
  config.counters = {
      counter_serving("1", {"A"}),
      counter_serving("2", {"B", "A"}, selection_mode::in_order),
      counter_serving("3", {"A", "B"}, selection_mode::weighted, {2, 1}),
      counter_serving("4", {"C"}, selection_mode::oldest_first),
  };
  config.priority.style = style;
  config.priority.regular_per_priority = 2;
  config.priority.aging_bound = 2min;
  config.no_show.max_calls = 1;
  config.no_show.return_within_calls = 50;
  config.no_show.return_within_time = 60min;
  config.no_show.return_position = return_position;
  return config;
}

class queue_index_run {
 public:
  queue_index_run(priority_policy::kind style, std::uint32_t seed)
      : config_(busy_centre(style, seed % 4)),
        centre_(config_),
        random_(seed),
        now_(vietnam_time(2024, 6, 3, 8, 0)) {
    for (const auto& counter : config_.counters)
      centre_.must(open_counter(counter.id, "officer-" + counter.id), now_);
  }

  void run(int steps) {
    for (int step = 0; step < steps; ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      // Often no time passes, so equal keys are common.
      if (chance(0.5)) now_ += std::chrono::milliseconds{pick(40'000)};
      const auto before = centre_.live().snapshot(now_, visibility::internal);
      const auto command = random_command(before);
      const auto decided = centre_.run(command, now_);
      if (decided && command.has_call_next()) {
        const auto& counter = *std::find_if(
            config_.counters.begin(), config_.counters.end(),
            [&](const auto& each) { return each.id == command.call_next().counter(); });
        const auto expected = brute_call_next(config_, counter, before);
        ASSERT_TRUE(expected.has_value());
        EXPECT_EQ(decided->ticket_id, *expected) << "counter " << counter.id;
      }
      check_people_ahead();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

  std::size_t waiting_seen() const { return waiting_seen_; }

 private:
  std::size_t pick(std::size_t count) {
    return std::uniform_int_distribution<std::size_t>(0, count - 1)(random_);
  }
  bool chance(double probability) { return std::bernoulli_distribution(probability)(random_); }

  std::string some_counter() { return std::to_string(1 + pick(4)); }
  std::string some_category() { return std::vector<std::string>{"A", "A", "B", "C"}[pick(4)]; }

  v1::Command random_command(const v1::Snapshot& snapshot) {
    const auto roll = pick(100);
    if (roll < 45) return take(some_category(), chance(0.35) ? "elderly" : "");
    if (roll < 62) return call_next(some_counter());
    if (roll < 70) return finish(some_counter());
    if (roll < 76) return mark_no_show(some_counter());
    if (roll < 82) {
      for (const auto& ticket : snapshot.tickets())
        if (ticket.state() == v1::TICKET_STATE_NO_SHOW && chance(0.5))
          return return_no_show(ticket.id());
      return call_next(some_counter());
    }
    if (roll < 92) {
      const auto placement = chance(0.5) ? v1::PLACEMENT_FIRST : v1::PLACEMENT_IN_ORDER;
      return transfer(some_counter(), chance(0.5) ? some_category() : "",
                      chance(0.7) ? some_counter() : "", placement);
    }
    if (roll < 96) return park(some_counter());
    // Closing requeues the parked tickets at the front; open it again.
    const auto counter = some_counter();
    if (chance(0.5)) return close_counter(counter);
    return open_counter(counter, "officer-" + counter);
  }

  void check_people_ahead() {
    const auto snapshot = centre_.live().snapshot(now_, visibility::internal);
    for (const auto& ticket : snapshot.tickets()) {
      if (ticket.state() != v1::TICKET_STATE_WAITING) continue;
      ++waiting_seen_;
      const auto expected = brute_people_ahead(config_.priority, snapshot, ticket);
      const auto alone = centre_.live().find_ticket(ticket.id(), now_, visibility::public_view);
      ASSERT_TRUE(alone.has_value());
      EXPECT_EQ(alone->people_ahead(), expected) << ticket.number();
      EXPECT_EQ(ticket.people_ahead(), expected) << ticket.number() << " (snapshot)";
    }
  }

  centre_config config_;
  recorded_engine centre_;
  std::mt19937 random_;
  timestamp now_;
  std::size_t waiting_seen_ = 0;
};

class QueueIndex : public ::testing::TestWithParam<priority_policy::kind> {};

TEST_P(QueueIndex, PeopleAheadAndCallNextMatchBruteForce) {
  std::size_t waiting_seen = 0;
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    queue_index_run run(GetParam(), seed);
    run.run(250);
    waiting_seen += run.waiting_seen();
    if (HasFailure()) return;
  }
  // The runs keep real queues, not a handful of tickets.
  EXPECT_GT(waiting_seen, 12u * 250u * 5u);
}

INSTANTIATE_TEST_SUITE_P(EveryPolicy, QueueIndex,
                         ::testing::Values(priority_policy::kind::strict,
                                           priority_policy::kind::ratio,
                                           priority_policy::kind::aging),
                         [](const ::testing::TestParamInfo<priority_policy::kind>& policy) {
                           switch (policy.param) {
                             case priority_policy::kind::strict:
                               return std::string("strict");
                             case priority_policy::kind::ratio:
                               return std::string("ratio");
                             case priority_policy::kind::aging:
                               break;
                           }
                           return std::string("aging");
                         });

}  // namespace
}  // namespace luot::core::testing
