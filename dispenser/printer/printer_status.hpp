#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "printer/escpos.hpp"
#include "text/catalogue.hpp"

namespace luot::printer {

// What the kiosk needs to know about its printer, worst first where it matters.
enum class printer_status {
  ready,
  paper_near_end,  // still prints; someone should bring a roll
  paper_out,
  cover_open,
  printer_error,  // autocutter jam, head overheated, mechanical failure
  offline,        // unreachable, or offline for a reason it did not say
  unknown,        // this backend cannot ask (a file) or the printer did not answer
};

// Whether a ticket can be printed in this state. An unknown state prints:
// a backend that cannot ask has nothing better to go on.
bool can_print(printer_status status);

// The catalogue key of a status, e.g. "printer.status.paper_out".
std::string_view status_key(printer_status status);
std::string status_text(text::language lang, printer_status status);
// A stable English identifier for logs and device-status reports.
std::string_view status_name(printer_status status);

// The bits of the four DLE EOT answers that decide the status. Each answer
// fills its own fields; queries that were not answered leave theirs false.
struct status_flags {
  bool offline = false;              // n=1 bit 3
  bool cover_open = false;           // n=2 bit 2
  bool paper_end_stop = false;       // n=2 bit 5: printing stopped at paper end
  bool error_occurred = false;       // n=2 bit 6
  bool autocutter_error = false;     // n=3 bit 3
  bool unrecoverable_error = false;  // n=3 bit 5
  bool recoverable_error = false;    // n=3 bit 6: head too hot, cover opened mid-print
  bool paper_near_end = false;       // n=4 bits 2-3
  bool paper_out = false;            // n=4 bits 5-6

  friend bool operator==(const status_flags&, const status_flags&) = default;
};

// Whether a byte has the shape of a DLE EOT answer: bits 1 and 4 set, bits 0
// and 7 clear. Anything else is not an answer (e.g. a stray byte of an
// automatic status report) and must not be trusted.
bool is_status_byte(std::uint8_t byte);

// Adds the meaning of `answer` to the query `query` into `flags`; false (and
// nothing changed) when the byte is not a status answer.
bool apply_status_answer(status_query query, std::uint8_t answer, status_flags& flags);

// The one status the kiosk acts on: paper out, then cover open, then errors,
// then offline, then paper near end.
printer_status classify(const status_flags& flags);

}  // namespace luot::printer
