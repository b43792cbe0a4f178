#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace luot::bench {

// What one run of bench_suite measures and how hard (issue 11's figures).
// The defaults are the full run bench/run.sh makes; apply_quick() turns
// them into the few-second run the test suite makes.
struct suite_settings {
  bool quick = false;
  // Interleaved repetitions of every comparison; figures are their medians.
  unsigned repetitions = 3;

  // Fan-out of a call: luot-server, the Node.js peer and the kernel floor,
  // each to the same receiver, at these subscriber counts. 0 stands for the
  // most the open-files limit allows.
  std::vector<std::size_t> fanout_subscribers = {1000, 5000, 10000, 0};
  // Calls timed per round (one round: one program, one count, fresh).
  unsigned calls_per_round = 10;

  // Durable take-ticket, closed loop, each row on a fresh server.
  std::vector<unsigned> closed_loop_clients = {1, 16, 64, 256};
  double closed_loop_seconds = 10;
  // The window CPU per ticket is compared over as the day fills.
  double cost_window_seconds = 0.4;

  // Take-ticket, open loop.
  std::vector<double> open_loop_rates = {100, 1000};
  double open_loop_seconds = 10;

  // fdatasync of 4 KiB appends on the database's filesystem.
  unsigned fdatasync_samples = 2000;

  // Restart with this many events in the log, to /readyz.
  std::uint64_t restart_events = 1000000;
  // And after a busy day of this many tickets, all waiting: just under
  // 32,000, the latest snapshot is the one at 16,000 and the restart
  // replays about 16,000 events, near the snapshot policy's bound.
  std::uint64_t restart_busy_tickets = 31900;

  // Call to screen: device clients, calls at one a second.
  std::size_t screens = 20;
  unsigned screen_calls = 30;
  double seconds_between_calls = 1.0;

  // Reconnect storm: subscribers all at once after a morning of tickets,
  // while kiosks take tickets at `storm_ticket_rate` (open loop). Every
  // ticket is also an update to each subscriber already in: at 10,000
  // subscribers 5 tickets/s is 50,000 messages/s, half a core for the
  // kernel floor alone on this class of machine.
  std::size_t storm_subscribers = 10000;
  std::uint64_t storm_morning_tickets = 3000;
  double storm_ticket_rate = 5;
  // How long the quiet window before each storm lasts.
  double storm_quiet_seconds = 5;

  std::set<std::string> sections = {"fanout",  "take",   "open", "fdatasync",
                                    "restart", "screen", "storm"};

  std::string server_program;
  std::string floor_program;
  // The Node.js peer: `node_program peer_script`. Empty: not run.
  std::string node_program = "node";
  std::string peer_script;
  // Where databases and logs go (the database's filesystem).
  std::filesystem::path work_directory;
};

inline void apply_quick(suite_settings& run) {
  run.quick = true;
  run.repetitions = 1;
  run.fanout_subscribers = {200};
  run.calls_per_round = 3;
  run.closed_loop_clients = {1, 16};
  run.closed_loop_seconds = 1;
  run.cost_window_seconds = 0.2;
  run.open_loop_rates = {100};
  run.open_loop_seconds = 1;
  run.fdatasync_samples = 50;
  run.restart_events = 10000;
  run.restart_busy_tickets = 1900;
  run.screens = 5;
  run.screen_calls = 3;
  run.seconds_between_calls = 0.2;
  run.storm_subscribers = 300;
  run.storm_morning_tickets = 200;
  run.storm_ticket_rate = 50;
  run.storm_quiet_seconds = 0.5;
}

}  // namespace luot::bench
