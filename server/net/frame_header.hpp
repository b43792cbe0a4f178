#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace luot::net {

// The header of a server's WebSocket frame holding one whole data message
// (RFC 6455 section 5.2): FIN and the opcode (2 binary, 1 text), no mask
// (a server never masks), then the payload length in 7 bits, or 126 and 16
// bits, or 127 and 64 bits, big-endian. Returns how many bytes of `out` it
// used (2, 4 or 10). A frame is this header followed by the payload, so one
// payload serves every subscriber and only these bytes are built per write.
inline std::size_t write_frame_header(std::array<char, 10>& out, bool binary,
                                      std::uint64_t length) {
  std::size_t at = 0;
  out[at++] = static_cast<char>(binary ? 0x82 : 0x81);
  if (length < 126) {
    out[at++] = static_cast<char>(length);
    return at;
  }
  const int bytes = length <= 0xffff ? 2 : 8;
  out[at++] = static_cast<char>(bytes == 2 ? 126 : 127);
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
    out[at++] = static_cast<char>((length >> shift) & 0xff);
  return at;
}

}  // namespace luot::net
