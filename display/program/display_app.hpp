#pragma once

#include "program/display_options.hpp"

namespace luot::display {

// Runs luot-display as the options say: the live board in a window (until
// the window is closed, SIGINT or SIGTERM), one screenshot, or the sentence
// of an announcement. Returns the process's exit code; prints one line
// saying why when it cannot run.
int run(const display_options& options);

}  // namespace luot::display
