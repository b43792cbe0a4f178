// RFC 6455 at the frame level, against a real server over plain TCP: the
// frames a browser or a broken client may send (fragments, control frames
// between them, pings, closes, protocol errors) and the server's keep-alive.
// The client here builds and parses frames itself, byte by byte, so it
// checks the server's framing independently of any WebSocket library.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "support.hpp"

namespace luot::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A frame as it came from the server.
struct raw_frame {
  bool fin = false;
  unsigned opcode = 0;
  std::string payload;
  // The close frame's code (0 when it had none).
  unsigned close_code() const {
    if (opcode != 0x8 || payload.size() < 2) return 0;
    return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
  }
};

class raw_client {
 public:
  raw_client(std::uint16_t port, const std::string& subprotocol) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const std::string request =
        "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " +
        subprotocol + "\r\n\r\n";
    asio::write(socket_, asio::buffer(request));
    const auto end = asio::read_until(socket_, asio::dynamic_buffer(in_), "\r\n\r\n");
    const std::string head = in_.substr(0, end);
    in_.erase(0, end);
    if (head.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("handshake: " + head);
    // RFC 6455's own example key and accept value (section 1.3).
    if (head.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == std::string::npos)
      throw std::runtime_error("wrong Sec-WebSocket-Accept: " + head);
  }

  // One frame, masked as a client's must be (unless told otherwise).
  void send_frame(unsigned first_byte, std::string_view payload, bool masked = true) {
    std::string frame;
    frame.push_back(static_cast<char>(first_byte));
    const char mask_bit = masked ? static_cast<char>(0x80) : 0;
    if (payload.size() < 126) {
      frame.push_back(static_cast<char>(mask_bit | static_cast<char>(payload.size())));
    } else {
      frame.push_back(static_cast<char>(mask_bit | 126));
      frame.push_back(static_cast<char>(payload.size() >> 8));
      frame.push_back(static_cast<char>(payload.size() & 0xff));
    }
    const std::array<unsigned char, 4> mask{0x37, 0xfa, 0x21, 0x3d};
    if (masked) frame.append(reinterpret_cast<const char*>(mask.data()), mask.size());
    for (std::size_t i = 0; i < payload.size(); ++i)
      frame.push_back(masked ? static_cast<char>(payload[i] ^ mask[i % 4]) : payload[i]);
    asio::write(socket_, asio::buffer(frame));
  }
  void send_bytes(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }

  // The next frame; nullopt when the server ended the connection. Throws
  // after `timeout`.
  std::optional<raw_frame> read(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    set_receive_timeout(socket_.native_handle(), timeout);
    if (!fill(2)) return std::nullopt;
    raw_frame frame;
    const auto first = static_cast<unsigned char>(in_[0]);
    const auto second = static_cast<unsigned char>(in_[1]);
    frame.fin = (first & 0x80) != 0;
    frame.opcode = first & 0x0f;
    if ((second & 0x80) != 0) throw std::runtime_error("the server masked a frame");
    std::size_t header = 2;
    std::uint64_t length = second & 0x7f;
    if (length >= 126) {
      const int bytes = length == 126 ? 2 : 8;
      if (!fill(2 + bytes)) throw std::runtime_error("cut inside a frame header");
      length = 0;
      for (int i = 0; i < bytes; ++i)
        length = (length << 8) | static_cast<unsigned char>(in_[2 + i]);
      header += bytes;
    }
    if (!fill(header + length)) throw std::runtime_error("cut inside a frame");
    frame.payload = in_.substr(header, length);
    in_.erase(0, header + length);
    return frame;
  }

  // Reads frames until a data frame; answers nothing.
  raw_frame read_data() {
    for (;;) {
      auto frame = read();
      if (!frame) throw std::runtime_error("closed while waiting for data");
      if (frame->opcode == 0x1 || frame->opcode == 0x2) return *frame;
    }
  }

 private:
  // Reads until `size` bytes are buffered; false at the end of the stream.
  bool fill(std::size_t size) {
    while (in_.size() < size) {
      std::array<char, 4096> chunk{};
      boost::system::error_code ec;
      const auto got = socket_.read_some(asio::buffer(chunk), ec);
      if (ec == asio::error::eof || ec == asio::error::connection_reset) return false;
      if (ec) throw std::runtime_error("read: " + ec.message());
      in_.append(chunk.data(), got);
    }
    return true;
  }

  asio::io_context context_;
  tcp::socket socket_{context_};
  std::string in_;
};

std::string ping_bytes(std::uint64_t request_id) {
  return ping_message(request_id).SerializeAsString();
}

class WebSocketProtocol : public ::testing::Test {
 protected:
  temp_dir dir_;
  running_server server_{test_settings(dir_.path() / "luot.db")};
  std::uint16_t port() const { return server_.port(); }
};

TEST_F(WebSocketProtocol, AFragmentedMessageWithAPingBetweenIsOneMessageAndThePingIsAnswered) {
  raw_client client(port(), "luot.v1.proto");
  const std::string message = ping_bytes(41);
  ASSERT_GE(message.size(), 2u);
  const auto half = message.size() / 2;
  client.send_frame(0x02, message.substr(0, half));  // binary, not final
  client.send_frame(0x89, "still there?");           // ping between fragments
  client.send_frame(0x80, message.substr(half));     // continuation, final
  const auto pong = client.read();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, 0xau);
  EXPECT_EQ(pong->payload, "still there?");
  const auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->opcode, 0x2u);
  EXPECT_TRUE(reply->fin);
  v1::ServerMessage answer;
  ASSERT_TRUE(answer.ParseFromString(reply->payload));
  EXPECT_EQ(answer.request_id(), 41u);
  EXPECT_TRUE(answer.has_pong());
  // An unsolicited pong is ignored; the connection goes on.
  client.send_frame(0x8a, "");
  client.send_frame(0x82, ping_bytes(42));
  v1::ServerMessage next;
  ASSERT_TRUE(next.ParseFromString(client.read_data().payload));
  EXPECT_EQ(next.request_id(), 42u);
}

