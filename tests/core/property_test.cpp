// Random command sequences against the invariants the centre relies on.
// A failure names its seed; rerun just that one with LUOT_PROPERTY_SEED=<n>.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "core/projection.hpp"
#include "fixtures.hpp"
#include "view/mirror.hpp"

namespace luot::core::testing {
namespace {

#ifdef LUOT_SANITIZED
// Under ASan+UBSan a step costs ~25 times more (178 s for 300 seeds): the
// sanitizer pass takes a fifth of the seeds, the same steps per seed.
constexpr int seed_count = 60;
#else
constexpr int seed_count = 300;
#endif
constexpr int steps_per_seed = 300;
constexpr int replay_every = 50;

std::string policy_name(priority_policy::kind style) {
  switch (style) {
    case priority_policy::kind::strict:
      return "strict";
    case priority_policy::kind::ratio:
      return "ratio";
    case priority_policy::kind::aging:
      return "aging";
  }
  return "?";
}

centre_config random_centre(std::uint32_t seed) {
  auto config = small_centre();
  // A small block so its numbers run out on busy days.
  auto block = block_category("B", 1001, 1012);
  auto afternoon = prefix_category("C", "C", 2);
  afternoon.hours.emplace();
  for (unsigned weekday = 1; weekday <= 5; ++weekday)
    (*afternoon.hours)[weekday] = {time_range{7h + 30min, 11h + 30min},
                                   time_range{13h + 30min, 17h}};
  config.categories = {prefix_category("A", "A"), block, afternoon};
  config.counters = {
      counter_serving("1", {"A"}),
      counter_serving("2", {"B"}, selection_mode::in_order),
      counter_serving("3", {"A", "B"}, selection_mode::weighted, {2, 1}),
      counter_serving("4", {"C", "A", "B"}, selection_mode::in_order),
      counter_serving("5", {"B", "C"}, selection_mode::oldest_first),
  };
  config.priority.style = static_cast<priority_policy::kind>(seed % 3);
  config.priority.regular_per_priority = 2;
  config.priority.aging_bound = 10min;
  config.no_show.max_calls = 2;
  config.no_show.return_within_calls = 3;
  config.no_show.return_within_time = 10min;
  config.no_show.return_position = 1 + seed % 2;
  config.recent_calls_kept = 5;
  return config;
}

bool is_priority(const v1::Ticket& ticket) {
  return !ticket.priority_class().empty();
}

// A ticket still at the key it was issued with, in its own category.
bool never_reordered(const v1::Ticket& ticket) {
  return ticket.transferred_from_category().empty() &&
         ticket.queue_key() == from_proto(ticket.issued_at()).time_since_epoch().count() * 1000;
}

// Drives one random sequence and checks the invariants after every step.
class random_run {
 public:
  explicit random_run(std::uint32_t seed)
      : config_(random_centre(seed)),
        centre_(config_),
        random_(seed),
        now_(vietnam_time(2024, 6, 3, 7, 0)) {}

  void run(int steps) {
    for (step_ = 0; step_ < steps; ++step_) {
      SCOPED_TRACE("step " + std::to_string(step_));
      advance_time();
      const auto before = centre_.live().snapshot(now_, visibility::internal);
      const auto command = random_command(before);
      const auto decided = centre_.run(command, now_);
      if (decided) check_decision(before, command, *decided);
      check_state();
      if (step_ == steps / 2) {
        saved_ = centre_.live().snapshot(now_, visibility::internal);
        saved_log_size_ = centre_.log().size();
      }
      check_mirrors();
      if (step_ % replay_every == 0) check_replay();
      if (::testing::Test::HasFatalFailure()) return;
    }
    check_replay();
    check_restore();
  }

 private:
  std::size_t pick(std::size_t count) {
    return std::uniform_int_distribution<std::size_t>(0, count - 1)(random_);
  }
  bool chance(double probability) { return std::bernoulli_distribution(probability)(random_); }
  template <typename T>
  const T& one_of(const std::vector<T>& items) {
    return items[pick(items.size())];
  }

