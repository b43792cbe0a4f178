#include "event_log_builder.hpp"

#include <chrono>
#include <stdexcept>
#include <vector>

#include "config/settings.hpp"
#include "core/engine.hpp"
#include "load/latency.hpp"
#include "store/event_store.hpp"

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t snapshot_interval = 1000;
constexpr std::uint64_t tickets_per_day = 3000;
// Events a day holds: each ticket taken, called and finished.
constexpr std::uint64_t events_per_day = tickets_per_day * 3 + 10;
constexpr std::uint64_t waiting_before_calls = 25;

// Writes the engine's events to the store in large transactions, with the
// server's snapshots between them.
class log_writer {
 public:
  log_writer(core::engine& engine, store::event_store& store) : engine_(engine), store_(store) {}

  void add(std::vector<v1::Event> events, core::timestamp now) {
    bool day_closed = false;
    for (auto& each : events) {
      day_closed = day_closed || each.has_day_closed();
      pending_.push_back(std::move(each));
    }
    if (day_closed || engine_.seq() >= last_snapshot_ + snapshot_interval) {
      flush();
      store_.save_snapshot(engine_.snapshot(now, core::visibility::internal));
      last_snapshot_ = engine_.seq();
      ++snapshots_;
    }
  }
  void flush() {
    if (pending_.empty()) return;
    store_.append(pending_);
    pending_.clear();
  }
  std::uint64_t snapshots() const { return snapshots_; }

 private:
  core::engine& engine_;
  store::event_store& store_;
  std::vector<v1::Event> pending_;
  std::uint64_t last_snapshot_ = 0;
  std::uint64_t snapshots_ = 0;
};

}  // namespace

built_log build_event_log(const std::filesystem::path& database, const std::string& centre_toml,
                          std::uint64_t events) {
  const auto started = bench_clock::now();
  const auto settings = config::parse(centre_toml, "bench centre");
  std::uint64_t token_number = 0;
  core::engine engine(settings.centre,
                      [&] { return "bench-status-token-" + std::to_string(++token_number); });
  std::filesystem::remove(database);
  auto store = store::open_sqlite_store(database);
  log_writer writer(engine, *store);

  // The days end today: today's service day began at the last reset time,
  // and the centre's reset time is configured twelve hours from now.
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const core::timestamp today_start = now - 12h;
  const std::uint64_t days = (events + events_per_day - 1) / events_per_day;
  const auto& categories = settings.centre.categories;
  const auto& counters = settings.centre.counters;
  core::actor officer;
  officer.name = "lan";
  const core::actor kiosk;

  auto run = [&](const v1::Command& command, core::timestamp at, const core::actor& who) {
    auto decided = engine.execute(command, at, who);
    if (!decided) {
      const auto& failure = decided.failure();
      std::string why = v1::ErrorCode_Name(failure.code);
      for (const auto& each : failure.args) why += " " + each;
      throw std::runtime_error("the engine refused a command while building the log: " + why);
    }
    writer.add(std::move(decided->events), at);
  };

  built_log built;
  for (std::uint64_t day = 0; day < days && engine.seq() < events; ++day) {
    const core::timestamp day_start =
        today_start - std::chrono::hours(24) * static_cast<long>(days - 1 - day);
    // The day's commands spread over ten hours from half an hour in, and
    // today's end before now.
    const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(
        day + 1 == days ? (now - 1min) - (day_start + 30min) : std::chrono::milliseconds(10h));
    const auto step = span / static_cast<long>(events_per_day);
    core::timestamp at = day_start + 30min;
    for (const auto& counter : counters) {
      v1::Command open;
      open.mutable_open_counter()->set_counter(counter.id);
      open.mutable_open_counter()->set_officer("lan");
      open.mutable_open_counter()->set_officer_name("Nguyễn Thị Lan");
      run(open, at, officer);
    }
    std::uint64_t waiting = 0;
    std::size_t next_counter = 0;
    for (std::uint64_t ticket = 0; ticket < tickets_per_day && engine.seq() < events; ++ticket) {
      at += step;
      v1::Command take;
      take.mutable_take_ticket()->set_category(categories[ticket % categories.size()].code);
      run(take, at, kiosk);
      if (++waiting <= waiting_before_calls) continue;
      const auto& counter = counters[next_counter++ % counters.size()].id;
      if (const auto serving = engine.find_counter(counter);
          serving && !serving->current_ticket_id().empty()) {
        at += step;
        v1::Command finish;
        finish.mutable_finish()->set_counter(counter);
        finish.mutable_finish()->set_outcome(settings.centre.outcomes.empty()
                                                 ? std::string()
                                                 : settings.centre.outcomes.front().code);
        run(finish, at, officer);
      }
      at += step;
      v1::Command call;
      call.mutable_call_next()->set_counter(counter);
      run(call, at, officer);
      --waiting;
    }
    ++built.days;
  }
  writer.flush();
  built.events = engine.seq();
  built.snapshots = writer.snapshots();
  store.reset();
  built.seconds = to_microseconds(bench_clock::now() - started) / 1e6;
  std::error_code ignored;
  built.mebibytes = static_cast<double>(std::filesystem::file_size(database, ignored)) / 1048576.0;
  return built;
}

}  // namespace luot::bench
