#pragma once

// What the kiosk tests share: fast kiosk options, a log of press reports,
// a watcher of the kiosk's device status as the server's view shows it, and
// an independent reading of everything a file printer received.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "device/device_client.hpp"
#include "kiosk/kiosk_options.hpp"
#include "kiosk/kiosk_service.hpp"

namespace luot::kiosk::testing {

inline constexpr std::chrono::seconds wait_limit{20};

// Options for a kiosk of the test centre (tests/server/support.hpp) on
// 127.0.0.1:port, with short retries; the printer is checked only around
// presses so a fake printer sees a predictable sequence of connections.
kiosk_options fast_options(std::uint16_t port, const std::filesystem::path& state_directory,
                           const std::string& printer_spec);

// The same options as luot-dispenser flags.
std::vector<std::string> fast_flags(std::uint16_t port,
                                    const std::filesystem::path& state_directory,
                                    const std::string& printer_spec);

// Every report a kiosk_service made, read from the test thread.
class report_log {
 public:
  void attach(kiosk_service& service);
  std::vector<press_report> reports() const;
  // Waits until `holds` is true of the reports so far.
  bool wait_for(const std::function<bool(const std::vector<press_report>&)>& holds,
                std::chrono::milliseconds timeout = wait_limit) const;
  // Waits for a report of this outcome (the `nth`, counting from 1).
  bool wait_for_outcome(press_outcome outcome, std::size_t nth = 1,
                        std::chrono::milliseconds timeout = wait_limit) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable reported_;
  std::vector<press_report> reports_;
};

// The health the server's public view shows for a device, each change in
// order, as a hall display (a device client with the display token) sees it.
class health_watch {
 public:
  health_watch(std::uint16_t port, std::string device);
  ~health_watch();
  std::vector<v1::DeviceHealth> seen() const;
  bool wait_for(const std::vector<v1::DeviceHealth>& sequence,
                std::chrono::milliseconds timeout = wait_limit) const;

 private:
  void record(const v1::View& view);

  std::string device_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<v1::DeviceHealth> seen_;
  std::unique_ptr<device::device_client> client_;
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

// One ticket as a file printer received it, read back independently: npos
// splits the jobs and rebuilds each raster, zbarimg decodes its QR code.
struct printed_ticket {
  std::filesystem::path png;
  std::string qr_text;
};

std::vector<printed_ticket> read_printed(const std::filesystem::path& printed,
                                         const std::filesystem::path& work_directory);

// The text tesseract reads in a picture with its Vietnamese model.
std::string read_text(const std::filesystem::path& picture);

// The tickets of the day as the manager's snapshot has them, issued by this
// source (a kiosk's device id).
std::vector<v1::Ticket> tickets_from(std::uint16_t port, const std::string& source);

}  // namespace luot::kiosk::testing
