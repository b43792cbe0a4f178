#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "luot/v1/luot.pb.h"
#include "printer/printer_status.hpp"
#include "printer/ticket_printer.hpp"

namespace luot::kiosk {

// The kiosk's health as the server records it, from its printer's status:
// ready and unknown (a file cannot say) are OK, paper near end is PAPER_LOW.
v1::DeviceHealth health_of(printer::printer_status status);

// The health after a print: the status it reports, or PRINTER_ERROR when
// the job could not be written or drawn.
v1::DeviceHealth health_of(const printer::print_report& report);

// Decides when the kiosk tells the server how it is: at once when the
// health or its detail changes (keep the detail stable: every change is an
// event in the server's log), again after the link comes back (the server may have
// restarted) or a send failed, and every `resend_every` anyway. The server
// records only changes, so a repeat costs nothing. Not thread-safe.
class health_reporter {
 public:
  using clock = std::chrono::steady_clock;

  explicit health_reporter(std::chrono::milliseconds resend_every);

  // Records the health now; returns the command to send when one is due.
  std::optional<v1::Command> update(v1::DeviceHealth health, const std::string& detail,
                                    clock::time_point now);
  // The next update() sends whatever the health is.
  void resend_soon();

  std::optional<v1::DeviceHealth> last_sent() const { return last_sent_; }

 private:
  std::chrono::milliseconds resend_every_;
  std::optional<v1::DeviceHealth> last_sent_;
  std::string last_detail_;
  clock::time_point sent_at_{};
  bool due_ = true;
};

}  // namespace luot::kiosk
