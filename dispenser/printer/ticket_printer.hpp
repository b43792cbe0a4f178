#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "printer/backend.hpp"
#include "printer/ticket_encoding.hpp"
#include "printer/ticket_layout.hpp"

namespace luot::printer {

enum class print_outcome {
  printed,
  paper_out,
  cover_open,
  printer_error,
  offline,
  write_failed,   // the job did not all reach the printer
  render_failed,  // the ticket could not be drawn (fonts, QR)
};

struct print_report {
  print_outcome outcome = print_outcome::printed;
  // The last status read: before the job, or after it when it was written.
  printer_status status = printer_status::unknown;
  std::string detail;  // for the log: system errors, the status bytes

  bool printed() const { return outcome == print_outcome::printed; }
  // What the kiosk tells the citizen or the officer, from the catalogue.
  std::string message(text::language lang) const;
};

std::string_view outcome_name(print_outcome outcome);

// Prints tickets on one printer: asks its status first (where it can
// answer), draws and encodes the ticket, writes it, then asks again, so a
// fault before or during the job is reported and the kiosk can refuse to
// issue a number it cannot print, or reprint the same ticket.
class ticket_printer {
 public:
  ticket_printer(std::unique_ptr<printer_backend> backend, layout_options layout = {},
                 encoding_options encoding = {});

  print_report print(const ticket_content& content);

  // The printer's status without printing, for the kiosk to show a fault
  // before anyone presses a button.
  status_reading check();

  const printer_spec& spec() const { return backend_->spec(); }
  ticket_layout& layout() { return layout_; }

 private:
  std::unique_ptr<printer_backend> backend_;
  ticket_layout layout_;
  encoding_options encoding_;
};

}  // namespace luot::printer
