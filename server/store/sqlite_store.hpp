#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "store/event_store.hpp"
#include "store/sqlite_checkpointer.hpp"

struct sqlite3;

namespace luot::store {

// Version of the file layout this build writes: the number of migration
// steps it knows. A file with a greater PRAGMA user_version was written by a
// newer Luot and is refused rather than misread.
std::uint32_t sqlite_schema_version();

// The event log in one SQLite file, in WAL mode with synchronous=FULL so a
// returned append survives a power cut. Calls are serialized by a mutex, so a
// reader on another thread (a resuming client) is safe next to the writer.
class sqlite_store final : public event_store {
 public:
  // Opens or creates the file and migrates it to the current schema. Throws
  // store_error naming the path and SQLite's reason.
  explicit sqlite_store(const std::filesystem::path& path);
  ~sqlite_store() override;
  sqlite_store(const sqlite_store&) = delete;
  sqlite_store& operator=(const sqlite_store&) = delete;

  void append(std::span<const v1::Event> events) override;
  std::uint64_t last_seq() override;
  void read_after(std::uint64_t after_seq,
                  const std::function<void(const v1::Event&)>& visit) override;
  using event_store::save_snapshot;
  void save_snapshot(const encoded_snapshot& snapshot) override;
  std::optional<v1::Snapshot> latest_snapshot() override;
  bool ready() override;

  // What the connection really runs with, for tests and diagnostics.
  std::string journal_mode();
  // 0 = OFF, 1 = NORMAL, 2 = FULL, 3 = EXTRA.
  int synchronous();
  std::uint32_t user_version();

  const std::filesystem::path& path() const { return path_; }
  // Moves the WAL into the database file off the writer (see there).
  const sqlite_checkpointer& checkpointer() const { return *checkpointer_; }

 private:
  struct connection_closer {
    void operator()(sqlite3* database) const;
  };
  struct statements;

  [[noreturn]] void fail(const std::string& doing) const;
  [[noreturn]] void fail(const std::string& doing, const std::string& reason) const;
  void execute(const char* sql, const std::string& doing);
  std::int64_t query_integer(const char* sql, const std::string& doing);
  std::uint64_t last_seq_locked();
  void configure();
  void migrate();

  std::filesystem::path path_;
  // Declared before the statements so they are finalized first.
  std::unique_ptr<sqlite3, connection_closer> database_;
  std::unique_ptr<statements> statements_;
  std::mutex mutex_;
  // Declared last so its connection closes before the writer's.
  std::unique_ptr<sqlite_checkpointer> checkpointer_;
};

}  // namespace luot::store
