#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "latency.hpp"
#include "websocket_fleet.hpp"

namespace luot::bench {

// Kiosks taking tickets over the WebSocket, closed loop: C anonymous
// connections on one epoll thread (websocket_fleet), each sending a
// Command{TakeTicket} and the next one as soon as its reply arrives, until a
// deadline. One thread for all of them keeps the generator's CPU small at
// hundreds of clients; a reply is timed by the kernel's receive timestamp.
class websocket_takers final : private fleet_listener {
 public:
  // Connection i binds 127.x.y.z = first_source_address + i.
  websocket_takers(std::uint16_t port, unsigned clients, std::uint32_t first_source_address);
  ~websocket_takers() override;
  websocket_takers(const websocket_takers&) = delete;
  websocket_takers& operator=(const websocket_takers&) = delete;

  // Connects every client; go() once opened() reaches the count.
  void start();
  std::size_t opened() const { return fleet_.opened_count(); }
  std::size_t failed() const { return failed_.load(); }
  std::string first_failure() const;
  // Every client sends its first ticket now and goes on until `deadline`.
  void go(bench_clock::time_point deadline);
  // Replies received so far (created or not).
  std::uint64_t answered() const { return answered_.load(std::memory_order_relaxed); }
  // Every client has had its last reply (or failed).
  bool finished() const { return done_.load() + failed_.load() >= clients_; }
  // Closes the connections; what follows may be read only after it.
  void stop();
  latency_summary latency() const;
  std::uint64_t not_created() const { return not_created_; }
  double cpu_seconds() const { return fleet_.cpu_seconds(); }

 private:
  void opened(std::size_t connection) override;
  void received(std::size_t connection, std::string_view payload,
                bench_clock::time_point at) override;
  void ended(std::size_t connection, std::uint16_t close_code, const std::string& why) override;
  void send_next(std::size_t connection);
  void fail(const std::string& why);

  unsigned clients_;
  std::vector<std::string> requests_;
  std::vector<bench_clock::time_point> sent_at_;
  std::vector<std::vector<double>> latencies_;
  bench_clock::time_point deadline_;
  std::uint64_t not_created_ = 0;
  std::atomic<std::uint64_t> answered_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex failure_mutex_;
  std::string first_failure_;
  websocket_fleet fleet_;
};

}  // namespace luot::bench
