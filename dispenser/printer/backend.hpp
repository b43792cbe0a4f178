#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "printer/printer_spec.hpp"
#include "printer/printer_status.hpp"

namespace luot::printer {

enum class io_outcome {
  done,
  unreachable,  // cannot connect or open: the printer is offline
  failed,       // connected, but the bytes did not all go through
};

struct io_result {
  io_outcome outcome = io_outcome::done;
  std::string detail;  // the system's words, for the log

  bool ok() const { return outcome == io_outcome::done; }
};

// A status and how it was learnt ("DLE EOT answers 12 32 12 72", "no answer").
struct status_reading {
  printer_status status = printer_status::unknown;
  std::string detail;
};

struct backend_timeouts {
  std::chrono::milliseconds connect{2000};
  // How long to wait for each DLE EOT answer: printers answer in
  // milliseconds, so a short wait keeps the kiosk responsive.
  std::chrono::milliseconds answer{500};
  // How long the printer may refuse more data (its buffer full) before the
  // write counts as failed.
  std::chrono::milliseconds write{10000};
};

// Where print jobs go. One job is open() → query_status() → write() →
// query_status() → close(); a backend holds nothing open between jobs, so a
// printer that was switched off and on again just works on the next ticket.
class printer_backend {
 public:
  virtual ~printer_backend() = default;

  virtual io_result open() = 0;
  // Only between open() and close(). Backends that cannot ask say unknown.
  virtual status_reading query_status() = 0;
  virtual io_result write(std::span<const std::uint8_t> bytes) = 0;
  virtual void close() = 0;

  virtual const printer_spec& spec() const = 0;
};

std::unique_ptr<printer_backend> make_backend(const printer_spec& spec,
                                              const backend_timeouts& timeouts = {});

}  // namespace luot::printer
