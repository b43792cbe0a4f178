#include "message_peek.hpp"

#include "luot/v1/luot.pb.h"

namespace luot::bench {

namespace {

// Reads protobuf wire format (varints, tags, lengths) from a byte range.
class wire_reader {
 public:
  explicit wire_reader(std::string_view bytes)
      : at_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(at_ + bytes.size()) {}

  bool done() const { return at_ == end_; }

  bool varint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == end_) return false;
      const unsigned char byte = *at_++;
      value |= std::uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  // The bytes of a length-delimited field.
  bool bytes(std::string_view& value) {
    std::uint64_t length = 0;
    if (!varint(length) || length > static_cast<std::uint64_t>(end_ - at_)) return false;
    value = std::string_view(reinterpret_cast<const char*>(at_), static_cast<std::size_t>(length));
    at_ += length;
    return true;
  }

  bool skip(unsigned wire_type) {
    std::uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (wire_type) {
      case 0:
        return varint(ignored);
      case 1:
        return advance(8);
      case 2:
        return bytes(ignored_bytes);
      case 5:
        return advance(4);
      default:
        return false;
    }
  }

 private:
  bool advance(std::size_t count) {
    if (static_cast<std::size_t>(end_ - at_) < count) return false;
    at_ += count;
    return true;
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

// The varint field `field` of an embedded message (its first occurrence).
bool varint_field(std::string_view message, std::uint64_t field, std::uint64_t& value) {
  wire_reader in(message);
  while (!in.done()) {
    std::uint64_t tag = 0;
    if (!in.varint(tag)) return false;
    if ((tag >> 3) == field && (tag & 7) == 0) return in.varint(value);
    if (!in.skip(static_cast<unsigned>(tag & 7))) return false;
  }
  return true;
}

// Where each body keeps its seq (0: it has none).
std::uint64_t seq_field_of(int body) {
  switch (body) {
    case v1::ServerMessage::kView:
    case v1::ServerMessage::kUpdate:
    case v1::ServerMessage::kSubscribed:
      return 1;
    case v1::ServerMessage::kWelcome:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

std::optional<message_peek> peek_server_message(std::string_view bytes) {
  message_peek peek;
  wire_reader in(bytes);
  while (!in.done()) {
    std::uint64_t tag = 0;
    if (!in.varint(tag)) return std::nullopt;
    const auto field = tag >> 3;
    const auto wire_type = static_cast<unsigned>(tag & 7);
    if (field == 1 && wire_type == 0) {
      if (!in.varint(peek.request_id)) return std::nullopt;
    } else if (wire_type == 2 && field >= 2 && field < 64) {
      std::string_view body;
      if (!in.bytes(body)) return std::nullopt;
      peek.body = static_cast<int>(field);
      peek.seq = 0;
      if (const auto seq_field = seq_field_of(peek.body);
          seq_field != 0 && !varint_field(body, seq_field, peek.seq)) {
        return std::nullopt;
      }
    } else if (!in.skip(wire_type)) {
      return std::nullopt;
    }
  }
  return peek;
}

}  // namespace luot::bench
