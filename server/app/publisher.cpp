#include "app/publisher.hpp"

#include <algorithm>
#include <utility>

#include "net/hub.hpp"

namespace luot::app {

namespace {

// The part of `events` after `seq`; the same vector when nothing is cut.
committed_events after(const committed_events& events, std::uint64_t seq) {
  if (events->empty() || events->front().seq() > seq) return events;
  auto kept = std::make_shared<std::vector<v1::Event>>();
  for (const auto& event : *events)
    if (event.seq() > seq) kept->push_back(event);
  return kept;
}

}  // namespace

publisher::publisher(net::hub& hub, hooks told) : hub_(hub), hooks_(std::move(told)) {}

void publisher::committed_here(committed_events events, std::function<void()> replies) {
  offer(chunk{std::move(events), std::move(replies)});
}

void publisher::read_from_log(committed_events events) {
  offer(chunk{std::move(events), {}});
}

void publisher::offer(chunk arrived) {
  const auto published = hub_.seq();
  if (arrived.events->empty() || arrived.events->back().seq() <= published) {
    // Already published (read from the log before its commit came back).
    if (arrived.replies) arrived.replies();
    return;
  }
  if (arrived.events->front().seq() > published + 1) {
    // Another instance's events come first: the tail brings them.
    const auto last = arrived.events->back().seq();
    waiting_.emplace(last, std::move(arrived));
    if (hooks_.read_tail) hooks_.read_tail(published);
    return;
  }
  publish(std::move(arrived));
  drain();
}

void publisher::drain() {
  while (!waiting_.empty()) {
    auto first = waiting_.begin();
    const auto published = hub_.seq();
    if (first->first > published && first->second.events->front().seq() > published + 1) {
      // The earliest ending chunk does not continue the hub; a later-ending
      // one may still start right after it.
      auto continuing = std::find_if(waiting_.begin(), waiting_.end(), [&](const auto& entry) {
        return entry.second.events->front().seq() <= published + 1;
      });
      if (continuing == waiting_.end()) return;
      first = continuing;
    }
    auto next = std::move(first->second);
    waiting_.erase(first);
    if (next.events->back().seq() <= published) {
      if (next.replies) next.replies();
      continue;
    }
    publish(std::move(next));
  }
}

void publisher::publish(chunk ready) {
  const auto events = after(ready.events, hub_.seq());
  if (hooks_.before_replies) hooks_.before_replies(*events);
  // The reply goes first: an officer's call never waits for the fan-out to
  // every screen. Anything asked after it runs on this strand after the
  // publish below, so it sees the published state.
  if (ready.replies) ready.replies();
  hub_.publish(*events);
  if (hooks_.published) hooks_.published(events);
}

}  // namespace luot::app
