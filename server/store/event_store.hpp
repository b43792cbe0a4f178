#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "luot/v1/luot.pb.h"

namespace luot::store {

// A store failure (disk full, corrupt file, ...). The server treats it as
// fatal: state already folded in memory can no longer be made durable.
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An append refused because the log already holds an event with the batch's
// first seq: another writer (a second store object, a second server) got
// there first. Unlike other store errors nothing is broken: the batch was
// decided on a stale state, and a caller that can re-decide may reload the
// tail after last_seq() and try again.
class seq_conflict : public store_error {
 public:
  seq_conflict(const std::string& what, std::uint64_t last_seq)
      : store_error(what), last_seq_(last_seq) {}

  // The last seq of the log when the conflict was found.
  std::uint64_t last_seq() const { return last_seq_; }

 private:
  std::uint64_t last_seq_;
};

// A snapshot already serialized. The snapshotter's thread pays for the
// encoding (tens of milliseconds on a busy day's snapshot), so the writer,
// which every acknowledgement waits for, only writes the bytes.
struct encoded_snapshot {
  std::uint64_t seq = 0;
  std::int64_t taken_at_ms = 0;
  std::string body;
};

// Throws store_error when `snapshot` cannot be serialized (over 2 GB).
inline encoded_snapshot encode_snapshot(const v1::Snapshot& snapshot) {
  encoded_snapshot encoded;
  encoded.seq = snapshot.seq();
  encoded.taken_at_ms = snapshot.at().seconds() * 1000 + snapshot.at().nanos() / 1'000'000;
  if (!snapshot.SerializeToString(&encoded.body)) {
    throw store_error("refusing to save a snapshot: it cannot be serialized");
  }
  return encoded;
}

// The durable event log plus snapshots of it. Nothing outside a store
// implementation speaks SQL. Not thread-safe: one owner at a time (the
// group committer once the server runs).
class event_store {
 public:
  virtual ~event_store() = default;

  // Appends the events (seq strictly increasing, continuing last_seq()) in
  // one transaction and returns only once they are durable. A batch whose
  // first seq the log already holds throws seq_conflict; any other seq that
  // does not continue the log throws store_error. Either way nothing of the
  // batch is written.
  virtual void append(std::span<const v1::Event> events) = 0;

  virtual std::uint64_t last_seq() = 0;

  // Calls `visit` for every event with seq > after_seq, in seq order.
  virtual void read_after(std::uint64_t after_seq,
                          const std::function<void(const v1::Event&)>& visit) = 0;

  // Keeps a snapshot so a restart replays only the tail after it. A
  // snapshot beyond the log's last seq is refused (store_error).
  void save_snapshot(const v1::Snapshot& snapshot) { save_snapshot(encode_snapshot(snapshot)); }
  virtual void save_snapshot(const encoded_snapshot& snapshot) = 0;
  virtual std::optional<v1::Snapshot> latest_snapshot() = 0;

  // True while the store can take writes (for /readyz).
  virtual bool ready() = 0;

  // For a log that several servers append to: after losing a seq_conflict,
  // a writer excludes the others' appends (waiting until none is under
  // way), so the command it decides again on the reloaded tail cannot lose
  // again; then it admits them. Every append waits while another writer
  // excludes. A log with one writer needs none of it: no-ops by default.
  virtual void exclude_writers() {}
  virtual void admit_writers() {}
};

// Opens (creating if needed, migrating if old) a SQLite event log in WAL
// mode with synchronous=FULL. Throws store_error with the path and reason.
std::unique_ptr<event_store> open_sqlite_store(const std::filesystem::path& path);

}  // namespace luot::store
