#pragma once

// One history run: the real server under a workload of kiosks, officers and
// hall screens, killed with SIGKILL `kills` times at moments drawn from the
// seed and restarted on the same database; then everything is quiesced,
// the server's state read back, and the checker's verdict given.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "checker.hpp"
#include "history.hpp"

namespace luot::history {

struct run_options {
  unsigned kills = 20;
  std::uint64_t seed = 1;
  // Kiosks and hall screens each; officers too, up to one per counter.
  unsigned clients = 4;
  // Holds the config, the server's logs and the database (luot.db).
  std::filesystem::path directory;
  // Where the event log lives when not `directory`/luot.db: a fresh file
  // that luot.db then links to.
  std::filesystem::path database;
  // When set, every operation is written there, one a line.
  std::filesystem::path history_file;
  // Told a line now and then (progress of a long run); may be empty.
  std::function<void(const std::string&)> progress;
};

struct run_report {
  std::uint64_t seed = 0;
  unsigned kills = 0;
  unsigned clients = 0;
  tally operations;
  // Take-ticket retries answered with the ticket their key already had:
  // the idempotency path, taken after a lost answer.
  std::size_t replayed = 0;
  std::size_t events = 0;
  std::size_t tickets = 0;
  // Mirror steps applied, whole views among them, connections made.
  std::size_t mirror_steps = 0;
  std::size_t mirror_views = 0;
  std::size_t mirror_connections = 0;
  std::vector<violation> violations;
  std::chrono::milliseconds duration{0};
  // The harness itself failed (the server did not come back, ...): no verdict.
  std::string failure;

  bool passed() const { return failure.empty() && violations.empty(); }
};

run_report run(const run_options& options);

// One line per operation: id, round, client, action, outcome and details.
void write_history(const std::vector<operation>& operations, std::ostream& out);

// The report in a few lines, the first `listed` violations spelled out.
std::string describe(const run_report& report, std::size_t listed = 20);

}  // namespace luot::history
