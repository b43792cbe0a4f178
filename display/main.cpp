// luot-display: the hall screen. Everything but reading the command line and
// setting up the log lives in luot_display_lib.
#include <spdlog/spdlog.h>

#include <iostream>
#include <variant>

#include "program/display_app.hpp"
#include "program/display_options.hpp"

int main(int argc, char** argv) {
  const auto parsed = luot::display::parse_command_line(argc, argv);
  if (const auto* exit = std::get_if<luot::display::command_line_exit>(&parsed)) {
    (exit->code == 0 ? std::cout : std::cerr) << exit->message;
    return exit->code;
  }
  const auto& options = std::get<luot::display::display_options>(parsed);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  return luot::display::run(options);
}
