#include "net/hub.hpp"

#include "net/metrics.hpp"

namespace luot::net {

hub::hub(core::engine published, std::size_t resume_window, metrics* counters)
    : engine_(std::move(published)), resume_window_(resume_window), metrics_(counters) {}

hub::encoded_event hub::encode_event(const v1::Event& event) const {
  v1::ServerMessage message;
  *message.mutable_event() = event;
  core::redact(*message.mutable_event());
  return encoded_event{event.seq(), encode(message, encoding::binary),
                       encode(message, encoding::json)};
}

void hub::remember(const v1::Event& event) {
  if (resume_window_ == 0) return;
  if (!recent_.empty() && event.seq() != recent_.back().seq + 1) recent_.clear();
  recent_.push_back(encode_event(event));
  while (recent_.size() > resume_window_) recent_.pop_front();
}

void hub::count(const v1::Event& event) {
  if (metrics_ == nullptr) return;
  if (event.has_ticket_issued()) {
    metrics_->ticket_issued(event.ticket_issued().ticket().category());
  } else if (event.has_ticket_called()) {
    const auto ticket =
        engine_.find_ticket(event.ticket_called().ticket_id(), core::from_proto(event.at()),
                            core::visibility::public_view);
    metrics_->ticket_called(ticket ? ticket->category() : std::string());
  }
}

void hub::publish(const std::vector<v1::Event>& events) {
  for (const auto& event : events) {
    engine_.fold(event);
    count(event);
    encoded_event encoded = encode_event(event);
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (auto live = it->second.lock()) {
        live->deliver(live->wanted() == encoding::json ? encoded.json : encoded.binary);
        ++it;
      } else {
        it = subscribers_.erase(it);
      }
    }
    if (resume_window_ > 0) {
      recent_.push_back(std::move(encoded));
      while (recent_.size() > resume_window_) recent_.pop_front();
    }
  }
  if (metrics_ != nullptr) metrics_->events_committed(events.size());
  const auto reached = engine_.seq();
  while (!waiters_.empty() && waiters_.begin()->first <= reached) {
    auto then = std::move(waiters_.begin()->second);
    waiters_.erase(waiters_.begin());
    then(true);
  }
}

void hub::subscribe(const std::shared_ptr<subscriber>& to, std::optional<std::uint64_t> after_seq,
                    std::uint64_t request_id, core::timestamp now) {
  const auto format = to->wanted();
  const auto current = engine_.seq();
  // The window holds (first, current]; resuming needs everything after after_seq.
  const std::uint64_t first_held = recent_.empty() ? current + 1 : recent_.front().seq;
  const bool resumable = after_seq && *after_seq <= current && *after_seq + 1 >= first_held;
  if (resumable) {
    for (const auto& event : recent_) {
      if (event.seq > *after_seq) to->deliver(format == encoding::json ? event.json : event.binary);
    }
  } else {
    v1::ServerMessage message;
    message.set_request_id(request_id);
    *message.mutable_snapshot() = engine_.snapshot(now, core::visibility::public_view);
    to->deliver(encode(message, format));
  }
  subscribers_[to.get()] = to;
}

void hub::unsubscribe(const subscriber* gone) {
  subscribers_.erase(gone);
}

void hub::when_published(std::uint64_t seq, std::function<void(bool)> then) {
  if (seq <= engine_.seq()) {
    then(true);
    return;
  }
  waiters_.emplace(seq, std::move(then));
}

void hub::fail_waiters() {
  auto waiting = std::move(waiters_);
  waiters_.clear();
  for (auto& [seq, then] : waiting) then(false);
}

}  // namespace luot::net
