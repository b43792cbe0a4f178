#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace luot::net {

enum class connection_kind { http, websocket };

// The server's Prometheus metrics, rendered in the text exposition format
// (version 0.0.4). Thread-safe.
class metrics {
 public:
  void ticket_issued(std::string_view category);
  void ticket_called(std::string_view category);
  void connection_opened(connection_kind kind);
  void connection_closed(connection_kind kind);
  // One group-commit transaction and how long it took.
  void commit_observed(std::chrono::nanoseconds latency);
  void events_committed(std::size_t count);
  // A WebSocket client too slow to drain its queue was cut off.
  void slow_client_cut_off();
  // A request or command was refused with the error code named `code`
  // (e.g. "ERROR_CODE_RATE_LIMITED"), over HTTP or WebSocket.
  void rejected(std::string_view code);

  std::string render() const;

 private:
  static constexpr std::array<double, 14> commit_buckets{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> issued_;
  std::map<std::string, std::uint64_t, std::less<>> called_;
  std::map<std::string, std::uint64_t, std::less<>> rejected_;
  std::array<std::uint64_t, commit_buckets.size()> commit_counts_{};
  std::uint64_t commit_count_ = 0;
  double commit_sum_ = 0;

  std::atomic<std::int64_t> http_connections_{0};
  std::atomic<std::int64_t> websocket_connections_{0};
  std::atomic<std::uint64_t> events_committed_{0};
  std::atomic<std::uint64_t> slow_clients_cut_off_{0};
};

}  // namespace luot::net
