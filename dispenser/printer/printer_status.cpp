#include "printer/printer_status.hpp"

namespace luot::printer {

bool can_print(printer_status status) {
  return status == printer_status::ready || status == printer_status::paper_near_end ||
         status == printer_status::unknown;
}

std::string_view status_name(printer_status status) {
  switch (status) {
    case printer_status::ready:
      return "ready";
    case printer_status::paper_near_end:
      return "paper_near_end";
    case printer_status::paper_out:
      return "paper_out";
    case printer_status::cover_open:
      return "cover_open";
    case printer_status::printer_error:
      return "error";
    case printer_status::offline:
      return "offline";
    case printer_status::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view status_key(printer_status status) {
  switch (status) {
    case printer_status::ready:
      return "printer.status.ready";
    case printer_status::paper_near_end:
      return "printer.status.paper_near_end";
    case printer_status::paper_out:
      return "printer.status.paper_out";
    case printer_status::cover_open:
      return "printer.status.cover_open";
    case printer_status::printer_error:
      return "printer.status.error";
    case printer_status::offline:
      return "printer.status.offline";
    case printer_status::unknown:
      return "printer.status.unknown";
  }
  return "printer.status.unknown";
}

std::string status_text(text::language lang, printer_status status) {
  return std::string(text::lookup(lang, status_key(status)));
}

bool is_status_byte(std::uint8_t byte) {
  return (byte & 0x93) == 0x12;
}

namespace {

bool bit(std::uint8_t byte, int index) {
  return ((byte >> index) & 1) != 0;
}

}  // namespace

bool apply_status_answer(status_query query, std::uint8_t answer, status_flags& flags) {
  if (!is_status_byte(answer)) return false;
  switch (query) {
    case status_query::printer:
      flags.offline = bit(answer, 3);
      break;
    case status_query::offline_cause:
      flags.cover_open = bit(answer, 2);
      flags.paper_end_stop = bit(answer, 5);
      flags.error_occurred = bit(answer, 6);
      break;
    case status_query::error_cause:
      flags.autocutter_error = bit(answer, 3);
      flags.unrecoverable_error = bit(answer, 5);
      flags.recoverable_error = bit(answer, 6);
      break;
    case status_query::paper_sensor:
      // Epson sets both bits of each pair; some clones set only one.
      flags.paper_near_end = bit(answer, 2) || bit(answer, 3);
      flags.paper_out = bit(answer, 5) || bit(answer, 6);
      break;
  }
  return true;
}

printer_status classify(const status_flags& flags) {
  if (flags.paper_out || flags.paper_end_stop) return printer_status::paper_out;
  if (flags.cover_open) return printer_status::cover_open;
  if (flags.error_occurred || flags.autocutter_error || flags.unrecoverable_error ||
      flags.recoverable_error) {
    return printer_status::printer_error;
  }
  if (flags.offline) return printer_status::offline;
  if (flags.paper_near_end) return printer_status::paper_near_end;
  return printer_status::ready;
}

}  // namespace luot::printer
