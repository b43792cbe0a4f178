#include "event_log_builder.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <vector>

#include "config/settings.hpp"
#include "core/engine.hpp"
#include "load/latency.hpp"
#include "store/event_store.hpp"
#include "store/recovery.hpp"

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

// As luot-server: a snapshot every 1,000 events, or every as many events as
// the last one held tickets (store::snapshot_policy); it keeps the last four.
constexpr std::uint64_t snapshot_interval = 1000;
constexpr std::uint64_t snapshots_written = 6;
constexpr std::uint64_t tickets_per_day = 3000;
constexpr std::uint64_t waiting_before_calls = 25;

// Feeds one service day of commands to the engine: the counters open, then
// tickets are taken, and once 25 wait each new ticket sends the next
// counter in turn to finish its ticket and call the next, until
// `tickets` are taken or the engine holds `last_seq` events. Commands are
// `step` apart from half an hour after `day_start`.
class day_simulator {
 public:
  using sink = std::function<void(std::vector<v1::Event>, core::timestamp)>;

  day_simulator(core::engine& engine, const core::centre_config& centre, sink to)
      : engine_(engine), centre_(centre), to_(std::move(to)) {
    officer_.name = "lan";
  }

  void run_day(core::timestamp day_start, std::chrono::milliseconds step, std::uint64_t tickets,
               std::uint64_t last_seq) {
    core::timestamp at = day_start + 30min;
    for (const auto& counter : centre_.counters) {
      v1::Command open;
      open.mutable_open_counter()->set_counter(counter.id);
      open.mutable_open_counter()->set_officer("lan");
      open.mutable_open_counter()->set_officer_name("Nguyễn Thị Lan");
      run(open, at, officer_);
    }
    std::uint64_t waiting = 0;
    std::size_t next_counter = 0;
    const std::string outcome = centre_.outcomes.empty() ? "" : centre_.outcomes.front().code;
    for (std::uint64_t ticket = 0; ticket < tickets && engine_.seq() < last_seq; ++ticket) {
      at += step;
      v1::Command take;
      take.mutable_take_ticket()->set_category(
          centre_.categories[ticket % centre_.categories.size()].code);
      run(take, at, kiosk_);
      if (++waiting <= waiting_before_calls) continue;
      const auto& counter = centre_.counters[next_counter++ % centre_.counters.size()].id;
      if (const auto serving = engine_.find_counter(counter);
          serving && !serving->current_ticket_id().empty()) {
        at += step;
        v1::Command finish;
        finish.mutable_finish()->set_counter(counter);
        finish.mutable_finish()->set_outcome(outcome);
        run(finish, at, officer_);
      }
      at += step;
      v1::Command call;
      call.mutable_call_next()->set_counter(counter);
      run(call, at, officer_);
      --waiting;
    }
  }

 private:
  void run(const v1::Command& command, core::timestamp at, const core::actor& who) {
    auto decided = engine_.execute(command, at, who);
    if (!decided) {
      const auto& failure = decided.failure();
      std::string why = v1::ErrorCode_Name(failure.code);
      for (const auto& each : failure.args) why += " " + each;
      why += " (" + command.ShortDebugString() + " after seq " + std::to_string(engine_.seq()) +
             ", service day " + engine_.service_day() + ")";
      throw std::runtime_error("the engine refused a command while building the log: " + why);
    }
    to_(std::move(decided->events), at);
  }

  core::engine& engine_;
  const core::centre_config& centre_;
  sink to_;
  core::actor officer_;
  core::actor kiosk_;
};

std::string counting_token(std::uint64_t& number) {
  return "bench-status-token-" + std::to_string(++number);
}

}  // namespace

