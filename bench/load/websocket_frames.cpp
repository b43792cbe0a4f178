#include "websocket_frames.hpp"

#include <algorithm>
#include <cctype>

namespace luot::bench {

namespace {

constexpr std::string_view header_end = "\r\n\r\n";

bool equal_ignoring_case(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string upgrade_request(std::string_view path, std::string_view subprotocol) {
  std::string request = "GET ";
  request += path;
  request +=
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: bHVvdC1iZW5jaC1rZXkhIQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: ";
  request += subprotocol;
  request += "\r\n\r\n";
  return request;
}

upgrade_answer read_upgrade_answer(std::string_view received, std::string_view subprotocol) {
  upgrade_answer answer;
  const auto end = received.find(header_end);
  if (end == std::string_view::npos) return answer;
  answer.complete = true;
  answer.header_bytes = end + header_end.size();
  std::string_view head = received.substr(0, end);
  const auto first_line_end = head.find("\r\n");
  const auto status_line = head.substr(0, first_line_end);
  if (status_line.rfind("HTTP/1.1 101", 0) != 0) {
    answer.problem = "the server refused the upgrade: " + std::string(status_line);
    return answer;
  }
  head.remove_prefix(first_line_end == std::string_view::npos ? head.size() : first_line_end + 2);
  while (!head.empty()) {
    const auto line_end = head.find("\r\n");
    const auto line = head.substr(0, line_end);
    head.remove_prefix(line_end == std::string_view::npos ? head.size() : line_end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (equal_ignoring_case(trimmed(line.substr(0, colon)), "sec-websocket-protocol")) {
      if (trimmed(line.substr(colon + 1)) == subprotocol) {
        answer.accepted = true;
        return answer;
      }
      answer.problem = "the server chose another subprotocol: " + std::string(line);
      return answer;
    }
  }
  answer.problem = "the server chose no subprotocol";
  return answer;
}

void append_client_frame(std::string& out, opcode type, std::string_view payload,
                         std::uint32_t mask) {
  out.push_back(static_cast<char>(0x80 | static_cast<unsigned>(type)));
  const std::size_t size = payload.size();
  if (size < 126) {
    out.push_back(static_cast<char>(0x80 | size));
  } else if (size <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>((size >> 8) & 0xFF));
    out.push_back(static_cast<char>(size & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xFF));
    }
  }
  const unsigned char key[4] = {
      static_cast<unsigned char>(mask >> 24), static_cast<unsigned char>(mask >> 16),
      static_cast<unsigned char>(mask >> 8), static_cast<unsigned char>(mask)};
  out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ key[i % 4]));
  }
}

void frame_parser::feed(std::string_view bytes) {
  if (problem_) return;
  // Drop what was consumed before growing the buffer.
  if (offset_ > 0 && (offset_ == buffer_.size() || offset_ > buffer_.size() / 2)) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

void frame_parser::fail(std::string why) {
  if (!problem_) problem_ = std::move(why);
}

std::optional<server_frame> frame_parser::next() {
  while (!problem_) {
    const auto available = buffer_.size() - offset_;
    if (available < 2) return std::nullopt;
    const auto* head = reinterpret_cast<const unsigned char*>(buffer_.data() + offset_);
    const bool final = (head[0] & 0x80) != 0;
    if ((head[0] & 0x70) != 0) {
      fail("reserved bits set (no extension was negotiated)");
      return std::nullopt;
    }
    const auto type = static_cast<opcode>(head[0] & 0x0F);
    if ((head[1] & 0x80) != 0) {
      fail("a server frame is masked");
      return std::nullopt;
    }
    std::size_t header = 2;
    std::uint64_t length = head[1] & 0x7F;
    if (length == 126) {
      header = 4;
      if (available < header) return std::nullopt;
      length = (std::uint64_t{head[2]} << 8) | head[3];
    } else if (length == 127) {
      header = 10;
      if (available < header) return std::nullopt;
      length = 0;
      for (int i = 2; i < 10; ++i) length = (length << 8) | head[i];
    }
    if (length > message_limit_) {
      fail("a frame of " + std::to_string(length) + " bytes is over the limit");
      return std::nullopt;
    }
    if (available < header + length) return std::nullopt;
    const std::string_view payload(buffer_.data() + offset_ + header,
                                   static_cast<std::size_t>(length));
    offset_ += header + static_cast<std::size_t>(length);

    switch (type) {
      case opcode::close:
      case opcode::ping:
      case opcode::pong:
        if (!final || length > 125) {
          fail("a control frame is fragmented or longer than 125 bytes");
          return std::nullopt;
        }
        return server_frame{type, payload};
      case opcode::text:
      case opcode::binary:
        if (in_fragments_) {
          fail("a new message began inside a fragmented one");
          return std::nullopt;
        }
        if (final) return server_frame{type, payload};
        in_fragments_ = true;
        fragments_type_ = type;
        fragments_.assign(payload);
        continue;
      case opcode::continuation:
        if (!in_fragments_) {
          fail("a continuation frame with no message to continue");
          return std::nullopt;
        }
        if (fragments_.size() + payload.size() > message_limit_) {
          fail("a fragmented message is over the limit");
          return std::nullopt;
        }
        fragments_.append(payload);
        if (!final) continue;
        in_fragments_ = false;
        return server_frame{fragments_type_, fragments_};
    }
    fail("unknown opcode " + std::to_string(static_cast<unsigned>(type)));
  }
  return std::nullopt;
}

std::uint16_t close_code_of(std::string_view close_payload) {
  if (close_payload.size() < 2) return 1005;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(close_payload[0]) << 8) |
                                    static_cast<unsigned char>(close_payload[1]));
}

}  // namespace luot::bench
