#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/catalogue.hpp"

namespace luot::printer {

enum class printer_kind {
  file,    // file:PATH — appends the bytes; for tests, demos and spooling
  device,  // usb:/dev/usb/lp0 — a character device (usblp, or a serial port)
  tcp,     // tcp:HOST:PORT — raw socket printing, port 9100 by convention
};

inline constexpr std::uint16_t default_raw_port = 9100;

// Where the tickets go, as the --printer flag names it.
struct printer_spec {
  printer_kind kind = printer_kind::file;
  std::string path;  // file and device
  std::string host;  // tcp; an IPv6 address without its brackets
  std::uint16_t port = default_raw_port;

  // The spec string again, e.g. "tcp:192.168.1.50:9100".
  std::string to_string() const;

  friend bool operator==(const printer_spec&, const printer_spec&) = default;
};

// A spec, or why the text is not one (a catalogue key and its arguments).
struct printer_spec_result {
  std::optional<printer_spec> spec;
  std::string error_key;
  std::vector<std::string> error_args;

  bool ok() const { return spec.has_value(); }
  std::string error_message(text::language lang) const;
};

// Parses "file:PATH", "usb:/dev/usb/lp0" or "tcp:HOST[:PORT]" (IPv6 hosts in
// brackets: "tcp:[fe80::1]:9100"); the port defaults to 9100.
printer_spec_result parse_printer_spec(std::string_view text);

}  // namespace luot::printer
