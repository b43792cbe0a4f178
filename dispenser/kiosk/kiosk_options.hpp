#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "printer/escpos.hpp"
#include "printer/printer_spec.hpp"
#include "printer/ticket_content.hpp"
#include "printer/ticket_layout.hpp"
#include "speech/number_reader.hpp"
#include "text/catalogue.hpp"

namespace luot::kiosk {

// How the program runs: the touch screen, a button box reading stdin, or
// one picture of the start screen.
enum class run_mode { screen, headless, screenshot };

enum class window_mode { windowed, fullscreen };

struct screen_size {
  int width = 1080;
  int height = 1920;

  bool portrait() const { return height >= width; }
  friend bool operator==(const screen_size&, const screen_size&) = default;
};

// A headless key: what a keypad sends ("1") stands for a category and,
// optionally, a priority class.
struct key_binding {
  std::string key;
  std::string category;
  std::string priority_class;

  friend bool operator==(const key_binding&, const key_binding&) = default;
};

// The documents to bring, per category code (giấy tờ cần mang theo).
using document_lists = std::map<std::string, std::vector<std::string>, std::less<>>;

// The timing of the kiosk. Defaults suit a real hall; tests shorten them.
struct kiosk_timing {
  // How long the confirmation (the number, people ahead) stays up.
  std::chrono::milliseconds confirmation{8000};
  // Untouched for this long, the screen goes back to the start, then idle.
  std::chrono::milliseconds idle{60000};
  // How often the printer's status is asked while nothing is printing, so a
  // fault shows before anyone presses a button.
  std::chrono::milliseconds printer_check{5000};
  // How often the device status is re-sent (the server records only changes).
  std::chrono::milliseconds status_report{60000};
  // Between two attempts at an unresolved press or an unprinted ticket.
  std::chrono::milliseconds retry{2000};
  // How long one take-ticket request waits for its reply.
  std::chrono::milliseconds request_timeout{5000};
  // How long a citizen is told to wait before the kiosk says plainly that
  // the server does not answer (the press keeps being retried).
  std::chrono::milliseconds give_up{15000};
  // A press or an unprinted ticket found on disk at start is resumed only
  // if it is younger than this; older ones were long abandoned.
  std::chrono::milliseconds resume_within{std::chrono::minutes(15)};
};

// Everything luot-dispenser is started with.
struct kiosk_options {
  std::string server_url;
  // For an https:// or wss:// server: a PEM file of the certificate
  // authorities to trust (a centre's own CA); empty trusts the system's.
  std::string ca_file;
  std::string token;
  printer::printer_spec printer{printer::printer_kind::device, "/dev/usb/lp0", {}, 0};
  printer::paper_width paper = printer::paper_width::mm80;
  printer::qr_rendering qr = printer::qr_rendering::raster;
  printer::cut_kind cut = printer::cut_kind::partial;
  run_mode mode = run_mode::screen;
  text::language language = text::language::vi;
  screen_size size;
  window_mode window = window_mode::windowed;
  std::filesystem::path screenshot;
  // The base of the live-status URL printed as a QR code: <public_url>/t/<token>.
  std::string public_url;
  std::string hotline;
  document_lists documents;
  // Where a press and an unprinted ticket are kept across restarts.
  std::filesystem::path state_directory;
  // "none", "espeak", "espeak:VOICE" or "clips:DIR": says the number on the
  // confirmation screen.
  std::string voice = "none";
  // How the voice reads numbers: Northern (nghìn, linh) or Southern (ngàn, lẻ).
  speech::dialect dialect = speech::dialect::north;
  std::vector<key_binding> keys;
  kiosk_timing timing;
};

// The program should stop with this code, printing this text (to stdout for
// --help and --version, to stderr for an error).
struct command_line_exit {
  int code = 0;
  std::string text;
};

using command_line = std::variant<kiosk_options, command_line_exit>;

// Parses luot-dispenser's command line. Errors name the flag and what it
// accepts, in the language of --lang (Vietnamese by default).
command_line parse_command_line(int argc, const char* const* argv);

// "1080x1920" → {1080, 1920}; nothing for anything else.
std::optional<screen_size> parse_screen_size(std::string_view text);

// "1=LDVL" or "2=NCC:cao-tuoi"; nothing when malformed.
std::optional<key_binding> parse_key_binding(std::string_view text);

}  // namespace luot::kiosk
