#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace luot::net {

// A first-in first-out queue that holds (almost) no memory while empty.
// std::deque allocates a 512-byte block as soon as it exists: two per
// WebSocket session were ~1.2 KiB of every idle subscriber. This one is a
// vector read from a moving head; once drained it forgets its items and
// keeps at most a few slots, so a session that receives one update at a
// time does not allocate for each.
template <typename T>
class fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }

  void push_back(T item) { items_.push_back(std::move(item)); }
  T& front() { return items_[head_]; }
  void pop_front() {
    items_[head_++] = T{};
    if (head_ == items_.size()) clear();
  }
  // Replaces the contents with `items`, first in front.
  void assign(std::vector<T> items) {
    items_ = std::move(items);
    head_ = 0;
  }
  void clear() {
    if (items_.capacity() > kept_slots) {
      std::vector<T>().swap(items_);
    } else {
      items_.clear();
    }
    head_ = 0;
  }

 private:
  static constexpr std::size_t kept_slots = 4;
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace luot::net
