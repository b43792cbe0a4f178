#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::net {
class hub;
}

namespace luot::app {

// Committed events, shared by everyone who folds them.
using committed_events = std::shared_ptr<const std::vector<v1::Event>>;

// The one path by which committed events reach the hub: in seq order, each
// once, whether this server committed them or another instance did (read
// from the log's tail). Events this server committed come with the replies
// they owe, which are sent just before their fan-out, so an officer's call
// never waits for every screen. Events that arrive ahead of a gap (a local
// commit after another instance's events not read yet) wait for the tail
// to fill it. Lives on the hub strand: not thread-safe.
class publisher {
 public:
  struct hooks {
    // Before anyone hears of the events (staff changes take effect).
    std::function<void(const std::vector<v1::Event>&)> before_replies;
    // After the hub published them (the snapshotter, the engine strand).
    std::function<void(const committed_events&)> published;
    // A gap after `seq` waits for the tail: read it now.
    std::function<void(std::uint64_t seq)> read_tail;
  };

  publisher(net::hub& hub, hooks told);

  // Events this server committed (consecutive seqs), and the replies to
  // send once they are published (empty: none).
  void committed_here(committed_events events, std::function<void()> replies);
  // Events read from the log after some seq, in seq order, any writer's.
  void read_from_log(committed_events events);

  // Events waiting for a gap before them to be filled.
  std::size_t waiting() const { return waiting_.size(); }

 private:
  struct chunk {
    committed_events events;
    std::function<void()> replies;
  };

  void offer(chunk arrived);
  // Publishes what now continues the hub, in order.
  void drain();
  void publish(chunk ready);

  net::hub& hub_;
  hooks hooks_;
  // Keyed by last seq: several chunks may start at the same seq (the same
  // events committed here and read from the log).
  std::multimap<std::uint64_t, chunk> waiting_;
};

}  // namespace luot::app
