#include "program/display_options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "device/server_url.hpp"
#include "device/state_directory.hpp"

namespace luot::display {

namespace {

constexpr const char* version_text = "luot-display 0.1";

// The flags as typed, before they are checked.
struct raw_flags {
  std::string server;
  std::string ca_file;
  std::string token;
  std::string layout = "hall";
  std::string counter;
  std::vector<std::string> zone;
  bool fullscreen = false;
  bool software = false;
  std::string size;
  std::string lang = "vi";
  std::string dialect = "north";
  std::string digits = "number";
  std::string voice = "espeak";
  std::string speech_lang = "vi";
  std::string audio = "on";
  int repeat = 1;
  std::string audio_device;
  int announce_within_seconds = 60;
  int recent = 6;
  int highlight_seconds = 10;
  std::string ticker;
  std::string state_dir;
  std::string screenshot;
  std::string frame_file;
  std::string log_level = "info";
  int screenshot_timeout_seconds = 20;
  std::vector<std::string> print_announcement;
};

void declare(CLI::App& cli, raw_flags& flags) {
  cli.add_option("--server", flags.server,
                 "luot-server's address, http://HOST:PORT (https://HOST:PORT with TLS)");
  cli.add_option("--ca-file", flags.ca_file,
                 "With https://: trust the certificate authorities in this PEM file (a centre's "
                 "own CA) instead of the system's");
  cli.add_option("--token", flags.token, "This display's device token from the server's config");
  cli.add_option("--layout", flags.layout,
                 "hall (the whole board) or counter (one counter, large)");
  cli.add_option("--counter", flags.counter, "The counter id a counter-top screen shows");
  cli.add_option("--zone", flags.zone, "Show only these counters (a zone of the hall)")
      ->delimiter(',');
  cli.add_flag("--fullscreen", flags.fullscreen, "Fill the screen (the mouse pointer is hidden)");
  cli.add_flag("--software", flags.software, "Draw with SDL's software renderer");
  cli.add_option("--size", flags.size,
                 "Window or screenshot size WxH (1920x1080, portrait 1080x1920)");
  cli.add_option("--lang", flags.lang, "Language of the screen: vi or en");
  cli.add_option("--dialect", flags.dialect,
                 "How numbers are read: north (nghìn, linh) or south (ngàn, lẻ)");
  cli.add_option("--digits", flags.digits,
                 "A prefixed number such as A007: number (a bảy) or each (a không không bảy)");
  cli.add_option("--voice", flags.voice, "espeak, espeak:VOICE, clips:DIR or none (chime only)");
  cli.add_option("--speech-lang", flags.speech_lang, "Language of the announcements: vi or en");
  cli.add_option("--audio", flags.audio, "on, or off: nothing is played, announcements are logged");
  cli.add_option("--repeat", flags.repeat, "How many times each sentence is said after the chime");
  cli.add_option("--audio-device", flags.audio_device, "SDL's name of the output device");
  cli.add_option("--announce-within", flags.announce_within_seconds,
                 "Seconds: calls older than this arriving after an outage are shown, not said");
  cli.add_option("--recent", flags.recent, "How many earlier calls the hall board lists");
  cli.add_option("--highlight-seconds", flags.highlight_seconds,
                 "How long a new call stays highlighted");
  cli.add_option("--ticker", flags.ticker,
                 "Footer notice (hotline, opening hours); items separated by \" • \"");
  cli.add_option("--state-dir", flags.state_dir,
                 "Where the last announced call is kept across restarts (default "
                 "$STATE_DIRECTORY or ~/.local/state/luot-display)");
  cli.add_option("--screenshot", flags.screenshot,
                 "Connect, wait for the state, draw one frame to this PNG file, exit");
  cli.add_option("--frame-file", flags.frame_file,
                 "Also save every frame drawn to this PNG file (for a remote look)");
  cli.add_option("--log-level", flags.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  cli.add_option("--screenshot-timeout", flags.screenshot_timeout_seconds,
                 "Seconds --screenshot waits for the server's state");
  cli.add_option("--print-announcement", flags.print_announcement,
                 "NUMBER COUNTER: print the sentence that would be spoken, exit")
      ->expected(2);
  cli.set_config("--config", "", "A TOML file with the same keys as the flags");
}

command_line_exit failure(text::language language, std::string_view key,
                          const std::vector<std::string>& args = {}) {
  return {2, "luot-display: " + text::format(language, key, args) + "\n"};
}

std::optional<ui::size> parse_size(const std::string& text) {
  const auto cross = text.find('x');
  if (cross == std::string::npos) return std::nullopt;
  ui::size size;
  const char* first = text.data();
  const auto width = std::from_chars(first, first + cross, size.w);
  const auto height = std::from_chars(first + cross + 1, first + text.size(), size.h);
  if (width.ec != std::errc() || width.ptr != first + cross || height.ec != std::errc() ||
      height.ptr != first + text.size()) {
    return std::nullopt;
  }
  if (size.w < 160 || size.h < 120 || size.w > 8192 || size.h > 8192) return std::nullopt;
  return size;
}

std::variant<display_options, command_line_exit> check(const raw_flags& flags) {
  display_options options;
  if (flags.lang == "en") {
    options.language = text::language::en;
  } else if (flags.lang != "vi") {
    return failure(text::language::vi, "display.cli.bad_lang", {flags.lang});
  }
  const auto lang = options.language;

  const auto dialect = speech::parse_dialect(flags.dialect);
  if (!dialect) return failure(lang, "display.cli.bad_dialect", {flags.dialect});
  options.reading.dialect = *dialect;
  if (flags.digits == "each") {
    options.reading.digits = speech::digit_reading::digit_by_digit;
  } else if (flags.digits != "number") {
    return failure(lang, "display.cli.bad_digits", {flags.digits});
  }
  if (flags.speech_lang == "en") {
    options.reading.language = text::language::en;
  } else if (flags.speech_lang != "vi") {
    return failure(lang, "display.cli.bad_lang", {flags.speech_lang});
  }

  if (!flags.print_announcement.empty()) {
    options.mode = run_mode::print_announcement;
    options.announce_number = flags.print_announcement.at(0);
    options.announce_counter = flags.print_announcement.at(1);
    return options;
  }

  if (flags.server.empty()) return failure(lang, "display.cli.missing_server");
  if (!device::parse_server_url(flags.server).url) {
    return failure(lang, "display.cli.bad_server", {flags.server});
  }
  options.server_url = flags.server;
  if (!flags.ca_file.empty()) {
    if (!std::ifstream(flags.ca_file))
      return failure(lang, "display.cli.bad_ca_file", {flags.ca_file});
    options.ca_file = flags.ca_file;
  }
  if (flags.token.empty()) return failure(lang, "display.cli.missing_token");
  options.token = flags.token;

  if (flags.layout == "counter") {
    options.layout = layout_kind::counter;
    if (flags.counter.empty()) return failure(lang, "display.cli.counter_required");
  } else if (flags.layout != "hall") {
    return failure(lang, "display.cli.bad_layout", {flags.layout});
  }
  options.counter_id = flags.counter;
  options.zone = flags.zone;
  if (options.layout == layout_kind::counter) options.zone = {flags.counter};

  if (flags.fullscreen) options.screen = ui::screen_mode::fullscreen;
  if (flags.software) options.renderer = ui::renderer_kind::software;
  if (!flags.size.empty()) {
    options.size = parse_size(flags.size);
    if (!options.size) return failure(lang, "display.cli.bad_size", {flags.size});
  }

  options.voice = flags.voice;
  if (flags.audio == "off") {
    options.audio = speech::audio_output::off;
  } else if (flags.audio != "on") {
    return failure(lang, "display.cli.bad_audio", {flags.audio});
  }
  if (flags.repeat < 1 || flags.repeat > 5) {
    return failure(lang, "display.cli.bad_number", {"--repeat", "1", "5"});
  }
  options.repetitions = flags.repeat;
  options.audio_device = flags.audio_device;
  if (flags.announce_within_seconds < 0 || flags.announce_within_seconds > 3600) {
    return failure(lang, "display.cli.bad_number", {"--announce-within", "0", "3600"});
  }
  options.announce_within = std::chrono::seconds(flags.announce_within_seconds);
  if (flags.recent < 0 || flags.recent > 20) {
    return failure(lang, "display.cli.bad_number", {"--recent", "0", "20"});
  }
  options.recent_calls = flags.recent;
  if (flags.highlight_seconds < 0 || flags.highlight_seconds > 600) {
    return failure(lang, "display.cli.bad_number", {"--highlight-seconds", "0", "600"});
  }
  options.highlight_for = std::chrono::seconds(flags.highlight_seconds);
  options.ticker = flags.ticker;
  options.state_dir = flags.state_dir.empty() ? device::default_state_directory("luot-display")
                                              : std::filesystem::path(flags.state_dir);

  options.frame_file = flags.frame_file;
  options.log_level = flags.log_level;
  if (!flags.screenshot.empty()) {
    options.mode = run_mode::screenshot;
    options.screenshot = flags.screenshot;
  }
  if (flags.screenshot_timeout_seconds < 1 || flags.screenshot_timeout_seconds > 600) {
    return failure(lang, "display.cli.bad_number", {"--screenshot-timeout", "1", "600"});
  }
  options.screenshot_timeout = std::chrono::seconds(flags.screenshot_timeout_seconds);
  return options;
}

}  // namespace

ui::size default_size(const display_options& options) {
  if (options.size) return *options.size;
  return options.layout == layout_kind::counter ? ui::size{1280, 720} : ui::size{1920, 1080};
}

command_line parse_command_line(int argc, const char* const* argv) {
  CLI::App cli{"Luot hall display: the live board and the Vietnamese voice", "luot-display"};
  cli.set_version_flag("--version", version_text);
  raw_flags flags;
  declare(cli, flags);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli.exit(error, out, err);
    return command_line_exit{code == 0 ? 0 : 2, out.str() + err.str()};
  }
  return check(flags);
}

}  // namespace luot::display
