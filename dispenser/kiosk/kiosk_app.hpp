#pragma once

#include <memory>

#include "kiosk/kiosk_options.hpp"
#include "printer/ticket_printer.hpp"

namespace luot::kiosk {

// The printer the options name: backend, paper width, QR rendering and cut.
// Throws std::runtime_error when the ticket fonts cannot be opened.
std::unique_ptr<printer::ticket_printer> make_printer(const kiosk_options& options);

// Runs luot-dispenser as the options say (touch screen, headless box or one
// screenshot) until it is told to stop; returns the exit code. Throws on a
// failure at start (no fonts, no video, an unusable state directory).
int run_kiosk(const kiosk_options& options);

}  // namespace luot::kiosk
