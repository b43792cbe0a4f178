#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace luot::bench {

// WebSocket opcodes (RFC 6455, section 5.2).
enum class opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// The HTTP/1.1 request that opens a WebSocket on `path` asking for
// `subprotocol`. The key is fixed: the benchmark trusts the server it
// started, so it does not check Sec-WebSocket-Accept.
std::string upgrade_request(std::string_view path, std::string_view subprotocol);

// The server's answer to the upgrade request, read from the bytes received
// so far.
struct upgrade_answer {
  // The blank line after the headers has arrived.
  bool complete = false;
  // 101 Switching Protocols with the subprotocol asked for.
  bool accepted = false;
  // Why it was not accepted, in English.
  std::string problem;
  // Bytes of the input the answer used; anything after them is frames.
  std::size_t header_bytes = 0;
};

upgrade_answer read_upgrade_answer(std::string_view received, std::string_view subprotocol);

// Appends one client frame with FIN set, masked with `mask` as RFC 6455
// requires of every frame a client sends.
void append_client_frame(std::string& out, opcode type, std::string_view payload,
                         std::uint32_t mask);

// One complete message from the server: a data message reassembled from
// its fragments, or a control frame. The payload stays valid until the
// parser is fed or asked for the next message.
struct server_frame {
  opcode type = opcode::binary;
  std::string_view payload;
};

// Turns the bytes a server sends into messages, across reads and fragments
// (Beast splits messages larger than its write buffer into several frames).
class frame_parser {
 public:
  frame_parser() = default;
  explicit frame_parser(std::size_t message_limit) : message_limit_(message_limit) {}

  // Adds received bytes.
  void feed(std::string_view bytes);
  // The next complete message, or nothing until more bytes arrive (or after
  // a protocol error: see problem()).
  std::optional<server_frame> next();
  // Why the stream is not valid WebSocket from a server, once it is not.
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  void fail(std::string why);

  std::size_t message_limit_ = 64 * 1024 * 1024;
  std::string buffer_;
  std::size_t offset_ = 0;
  // A fragmented data message being reassembled.
  std::string fragments_;
  bool in_fragments_ = false;
  opcode fragments_type_ = opcode::binary;
  std::optional<std::string> problem_;
};

// The status code a close frame carries (1005, "no status", when it has
// none).
std::uint16_t close_code_of(std::string_view close_payload);

}  // namespace luot::bench
