#pragma once

#include <condition_variable>
#include <cstdint>
#include <istream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/kiosk_options.hpp"
#include "kiosk/kiosk_service.hpp"

namespace luot::kiosk {

// What one line of the button box asks for.
struct box_request {
  std::string category;
  std::string priority_class;

  friend bool operator==(const box_request&, const box_request&) = default;
};

// A line that asks for nothing (blank), or why a line is not understood.
struct blank_line {};
struct bad_line {
  std::string reason;
};
using parsed_line = std::variant<box_request, blank_line, bad_line>;

// "CODE", "CODE PRIORITY_CLASS", or a key bound with --key ("1" → LDVL).
// Surrounding spaces and a trailing '\r' are ignored.
parsed_line parse_box_line(std::string_view line, const std::vector<key_binding>& keys);

// The kiosk without a screen: each line of input is a button press, handled
// one at a time with the same printing and guarantees as the touch screen.
// Each printed ticket is one line on `tickets`:
//   NUMBER CATEGORY STATUS_URL [PRIORITY_CLASS]
// (also tickets printed late: after a reprint or once the server answered).
// Refusals and faults are lines on `messages`, in the kiosk's language.
class headless_box {
 public:
  headless_box(kiosk_service& service, text::language lang, std::vector<key_binding> keys,
               std::ostream& tickets, std::ostream& messages);

  // Install as the service's report handler (before it starts).
  void handle(const press_report& report);

  // Reads presses until the input ends; returns the program's exit code.
  int run(std::istream& input);

 private:
  std::optional<press_report> press_and_wait(const box_request& request);
  void say(const std::string& line);

  kiosk_service& service_;
  text::language language_;
  std::vector<key_binding> keys_;
  std::ostream& tickets_;
  std::ostream& messages_;

  std::mutex mutex_;
  std::condition_variable reported_;
  // The first report of each press, by id, until its line is done.
  std::map<std::uint64_t, press_report> answers_;
};

}  // namespace luot::kiosk
