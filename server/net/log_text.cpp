#include "net/log_text.hpp"

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>

namespace luot::net {

namespace {

// The code point starting at `text[at]` and its length in bytes; nullopt
// when the bytes there are not well-formed UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included).
struct decoded {
  char32_t code_point;
  std::size_t length;
};

std::optional<decoded> decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return decoded{lead, 1};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(at + i);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return std::nullopt;
  return decoded{value, length};
}

// Characters that move the cursor, end a line or reorder text on an
// operator's screen: C0 and C1 controls, DEL, the Unicode line and paragraph
// separators, and the bidirectional overrides and isolates.
bool needs_escape(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

void append_hex(std::string& out, std::uint32_t value, int digits) {
  constexpr char hex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xF];
}

void append_escaped(std::string& out, char32_t c) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (c < 0x80) {
    out += "\\x";
    append_hex(out, static_cast<std::uint32_t>(c), 2);
  } else {
    out += "\\u";
    append_hex(out, static_cast<std::uint32_t>(c), 4);
  }
}

void protobuf_log_handler(google::protobuf::LogLevel level, const char* filename, int line,
                          const std::string& message) {
  if (level == google::protobuf::LOGLEVEL_FATAL) {
    spdlog::critical("protobuf {}:{}: {}", filename, line, log_text(message, 400));
    return;
  }
  spdlog::debug("protobuf: {}", log_text(message, 200));
}

}  // namespace

std::string log_text(std::string_view text, std::size_t limit) {
  std::string out;
  out.reserve(std::min(text.size(), limit * 4) + 8);
  std::size_t shown = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    if (shown == limit) {
      out += "…";
      break;
    }
    ++shown;
    const auto next = decode_utf8(text, at);
    if (!next) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(text[at]), 2);
      ++at;
      continue;
    }
    if (next->code_point == '\\') {
      out += "\\\\";
    } else if (needs_escape(next->code_point)) {
      append_escaped(out, next->code_point);
    } else {
      out.append(text.substr(at, next->length));
    }
    at += next->length;
  }
  return out;
}

std::string echo_text(std::string_view text, std::size_t limit) {
  std::string out;
  out.reserve(std::min(text.size(), limit * 4) + 8);
  std::size_t shown = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    if (shown == limit) {
      out += "…";
      break;
    }
    ++shown;
    const auto next = decode_utf8(text, at);
    if (!next) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++at;
      continue;
    }
    out.append(text.substr(at, next->length));
    at += next->length;
  }
  return out;
}

void route_protobuf_log() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&protobuf_log_handler); });
}

}  // namespace luot::net
