#include "net/hub.hpp"

#include <algorithm>

#include "core/projection.hpp"
#include "net/log_text.hpp"
#include "net/metrics.hpp"

namespace luot::net {

namespace {

// The ticket an event is about, if any.
const std::string* ticket_of(const v1::Event& event) {
  switch (event.body_case()) {
    case v1::Event::kTicketIssued:
      return &event.ticket_issued().ticket().id();
    case v1::Event::kTicketCalled:
      return &event.ticket_called().ticket_id();
    case v1::Event::kTicketFinished:
      return &event.ticket_finished().ticket_id();
    case v1::Event::kTicketRecalled:
      return &event.ticket_recalled().ticket_id();
    case v1::Event::kTicketNoShow:
      return &event.ticket_no_show().ticket_id();
    case v1::Event::kTicketReturned:
      return &event.ticket_returned().ticket_id();
    case v1::Event::kTicketParked:
      return &event.ticket_parked().ticket_id();
    case v1::Event::kTicketResumed:
      return &event.ticket_resumed().ticket_id();
    case v1::Event::kTicketTransferred:
      return &event.ticket_transferred().ticket_id();
    case v1::Event::kTicketRequeued:
      return &event.ticket_requeued().ticket_id();
    default:
      return nullptr;
  }
}

std::shared_ptr<const std::string> encode_update(const v1::ViewUpdate& update, encoding format) {
  v1::ServerMessage message;
  *message.mutable_update() = update;
  return encode(message, format);
}

}  // namespace

const std::shared_ptr<const std::string>& published_update::encoded(encoding format) const {
  const auto index = format == encoding::json ? 1 : 0;
  std::call_once(once_[index], [&] { encoded_[index] = encode_update(*update, format); });
  return encoded_[index];
}

hub::hub(core::engine published, std::size_t resume_window, std::size_t resume_window_bytes,
         metrics* counters, core::timestamp now)
    : engine_(std::move(published)),
      resume_window_(resume_window),
      resume_window_bytes_(resume_window_bytes),
      metrics_(counters) {
  mirror_.reset(engine_.view(now));
}

std::shared_ptr<const published_update> hub::project(const v1::Event& event) {
  auto update = core::project(engine_, event, mirror_.view());
  mirror_.apply(update);
  ++revision_;
  auto published = std::make_shared<published_update>();
  published->seq = event.seq();
  published->bytes = update.ByteSizeLong();
  published->update = std::make_shared<const v1::ViewUpdate>(std::move(update));
  return published;
}

void hub::remember(std::shared_ptr<const published_update> update) {
  if (resume_window_ == 0) return;
  recent_bytes_ += update->bytes;
  recent_.push_back(std::move(update));
  // The newest update always stays, however big: a subscriber one event
  // behind never needs the whole view.
  while (recent_.size() > 1 &&
         (recent_.size() > resume_window_ || recent_bytes_ > resume_window_bytes_)) {
    recent_bytes_ -= recent_.front()->bytes;
    recent_.pop_front();
  }
}

void hub::replay(const v1::Event& event) {
  engine_.fold(event);
  remember(project(event));
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
    auto update = project(event);
    fan_out(*update, &event);
    remember(std::move(update));
  }
  if (metrics_ != nullptr) metrics_->events_committed(events.size());
  const auto reached = engine_.seq();
  while (!waiters_.empty() && waiters_.begin()->first <= reached) {
    auto then = std::move(waiters_.begin()->second);
    waiters_.erase(waiters_.begin());
    then(true);
  }
}

void hub::refresh(core::timestamp now) {
  auto update = core::refresh(engine_, now, mirror_.view());
  if (!update) return;
  mirror_.apply(*update);
  ++revision_;
  auto published = std::make_shared<published_update>();
  published->seq = update->seq();
  published->clock = true;
  published->bytes = update->ByteSizeLong();
  published->update = std::make_shared<const v1::ViewUpdate>(std::move(*update));
  fan_out(*published, nullptr);
  remember(std::move(published));
}

void hub::fan_out(const published_update& update, const v1::Event* event) {
  // A zone's part of the update is cut and encoded once for all its screens.
  struct zone_part {
    std::optional<v1::ViewUpdate> update;
    std::shared_ptr<const std::string> encoded[2];
  };
  std::map<std::string, zone_part> zones;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    auto live = it->second.who.lock();
    if (!live) {
      it = subscribers_.erase(it);
      continue;
    }
    auto& watcher = it->second;
    ++it;
    const auto format = live->wanted();
    if (!watcher.ticket_id.empty()) {
      update_ticket(watcher, *live, update, event);
    } else if (watcher.zone.whole_centre()) {
      send(std::move(live), update.encoded(format));
    } else {
      auto [found, added] = zones.try_emplace(watcher.zone.key());
      auto& part = found->second;
      if (added) part.update = watcher.zone.filter(*update.update);
      if (!part.update) continue;
      auto& encoded = part.encoded[format == encoding::json ? 1 : 0];
      if (!encoded) encoded = encode_update(*part.update, format);
      send(std::move(live), encoded);
    }
  }
  flush();
}

void hub::send(std::shared_ptr<subscriber> to, const std::shared_ptr<const std::string>& message) {
  const void* home = to->home();
  if (home == nullptr) return to->deliver(message);
  auto found = std::find_if(batches_.begin(), batches_.end(), [&](const auto& batch) {
    return batch.first == home && batch.second.message == message;
  });
  if (found == batches_.end())
    found = batches_.emplace(batches_.end(), home, delivery_batch{message, {}});
  found->second.to.push_back(std::move(to));
}

