#include "waiting_index.hpp"

#include <limits>

namespace luot::core::detail {

namespace {

// a + b, held at the ends of the range instead of overflowing (keys come
// from the log, which a damaged file could fill with anything).
std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}

// Entries of `other` (tickets of the kind opposite to the one at
// `position`) that the policy calls before it; see order_key.
std::size_t other_kind_ahead(const priority_policy& policy, const ranked_positions& other,
                             const queue_position& position, bool priority) {
  if (other.empty()) return 0;
  switch (policy.style) {
    case priority_policy::kind::strict:
      // Every priority ticket before every regular one.
      return priority ? 0 : other.size();
    case priority_policy::kind::ratio:
      // By key; on equal keys the priority ticket first.
      if (priority) return other.order_of_key({position.key, 0});
      if (position.key == std::numeric_limits<std::int64_t>::max()) return other.size();
      return other.order_of_key({position.key + 1, 0});
    case priority_policy::kind::aging:
      break;
  }
  // By effective key (priority keys shifted earlier), then serial.
  const auto shift = priority_shift(policy, true);
  return other.order_of_key(
      {saturating_add(position.key, priority ? -shift : shift), position.serial});
}

}  // namespace

std::int64_t priority_shift(const priority_policy& policy, bool priority) {
  if (policy.style != priority_policy::kind::aging || !priority) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(policy.aging_bound).count() * 1000;
}

call_order_key order_key(const priority_policy& policy, const queue_position& position,
                         bool priority) {
  switch (policy.style) {
    case priority_policy::kind::strict:
      return {priority ? 0 : 1, position.key, 0, position.serial};
    case priority_policy::kind::ratio:
      return {0, position.key, priority ? 0 : 1, position.serial};
    case priority_policy::kind::aging:
      break;
  }
  return {0, position.key - priority_shift(policy, priority), 0, position.serial};
}

bool category_queue::insert(const queue_position& position, bool priority,
                            const std::string& target, std::int64_t issued_ms) {
  if (!buckets_[target].of_kind(priority).insert(position).second) return false;
  issued_ms_.insert(issued_ms);
  ++size_;
  return true;
}

bool category_queue::erase(const queue_position& position, bool priority, const std::string& target,
                           std::int64_t issued_ms) {
  const auto found = buckets_.find(target);
  if (found == buckets_.end()) return false;
  if (found->second.of_kind(priority).erase(position) == 0) return false;
  if (found->second.size() == 0) buckets_.erase(found);
  if (const auto issued = issued_ms_.find(issued_ms); issued != issued_ms_.end())
    issued_ms_.erase(issued);
  --size_;
  return true;
}

const waiting_bucket* category_queue::bucket(const std::string& target) const {
  const auto found = buckets_.find(target);
  return found == buckets_.end() ? nullptr : &found->second;
}

std::uint32_t category_queue::ahead_of(const priority_policy& policy,
                                       const queue_position& position, bool priority,
                                       const std::string& target) const {
  std::size_t ahead = 0;
  const auto count = [&](const waiting_bucket* bucket) {
    if (bucket == nullptr) return;
    // Within a kind, key order is call order (the ticket itself is not
    // strictly before itself).
    ahead += bucket->of_kind(priority).order_of_key(position);
    ahead += other_kind_ahead(policy, bucket->of_kind(!priority), position, priority);
  };
  count(bucket({}));
  if (!target.empty()) count(bucket(target));
  return static_cast<std::uint32_t>(ahead);
}

std::optional<std::int64_t> category_queue::earliest_issued_ms() const {
  if (issued_ms_.empty()) return std::nullopt;
  return *issued_ms_.begin();
}

call_order_walk::call_order_walk(const priority_policy& policy, std::vector<ordered_stream> streams)
    : policy_(&policy) {
  cursors_.reserve(streams.size());
  for (const auto& stream : streams)
    if (stream.positions != nullptr && !stream.positions->empty())
      cursors_.push_back({stream.positions->begin(), stream.positions->end(), stream.priority});
}

std::optional<call_order_walk::entry> call_order_walk::next() {
  cursor* best = nullptr;
  call_order_key best_key{};
  for (auto& each : cursors_) {
    if (each.at == each.end) continue;
    const auto key = order_key(*policy_, *each.at, each.priority);
    if (best == nullptr || key < best_key) {
      best = &each;
      best_key = key;
    }
  }
  if (best == nullptr) return std::nullopt;
  entry found{*best->at, best->priority};
  ++best->at;
  return found;
}

void add_streams(const waiting_bucket* bucket, std::vector<ordered_stream>& streams) {
  if (bucket == nullptr) return;
  streams.push_back({&bucket->priority, true});
  streams.push_back({&bucket->regular, false});
}

std::vector<ordered_stream> streams_of(const category_queue& queue) {
  std::vector<ordered_stream> streams;
  for (const auto& [target, bucket] : queue.buckets()) add_streams(&bucket, streams);
  return streams;
}

}  // namespace luot::core::detail
