// SQL outside server/store, on purpose: a backup copies and checks the file
// itself (pages, integrity, locks), below the event_store interface.
#include "tools/backup.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

namespace luot::tools {

namespace {

// "LUOT", as server/store stamps it into every event log's header.
constexpr std::int64_t luot_application_id = 0x4C554F54;
constexpr int busy_timeout_ms = 5000;

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

// One SQLite connection, closed however the scope ends.
class connection {
 public:
  connection(const std::filesystem::path& path, int flags) : path_(path) {
    const int opened = sqlite3_open_v2(path.c_str(), &handle_, flags, nullptr);
    if (opened != SQLITE_OK) fail("cannot open");
    sqlite3_busy_timeout(handle_, busy_timeout_ms);
  }
  ~connection() { sqlite3_close(handle_); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  sqlite3* get() const { return handle_; }
  const std::filesystem::path& path() const { return path_; }

  // Runs `sql`; the result code, for callers that tell BUSY apart.
  int try_execute(const char* sql) { return sqlite3_exec(handle_, sql, nullptr, nullptr, nullptr); }
  void execute(const char* sql, const std::string& doing) {
    if (try_execute(sql) != SQLITE_OK) fail(doing);
  }
  std::int64_t integer(const char* sql, const std::string& doing) {
    const auto value = text(sql, doing);
    return value.empty() ? 0 : static_cast<std::int64_t>(std::stoll(value));
  }
  // The first column of the first row, as text ("" when NULL).
  std::string text(const char* sql, const std::string& doing) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(doing);
    std::string value;
    const int stepped = sqlite3_step(statement);
    if (stepped == SQLITE_ROW) {
      const auto* found = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
      value = found != nullptr ? found : "";
    }
    sqlite3_finalize(statement);
    if (stepped != SQLITE_ROW && stepped != SQLITE_DONE) fail(doing);
    return value;
  }

  [[noreturn]] void fail(const std::string& doing) const {
    const std::string reason = handle_ != nullptr ? sqlite3_errmsg(handle_) : "out of memory";
    throw backup_error(quoted(path_) + ": " + doing + ": " + reason);
  }

 private:
  std::filesystem::path path_;
  sqlite3* handle_ = nullptr;
};

// Checks what a Luot event log must be; `database` may be inside a
// transaction.
log_summary check(connection& database) {
  if (database.integer("PRAGMA application_id", "cannot read the header") != luot_application_id)
    throw backup_error(quoted(database.path()) + " is not a Luot event log");
  // integrity_check answers "ok", or the problems it found, one a row.
  const auto integrity = database.text("PRAGMA integrity_check", "cannot check integrity");
  if (integrity != "ok") {
    throw backup_error(quoted(database.path()) + " fails SQLite's integrity_check: " + integrity);
  }
  log_summary summary;
  summary.last_seq = static_cast<std::uint64_t>(
      database.integer("SELECT coalesce(max(seq), 0) FROM events", "cannot read the last seq"));
  summary.events = static_cast<std::uint64_t>(
      database.integer("SELECT count(*) FROM events", "cannot count the events"));
  summary.snapshots = static_cast<std::uint64_t>(
      database.integer("SELECT count(*) FROM snapshots", "cannot count the snapshots"));
  summary.bytes =
      static_cast<std::uint64_t>(database.integer("PRAGMA page_count", "cannot read the size") *
                                 database.integer("PRAGMA page_size", "cannot read the size"));
  // The log's seqs run 1, 2, 3 ... without a gap.
  if (summary.events != summary.last_seq) {
    throw backup_error(quoted(database.path()) + " holds " + std::to_string(summary.events) +
                       " events up to seq " + std::to_string(summary.last_seq) +
                       ": some are missing");
  }
  return summary;
}

// Copies every page of `from` into `to` in one step: one read transaction
// of the source, so the copy is consistent however busy its writer is.
void copy_pages(connection& from, connection& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) to.fail("cannot start the copy");
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE) {
    throw backup_error("copying " + quoted(from.path()) + " to " + quoted(to.path()) +
                       " stopped: " + sqlite3_errstr(stepped));
  }
  if (finished != SQLITE_OK) to.fail("cannot finish the copy");
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point began) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               began);
}

}  // namespace