built_log build_event_log(const std::filesystem::path& database, const std::string& centre_toml,
                          std::uint64_t events) {
  const auto started = bench_clock::now();
  const auto settings = config::parse(centre_toml, "bench centre");
  std::uint64_t token_number = 0;
  const auto tokens = [&] { return counting_token(token_number); };

  // How many events a full day makes, from a dry run: a later day adds its
  // opening DayClosed.
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::uint64_t per_day = 0;
  {
    core::engine dry(settings.centre, tokens);
    day_simulator(dry, settings.centre, [](std::vector<v1::Event>, core::timestamp) {})
        .run_day(now - 12h - 24h * 400, std::chrono::milliseconds(10h) / (3 * tickets_per_day),
                 tickets_per_day, ~std::uint64_t{0});
    per_day = dry.seq() + 1;
  }
  // Full days, then today's takes the rest (a day more or less of tickets).
  const std::uint64_t full_days = events > per_day ? (events - 1) / per_day : 0;
  const std::uint64_t days = full_days + 1;

  core::engine engine(settings.centre, tokens);
  std::filesystem::remove(database);
  auto store = store::open_sqlite_store(database);
  std::vector<v1::Event> pending;
  store::snapshot_policy policy(snapshot_interval);
  // Tickets in the state (today's): what a snapshot taken now would hold.
  std::uint64_t tickets_today = 0;
  built_log built;
  // The server snapshots at each close and as the policy says, keeping the
  // last four; only the last few are written here (a day holds at most
  // tickets_per_day, so the policy spaces them at most that far apart),
  // which leaves the store as the server would have (older ones would have
  // been pruned) in a fraction of the time.
  const std::uint64_t window = snapshots_written * std::max(snapshot_interval, tickets_per_day);
  const std::uint64_t snapshots_from = events > window ? events - window : 0;
  const auto write = [&](std::vector<v1::Event> decided, core::timestamp at) {
    bool day_closed = false;
    for (auto& each : decided) {
      if (each.has_day_closed()) tickets_today = 0;
      if (each.has_ticket_issued()) ++tickets_today;
      day_closed = day_closed || each.has_day_closed();
      pending.push_back(std::move(each));
    }
    const bool due = day_closed || policy.due(engine.seq());
    const bool written = due && engine.seq() >= snapshots_from;
    if (pending.size() >= 10000 || written) {
      store->append(pending);
      pending.clear();
    }
    if (written) {
      auto snapshot = engine.snapshot(at, core::visibility::internal);
      tickets_today = static_cast<std::uint64_t>(snapshot.tickets_size());
      store->save_snapshot(snapshot);
      ++built.snapshots;
    }
    if (due) policy.taken(engine.seq(), tickets_today);
  };
  day_simulator simulator(engine, settings.centre, write);

  // The days end today: today's service day began at the last reset time,
  // and the centre's reset time is configured twelve hours from now.
  const core::timestamp today_start = now - 12h;
  for (std::uint64_t day = 0; day < days; ++day) {
    const core::timestamp day_start = today_start - 24h * static_cast<long>(days - 1 - day);
    const bool today = day + 1 == days;
    // Ten hours of service; today's ends a minute before now.
    const auto span = today ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                  (now - 1min) - (day_start + 30min))
                            : std::chrono::milliseconds(10h);
    const auto expected = today ? std::max<std::uint64_t>(events - engine.seq(), 1) : per_day;
    const auto step = span / static_cast<long>(expected);
    simulator.run_day(day_start, step, today ? ~std::uint64_t{0} : tickets_per_day, events);
    ++built.days;
  }
  if (!pending.empty()) store->append(pending);
  built.events = engine.seq();
  store.reset();
  built.seconds = to_microseconds(bench_clock::now() - started) / 1e6;
  std::error_code ignored;
  built.mebibytes = static_cast<double>(std::filesystem::file_size(database, ignored)) / 1048576.0;
  return built;
}

busy_day_log build_busy_day_log(const std::filesystem::path& database,
                                const std::string& centre_toml, std::uint64_t tickets) {
  const auto started = bench_clock::now();
  const auto settings = config::parse(centre_toml, "bench centre");
  std::uint64_t token_number = 0;
  core::engine engine(settings.centre, [&] { return counting_token(token_number); });
  std::filesystem::remove(database);
  auto store = store::open_sqlite_store(database);
  store::snapshot_policy policy(snapshot_interval);
  busy_day_log built;
  std::vector<v1::Event> pending;
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  // Today began twelve hours ago (the centre resets twelve hours from now);
  // the tickets come in over the last hour.
  const auto step =
      std::chrono::milliseconds(1h) / static_cast<long>(std::max<std::uint64_t>(tickets, 1));
  core::timestamp at = now - 1h;
  core::actor kiosk;
  for (std::uint64_t ticket = 0; ticket < tickets; ++ticket) {
    at += step;
    v1::Command take;
    take.mutable_take_ticket()->set_category(
        settings.centre.categories[ticket % settings.centre.categories.size()].code);
    auto decided = engine.execute(take, at, kiosk);
    if (!decided) throw std::runtime_error("the engine refused a ticket while building the log");
    for (auto& each : decided->events) pending.push_back(std::move(each));
    if (policy.due(engine.seq())) {
      store->append(pending);
      pending.clear();
      auto snapshot = engine.snapshot(at, core::visibility::internal);
      store->save_snapshot(snapshot);
      policy.taken(engine.seq(), static_cast<std::uint64_t>(snapshot.tickets_size()));
      built.latest_snapshot_seq = engine.seq();
      ++built.log.snapshots;
    } else if (pending.size() >= 10000) {
      store->append(pending);
      pending.clear();
    }
  }
  if (!pending.empty()) store->append(pending);
  built.tickets = tickets;
  built.log.days = 1;
  built.log.events = engine.seq();
  built.tail = engine.seq() - built.latest_snapshot_seq;
  store.reset();
  built.log.seconds = to_microseconds(bench_clock::now() - started) / 1e6;
  std::error_code ignored;
  built.log.mebibytes =
      static_cast<double>(std::filesystem::file_size(database, ignored)) / 1048576.0;
  return built;
}

}  // namespace luot::bench