  void advance_time() {
    const auto roll = std::uniform_real_distribution<double>(0, 1)(random_);
    if (roll < 0.85)
      now_ += std::chrono::milliseconds{pick(90'000)};
    else if (roll < 0.98)
      now_ += std::chrono::minutes{5 + pick(35)};
    else
      now_ += std::chrono::hours{6 + pick(14)} + std::chrono::minutes{pick(60)};
  }

  std::string some_counter() {
    if (chance(0.02)) return "9";
    return std::to_string(1 + pick(5));
  }
  // Mostly a counter that is serving someone, so the officer commands do
  // something more often than not.
  std::string busy_counter(const v1::Snapshot& snapshot) {
    std::vector<std::string> busy;
    for (const auto& counter : snapshot.counters())
      if (!counter.current_ticket_id().empty()) busy.push_back(counter.id());
    if (busy.empty() || chance(0.25)) return some_counter();
    return one_of(busy);
  }
  std::string some_category() {
    if (chance(0.02)) return "Z";
    return one_of(std::vector<std::string>{"A", "A", "B", "C"});
  }
  // Refers to a ticket of today by id, by number (with or without its
  // category), or to nothing at all.
  std::pair<std::string, std::string> some_ticket(const v1::Snapshot& snapshot,
                                                  v1::TicketState preferred) {
    std::vector<const v1::Ticket*> pool;
    for (const auto& ticket : snapshot.tickets())
      if (ticket.state() == preferred || chance(0.1)) pool.push_back(&ticket);
    if (pool.empty() || chance(0.03)) return {"X999", ""};
    const auto& ticket = *pool[pick(pool.size())];
    switch (pick(3)) {
      case 0:
        return {ticket.id(), ""};
      case 1:
        return {ticket.number(), ticket.category()};
      default:
        return {ticket.number(), ""};
    }
  }

  v1::Command random_command(const v1::Snapshot& snapshot) {
    const auto roll = pick(100);
    if (roll < 30) {
      const std::string priority =
          chance(0.3) ? one_of(std::vector<std::string>{"elderly", "disabled"}) : "";
      const std::string key = chance(0.2) ? "key-" + std::to_string(pick(20)) : "";
      return take(some_category(), chance(0.01) ? "vip" : priority, key);
    }
    if (roll < 52) return call_next(some_counter());
    if (roll < 64) return finish(busy_counter(snapshot), chance(0.8) ? "received" : "");
    if (roll < 68) return recall(busy_counter(snapshot));
    if (roll < 71) return mark_no_show(busy_counter(snapshot));
    if (roll < 75) {
      const auto [ticket, category] = some_ticket(snapshot, v1::TICKET_STATE_NO_SHOW);
      return return_no_show(ticket, category);
    }
    if (roll < 78) return park(busy_counter(snapshot));
    if (roll < 81) {
      const auto [ticket, category] = some_ticket(snapshot, v1::TICKET_STATE_PARKED);
      // Usually at the counter holding it, which then has to be free.
      std::string counter = some_counter();
      for (const auto& held : snapshot.tickets())
        if ((held.id() == ticket || held.number() == ticket) && chance(0.8))
          counter = held.counter();
      return resume_parked(counter, ticket);
    }
    if (roll < 85) {
      const auto placement = chance(0.5) ? v1::PLACEMENT_FIRST : v1::PLACEMENT_IN_ORDER;
      const auto to_category = chance(0.6) ? some_category() : "";
      const auto to_counter = chance(0.5) ? some_counter() : "";
      return transfer(busy_counter(snapshot), to_category, to_counter, placement, "chuyển");
    }
    if (roll < 88) {
      const auto counter = some_counter();
      const auto [ticket, category] = some_ticket(snapshot, v1::TICKET_STATE_WAITING);
      return call_ticket(counter, ticket, category);
    }
    if (roll < 90) return pause_counter(some_counter());
    if (roll < 92) return resume_counter(some_counter());
    if (roll < 96)
      return open_counter(some_counter(), one_of(std::vector<std::string>{"lan", "minh", "hoa"}));
    if (roll < 97) return close_counter(some_counter());
    if (roll < 98) return close_category(some_category(), "tạm ngừng");
    std::vector<std::string> closed;
    for (const auto& [code, note] : snapshot.memo().closed_categories()) closed.push_back(code);
    return reopen_category(closed.empty() || chance(0.2) ? some_category() : one_of(closed));
  }

  void check_decision(const v1::Snapshot& before, const v1::Command& command,
                      const decision& decided) {
    for (const auto& event : decided.events) {
      EXPECT_EQ(event.seq(), ++last_seq_) << "events must continue the sequence without gaps";
      if (event.has_ticket_issued()) {
        const auto& ticket = event.ticket_issued().ticket();
        EXPECT_TRUE(
            issued_numbers_
                .insert(ticket.service_day() + "/" + ticket.category() + "/" + ticket.number())
                .second)
            << "number " << ticket.number() << " issued twice on " << ticket.service_day();
      }
    }
    // Policy checks need the state CallNext saw: skip the rare call that
    // also closed the day.
    if (!command.has_call_next() || decided.events.size() != 1) return;
    check_call_next(before, command.call_next().counter(), decided.events[0].ticket_called());
  }

  void check_call_next(const v1::Snapshot& before, const std::string& counter_id,
                       const v1::TicketCalled& called) {
    const auto& counter = *std::find_if(config_.counters.begin(), config_.counters.end(),
                                        [&](const auto& c) { return c.id == counter_id; });
    const auto serves = [&](const std::string& category) {
      return std::find(counter.categories.begin(), counter.categories.end(), category) !=
             counter.categories.end();
    };
    const v1::Ticket* chosen = nullptr;
    std::vector<const v1::Ticket*> candidates;
    for (const auto& ticket : before.tickets()) {
      if (ticket.id() == called.ticket_id()) chosen = &ticket;
      if (ticket.state() != v1::TICKET_STATE_WAITING) continue;
      const bool mine = ticket.target_counter() == counter.id;
      if ((serves(ticket.category()) && (ticket.target_counter().empty() || mine)) || mine)
        candidates.push_back(&ticket);
    }
    ASSERT_NE(chosen, nullptr);
    ASSERT_EQ(chosen->state(), v1::TICKET_STATE_WAITING);
    ASSERT_TRUE(std::find(candidates.begin(), candidates.end(), chosen) != candidates.end())
        << "called a ticket counter " << counter.id << " may not call";
    // The set the priority policy chose within.
    if (counter.selection != selection_mode::oldest_first) {
      const bool directed = !serves(chosen->category());
      std::erase_if(candidates, [&](const v1::Ticket* other) {
        return directed ? serves(other->category()) : other->category() != chosen->category();
      });
    }
    const bool priority_waited = std::any_of(candidates.begin(), candidates.end(),
                                             [](const auto* other) { return is_priority(*other); });
    // FIFO within a category and class for tickets never moved.
    if (never_reordered(*chosen) && chosen->target_counter().empty()) {
      for (const auto* other : candidates) {
        if (other == chosen || !never_reordered(*other) || !other->target_counter().empty() ||
            other->category() != chosen->category() || is_priority(*other) != is_priority(*chosen))
          continue;
        EXPECT_FALSE(std::make_pair(other->queue_key(), other->ordinal()) <
                     std::make_pair(chosen->queue_key(), chosen->ordinal()))
            << chosen->number() << " called before earlier " << other->number();
      }
    }
    const auto& policy = config_.priority;
    auto& run = regular_run_[counter.id];
    switch (policy.style) {
      case priority_policy::kind::strict:
        EXPECT_FALSE(!is_priority(*chosen) && priority_waited)
            << "strict: regular " << chosen->number() << " called while priority waited";
        break;
      case priority_policy::kind::ratio:
        if (is_priority(*chosen))
          run = 0;
        else if (priority_waited)
          ++run;
        EXPECT_LE(run, policy.regular_per_priority)
            << "ratio: too many regular calls in a row while priority waited";
        break;
      case priority_policy::kind::aging:
        if (!is_priority(*chosen) || !never_reordered(*chosen)) break;
        for (const auto* other : candidates) {
          if (is_priority(*other) || !never_reordered(*other)) continue;
          EXPECT_LE(from_proto(chosen->issued_at()) - from_proto(other->issued_at()),
                    std::chrono::milliseconds{policy.aging_bound})
              << "aging: priority " << chosen->number() << " passed regular " << other->number();
        }
        break;
    }
  }

  void check_state() {
    const auto snapshot = centre_.live().snapshot(now_, visibility::internal);
    std::set<std::string> ids;
    std::map<std::string, std::uint32_t> waiting_by_category;
    std::map<std::string, const v1::Ticket*> by_id;
    for (const auto& ticket : snapshot.tickets()) {
      EXPECT_TRUE(ids.insert(ticket.id()).second) << "ticket " << ticket.id() << " listed twice";
      by_id[ticket.id()] = &ticket;
      EXPECT_EQ(ticket.service_day(), snapshot.service_day());
      switch (ticket.state()) {
        case v1::TICKET_STATE_WAITING:
          ++waiting_by_category[ticket.category()];
          break;
        case v1::TICKET_STATE_CALLED:
        case v1::TICKET_STATE_PARKED:
        case v1::TICKET_STATE_NO_SHOW:
        case v1::TICKET_STATE_DONE:
          break;
        default:
          ADD_FAILURE() << "ticket " << ticket.number() << " in state "
                        << v1::TicketState_Name(ticket.state());
      }
    }
    for (const auto& category : snapshot.categories())
      EXPECT_EQ(category.waiting_regular() + category.waiting_priority(),
                waiting_by_category[category.code()])
          << "category " << category.code();
    std::map<std::string, int> serving;
    std::map<std::string, int> holding;
    for (const auto& counter : snapshot.counters()) {
      if (!counter.current_ticket_id().empty()) {
        ++serving[counter.current_ticket_id()];
        const auto found = by_id.find(counter.current_ticket_id());
        ASSERT_NE(found, by_id.end()) << "counter " << counter.id() << " serves a missing ticket";
        EXPECT_EQ(found->second->state(), v1::TICKET_STATE_CALLED);
        EXPECT_EQ(found->second->number(), counter.current_number());
        EXPECT_EQ(found->second->counter(), counter.id());
        EXPECT_NE(counter.state(), v1::COUNTER_STATE_CLOSED);
      }
      for (const auto& parked : counter.parked_ticket_ids()) {
        ++holding[parked];
        const auto found = by_id.find(parked);
        ASSERT_NE(found, by_id.end());
        EXPECT_EQ(found->second->state(), v1::TICKET_STATE_PARKED);
      }
    }
    for (const auto& ticket : snapshot.tickets()) {
      if (ticket.state() == v1::TICKET_STATE_CALLED) {
        EXPECT_EQ(serving[ticket.id()], 1) << ticket.number() << " must be at exactly one counter";
      }
      if (ticket.state() == v1::TICKET_STATE_PARKED) {
        EXPECT_EQ(holding[ticket.id()], 1) << ticket.number() << " must be held by one counter";
      }
    }
  }

  // The public view a device mirrors, fed only the projected updates (and,
  // at random moments, a fresh View as after a reconnect), equals the view
  // the server would send now. A second mirror gets every update through
  // the JSON mapping, as a browser would.
  void check_mirrors() {
    SCOPED_TRACE("mirrors");
    const auto& log = centre_.log();
    if (!mirror_.has_view()) {
      mirror_.reset(projector_.view(now_));
      json_mirror_.reset(projector_.view(now_));
    }
    for (; projected_ < log.size(); ++projected_) {
      const auto& event = log[projected_];
      projector_.fold(event);
      const auto update = project(projector_, event, mirror_.view());
      mirror_.apply(update);
      std::string json;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(update, &json).ok());
      v1::ViewUpdate parsed;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
      json_mirror_.apply(parsed);
      last_event_at_ = from_proto(event.at());
    }
    // A reconnect: the device takes the whole view the server holds (its
    // own mirror, which the updates are cut against), then updates again.
    if (chance(0.03)) json_mirror_.reset(mirror_.view());
    if (projected_ == 0) return;
    const auto expected = projector_.view(last_event_at_).SerializeAsString();
    EXPECT_EQ(mirror_.view().SerializeAsString(), expected);
    EXPECT_EQ(json_mirror_.view().SerializeAsString(), expected);
    // The view never grows with the day: no tickets, a bounded call list.
    EXPECT_LE(mirror_.view().recent_calls_size(), static_cast<int>(config_.recent_calls_kept));
  }

  void check_replay() {
    SCOPED_TRACE("replay");
    const auto live = centre_.live().snapshot(now_, visibility::internal);
    EXPECT_EQ(stable_bytes(centre_.replayed().snapshot(now_, visibility::internal)),
              stable_bytes(live));
    // One ticket's view (the take-ticket reply) agrees with the snapshot's
    // whole-queue computation of people ahead and estimated wait.
    for (const auto& ticket : live.tickets()) {
      if (ticket.state() != v1::TICKET_STATE_WAITING) continue;
      const auto alone = centre_.live().find_ticket(ticket.id(), now_, visibility::internal);
      ASSERT_TRUE(alone.has_value());
      EXPECT_EQ(alone->people_ahead(), ticket.people_ahead()) << ticket.number();
      EXPECT_EQ(alone->estimated_wait_seconds(), ticket.estimated_wait_seconds())
          << ticket.number();
    }
  }

  void check_restore() {
    SCOPED_TRACE("restore + tail");
    engine restored(config_, counting_tokens());
    restored.restore(saved_);
    for (std::size_t i = saved_log_size_; i < centre_.log().size(); ++i)
      restored.fold(centre_.log()[i]);
    EXPECT_EQ(stable_bytes(restored.snapshot(now_, visibility::internal)),
              stable_bytes(centre_.live().snapshot(now_, visibility::internal)));
  }

  centre_config config_;
  recorded_engine centre_;
  std::mt19937 random_;
  timestamp now_;
  int step_ = 0;
  std::uint64_t last_seq_ = 0;
  std::set<std::string> issued_numbers_;
  std::map<std::string, std::uint32_t> regular_run_;
  v1::Snapshot saved_;
  std::size_t saved_log_size_ = 0;
  engine projector_{config_, counting_tokens()};
  view::mirror mirror_;
  view::mirror json_mirror_;
  std::size_t projected_ = 0;
  timestamp last_event_at_{};
};

TEST(EngineProperty, RandomCommandsKeepInvariants) {
  std::vector<std::uint32_t> seeds;
  if (const char* only = std::getenv("LUOT_PROPERTY_SEED")) {
    seeds.push_back(static_cast<std::uint32_t>(std::strtoul(only, nullptr, 10)));
  } else {
    for (std::uint32_t seed = 1; seed <= seed_count; ++seed) seeds.push_back(seed);
  }
  for (const auto seed : seeds) {
    SCOPED_TRACE("LUOT_PROPERTY_SEED=" + std::to_string(seed) + " (" +
                 policy_name(random_centre(seed).priority.style) + ")");
    random_run(seed).run(steps_per_seed);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace luot::core::testing
