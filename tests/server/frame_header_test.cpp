// The frame header the sessions write by hand, against RFC 6455's own
// examples (section 5.7) and the length boundaries of section 5.2.
#include "net/frame_header.hpp"

#include <gtest/gtest.h>

#include <string>

namespace luot::testing {
namespace {

std::string header(bool binary, std::uint64_t length) {
  std::array<char, 10> out{};
  const auto size = net::write_frame_header(out, binary, length);
  return std::string(out.data(), size);
}

TEST(FrameHeader, MatchesTheRfcExamples) {
  // "A single-frame unmasked text message": 0x81 0x05 "Hello".
  EXPECT_EQ(header(false, 5), std::string("\x81\x05", 2));
  // "256 bytes binary message in a single unmasked frame".
  EXPECT_EQ(header(true, 256), std::string("\x82\x7e\x01\x00", 4));
  // "64KiB binary message in a single unmasked frame".
  EXPECT_EQ(header(true, 65536), std::string("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

TEST(FrameHeader, UsesTheShortestLengthAtEachBoundary) {
  EXPECT_EQ(header(true, 0), std::string("\x82\x00", 2));
  EXPECT_EQ(header(true, 125), std::string("\x82\x7d", 2));
  EXPECT_EQ(header(true, 126), std::string("\x82\x7e\x00\x7e", 4));
  EXPECT_EQ(header(false, 65535), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(header(false, 0x0102030405ULL),
            std::string("\x81\x7f\x00\x00\x00\x01\x02\x03\x04\x05", 10));
}

}  // namespace
}  // namespace luot::testing
