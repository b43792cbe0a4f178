#include "store/sqlite_checkpointer.hpp"

#include <sqlite3.h>

#include <string>

#include "store/event_store.hpp"

namespace luot::store {

namespace {

// As long as the writer's busy timeout: an operator's shell holding a lock
// delays a checkpoint, it does not fail it.
constexpr int busy_timeout_ms = 5000;

}  // namespace

sqlite_checkpointer::sqlite_checkpointer(const std::filesystem::path& path, int threshold_pages)
    : threshold_pages_(threshold_pages) {
  const int opened = sqlite3_open_v2(path.c_str(), &connection_,
                                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (opened != SQLITE_OK) {
    const std::string reason =
        connection_ != nullptr ? sqlite3_errmsg(connection_) : "out of memory";
    sqlite3_close(connection_);
    throw store_error("event store \"" + path.string() +
                      "\": cannot open the checkpoint connection: " + reason);
  }
  sqlite3_busy_timeout(connection_, busy_timeout_ms);
  // The checkpoint syncs the database file before the WAL may start over.
  sqlite3_exec(connection_, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
  thread_ = std::thread([this] { run(); });
}

sqlite_checkpointer::~sqlite_checkpointer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  // The writer's connection, closed last, checkpoints what is left.
  sqlite3_close(connection_);
}

void sqlite_checkpointer::install(sqlite3* writer) {
  sqlite3_wal_hook(writer, &sqlite_checkpointer::on_commit, this);
}

int sqlite_checkpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  auto& checkpointer = *static_cast<sqlite_checkpointer*>(self);
  if (pages < checkpointer.threshold_pages_) return SQLITE_OK;
  {
    const std::lock_guard lock(checkpointer.mutex_);
    if (checkpointer.wanted_) return SQLITE_OK;
    checkpointer.wanted_ = true;
  }
  checkpointer.wake_.notify_one();
  return SQLITE_OK;
}

void sqlite_checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    int log_pages = 0;
    int copied = 0;
    const int done = sqlite3_wal_checkpoint_v2(connection_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &log_pages, &copied);
    (done == SQLITE_OK ? checkpoints_ : failures_).fetch_add(1);
    lock.lock();
  }
}

}  // namespace luot::store
