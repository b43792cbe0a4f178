#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "net/codec.hpp"
#include "view/mirror.hpp"
#include "view/zone.hpp"

namespace luot::net {

class metrics;

// One update of the public view as published: the whole-centre update and
// its two encodings, made once and shared by every session and by the
// resume window.
struct published_update {
  std::uint64_t seq = 0;
  // Caused by the clock (opening hours), repeating the seq of the last event.
  bool clock = false;
  std::shared_ptr<const v1::ViewUpdate> update;
  // The update's binary size, which the resume window counts.
  std::size_t bytes = 0;

  // ServerMessage{update} in `format`: encoded the first time anyone asks
  // (a day with no JSON subscriber never pays for JSON, nor a replay at
  // start-up for either), then shared. Thread-safe.
  const std::shared_ptr<const std::string>& encoded(encoding format) const;

 private:
  mutable std::once_flag once_[2];
  mutable std::shared_ptr<const std::string> encoded_[2];
};

// A public view at one revision of the published state, shared by every
// subscriber that asks for it until the next change.
struct published_view {
  std::uint64_t revision = 0;
  std::shared_ptr<const v1::View> view;
};

class subscriber;

// One message for many subscribers that share a home: the fan-out of an
// update to one I/O thread's screens (of one encoding and zone).
struct delivery_batch {
  std::shared_ptr<const std::string> message;
  std::vector<std::shared_ptr<subscriber>> to;
};

// Someone receiving the public view stream (a WebSocket session). Called on
// the hub's strand; implementations only hand the work to their own thread
// and never block, so building and encoding views and pacing a resume never
// delay the hub (which releases every command's reply).
class subscriber {
 public:
  virtual ~subscriber() = default;
  virtual encoding wanted() const = 0;
  // A live message (or a reply) to queue.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
  // Updates to send before anything delivered later, written one at a time
  // as the socket accepts them; the zone's part is cut out on the way. Then
  // Subscribed{seq} answers `request_id`: the subscriber is live.
  virtual void catch_up(std::vector<std::shared_ptr<const published_update>> backlog,
                        view::zone zone, std::uint64_t request_id, std::uint64_t reached_seq) = 0;
  // A view to encode (for the zone) and send as the reply to `request_id`.
  virtual void send_view(published_view view, view::zone zone, std::uint64_t request_id) = 0;

  // Where this subscriber's handlers run (an I/O thread), so that the
  // fan-out hands all the subscribers of one place a single task instead of
  // one each; null: nowhere in particular, and deliver() is called.
  virtual const void* home() const { return nullptr; }
  // Delivers the batch's message to each of its subscribers, which all
  // share this one's home (and so are of this one's kind).
  virtual void deliver_batch(delivery_batch batch) {
    for (auto& each : batch.to) each->deliver(batch.message);
  }
};

// What a subscriber asked for.
struct subscription {
  std::optional<std::uint64_t> after_seq;
  // Non-empty: watch this one ticket instead of the centre.
  std::string ticket_token;
  // The counters the subscriber may see (a display's zone, possibly narrowed).
  view::zone zone;
  std::uint64_t request_id = 0;
};

// The published state: a second engine folded only with committed events,
// the public view projected from it (a view::mirror, the same code every
// device runs), the last `resume_window` updates already encoded, and the
// subscribers. Every update is serialized once per encoding (and once per
// zone) and the same buffer is queued by every session. Not thread-safe: it
// lives on the hub strand and only code running there touches it.
class hub {
 public:
  // `published` is the recovered state; its view is taken at `now`.
  // The resume window keeps the last `resume_window` updates, and no more
  // than `resume_window_bytes` of them.
  hub(core::engine published, std::size_t resume_window, std::size_t resume_window_bytes,
      metrics* counters, core::timestamp now);

  // Folds an event recovered at start-up (after the latest snapshot), so
  // subscribers can resume across a restart. Nobody is subscribed yet.
  void replay(const v1::Event& event);

  // Folds committed events, fans their updates out, then runs the waiters
  // they satisfy.
  void publish(const std::vector<v1::Event>& events);

  // Publishes what the clock alone changed at `now` (a category opened or
  // closed by its hours), if anything.
  void refresh(core::timestamp now);

  // Sends `to` the backlog after `after_seq` while the window holds it,
  // otherwise (or without after_seq) the view; then adds it to the live
  // stream. Nothing can be missed or repeated in between: it all happens on
  // the hub strand. A ticket subscription whose token matches no ticket of
  // today is refused (the error goes to `to`).
  void subscribe(const std::shared_ptr<subscriber>& to, subscription wanted, core::timestamp now);
  void unsubscribe(const subscriber* gone);

  // Runs `then(true)` once the published state reaches `seq` (at once if it
  // already has), or `then(false)` if the log fails first.
  void when_published(std::uint64_t seq, std::function<void(bool published)> then);
  // The log failed: nothing more will be published, to the waiters there
  // are and to any that come later.
  void fail_waiters();

  const core::engine& state() const { return engine_; }
  // The public view as published now, copied once per change.
  published_view current_view();
  // The view in JSON with every field, for GET /api/v1/view; encoded once
  // per change.
  std::shared_ptr<const std::string> view_json();
  std::uint64_t seq() const { return engine_.seq(); }
  std::size_t subscriber_count() const { return subscribers_.size(); }

 private:
  struct entry {
    std::weak_ptr<subscriber> who;
    view::zone zone;
    // Ticket subscriptions: the ticket's id and the bytes last sent of it.
    std::string ticket_id;
    std::string ticket_sent;
  };

  std::shared_ptr<const published_update> project(const v1::Event& event);
  void remember(std::shared_ptr<const published_update> update);
  void fan_out(const published_update& update, const v1::Event* event);
  void update_ticket(entry& watcher, subscriber& to, const published_update& update,
                     const v1::Event* event);
  void count(const v1::Event& event);
  // Queues `message` for `to` in its home's batch (or delivers it now).
  void send(std::shared_ptr<subscriber> to, const std::shared_ptr<const std::string>& message);
  // Hands each home its batch.
  void flush();

  core::engine engine_;
  view::mirror mirror_;
  std::uint64_t revision_ = 0;
  std::shared_ptr<const v1::View> view_copy_;
  std::uint64_t view_revision_ = 0;
  std::shared_ptr<const std::string> view_json_;
  std::uint64_t view_json_revision_ = 0;
  std::size_t resume_window_;
  std::size_t resume_window_bytes_;
  std::size_t recent_bytes_ = 0;
  metrics* metrics_;
  bool failed_ = false;
  std::deque<std::shared_ptr<const published_update>> recent_;
  std::map<const subscriber*, entry> subscribers_;
  // The fan-out of one update, by home (as many as I/O threads) and message
  // (one per encoding and zone).
  std::vector<std::pair<const void*, delivery_batch>> batches_;
  std::multimap<std::uint64_t, std::function<void(bool)>> waiters_;
};

}  // namespace luot::net
