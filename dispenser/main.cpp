// luot-dispenser: the ticket kiosk at the entrance of a service centre — a
// touch screen, or a button box reading stdin (--headless) — printing each
// number on a thermal printer.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <memory>
#include <variant>

#include "kiosk/kiosk_app.hpp"
#include "kiosk/kiosk_options.hpp"

int main(int argc, char** argv) {
  const auto parsed = luot::kiosk::parse_command_line(argc, argv);
  if (const auto* exit = std::get_if<luot::kiosk::command_line_exit>(&parsed)) {
    (exit->code == 0 ? std::cout : std::cerr) << exit->text;
    return exit->code;
  }
  const auto& options = std::get<luot::kiosk::kiosk_options>(parsed);
  // Logs go to stderr: in headless mode stdout carries one line per ticket.
  spdlog::set_default_logger(spdlog::stderr_color_mt("luot-dispenser"));
  try {
    return luot::kiosk::run_kiosk(options);
  } catch (const std::exception& failure) {
    std::cerr << "luot-dispenser: " << failure.what() << '\n';
    return 1;
  }
}
