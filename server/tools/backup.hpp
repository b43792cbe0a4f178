#pragma once

// Online backup and restore of the SQLite event log, for luot-backup. The
// copy goes through SQLite's backup API inside one read transaction of the
// live file: in WAL mode the server keeps committing meanwhile, and the
// copy is the log exactly as it stood when that transaction began.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace luot::tools {

// Why a backup, a restore or a check could not be done, in words for the
// operator (with the path).
class backup_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database is open in another process (a running luot-server).
class database_in_use : public backup_error {
 public:
  using backup_error::backup_error;
};

// What a checked event log holds.
struct log_summary {
  std::uint64_t last_seq = 0;
  std::uint64_t events = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t bytes = 0;
  std::chrono::milliseconds took{0};
};

// Copies the event log `live` (the server may be running on it) to
// `destination`, which must not exist: written beside it first, checked
// (integrity_check, and the same last seq as the live log had when the
// copy began), then renamed into place. The copy is one self-contained
// file (rollback journal mode).
log_summary back_up(const std::filesystem::path& live, const std::filesystem::path& destination);

// Checks that `file` is a Luot event log that passes SQLite's
// integrity_check, with seqs 1 to the last one and no gap.
log_summary verify(const std::filesystem::path& file);

// Checks `backup`, then replaces the contents of `database` (created if
// missing) with it. Refuses with database_in_use, changing nothing, while
// another process has `database` open. Holds the database exclusively
// until done, so no server can start on it halfway.
log_summary restore(const std::filesystem::path& backup, const std::filesystem::path& database);

}  // namespace luot::tools
