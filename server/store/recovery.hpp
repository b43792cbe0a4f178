#pragma once

#include <algorithm>
#include <cstdint>

#include "core/engine.hpp"
#include "store/event_store.hpp"

namespace luot::store {

// Rebuilds the engine from the store: the latest snapshot (if any) is
// restored, then every event after it is folded in order. Returns how many
// events were replayed. The engine must be fresh. Throws store_error when the
// log has a gap after the snapshot.
std::uint64_t recover(core::engine& engine, event_store& store);

// When to take a snapshot: after every `interval` events, or, once the
// state has grown, after as many events as the last snapshot held tickets.
// Building and saving a snapshot costs in proportion to the tickets it holds,
// so spacing them that far apart keeps the cost per event flat however the
// day grows (a fixed interval made it grow with the queue). A restart then
// replays at most max(interval, tickets in the latest snapshot) events after
// it: no more events than the snapshot it restores holds tickets, or
// `interval` on a small day. Used by the owner of the engine, which hands
// the snapshot to the group committer.
class snapshot_policy {
 public:
  explicit snapshot_policy(std::uint64_t interval, std::uint64_t last_snapshot_seq = 0)
      : interval_(interval), last_snapshot_seq_(last_snapshot_seq) {}

  // True when the log has grown by the spacing since the last snapshot.
  bool due(std::uint64_t seq) const {
    return interval_ != 0 && seq >= last_snapshot_seq_ + spacing();
  }
  // `tickets` is how many the snapshot taken at `seq` holds (0 when unknown:
  // the next one is then due after `interval`).
  void taken(std::uint64_t seq, std::uint64_t tickets = 0) {
    last_snapshot_seq_ = seq;
    last_snapshot_tickets_ = tickets;
  }
  // Events between snapshots now: what a restart replays at most.
  std::uint64_t spacing() const { return std::max(interval_, last_snapshot_tickets_); }

 private:
  std::uint64_t interval_;
  std::uint64_t last_snapshot_seq_;
  std::uint64_t last_snapshot_tickets_ = 0;
};

}  // namespace luot::store
