#pragma once

#include <compare>
#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "config.hpp"

namespace luot::core::detail {

// Where a waiting ticket stands in its category queue: lower keys are called
// first; tickets with equal keys go in the order they were issued.
struct queue_position {
  std::int64_t key = 0;
  std::uint64_t serial = 0;
  auto operator<=>(const queue_position&) const = default;
};

// Queue positions in key order that also answer "how many come before this
// one" in O(log n) (an order-statistic red-black tree from libstdc++).
using ranked_positions =
    __gnu_pbds::tree<queue_position, __gnu_pbds::null_type, std::less<queue_position>,
                     __gnu_pbds::rb_tree_tag, __gnu_pbds::tree_order_statistics_node_update>;

// The order in which the priority policy calls waiting tickets, as a
// sortable key (rank, effective key, class tie-break, serial). Exact for
// strict and aging; for ratio it is the approximation documented in
// docs/queue-rules.md (by key, priority first among equal keys).
using call_order_key = std::tuple<int, std::int64_t, int, std::uint64_t>;
call_order_key order_key(const priority_policy& policy, const queue_position& position,
                         bool priority);

// How far ahead the aging policy moves a priority ticket, in key units.
std::int64_t priority_shift(const priority_policy& policy, bool priority);

// The waiting tickets of one category that were sent to the same counter
// (or to none), split by kind. Within a kind the policy calls them in key
// order, so the first of each kind is all a counter needs to choose, and a
// rank query is all people-ahead needs.
struct waiting_bucket {
  ranked_positions priority;
  ranked_positions regular;

  const ranked_positions& of_kind(bool is_priority) const {
    return is_priority ? priority : regular;
  }
  ranked_positions& of_kind(bool is_priority) { return is_priority ? priority : regular; }
  std::size_t size() const { return priority.size() + regular.size(); }
};

// One stream of waiting tickets that is already in call order: a bucket's
// tickets of one kind.
struct ordered_stream {
  const ranked_positions* positions = nullptr;
  bool priority = false;
};

// A category's waiting tickets, indexed so that what every command asks
// (people ahead of a ticket, the first ticket a counter may call, the front
// of the queue) costs O(log n) in the queue's length, not O(n).
class category_queue {
 public:
  // Returns false when the position was already there.
  bool insert(const queue_position& position, bool priority, const std::string& target,
              std::int64_t issued_ms);
  // Returns false when the position was not there.
  bool erase(const queue_position& position, bool priority, const std::string& target,
             std::int64_t issued_ms);

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // The bucket of tickets sent to `target` ("" for those any counter of the
  // category may call), or null when none waits.
  const waiting_bucket* bucket(const std::string& target) const;
  const std::map<std::string, waiting_bucket>& buckets() const { return buckets_; }

  // Waiting tickets of this category that come before the one at
  // `position` in the policy's call order and compete with it: those sent
  // to no counter, plus those sent to the same counter as it.
  std::uint32_t ahead_of(const priority_policy& policy, const queue_position& position,
                         bool priority, const std::string& target) const;

  // When the ticket waiting longest (by issue time) was issued.
  std::optional<std::int64_t> earliest_issued_ms() const;

 private:
  std::map<std::string, waiting_bucket> buckets_;
  std::multiset<std::int64_t> issued_ms_;
  std::size_t size_ = 0;
};

// Walks several streams in the policy's call order, merged lazily: taking
// the first k entries costs O(k * streams), whatever the queue's length.
class call_order_walk {
 public:
  struct entry {
    queue_position position;
    bool priority = false;
  };

  call_order_walk(const priority_policy& policy, std::vector<ordered_stream> streams);

  // The next entry in call order, or nothing when every stream is spent.
  std::optional<entry> next();

 private:
  struct cursor {
    ranked_positions::const_iterator at;
    ranked_positions::const_iterator end;
    bool priority = false;
  };
  const priority_policy* policy_;
  std::vector<cursor> cursors_;
};

// Every stream of a category: each bucket, each kind.
std::vector<ordered_stream> streams_of(const category_queue& queue);
// The streams of one bucket (nothing when it is null).
void add_streams(const waiting_bucket* bucket, std::vector<ordered_stream>& streams);

}  // namespace luot::core::detail
