#include "kiosk/kiosk_options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "device/server_url.hpp"
#include "device/state_directory.hpp"
#include "kiosk/documents_file.hpp"

namespace luot::kiosk {

namespace {

constexpr const char* version_text = "luot-dispenser 0.1.0";
constexpr int largest_screen_side = 16384;

std::optional<int> parse_positive(std::string_view text) {
  int value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

std::chrono::milliseconds seconds_to_duration(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

command_line_exit failure(text::language lang, std::string_view key,
                          const std::vector<std::string>& args = {}) {
  return {1, "luot-dispenser: " + text::format(lang, key, args) + "\n"};
}

// The flags as typed, before they are checked against each other.
struct raw_flags {
  std::string server;
  std::string ca_file;
  std::string token;
  std::string printer = "usb:/dev/usb/lp0";
  std::string paper = "80";
  bool headless = false;
  std::string lang = "vi";
  std::string size = "1080x1920";
  bool fullscreen = false;
  std::string screenshot;
  std::string public_url;
  std::string hotline;
  std::string documents;
  std::string state_dir;
  std::string voice = "none";
  std::string dialect = "north";
  std::vector<std::string> keys;
  std::string qr = "raster";
  std::string cut = "partial";
  double confirmation_seconds = 8;
  double idle_seconds = 60;
  double printer_check_seconds = 5;
  double status_report_seconds = 60;
  double retry_seconds = 2;
  double request_timeout_seconds = 5;
  double give_up_seconds = 15;
};

void declare(CLI::App& cli, raw_flags& flags) {
  // A flag given twice takes its last value, as in most programs (a unit
  // file's defaults overridden on the command line).
  cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cli.add_option("--server", flags.server,
                 "luot-server's address, http://HOST:PORT (https://HOST:PORT with TLS)");
  cli.add_option("--ca-file", flags.ca_file,
                 "With https://: trust the certificate authorities in this PEM file (a centre's "
                 "own CA) instead of the system's");
  cli.add_option("--token", flags.token, "This kiosk's device token from the server's config");
  cli.add_option("--printer", flags.printer,
                 "file:PATH | usb:/dev/usb/lp0 | tcp:HOST[:PORT] (default usb:/dev/usb/lp0)");
  cli.add_option("--paper", flags.paper, "Paper width in mm: 80 or 58");
  cli.add_flag("--headless", flags.headless,
               "No screen: read CODE or CODE PRIORITY_CLASS lines from stdin");
  cli.add_option("--lang", flags.lang, "Starting language of the screen and tickets: vi or en");
  cli.add_option("--size", flags.size, "Window size WxH (1080x1920 portrait, 1920x1080 landscape)");
  cli.add_flag("--fullscreen", flags.fullscreen, "Fill the screen");
  cli.add_option("--screenshot", flags.screenshot,
                 "Draw the start screen once the state is in, save it as PNG, exit");
  cli.add_option("--public-url", flags.public_url,
                 "Base of the ticket's live-status URL (<URL>/t/<token>); default: --server");
  cli.add_option("--hotline", flags.hotline, "Hotline printed on each ticket");
  cli.add_option("--documents", flags.documents,
                 "TOML file: [documents] CODE = [\"...\"], the documents to bring per category");
  cli.add_option("--state-dir", flags.state_dir,
                 "Where a press in progress survives a restart (default $STATE_DIRECTORY or "
                 "~/.local/state/luot-dispenser)");
  cli.add_option(
      "--voice", flags.voice,
      "Say the number on the confirmation screen: none, espeak, espeak:VOICE, clips:DIR");
  cli.add_option("--dialect", flags.dialect, "How the voice reads numbers: north or south");
  cli.add_option("--key", flags.keys, "Headless: KEY=CODE or KEY=CODE:PRIORITY_CLASS (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cli.add_option("--qr", flags.qr, "Who draws the QR code: raster (any printer) or printer");
  cli.add_option("--cut", flags.cut, "Paper cut after each ticket: partial or full");
  cli.add_option("--confirmation-seconds", flags.confirmation_seconds,
                 "How long the number stays on screen");
  cli.add_option("--idle-seconds", flags.idle_seconds, "Untouched this long: back to the start");
  cli.add_option("--printer-check-seconds", flags.printer_check_seconds,
                 "How often the printer's status is read while idle");
  cli.add_option("--status-report-seconds", flags.status_report_seconds,
                 "How often the device status is re-sent to the server");
  cli.add_option("--retry-seconds", flags.retry_seconds,
                 "Between attempts at an unanswered press or an unprinted ticket");
  cli.add_option("--request-timeout-seconds", flags.request_timeout_seconds,
                 "How long one take-ticket request waits for the server");
  cli.add_option("--give-up-seconds", flags.give_up_seconds,
                 "How long a citizen waits before the kiosk says the server does not answer");
}

std::variant<kiosk_options, command_line_exit> check(const raw_flags& flags) {
  kiosk_options options;
  if (flags.lang == "vi") {
    options.language = text::language::vi;
  } else if (flags.lang == "en") {
    options.language = text::language::en;
  } else {
    return failure(text::language::vi, "kiosk.cli.bad_lang", {flags.lang});
  }
  const auto lang = options.language;

  if (flags.server.empty()) return failure(lang, "kiosk.cli.missing_server");
  if (!device::parse_server_url(flags.server).url) {
    return failure(lang, "kiosk.cli.bad_server", {flags.server});
  }
  options.server_url = flags.server;
  if (!flags.ca_file.empty()) {
    if (!std::ifstream(flags.ca_file))
      return failure(lang, "kiosk.cli.bad_ca_file", {flags.ca_file});
    options.ca_file = flags.ca_file;
  }
  if (flags.token.empty()) return failure(lang, "kiosk.cli.missing_token");
  options.token = flags.token;

  const auto printer_spec = printer::parse_printer_spec(flags.printer);
  if (!printer_spec.ok())
    return command_line_exit{1, "luot-dispenser: " + printer_spec.error_message(lang) + "\n"};
  options.printer = *printer_spec.spec;
  const auto paper = printer::parse_paper_width(flags.paper);
  if (!paper) return failure(lang, "kiosk.cli.bad_paper", {flags.paper});
  options.paper = *paper;

  if (flags.qr == "raster") {
    options.qr = printer::qr_rendering::raster;
  } else if (flags.qr == "printer") {
    options.qr = printer::qr_rendering::printer;
  } else {
    return failure(lang, "kiosk.cli.bad_qr", {flags.qr});
  }
  if (flags.cut == "partial") {
    options.cut = printer::cut_kind::partial;
  } else if (flags.cut == "full") {
    options.cut = printer::cut_kind::full;
  } else {
    return failure(lang, "kiosk.cli.bad_cut", {flags.cut});
  }

  const auto size = parse_screen_size(flags.size);
  if (!size) return failure(lang, "kiosk.cli.bad_size", {flags.size});
  options.size = *size;
  options.window = flags.fullscreen ? window_mode::fullscreen : window_mode::windowed;

  if (flags.headless && !flags.screenshot.empty()) {
    return failure(lang, "kiosk.cli.screenshot_and_headless");
  }
  options.mode = flags.headless              ? run_mode::headless
                 : !flags.screenshot.empty() ? run_mode::screenshot
                                             : run_mode::screen;
  options.screenshot = flags.screenshot;

  options.public_url = flags.public_url.empty() ? flags.server : flags.public_url;
  while (!options.public_url.empty() && options.public_url.back() == '/') {
    options.public_url.pop_back();
  }
  if (!options.public_url.starts_with("http://") && !options.public_url.starts_with("https://")) {
    return failure(lang, "kiosk.cli.bad_public_url", {options.public_url});
  }
  options.hotline = flags.hotline;

  if (!flags.documents.empty()) {
    auto documents = load_documents_file(flags.documents);
    if (!documents.error.empty()) {
      return failure(lang, "kiosk.cli.bad_documents", {flags.documents, documents.error});
    }
    options.documents = std::move(documents.lists);
  }

  options.state_directory = flags.state_dir.empty()
                                ? device::default_state_directory("luot-dispenser")
                                : std::filesystem::path(flags.state_dir);
  options.voice = flags.voice;
  const auto dialect = speech::parse_dialect(flags.dialect);
  if (!dialect) return failure(lang, "kiosk.cli.bad_dialect", {flags.dialect});
  options.dialect = *dialect;
  for (const auto& text : flags.keys) {
    auto binding = parse_key_binding(text);
    if (!binding) return failure(lang, "kiosk.cli.bad_key", {text});
    options.keys.push_back(std::move(*binding));
  }

  const std::pair<double, std::chrono::milliseconds*> durations[] = {
      {flags.confirmation_seconds, &options.timing.confirmation},
      {flags.idle_seconds, &options.timing.idle},
      {flags.printer_check_seconds, &options.timing.printer_check},
      {flags.status_report_seconds, &options.timing.status_report},
      {flags.retry_seconds, &options.timing.retry},
      {flags.request_timeout_seconds, &options.timing.request_timeout},
      {flags.give_up_seconds, &options.timing.give_up},
  };
  for (const auto& [seconds, target] : durations) {
    if (!(seconds > 0) || seconds > 86400) {
      std::ostringstream shown;
      shown << seconds;
      return failure(lang, "kiosk.cli.bad_duration", {shown.str()});
    }
    *target = seconds_to_duration(seconds);
  }
  return options;
}

}  // namespace

std::optional<screen_size> parse_screen_size(std::string_view text) {
  const auto separator = text.find('x');
  if (separator == std::string_view::npos) return std::nullopt;
  const auto width = parse_positive(text.substr(0, separator));
  const auto height = parse_positive(text.substr(separator + 1));
  if (!width || !height || *width > largest_screen_side || *height > largest_screen_side) {
    return std::nullopt;
  }
  return screen_size{*width, *height};
}

std::optional<key_binding> parse_key_binding(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) return std::nullopt;
  key_binding binding;
  binding.key = std::string(text.substr(0, equals));
  if (binding.key.find_first_of(" \t") != std::string::npos) return std::nullopt;
  auto target = text.substr(equals + 1);
  const auto colon = target.find(':');
  binding.category = std::string(target.substr(0, colon));
  if (colon != std::string_view::npos) {
    binding.priority_class = std::string(target.substr(colon + 1));
    if (!is_identifier(binding.priority_class)) return std::nullopt;
  }
  if (!is_identifier(binding.category)) return std::nullopt;
  return binding;
}

command_line parse_command_line(int argc, const char* const* argv) {
  CLI::App cli{"Luot ticket kiosk: touch screen or button box, thermal printer", "luot-dispenser"};
  cli.set_version_flag("--version", version_text);
  raw_flags flags;
  declare(cli, flags);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli.exit(error, out, err);
    return command_line_exit{code == 0 ? 0 : 1, out.str() + err.str()};
  }
  return check(flags);
}

}  // namespace luot::kiosk
