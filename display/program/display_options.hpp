#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "board/board_content.hpp"
#include "speech/announcer.hpp"
#include "speech/number_reader.hpp"
#include "text/catalogue.hpp"
#include "ui/canvas.hpp"
#include "ui/geometry.hpp"

namespace luot::display {

// What luot-display does this run.
enum class run_mode { board, screenshot, print_announcement };

// Everything the command line (or a --config TOML file with the same keys)
// decides.
struct display_options {
  run_mode mode = run_mode::board;
  std::string server_url;
  // For an https:// or wss:// server: a PEM file of the certificate
  // authorities to trust (a centre's own CA); empty trusts the system's.
  std::string ca_file;
  std::string token;
  layout_kind layout = layout_kind::hall;
  std::string counter_id;
  // A hall screen of a zone: only these counters (empty: what the token sees).
  std::vector<std::string> zone;
  ui::screen_mode screen = ui::screen_mode::windowed;
  ui::renderer_kind renderer = ui::renderer_kind::accelerated;
  // The window's size; the screenshot's size. Empty: 1920×1080 for the hall,
  // 1280×720 for a counter.
  std::optional<ui::size> size;
  text::language language = text::language::vi;

  speech::reading_style reading;
  // "espeak", "espeak:VOICE", "clips:DIR" or "none".
  std::string voice = "espeak";
  speech::audio_output audio = speech::audio_output::on;
  int repetitions = 1;
  std::string audio_device;
  // Calls this old arriving in a resync are shown but not said.
  std::chrono::seconds announce_within{60};

  int recent_calls = 6;
  std::chrono::seconds highlight_for{10};
  std::string ticker;
  std::filesystem::path state_dir;

  // Every frame drawn is also saved here (a technician's remote look at the
  // screen, and the tests'); empty: none.
  std::filesystem::path frame_file;
  // spdlog's level name: trace, debug, info, warn, error.
  std::string log_level = "info";

  std::filesystem::path screenshot;
  std::chrono::seconds screenshot_timeout{20};
  // --print-announcement NUMBER COUNTER
  std::string announce_number;
  std::string announce_counter;
};

// The size used when --size is not given.
ui::size default_size(const display_options& options);

// The command line could not run, or asked only for help or the version:
// what to print and the exit code.
struct command_line_exit {
  int code = 0;
  std::string message;
};

using command_line = std::variant<display_options, command_line_exit>;

command_line parse_command_line(int argc, const char* const* argv);

}  // namespace luot::display
