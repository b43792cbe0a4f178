#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/append_watch.hpp"
#include "store/event_store.hpp"
#include "store/log_reader.hpp"
#include "store/postgres_connection.hpp"

namespace luot::store {

// Version of the schema this build writes: the number of migration steps it
// knows. A database whose schema_version table names a greater one was
// written by a newer Luot and is refused rather than misread.
std::uint32_t postgres_schema_version();

// Creates or migrates the schema of the database at `url` up to `version`
// (at most postgres_schema_version()), each step in the one transaction that
// records it. Opening a store does this to the current version; tests use it
// to build a database as an older Luot left it. Throws store_error.
void migrate_postgres(const std::string& url, std::uint32_t version);
void migrate_postgres(postgres_connection& connection, std::uint32_t version);

// The event log of one centre in a PostgreSQL database. An append is one
// statement (or, for a very large batch, one transaction) whose COMMIT
// returns only once PostgreSQL has flushed it (synchronous_commit is never
// off); the primary key (centre, seq) makes a seq impossible to use twice,
// even by two servers, and the append inserts only when it continues the
// centre's log. Calls are serialized by a mutex, like the SQLite store.
class postgres_store final : public event_store {
 public:
  // Connects to `url` and migrates the schema to the current version.
  // `centre` names the centre whose log this object keeps: every centre has
  // its own seq from 1. Throws store_error with the URL (password hidden)
  // and PostgreSQL's reason.
  explicit postgres_store(const std::string& url, std::string centre = {});

  void append(std::span<const v1::Event> events) override;
  std::uint64_t last_seq() override;
  void read_after(std::uint64_t after_seq,
                  const std::function<void(const v1::Event&)>& visit) override;
  using event_store::save_snapshot;
  void save_snapshot(const encoded_snapshot& snapshot) override;
  std::optional<v1::Snapshot> latest_snapshot() override;
  // True while the server answers and takes writes (not a standby);
  // reconnects once when the connection dropped.
  bool ready() override;
  // The session advisory lock (LUOT, hash of the centre) in exclusive mode;
  // every append takes it shared for its transaction.
  void exclude_writers() override;
  void admit_writers() override;

  // What the session really runs with (current_setting), for tests and
  // diagnostics.
  std::string setting(const std::string& name);
  std::uint32_t schema_version();
  // The URL with its password hidden, as messages name it.
  const std::string& location() const { return connection_.url().redacted(); }

 private:
  std::uint64_t last_seq_locked();
  // Inserts the events (one statement) if the log ends just before them;
  // false when it does not, or another writer took one of their seqs.
  bool insert(std::span<const v1::Event> events, std::span<const std::string> bodies);
  // Appends serialized events that continue the log, or throws.
  void append_locked(std::span<const v1::Event> events, const std::vector<std::string>& bodies);
  // True when the log holds exactly these events (a commit whose answer
  // the connection lost).
  bool holds(std::span<const v1::Event> events, const std::vector<std::string>& bodies);
  // Runs work that is safe to repeat (a read, a snapshot), once more on a
  // new connection when the first attempt lost its connection.
  template <typename Work>
  auto reconnecting(Work work);
  // Throws the error that says why `events` do not continue a log ending at
  // `last`: seq_conflict when their first seq is already taken.
  [[noreturn]] void refuse(std::span<const v1::Event> events, std::uint64_t last);

  std::mutex mutex_;
  postgres_connection connection_;
  std::string centre_;
};

// `centre` as in postgres_store.
std::unique_ptr<event_store> open_postgres_store(const std::string& url,
                                                 const std::string& centre = {});

// A LISTEN session on luot_events for `centre` (see append_watch).
std::unique_ptr<append_watch> open_postgres_watch(const std::string& url,
                                                  const std::string& centre = {});

// Reads the log at `url` for reports through a connection of its own, in
// one read-only snapshot. Throws store_error naming the URL (password
// hidden) and the reason.
std::unique_ptr<log_reader> open_postgres_reader(const std::string& url,
                                                 const std::string& centre = {});

}  // namespace luot::store
