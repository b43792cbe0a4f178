#include "store/recovery.hpp"

#include <string>

namespace luot::store {

std::uint64_t recover(core::engine& engine, event_store& store) {
  std::uint64_t expected = 1;
  if (auto snapshot = store.latest_snapshot()) {
    engine.restore(*snapshot);
    expected = snapshot->seq() + 1;
  }
  const std::uint64_t first = expected;
  store.read_after(expected - 1, [&](const v1::Event& event) {
    // Folding across a hole would hand out numbers the missing events used.
    if (event.seq() != expected) {
      throw store_error("event log has a gap: expected seq " + std::to_string(expected) +
                        ", found " + std::to_string(event.seq()));
    }
    engine.fold(event);
    ++expected;
  });
  return expected - first;
}

}  // namespace luot::store
