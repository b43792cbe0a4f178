#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace luot::store {

// Why append_watch::wait returned.
enum class watch_wake {
  // Another session (or this instance) appended to the centre's log; or the
  // watch lost its connection and reconnected, so appends may have gone
  // unnoticed. Either way the caller reads the tail.
  appended,
  // wake() was called.
  woken,
  // Nothing happened within the timeout.
  timed_out,
};

// Tells a reader that the event log of its centre grew, whoever appended:
// how one luot-server learns of the events other instances commit. Used by
// one thread; only wake() may be called from others.
class append_watch {
 public:
  virtual ~append_watch() = default;

  // Waits until an append is notified, wake() is called or `timeout`
  // passes. A lost connection is reopened here (the watch starts listening
  // again and reports `appended`); while the database cannot be reached it
  // reports `timed_out` after the timeout.
  virtual watch_wake wait(std::chrono::milliseconds timeout) = 0;

  // Makes the current (or the next) wait return `woken` at once.
  virtual void wake() = 0;
};

// A watch on the log `database` names (see store_kind_of), for `centre`
// ('' for a one-centre deployment).
// PostgreSQL notifies through LISTEN/NOTIFY; a SQLite file has one writer,
// the server itself, so it has no watch: nullptr. Throws store_error when
// the database cannot be reached.
std::unique_ptr<append_watch> open_append_watch(const std::string& database,
                                                const std::string& centre = {});

}  // namespace luot::store
