#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "net/codec.hpp"

namespace luot::net {

class metrics;

// Someone receiving the live event stream (a WebSocket session). Called on
// the hub's strand; implementations only queue the buffer for their own
// strand and never block.
class subscriber {
 public:
  virtual ~subscriber() = default;
  virtual encoding wanted() const = 0;
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
};

// The published state: a second engine folded only with committed events,
// the last `resume_window` of those events already encoded, and the
// subscribers. Every event is serialized once per encoding and the same
// buffer is queued by every session. Not thread-safe: it lives on the hub
// strand and only code running there touches it.
class hub {
 public:
  hub(core::engine published, std::size_t resume_window, metrics* counters);

  // Remembers an event that is already folded into the engine (recovered at
  // start-up) so subscribers can resume across a restart.
  void remember(const v1::Event& event);

  // Folds committed events, fans them out, then runs the waiters they satisfy.
  void publish(const std::vector<v1::Event>& events);

  // Sends `to` every event after `after_seq` when the window still holds
  // them, otherwise (or without after_seq) a public snapshot answering
  // `request_id`; then adds it to the live stream. Nothing can be missed or
  // repeated in between: it all happens on the hub strand.
  void subscribe(const std::shared_ptr<subscriber>& to, std::optional<std::uint64_t> after_seq,
                 std::uint64_t request_id, core::timestamp now);
  void unsubscribe(const subscriber* gone);

  // Runs `then(true)` once the published state reaches `seq` (at once if it
  // already has), or `then(false)` if the log fails first.
  void when_published(std::uint64_t seq, std::function<void(bool published)> then);
  // The log failed: nothing more will be published.
  void fail_waiters();

  const core::engine& state() const { return engine_; }
  std::uint64_t seq() const { return engine_.seq(); }
  std::size_t subscriber_count() const { return subscribers_.size(); }

 private:
  struct encoded_event {
    std::uint64_t seq = 0;
    std::shared_ptr<const std::string> binary;
    std::shared_ptr<const std::string> json;
  };

  encoded_event encode_event(const v1::Event& event) const;
  void count(const v1::Event& event);

  core::engine engine_;
  std::size_t resume_window_;
  metrics* metrics_;
  std::deque<encoded_event> recent_;
  std::map<const subscriber*, std::weak_ptr<subscriber>> subscribers_;
  std::multimap<std::uint64_t, std::function<void(bool)>> waiters_;
};

}  // namespace luot::net
