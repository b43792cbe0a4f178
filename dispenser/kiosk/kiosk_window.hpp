#pragma once

#include "kiosk/kiosk_options.hpp"
#include "kiosk/kiosk_service.hpp"

namespace luot::kiosk {

// The touch screen: an SDL2 window (or, with --screenshot, one picture of
// the start screen). Starts the service, runs until the window is closed or
// the program is told to stop, stops the service; returns the exit code.
int run_window(const kiosk_options& options, kiosk_service& service);

}  // namespace luot::kiosk