void hub::flush() {
  for (auto& [home, batch] : batches_) {
    auto& first = *batch.to.front();
    first.deliver_batch(std::move(batch));
  }
  batches_.clear();
}

void hub::update_ticket(entry& watcher, subscriber& to, const published_update& update,
                        const v1::Event* event) {
  // Only what can move this ticket: an event about it, a change to its
  // category (people ahead and estimates), or the day closing.
  const auto* about = event != nullptr ? ticket_of(*event) : nullptr;
  const auto& body = *update.update;
  const auto at = core::from_proto(body.at());
  auto ticket = engine_.find_ticket(watcher.ticket_id, at, core::visibility::public_view);
  const bool concerned = (about != nullptr && *about == watcher.ticket_id) || body.day_closed() ||
                         (ticket && std::any_of(body.categories().begin(), body.categories().end(),
                                                [&](const v1::Category& category) {
                                                  return category.code() == ticket->category();
                                                }));
  if (!concerned) return;
  v1::ViewUpdate part;
  part.set_seq(body.seq());
  *part.mutable_at() = body.at();
  part.set_service_day(body.service_day());
  part.set_cause(body.cause());
  if (ticket) {
    ticket->clear_officer();
    for (const auto& category : body.categories())
      if (category.code() == ticket->category()) *part.add_categories() = category;
    for (const auto& counter : body.counters())
      if (counter.id() == ticket->counter()) *part.add_counters() = counter;
    *part.mutable_ticket() = std::move(*ticket);
  } else {
    // The day closed and took the ticket with it: unfinished means not served.
    v1::Ticket last;
    last.ParseFromString(watcher.ticket_sent);
    if (last.state() != v1::TICKET_STATE_DONE) last.set_state(v1::TICKET_STATE_NOT_SERVED);
    last.clear_people_ahead();
    last.clear_estimated_wait_seconds();
    *part.mutable_ticket() = std::move(last);
  }
  auto sent = part.ticket().SerializeAsString();
  if (sent == watcher.ticket_sent && part.categories().empty()) return;
  watcher.ticket_sent = std::move(sent);
  to.deliver(encode_update(part, to.wanted()));
}

published_view hub::current_view() {
  if (!view_copy_ || view_copy_->seq() != mirror_.seq() || view_revision_ != revision_) {
    view_copy_ = std::make_shared<const v1::View>(mirror_.view());
    view_revision_ = revision_;
  }
  return published_view{revision_, view_copy_};
}

std::shared_ptr<const std::string> hub::view_json() {
  if (!view_json_ || view_json_revision_ != revision_) {
    view_json_ = std::make_shared<const std::string>(to_json(mirror_.view()));
    view_json_revision_ = revision_;
  }
  return view_json_;
}

void hub::subscribe(const std::shared_ptr<subscriber>& to, subscription wanted,
                    core::timestamp now) {
  if (!wanted.ticket_token.empty()) {
    auto view = core::ticket_view(engine_, wanted.ticket_token, now);
    v1::ServerMessage message;
    message.set_request_id(wanted.request_id);
    if (!view) {
      *message.mutable_error() =
          to_wire(core::make_error(v1::ERROR_CODE_UNKNOWN_TICKET,
                                   {echo_text(wanted.ticket_token, status_token_echo_limit)}));
      to->deliver(encode(message, to->wanted()));
      return;
    }
    entry watcher{to, {}, view->ticket().id(), view->ticket().SerializeAsString()};
    *message.mutable_view() = std::move(*view);
    to->deliver(encode(message, to->wanted()));
    subscribers_[to.get()] = std::move(watcher);
    return;
  }
  wanted.zone.learn(mirror_.view());
  const auto current = engine_.seq();
  // The window holds every event after `covered_from - 1`: a clock update at
  // its front repeats the seq of an event that is no longer held.
  std::uint64_t covered_from = current + 1;
  if (!recent_.empty()) covered_from = recent_.front()->seq + (recent_.front()->clock ? 1 : 0);
  const auto after = wanted.after_seq;
  const bool resumable = after && *after <= current && *after + 1 >= covered_from;
  if (resumable) {
    std::vector<std::shared_ptr<const published_update>> backlog;
    for (const auto& update : recent_) {
      // Clock updates at the resume point may not have reached the client;
      // applying one twice is harmless (records are replaced).
      if (update->seq > *after || (update->clock && update->seq == *after))
        backlog.push_back(update);
    }
    to->catch_up(std::move(backlog), wanted.zone, wanted.request_id, current);
  } else {
    to->send_view(current_view(), wanted.zone, wanted.request_id);
  }
  subscribers_[to.get()] = entry{to, std::move(wanted.zone), {}, {}};
}

void hub::unsubscribe(const subscriber* gone) {
  subscribers_.erase(gone);
}

void hub::when_published(std::uint64_t seq, std::function<void(bool)> then) {
  if (seq <= engine_.seq()) {
    then(true);
    return;
  }
  // After the log failed, what is not published yet never will be.
  if (failed_) {
    then(false);
    return;
  }
  waiters_.emplace(seq, std::move(then));
}

void hub::fail_waiters() {
  failed_ = true;
  auto waiting = std::move(waiters_);
  waiters_.clear();
  for (auto& [seq, then] : waiting) then(false);
}

}  // namespace luot::net