TEST_F(WebSocketProtocol, ManyMessagesInOneWriteAreEachAnswered) {
  raw_client client(port(), "luot.v1.proto");
  // Frames are built one by one, then written together.
  std::string together;
  {
    raw_client* ignored = nullptr;
    (void)ignored;
  }
  for (std::uint64_t id = 1; id <= 20; ++id) {
    const auto payload = ping_bytes(id);
    together.push_back(static_cast<char>(0x82));
    together.push_back(static_cast<char>(payload.size()));  // masked with a zero key
    together.push_back(static_cast<char>(0x80 | payload.size()));
    together.pop_back();
    together.back() = static_cast<char>(0x80 | payload.size());
    together.append(4, '\0');
    together.append(payload);
  }
  client.send_bytes(together);
  for (std::uint64_t id = 1; id <= 20; ++id) {
    v1::ServerMessage answer;
    ASSERT_TRUE(answer.ParseFromString(client.read_data().payload));
    EXPECT_EQ(answer.request_id(), id);
  }
}

TEST_F(WebSocketProtocol, APeerCloseIsEchoedAndTheConnectionEnds) {
  raw_client client(port(), "luot.v1.proto");
  client.send_frame(0x88, std::string("\x03\xe8", 2) + "bye");
  const auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->opcode, 0x8u);
  EXPECT_EQ(reply->close_code(), 1000u);
  EXPECT_FALSE(client.read()) << "the server keeps the connection after the close handshake";
}

struct broken_case {
  const char* name;
  std::string bytes;  // whole frames, as sent
  unsigned expected_code;
};

// A frame with the given first byte and payload, masked with a zero key.
std::string masked(unsigned first_byte, std::string_view payload) {
  std::string frame;
  frame.push_back(static_cast<char>(first_byte));
  frame.push_back(static_cast<char>(0x80 | payload.size()));
  frame.append(4, '\0');
  frame.append(payload);
  return frame;
}

class WebSocketProtocolErrors : public ::testing::TestWithParam<broken_case> {};

TEST_P(WebSocketProtocolErrors, CloseWithTheRightCodeAndChangeNothing) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  take_ticket(server.port(), "A");
  const auto before = snapshot(server.port());
  const auto& broken = GetParam();
  raw_client client(server.port(), broken.name[0] == 'j' ? "luot.v1.json" : "luot.v1.proto");
  client.send_bytes(broken.bytes);
  std::optional<raw_frame> frame;
  // Skip anything answered before the bad frame.
  do {
    frame = client.read();
  } while (frame && frame->opcode != 0x8);
  ASSERT_TRUE(frame) << "no close frame";
  EXPECT_EQ(frame->close_code(), broken.expected_code);
  EXPECT_FALSE(client.read()) << "the connection stays open after a protocol error";
  EXPECT_EQ(snapshot(server.port()).seq(), before.seq());
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A002");
}

INSTANTIATE_TEST_SUITE_P(
    Frames, WebSocketProtocolErrors,
    ::testing::Values(
        broken_case{"unmasked", std::string("\x82\x02\x08\x01", 4), 1002},
        broken_case{"reserved_bits", masked(0xc2, "\x08\x01"), 1002},
        broken_case{"unknown_opcode", masked(0x83, "x"), 1002},
        broken_case{"continuation_first", masked(0x80, "x"), 1002},
        broken_case{"new_message_mid_message", masked(0x02, "x") + masked(0x82, "y"), 1002},
        broken_case{"fragmented_ping", masked(0x09, "x"), 1002},
        broken_case{
            "long_ping",
            std::string("\x89\xfe\x00\x7e", 4) + std::string(4, '\0') + std::string(126, 'p'),
            1002},
        broken_case{"close_code_1005", masked(0x88, std::string("\x03\xed", 2)), 1002},
        broken_case{"close_one_byte", masked(0x88, "x"), 1002},
        // 2^40 bytes declared: refused before a byte of it is read.
        broken_case{
            "huge_declared_length",
            std::string("\x82\xff\x00\x00\x01\x00\x00\x00\x00\x00", 10) + std::string(4, '\0'),
            1009},
        broken_case{"json_invalid_utf8", masked(0x81, "{\"ping\":\"\xff\"}"), 1007}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(WebSocketKeepAlive, ASilentPeerIsPingedThenCutAndOneThatAnswersStays) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.websocket_idle_timeout = std::chrono::seconds(5);
  running_server server(settings);
  raw_client silent(server.port(), "luot.v1.proto");
  raw_client answering(server.port(), "luot.v1.proto");
  // Pinged after half the timeout (checked every quarter), within 5 s.
  const auto ping = answering.read(std::chrono::seconds(10));
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 0x9u);
  answering.send_frame(0x8a, ping->payload);
  // The silent one gets the same ping, says nothing, and is cut off
  // within the timeout and one check more.
  const auto silent_ping = silent.read(std::chrono::seconds(10));
  ASSERT_TRUE(silent_ping);
  EXPECT_EQ(silent_ping->opcode, 0x9u);
  EXPECT_FALSE(silent.read(std::chrono::seconds(10))) << "a silent peer was not cut off";
  // The one that answered is still served.
  answering.send_frame(0x82, ping_bytes(7));
  v1::ServerMessage answer;
  ASSERT_TRUE(answer.ParseFromString(answering.read_data().payload));
  EXPECT_EQ(answer.request_id(), 7u);
}

}  // namespace
}  // namespace luot::testing
