#pragma once

#include <time.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "latency.hpp"
#include "websocket_frames.hpp"

namespace luot::bench {

// What a fleet's connections report to their owner, on the fleet's thread.
// Handlers may call the fleet's send().
class fleet_listener {
 public:
  virtual ~fleet_listener() = default;
  // The handshake completed: the connection may send.
  virtual void opened(std::size_t connection) = 0;
  // A data message arrived, read from the socket at `at`.
  virtual void received(std::size_t connection, std::string_view payload,
                        bench_clock::time_point at) = 0;
  // The connection ended, with the server's close code, or 0 when the
  // socket ended without one (a reset, EOF, a refused handshake).
  virtual void ended(std::size_t connection, std::uint16_t close_code, const std::string& why) = 0;
};

// Whether a fleet's connections read what the server sends.
enum class reading {
  // Read and parse everything, answer pings, as a hall screen does.
  normal,
  // After the handshake, never read again: the server's writes fill the
  // socket buffers and then its write queue. The end of the connection is
  // still seen (the peer's FIN or reset).
  never,
};

struct fleet_options {
  std::uint16_t port = 0;
  std::size_t connections = 0;
  reading mode = reading::normal;
  std::string path = "/api/v1/ws";
  std::string subprotocol = "luot.v1.proto";
  // Each connection binds its own loopback source address, counting up
  // from this one (host byte order), so per-address limits see every
  // connection as a different device, as in a real hall.
  std::uint32_t first_source_address = 0x7F010001;
  // Connections connecting or handshaking at once (the server's listen
  // backlog is finite).
  std::size_t handshakes_at_once = 200;
  // Bytes waiting to be sent on one connection beyond which send() refuses.
  std::size_t send_queue_limit = 256 * 1024;
  // Time each read by when the kernel received its bytes (SO_TIMESTAMPNS)
  // rather than when this thread got to read them: one thread reads for
  // every connection, and a moment it is not scheduled would otherwise
  // delay them all at once and be counted against the server.
  bool kernel_timestamps = false;
};

// Many raw WebSocket client connections driven by one epoll thread. This is
// what lets the benchmark hold thousands of subscribers (and hundreds of
// sockets that never read) while using a small fraction of one core: the
// shared device client costs a thread, an io_context and a full mirror per
// connection, which at a thousand connections would measure the benchmark
// rather than the server. It speaks only what a subscriber needs: the
// upgrade, masked client frames, reassembly of the server's frames, pongs.
class websocket_fleet {
 public:
  websocket_fleet(fleet_options options, fleet_listener& listener);
  ~websocket_fleet();
  websocket_fleet(const websocket_fleet&) = delete;
  websocket_fleet& operator=(const websocket_fleet&) = delete;

  // Calls `tick` on the fleet's thread about every `period`. Before start().
  void every(std::chrono::microseconds period, std::function<void()> tick);
  // Starts the thread, which opens every connection.
  void start();
  // Closes every socket and joins the thread. Idempotent.
  void stop();
  // Runs `task` on the fleet's thread.
  void post(std::function<void()> task);

  // On the fleet's thread only. Queues a client frame `times` times (one
  // write for all); false when the connection is not open or its queue
  // has no room for them.
  bool send(std::size_t connection, opcode type, std::string_view payload, std::size_t times = 1);

  std::size_t size() const { return connections_.size(); }
  // Handshakes completed so far.
  std::size_t opened_count() const { return opened_.load(std::memory_order_acquire); }
  // Connections ended so far.
  std::size_t ended_count() const { return ended_.load(std::memory_order_acquire); }
  // CPU time the fleet's thread has used.
  double cpu_seconds() const;

 private:
  enum class phase { idle, connecting, handshaking, open, ended };

  struct connection {
    int fd = -1;
    phase state = phase::idle;
    std::uint32_t interest = 0;
    std::string handshake;
    frame_parser parser;
    std::string out;
    std::size_t out_sent = 0;
  };

  void run();
  void connect_more();
  void open(std::size_t index);
  void on_event(std::size_t index, std::uint32_t events);
  void on_connected(std::size_t index);
  void on_readable(std::size_t index);
  void on_bytes(std::size_t index, std::string_view bytes, bench_clock::time_point at);
  void flush(std::size_t index);
  void watch(std::size_t index);
  void end(std::size_t index, std::uint16_t close_code, const std::string& why);
  void close_socket(connection& each);
  void run_posted();

  fleet_options options_;
  fleet_listener& listener_;
  std::vector<connection> connections_;
  std::deque<std::size_t> to_open_;
  std::size_t handshaking_ = 0;
  std::uint32_t mask_ = 0x9E3779B9;
  std::vector<char> read_buffer_;
  // system_clock minus steady_clock, to turn kernel timestamps (real time)
  // into the benchmark's clock.
  std::chrono::nanoseconds real_minus_steady_{0};

  struct ticker {
    std::chrono::microseconds period;
    std::function<void()> tick;
    bench_clock::time_point next;
  };
  std::vector<ticker> tickers_;

  int epoll_ = -1;
  int wake_ = -1;
  std::thread thread_;
  clockid_t thread_clock_{};
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<double> final_cpu_seconds_{0};
  std::atomic<std::size_t> opened_{0};
  std::atomic<std::size_t> ended_{0};
  std::mutex posted_mutex_;
  std::vector<std::function<void()>> posted_;
};

}  // namespace luot::bench
