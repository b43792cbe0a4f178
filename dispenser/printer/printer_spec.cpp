#include "printer/printer_spec.hpp"

#include <charconv>

namespace luot::printer {

namespace {

printer_spec_result failure(std::string key, std::vector<std::string> args = {}) {
  printer_spec_result result;
  result.error_key = std::move(key);
  result.error_args = std::move(args);
  return result;
}

printer_spec_result success(printer_spec spec) {
  printer_spec_result result;
  result.spec = std::move(spec);
  return result;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

printer_spec_result parse_tcp(std::string_view whole, std::string_view rest) {
  printer_spec spec;
  spec.kind = printer_kind::tcp;
  std::string_view port_text;
  bool has_port = false;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return failure("printer.spec.bad_host", {std::string(whole)});
    }
    spec.host = std::string(rest.substr(1, close - 1));
    const auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return failure("printer.spec.bad_host", {std::string(whole)});
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      // More than one colon: an IPv6 address that needs brackets.
      return failure("printer.spec.bad_host", {std::string(whole)});
    }
    spec.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      has_port = true;
    }
  }
  if (spec.host.empty()) return failure("printer.spec.missing_host", {std::string(whole)});
  if (has_port) {
    const auto port = parse_port(port_text);
    if (!port) return failure("printer.spec.bad_port", {std::string(port_text)});
    spec.port = *port;
  }
  return success(std::move(spec));
}

}  // namespace

std::string printer_spec::to_string() const {
  switch (kind) {
    case printer_kind::file:
      return "file:" + path;
    case printer_kind::device:
      return "usb:" + path;
    case printer_kind::tcp: {
      const bool needs_brackets = host.find(':') != std::string::npos;
      return "tcp:" + (needs_brackets ? "[" + host + "]" : host) + ":" + std::to_string(port);
    }
  }
  return {};
}

std::string printer_spec_result::error_message(text::language lang) const {
  return text::format(lang, error_key, error_args);
}

printer_spec_result parse_printer_spec(std::string_view text) {
  if (text.empty()) return failure("printer.spec.empty");
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return failure("printer.spec.unknown_kind", {std::string(text)});
  }
  const auto scheme = text.substr(0, colon);
  const auto rest = text.substr(colon + 1);
  if (scheme == "file") {
    if (rest.empty()) return failure("printer.spec.missing_path", {"file"});
    return success(printer_spec{printer_kind::file, std::string(rest), {}, default_raw_port});
  }
  if (scheme == "usb") {
    if (rest.empty()) return failure("printer.spec.missing_path", {"usb"});
    if (!rest.starts_with('/')) {
      return failure("printer.spec.relative_device", {std::string(rest)});
    }
    return success(printer_spec{printer_kind::device, std::string(rest), {}, default_raw_port});
  }
  if (scheme == "tcp") return parse_tcp(text, rest);
  return failure("printer.spec.unknown_kind", {std::string(scheme)});
}

}  // namespace luot::printer