log_summary back_up(const std::filesystem::path& live, const std::filesystem::path& destination) {
  const auto began = std::chrono::steady_clock::now();
  if (std::filesystem::exists(destination))
    throw backup_error(quoted(destination) + " exists; back up to a new file");
  if (!std::filesystem::exists(live)) throw backup_error(quoted(live) + " does not exist");
  auto partial = destination;
  partial += ".partial";
  std::filesystem::remove(partial);
  log_summary live_state;
  {
    // Read-write without create: a read-only connection to a WAL file
    // needs its shared-memory file, and a typo must not create a log.
    connection source(live, SQLITE_OPEN_READWRITE);
    // The seq read here and the pages copied below belong to one read
    // transaction: the copy must end at exactly this seq.
    source.execute("BEGIN", "cannot start reading");
    if (source.integer("PRAGMA application_id", "cannot read the header") != luot_application_id)
      throw backup_error(quoted(live) + " is not a Luot event log");
    live_state.last_seq = static_cast<std::uint64_t>(
        source.integer("SELECT coalesce(max(seq), 0) FROM events", "cannot read the last seq"));
    connection copy(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy_pages(source, copy);
    source.execute("COMMIT", "cannot end reading");
    // One self-contained file, no -wal beside it.
    copy.execute("PRAGMA journal_mode = DELETE", "cannot leave WAL mode");
  }
  log_summary copied;
  try {
    copied = verify(partial);
    if (copied.last_seq != live_state.last_seq) {
      throw backup_error("the copy ends at seq " + std::to_string(copied.last_seq) +
                         ", the live log was at " + std::to_string(live_state.last_seq));
    }
  } catch (...) {
    std::filesystem::remove(partial);
    throw;
  }
  std::filesystem::rename(partial, destination);
  copied.took = since(began);
  return copied;
}

log_summary verify(const std::filesystem::path& file) {
  const auto began = std::chrono::steady_clock::now();
  if (!std::filesystem::exists(file)) throw backup_error(quoted(file) + " does not exist");
  connection database(file, SQLITE_OPEN_READONLY);
  auto summary = check(database);
  summary.took = since(began);
  return summary;
}

log_summary restore(const std::filesystem::path& backup, const std::filesystem::path& database) {
  const auto began = std::chrono::steady_clock::now();
  const auto wanted = verify(backup);
  connection target(database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  // Exclusive locking mode keeps every lock it takes until the connection
  // closes. A server that has the file open holds a shared lock on it for
  // as long as it runs, so taking the exclusive lock fails at once (no
  // waiting) and nothing has been written.
  sqlite3_busy_timeout(target.get(), 0);
  target.execute("PRAGMA locking_mode = EXCLUSIVE", "cannot ask for exclusive locking");
  const int locked = target.try_execute("BEGIN EXCLUSIVE");
  if (locked == SQLITE_BUSY || locked == SQLITE_LOCKED) {
    throw database_in_use(quoted(database) +
                          " is open in another process (a running luot-server?): stop it "
                          "before restoring");
  }
  if (locked != SQLITE_OK) target.fail("cannot lock");
  target.execute("COMMIT", "cannot lock");
  sqlite3_busy_timeout(target.get(), busy_timeout_ms);
  {
    connection source(backup, SQLITE_OPEN_READONLY);
    copy_pages(source, target);
  }
  auto restored = check(target);
  if (restored.last_seq != wanted.last_seq) {
    throw backup_error(quoted(database) + " ends at seq " + std::to_string(restored.last_seq) +
                       " after the restore, the backup at " + std::to_string(wanted.last_seq));
  }
  restored.took = since(began);
  return restored;
}

}  // namespace luot::tools
