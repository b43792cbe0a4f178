#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <array>
#include <limits>
#include <string_view>
#include <utility>

namespace luot::store {

namespace {

// How long a statement waits for a lock held by another connection (an
// operator's sqlite3 shell, a backup) before giving up.
constexpr int busy_timeout_ms = 5000;

// WAL pages past which the checkpointer copies them into the database
// file: SQLite's own default threshold, now reached off the writer.
constexpr int checkpoint_pages = 1000;

// Snapshots are a cache over the log, not history: a few recent ones are
// enough to survive one that turns out unreadable.
constexpr int snapshots_kept = 4;

// "LUOT" in ASCII, stamped into the file header so a stranger's SQLite
// database is never mistaken for an event log.
constexpr std::int64_t application_id = 0x4C554F54;

// One step of the file layout. Steps are only ever appended: step i takes a
// file from user_version i to i + 1, inside the same transaction that bumps
// the version.
struct migration {
  std::string_view description;
  const char* sql;
};

constexpr std::array migrations{
    migration{"event log and snapshots",
              R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  service_day TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  -- Name of the Event.body oneof member, for people and reports.
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  -- The serialized luot.v1.Event: the truth; the columns above are copies.
  body BLOB NOT NULL
);
-- Reports ask "what happened on this day", usually of one kind.
CREATE INDEX events_by_day_and_kind ON events (service_day, kind);
CREATE TABLE snapshots (
  seq INTEGER PRIMARY KEY,
  taken_at_ms INTEGER NOT NULL,
  -- The serialized luot.v1.Snapshot with internal visibility.
  body BLOB NOT NULL
);
)sql"},
};

std::int64_t to_milliseconds(const google::protobuf::Timestamp& moment) {
  return moment.seconds() * 1000 + moment.nanos() / 1'000'000;
}

// The name of the oneof member an event carries ("ticket_issued", ...).
std::string_view kind_of(const v1::Event& event) {
  if (event.body_case() == v1::Event::BODY_NOT_SET) {
    return "none";
  }
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.body_case());
  return field != nullptr ? std::string_view(field->name()) : std::string_view("unknown");
}

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

