#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace luot::bench {

// What writing a long event log took.
struct built_log {
  std::uint64_t events = 0;
  std::uint64_t days = 0;
  std::uint64_t snapshots = 0;
  double seconds = 0;
  double mebibytes = 0;
};

// Writes a SQLite event log of `events` events for the centre in
// `centre_toml`, as luot-server would have written it over many service
// days of about 3,000 tickets each (four counters open, every ticket taken,
// called and finished, 25 waiting at any time), ending today. It drives the
// real engine (luot_core) with a simulated clock and appends through the
// real store (luot_store) in large transactions: in seconds rather than the
// minutes the server would need at its durable rate. Of the snapshots the
// server takes (at each close, and every 1,000 events or as many as the
// last one held tickets: store::snapshot_policy; it keeps the last four)
// only the last few are written: a restart reads the same one.
// Throws when the engine refuses a command.
built_log build_event_log(const std::filesystem::path& database, const std::string& centre_toml,
                          std::uint64_t events);

// Writes the log of one service day, today, on which `tickets` were taken
// and none called yet, with the snapshots luot-server would have taken
// (store::snapshot_policy). The tail after the latest snapshot (`tail`) is
// what a restart replays: with `tickets` just under a power of two times
// 1,000 it is near the policy's bound, the worst case for a restart.
struct busy_day_log {
  built_log log;
  std::uint64_t tickets = 0;
  std::uint64_t latest_snapshot_seq = 0;
  std::uint64_t tail = 0;
};
busy_day_log build_busy_day_log(const std::filesystem::path& database,
                                const std::string& centre_toml, std::uint64_t tickets);

}  // namespace luot::bench
