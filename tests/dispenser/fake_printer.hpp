#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace luot::printer::testing {

// The four bytes a printer answers to DLE EOT 1, 2, 3 and 4.
struct status_answers {
  std::uint8_t printer;
  std::uint8_t offline_cause;
  std::uint8_t error_cause;
  std::uint8_t paper_sensor;
};

inline constexpr status_answers printer_ready{0x12, 0x12, 0x12, 0x12};
inline constexpr status_answers printer_paper_out{0x1A, 0x32, 0x12, 0x72};
inline constexpr status_answers printer_cover_open{0x1A, 0x16, 0x12, 0x12};

// Finds DLE EOT n in a byte stream, across reads, the way a printer does
// (inside raster data too), and says what to answer.
class status_responder {
 public:
  std::vector<std::uint8_t> receive(std::span<const std::uint8_t> bytes,
                                    const status_answers& state);

 private:
  int matched_ = 0;  // 0: nothing, 1: saw DLE, 2: saw DLE EOT
};

// A network printer on 127.0.0.1:<ephemeral port>: serves connections one
// at a time, answers status queries and records every byte it receives.
class fake_network_printer {
 public:
  enum class answering { answers, silent };

  // The state each connection reports, in order; the last one repeats.
  explicit fake_network_printer(std::vector<status_answers> states,
                                answering mode = answering::answers);
  ~fake_network_printer();

  std::uint16_t port() const { return port_; }

  // From now on the paper runs out once a connection has received more than
  // `bytes` bytes: a roll that ends in the middle of a ticket.
  void run_out_of_paper_after(std::size_t bytes) { paper_runs_out_after_ = bytes; }

  // The bytes of every finished connection, waiting (up to `timeout`) until
  // at least `count` connections have finished.
  std::vector<std::vector<std::uint8_t>> connections(std::size_t count,
                                                     std::chrono::milliseconds timeout);

 private:
  void serve();

  std::vector<status_answers> states_;
  answering mode_;
  std::atomic<std::size_t> paper_runs_out_after_{SIZE_MAX};
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable finished_;
  std::vector<std::vector<std::uint8_t>> connections_;
  std::thread thread_;
};

// A printer behind a character device: a pseudo-terminal whose far end this
// object plays. device_path() is what the backend opens.
class fake_device_printer {
 public:
  explicit fake_device_printer(status_answers state);
  ~fake_device_printer();

  const std::string& device_path() const { return device_path_; }
  void set_state(status_answers state);
  // Everything received so far, waiting until at least `size` bytes arrived.
  std::vector<std::uint8_t> received(std::size_t size, std::chrono::milliseconds timeout);

 private:
  void serve();

  int master_ = -1;
  int slave_ = -1;
  std::string device_path_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable arrived_;
  status_answers state_;
  std::vector<std::uint8_t> received_;
  std::thread thread_;
};

// A local port nobody listens on: connecting to it is refused.
std::uint16_t closed_port();

}  // namespace luot::printer::testing