// Resets a cached statement however the scope using it ends, so the next
// use starts clean and no read transaction stays open.
class reset_on_exit {
 public:
  explicit reset_on_exit(sqlite3_stmt* statement) : statement_(statement) {}
  ~reset_on_exit() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// A prepared statement kept for the life of the connection.
class prepared {
 public:
  prepared() = default;
  explicit prepared(sqlite3_stmt* handle) : handle_(handle) {}
  ~prepared() { sqlite3_finalize(handle_); }
  prepared(prepared&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  prepared& operator=(prepared&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  sqlite3_stmt* get() const { return handle_; }

 private:
  sqlite3_stmt* handle_ = nullptr;
};

}  // namespace

std::uint32_t sqlite_schema_version() {
  return static_cast<std::uint32_t>(migrations.size());
}

struct sqlite_store::statements {
  prepared begin;
  prepared commit;
  prepared rollback;
  prepared last_seq;
  prepared insert_event;
  prepared select_after;
  prepared insert_snapshot;
  prepared prune_snapshots;
  prepared latest_snapshot;
};

void sqlite_store::connection_closer::operator()(sqlite3* database) const {
  sqlite3_close(database);
}

sqlite_store::sqlite_store(const std::filesystem::path& path) : path_(path) {
  sqlite3* handle = nullptr;
  const int opened =
      sqlite3_open_v2(path_.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  database_.reset(handle);  // Even a failed open allocates a handle to close.
  if (opened != SQLITE_OK) {
    fail("cannot open");
  }
  sqlite3_extended_result_codes(database_.get(), 1);
  configure();
  migrate();

  auto prepare = [this](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(database_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
      fail(std::string("cannot prepare \"") + sql + "\"");
    }
    return prepared(statement);
  };
  statements_ = std::make_unique<statements>();
  statements_->begin = prepare("BEGIN IMMEDIATE");
  statements_->commit = prepare("COMMIT");
  statements_->rollback = prepare("ROLLBACK");
  statements_->last_seq = prepare("SELECT coalesce(max(seq), 0) FROM events");
  statements_->insert_event = prepare(
      "INSERT INTO events (seq, service_day, at_ms, kind, actor, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  statements_->select_after = prepare("SELECT seq, body FROM events WHERE seq > ?1 ORDER BY seq");
  statements_->insert_snapshot =
      prepare("INSERT OR REPLACE INTO snapshots (seq, taken_at_ms, body) VALUES (?1, ?2, ?3)");
  statements_->prune_snapshots = prepare(
      "DELETE FROM snapshots WHERE seq NOT IN "
      "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?1)");
  statements_->latest_snapshot =
      prepare("SELECT seq, body FROM snapshots ORDER BY seq DESC LIMIT 1");
  checkpointer_ = std::make_unique<sqlite_checkpointer>(path_, checkpoint_pages);
  checkpointer_->install(database_.get());
}

sqlite_store::~sqlite_store() = default;

void sqlite_store::fail(const std::string& doing) const {
  fail(doing, database_ ? sqlite3_errmsg(database_.get()) : "out of memory");
}

void sqlite_store::fail(const std::string& doing, const std::string& reason) const {
  throw store_error("event store " + quoted(path_) + ": " + doing + ": " + reason);
}

void sqlite_store::execute(const char* sql, const std::string& doing) {
  if (sqlite3_exec(database_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail(doing);
  }
}

std::int64_t sqlite_store::query_integer(const char* sql, const std::string& doing) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(database_.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
    fail(doing);
  }
  const prepared statement(raw);
  if (sqlite3_step(statement.get()) != SQLITE_ROW) {
    fail(doing);
  }
  return sqlite3_column_int64(statement.get(), 0);
}

void sqlite_store::configure() {
  if (sqlite3_busy_timeout(database_.get(), busy_timeout_ms) != SQLITE_OK) {
    fail("cannot set the busy timeout");
  }
  // journal_mode answers with the mode it ended up in; a file system
  // without shared memory support silently stays in another mode.
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(database_.get(), "PRAGMA journal_mode = WAL", -1, &raw, nullptr) !=
        SQLITE_OK) {
      fail("cannot switch to WAL mode");
    }
    const prepared statement(raw);
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
      fail("cannot switch to WAL mode");
    }
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
    if (mode == nullptr || std::string_view(mode) != "wal") {
      fail("cannot switch to WAL mode",
           std::string("the journal mode stayed '") + (mode != nullptr ? mode : "") + "'");
    }
  }
  // FULL syncs the WAL on every commit: an acknowledged ticket survives a
  // power cut, which NORMAL does not promise.
  execute("PRAGMA synchronous = FULL", "cannot set synchronous = FULL");
  execute("PRAGMA foreign_keys = ON", "cannot enable foreign keys");
}

void sqlite_store::migrate() {
  const std::uint32_t known = sqlite_schema_version();
  auto check_version = [&](std::int64_t version) {
    if (version > static_cast<std::int64_t>(known)) {
      fail("cannot open", "schema version " + std::to_string(version) +
                              " is newer than this build of Luot understands (" +
                              std::to_string(known) +
                              "); run a newer luot-server or restore a matching backup");
    }
  };
  const std::int64_t found = query_integer("PRAGMA user_version", "cannot read schema version");
  check_version(found);
  if (found == known) {
    if (query_integer("PRAGMA application_id", "cannot read application id") != application_id) {
      fail("cannot open", "the file is a SQLite database but not a Luot event log");
    }
    return;
  }

  // Another process may be migrating the same file: decide under the lock.
  execute("BEGIN IMMEDIATE", "cannot start the schema migration");
  try {
    const std::int64_t version = query_integer("PRAGMA user_version", "cannot read schema version");
    check_version(version);
    if (version == 0 &&
        query_integer("SELECT count(*) FROM sqlite_schema", "cannot inspect the schema") != 0) {
      fail("cannot open", "the file is a SQLite database but not a Luot event log");
    }
    for (auto step = static_cast<std::size_t>(version); step < migrations.size(); ++step) {
      execute(migrations[step].sql, "cannot migrate to schema version " + std::to_string(step + 1) +
                                        " (" + std::string(migrations[step].description) + ")");
    }
    // PRAGMA takes no bound parameters; both values are our own integers.
    execute(("PRAGMA user_version = " + std::to_string(known)).c_str(),
            "cannot record the schema version");
    execute(("PRAGMA application_id = " + std::to_string(application_id)).c_str(),
            "cannot record the application id");
    execute("COMMIT", "cannot commit the schema migration");
  } catch (...) {
    sqlite3_exec(database_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::uint64_t sqlite_store::last_seq_locked() {
  sqlite3_stmt* statement = statements_->last_seq.get();
  const reset_on_exit reset(statement);
  if (sqlite3_step(statement) != SQLITE_ROW) {
    fail("cannot read the last sequence number");
  }
  return static_cast<std::uint64_t>(sqlite3_column_int64(statement, 0));
}

std::uint64_t sqlite_store::last_seq() {
  const std::lock_guard lock(mutex_);
  return last_seq_locked();
}

void sqlite_store::append(std::span<const v1::Event> events) {
  if (events.empty()) {
    return;
  }
  const std::lock_guard lock(mutex_);
  auto step_once = [this](sqlite3_stmt* statement, const std::string& doing) {
    const reset_on_exit reset(statement);
    if (sqlite3_step(statement) != SQLITE_DONE) {
      fail(doing);
    }
  };

  step_once(statements_->begin.get(), "cannot begin the append transaction");
  try {
    std::uint64_t expected = last_seq_locked() + 1;
    sqlite3_stmt* insert = statements_->insert_event.get();
    std::string body;
    for (const v1::Event& event : events) {
      if (event.seq() != expected) {
        const std::string reason = "event seq " + std::to_string(event.seq()) +
                                   " does not continue the log (expected " +
                                   std::to_string(expected) + ")";
        // A first seq the log already holds: another writer got there first.
        if (&event == &events.front() && event.seq() != 0 && event.seq() < expected) {
          throw seq_conflict("event store " + quoted(path_) + ": refusing to append: " + reason,
                             expected - 1);
        }
        fail("refusing to append", reason);
      }
      if (event.seq() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail("refusing to append", "event seq " + std::to_string(event.seq()) + " is too large");
      }
      if (!event.SerializeToString(&body)) {
        fail("refusing to append",
             "event seq " + std::to_string(event.seq()) + " cannot be serialized");
      }
      const std::string_view kind = kind_of(event);
      const reset_on_exit reset(insert);
      sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(event.seq()));
      sqlite3_bind_text(insert, 2, event.service_day().data(),
                        static_cast<int>(event.service_day().size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 3, to_milliseconds(event.at()));
      sqlite3_bind_text(insert, 4, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 5, event.actor().data(), static_cast<int>(event.actor().size()),
                        SQLITE_STATIC);
      sqlite3_bind_blob(insert, 6, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) {
        fail("cannot append event seq " + std::to_string(event.seq()));
      }
      ++expected;
    }
    step_once(statements_->commit.get(), "cannot commit the append transaction");
  } catch (...) {
    // A failed COMMIT may already have rolled back on its own.
    if (sqlite3_get_autocommit(database_.get()) == 0) {
      const reset_on_exit reset(statements_->rollback.get());
      sqlite3_step(statements_->rollback.get());
    }
    throw;
  }
}

void sqlite_store::read_after(std::uint64_t after_seq,
                              const std::function<void(const v1::Event&)>& visit) {
  const std::lock_guard lock(mutex_);
  const auto bound = std::min<std::uint64_t>(
      after_seq, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  sqlite3_stmt* select = statements_->select_after.get();
  const reset_on_exit reset(select);
  sqlite3_bind_int64(select, 1, static_cast<sqlite3_int64>(bound));
  v1::Event event;
  for (;;) {
    const int stepped = sqlite3_step(select);
    if (stepped == SQLITE_DONE) {
      return;
    }
    if (stepped != SQLITE_ROW) {
      fail("cannot read events after seq " + std::to_string(after_seq));
    }
    const auto seq = static_cast<std::uint64_t>(sqlite3_column_int64(select, 0));
    const void* body = sqlite3_column_blob(select, 1);
    const int size = sqlite3_column_bytes(select, 1);
    if (!event.ParseFromArray(body, size) || event.seq() != seq) {
      fail("cannot read events", "the body of event seq " + std::to_string(seq) + " is corrupt");
    }
    visit(event);
  }
}

void sqlite_store::save_snapshot(const encoded_snapshot& snapshot) {
  const std::lock_guard lock(mutex_);
  const std::string& body = snapshot.body;
  auto step_once = [this](sqlite3_stmt* statement, const std::string& doing) {
    const reset_on_exit reset(statement);
    if (sqlite3_step(statement) != SQLITE_DONE) {
      fail(doing);
    }
  };
  step_once(statements_->begin.get(), "cannot begin the snapshot transaction");
  try {
    const std::uint64_t last = last_seq_locked();
    if (snapshot.seq > last) {
      fail("refusing to save a snapshot", "its seq " + std::to_string(snapshot.seq) +
                                              " is beyond the log (last seq " +
                                              std::to_string(last) + ")");
    }
    sqlite3_stmt* insert = statements_->insert_snapshot.get();
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(snapshot.seq));
    sqlite3_bind_int64(insert, 2, snapshot.taken_at_ms);
    sqlite3_bind_blob(insert, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
    step_once(insert, "cannot save the snapshot at seq " + std::to_string(snapshot.seq));
    sqlite3_bind_int(statements_->prune_snapshots.get(), 1, snapshots_kept);
    step_once(statements_->prune_snapshots.get(), "cannot prune old snapshots");
    step_once(statements_->commit.get(), "cannot commit the snapshot transaction");
  } catch (...) {
    if (sqlite3_get_autocommit(database_.get()) == 0) {
      const reset_on_exit reset(statements_->rollback.get());
      sqlite3_step(statements_->rollback.get());
    }
    throw;
  }
}

std::optional<v1::Snapshot> sqlite_store::latest_snapshot() {
  const std::lock_guard lock(mutex_);
  sqlite3_stmt* select = statements_->latest_snapshot.get();
  const reset_on_exit reset(select);
  const int stepped = sqlite3_step(select);
  if (stepped == SQLITE_DONE) {
    return std::nullopt;
  }
  if (stepped != SQLITE_ROW) {
    fail("cannot read the latest snapshot");
  }
  const auto seq = static_cast<std::uint64_t>(sqlite3_column_int64(select, 0));
  v1::Snapshot snapshot;
  if (!snapshot.ParseFromArray(sqlite3_column_blob(select, 1), sqlite3_column_bytes(select, 1)) ||
      snapshot.seq() != seq) {
    fail("cannot read the latest snapshot",
         "the snapshot at seq " + std::to_string(seq) + " is corrupt");
  }
  return snapshot;
}

bool sqlite_store::ready() {
  const std::lock_guard lock(mutex_);
  if (!database_ || sqlite3_db_readonly(database_.get(), "main") != 0) {
    return false;
  }
  try {
    query_integer("PRAGMA user_version", "cannot read schema version");
    return true;
  } catch (const store_error&) {
    return false;
  }
}

std::string sqlite_store::journal_mode() {
  const std::lock_guard lock(mutex_);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(database_.get(), "PRAGMA journal_mode", -1, &raw, nullptr) != SQLITE_OK) {
    fail("cannot read the journal mode");
  }
  const prepared statement(raw);
  if (sqlite3_step(statement.get()) != SQLITE_ROW) {
    fail("cannot read the journal mode");
  }
  const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
  return mode != nullptr ? mode : "";
}

int sqlite_store::synchronous() {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(query_integer("PRAGMA synchronous", "cannot read synchronous"));
}

std::uint32_t sqlite_store::user_version() {
  const std::lock_guard lock(mutex_);
  return static_cast<std::uint32_t>(
      query_integer("PRAGMA user_version", "cannot read schema version"));
}

std::unique_ptr<event_store> open_sqlite_store(const std::filesystem::path& path) {
  return std::make_unique<sqlite_store>(path);
}

}  // namespace luot::store
