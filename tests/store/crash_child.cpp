// The process the crash test kills with SIGKILL. It recovers the centre from
// the store at argv[1], then takes tickets as fast as it can from several
// threads, and prints "ACK <seq> <category> <number>" for a ticket only once
// the group committer says it is durable — exactly when the server would
// hand it to a citizen. Whatever it printed must survive the kill.
//
// Usage: store_crash_child <database> <centre time in ms since the epoch>
//                          <snapshot interval in events, 0 for none>

#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crash_centre.hpp"
#include "store/group_committer.hpp"
#include "store/recovery.hpp"
#include "store/sqlite_store.hpp"

namespace {

using namespace luot;

// Kiosks taking tickets at once; each waits for its ticket to be durable.
constexpr int submitter_threads = 6;

// One write(2) per line: the line reaches the pipe whole or not at all.
void write_line(const std::string& line) {
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t written = ::write(STDOUT_FILENO, rest.data(), rest.size());
    if (written <= 0) {
      std::_Exit(4);  // The parent is gone.
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
}

int run(const char* database, std::int64_t morning_ms, std::uint64_t snapshot_interval) {
  const auto store = store::open_sqlite_store(database);
  core::engine engine(store::testing::crash_centre(), store::testing::random_tokens());
  store::recover(engine, *store);
  const auto latest = store->latest_snapshot();
  store::snapshot_policy snapshots(snapshot_interval, latest ? latest->seq() : 0);
  store::group_committer committer(*store);

  // Stands in for the server's engine strand: decide, fold and submit under
  // one lock, so submission order is seq order.
  std::mutex strand;
  const core::actor kiosk{"kiosk-crash"};
  const core::timestamp morning{std::chrono::milliseconds(morning_ms)};

  auto take_tickets = [&] {
    for (;;) {
      std::promise<void> printed;
      {
        const std::lock_guard lock(strand);
        const std::uint64_t seq = engine.seq();
        const std::string category = seq % 2 == 0 ? "A" : "B";
        // Ten centre milliseconds per event keeps thousands inside the day.
        const auto now = morning + std::chrono::milliseconds(10 * static_cast<std::int64_t>(seq));
        auto decided = engine.execute(store::testing::take_ticket(category), now, kiosk);
        if (!decided) {
          std::fprintf(stderr, "store_crash_child: TakeTicket %s refused with code %d\n",
                       category.c_str(), static_cast<int>(decided.failure().code));
          std::_Exit(2);
        }
        std::string acknowledgement;
        for (const auto& event : decided->events) {
          if (event.has_ticket_issued()) {
            const auto& ticket = event.ticket_issued().ticket();
            acknowledgement = "ACK " + std::to_string(event.seq()) + " " + ticket.category() + " " +
                              ticket.number() + "\n";
          }
        }
        committer.submit(std::move(decided->events),
                         [&printed, acknowledgement = std::move(acknowledgement)](bool durable) {
                           if (!durable) {
                             std::fprintf(stderr, "store_crash_child: commit failed\n");
                             std::_Exit(3);
                           }
                           write_line(acknowledgement);
                           printed.set_value();
                         });
        if (snapshots.due(engine.seq())) {
          committer.submit_snapshot(engine.snapshot(now, core::visibility::internal));
          snapshots.taken(engine.seq());
        }
      }
      // Like a kiosk, wait for this ticket before taking the next: at any
      // moment a few tickets are decided but not yet durable.
      printed.get_future().wait();
    }
  };
  std::vector<std::thread> submitters;
  for (int index = 0; index < submitter_threads; ++index) {
    submitters.emplace_back(take_tickets);
  }
  for (auto& submitter : submitters) {
    submitter.join();  // Never returns: the parent kills us.
  }
  return 0;
}

}  // namespace

// Parses a whole decimal argument.
template <typename Integer>
bool parse(std::string_view text, Integer& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

int main(int argc, char** argv) {
  std::int64_t morning_ms = 0;
  std::uint64_t snapshot_interval = 0;
  if (argc != 4 || !parse(argv[2], morning_ms) || !parse(argv[3], snapshot_interval)) {
    std::fprintf(stderr,
                 "usage: store_crash_child <database> <centre time in ms> <snapshot interval>\n");
    return 1;
  }
  try {
    return run(argv[1], morning_ms, snapshot_interval);
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "store_crash_child: %s\n", failure.what());
    return 1;
  }
}
