#pragma once

#include <cstdint>

#include "core/engine.hpp"
#include "store/event_store.hpp"

namespace luot::store {

// Rebuilds the engine from the store: the latest snapshot (if any) is
// restored, then every event after it is folded in order. Returns how many
// events were replayed. The engine must be fresh. Throws store_error when the
// log has a gap after the snapshot.
std::uint64_t recover(core::engine& engine, event_store& store);

// When to take a snapshot: after every `interval` events, so a restart
// replays at most about that many. Used by the owner of the engine, which
// hands the snapshot to the group committer.
class snapshot_policy {
 public:
  explicit snapshot_policy(std::uint64_t interval, std::uint64_t last_snapshot_seq = 0)
      : interval_(interval), last_snapshot_seq_(last_snapshot_seq) {}

  // True when the log has grown by `interval` events since the last snapshot.
  bool due(std::uint64_t seq) const {
    return interval_ != 0 && seq >= last_snapshot_seq_ + interval_;
  }
  void taken(std::uint64_t seq) { last_snapshot_seq_ = seq; }

 private:
  std::uint64_t interval_;
  std::uint64_t last_snapshot_seq_;
};

}  // namespace luot::store
