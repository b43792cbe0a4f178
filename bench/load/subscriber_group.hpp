#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "websocket_fleet.hpp"

namespace luot::bench {

// One ViewUpdate as a subscriber received it.
struct arrival {
  std::uint64_t seq = 0;
  bench_clock::time_point at;
};

// What one subscriber saw at each seq, to check that the update behind a
// seq is the ticket the taker got: issued_today of every category.
using issued_by_seq = std::map<std::uint64_t, std::map<std::string, std::uint32_t>>;

// The hall screens of a fan-out measurement: S subscribers of the whole
// centre's view stream, either shared device clients or raw receivers.
class subscriber_group {
 public:
  virtual ~subscriber_group() = default;
  // What the table calls them.
  virtual const char* kind() const = 0;
  virtual std::size_t count() const = 0;
  // Connects and subscribes every subscriber.
  virtual void start() = 0;
  // Subscribers whose stream is live (view or backlog received).
  virtual std::size_t live() const = 0;
  // The lowest seq every subscriber has reached.
  virtual std::uint64_t lowest_seq() const = 0;
  // Closes every connection; what follows may be read only after it.
  virtual void stop() = 0;
  virtual const std::vector<std::vector<arrival>>& arrivals() const = 0;
  // The first subscriber's categories per seq.
  virtual const issued_by_seq& checked() const = 0;
  // Subscribers the server closed with 1008 (too slow).
  virtual std::size_t cut_off() const = 0;
  // Subscribers that failed otherwise, and the first reason.
  virtual std::size_t failed() const = 0;
  virtual std::string first_failure() const = 0;
};

}  // namespace luot::bench
