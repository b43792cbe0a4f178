#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

struct sqlite3;

namespace luot::store {

// Copies the write-ahead log's pages into the database file on its own
// thread and its own connection, so the writer never waits for it.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold (1,000 pages): every few thousand events one commit, and so one
// command's acknowledgement, also writes ~4 MB into the database file and
// syncs it, tens of milliseconds on a busy disk. Here the writer's commit
// only notes the WAL's size (install() replaces the automatic checkpoint
// with a hook), and this thread runs a PASSIVE checkpoint, which never
// blocks the writer: the writer keeps appending to the WAL while pages
// already committed are copied, and SQLite starts the WAL over once a
// checkpoint has caught up. Losing power mid-checkpoint loses nothing: the
// WAL still holds every page until the database file has them synced.
class sqlite_checkpointer {
 public:
  // Opens a second connection to the database `path` (already in WAL mode).
  // Throws store_error when it cannot.
  sqlite_checkpointer(const std::filesystem::path& path, int threshold_pages);
  ~sqlite_checkpointer();
  sqlite_checkpointer(const sqlite_checkpointer&) = delete;
  sqlite_checkpointer& operator=(const sqlite_checkpointer&) = delete;

  // Makes `writer`'s commits report the WAL's size here instead of
  // checkpointing themselves.
  void install(sqlite3* writer);

  // Checkpoints done, and those that failed (the next one retries; nothing
  // is lost, the WAL only grows meanwhile).
  std::uint64_t checkpoints() const { return checkpoints_.load(); }
  std::uint64_t failures() const { return failures_.load(); }

 private:
  static int on_commit(void* self, sqlite3* writer, const char* database, int pages);
  void run();

  sqlite3* connection_ = nullptr;
  int threshold_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::thread thread_;
};

}  // namespace luot::store
