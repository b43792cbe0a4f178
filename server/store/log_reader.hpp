#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "luot/v1/luot.pb.h"

namespace luot::store {

// A read-only view of the event log for reports. It has its own
// connection, so a long read never holds up the writer: in WAL mode both
// run at once, and the reader sees the log as it was when its read began.
class log_reader {
 public:
  virtual ~log_reader() = default;

  // Calls `visit` for every event of the service days from `from_day` to
  // `to_day` ("YYYY-MM-DD", both included), in seq order. Throws
  // store_error when the log cannot be read.
  virtual void read_days(const std::string& from_day, const std::string& to_day,
                         const std::function<void(const v1::Event&)>& visit) = 0;
};

// Opens the SQLite event log at `path` read-only. Throws store_error naming
// the path and the reason (no such file, not an event log, ...).
std::unique_ptr<log_reader> open_sqlite_reader(const std::filesystem::path& path);

}  // namespace luot::store
