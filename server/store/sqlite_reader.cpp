#include <sqlite3.h>

#include "store/event_store.hpp"
#include "store/log_reader.hpp"

namespace luot::store {

namespace {

// How long a read waits for a checkpoint holding a lock before giving up.
constexpr int busy_timeout_ms = 5000;

// The log read through a read-only SQLite connection of its own.
class sqlite_reader final : public log_reader {
 public:
  explicit sqlite_reader(std::filesystem::path path) : path_(std::move(path)) {
    sqlite3* handle = nullptr;
    const int opened = sqlite3_open_v2(path_.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
    database_ = handle;
    if (opened != SQLITE_OK) fail("cannot open for reading");
    sqlite3_busy_timeout(database_, busy_timeout_ms);
    if (sqlite3_prepare_v2(database_,
                           "SELECT seq, body FROM events WHERE service_day BETWEEN ?1 AND ?2 "
                           "ORDER BY seq",
                           -1, &select_, nullptr) != SQLITE_OK)
      fail("not an event log");
  }

  ~sqlite_reader() override {
    sqlite3_finalize(select_);
    sqlite3_close(database_);
  }

  sqlite_reader(const sqlite_reader&) = delete;
  sqlite_reader& operator=(const sqlite_reader&) = delete;

  void read_days(const std::string& from_day, const std::string& to_day,
                 const std::function<void(const v1::Event&)>& visit) override {
    sqlite3_reset(select_);
    sqlite3_bind_text(select_, 1, from_day.data(), static_cast<int>(from_day.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(select_, 2, to_day.data(), static_cast<int>(to_day.size()), SQLITE_TRANSIENT);
    v1::Event event;
    for (;;) {
      const int stepped = sqlite3_step(select_);
      if (stepped == SQLITE_DONE) break;
      if (stepped != SQLITE_ROW) fail("cannot read the days " + from_day + " to " + to_day);
      const auto seq = static_cast<std::uint64_t>(sqlite3_column_int64(select_, 0));
      if (!event.ParseFromArray(sqlite3_column_blob(select_, 1),
                                sqlite3_column_bytes(select_, 1)) ||
          event.seq() != seq) {
        sqlite3_reset(select_);
        throw store_error("event log '" + path_.string() + "': the body of event seq " +
                          std::to_string(seq) + " is corrupt");
      }
      visit(event);
    }
    sqlite3_reset(select_);
  }

 private:
  [[noreturn]] void fail(const std::string& doing) {
    const std::string reason = database_ ? sqlite3_errmsg(database_) : "out of memory";
    throw store_error("event log '" + path_.string() + "': " + doing + ": " + reason);
  }

  std::filesystem::path path_;
  sqlite3* database_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
};

}  // namespace

std::unique_ptr<log_reader> open_sqlite_reader(const std::filesystem::path& path) {
  return std::make_unique<sqlite_reader>(path);
}

}  // namespace luot::store
