#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/unicode.hpp"

namespace {

using luot::text::decode_utf8;
using luot::text::encode_utf8;

TEST(Utf8, DecodesVietnameseLettersAndSymbols) {
  // Precomposed letters (two and three bytes), an arrow, and a letter with
  // its mark as a separate combining code point.
  EXPECT_EQ(decode_utf8("aĐệ→"), (std::vector<char32_t>{U'a', U'Đ', U'ệ', U'→'}));
  EXPECT_EQ(decode_utf8("e\xCC\xA3"), (std::vector<char32_t>{U'e', U'\u0323'}));
  EXPECT_EQ(decode_utf8("😀"), (std::vector<char32_t>{U'\U0001F600'}));
  EXPECT_TRUE(decode_utf8("").empty());
}

TEST(Utf8, IllFormedBytesBecomeReplacementCharacters) {
  // A truncated sequence, a stray continuation byte, an overlong "/", an
  // encoded surrogate: each shows as U+FFFD and the text around it survives.
  EXPECT_EQ(decode_utf8("\xC3"), (std::vector<char32_t>{U'\uFFFD'}));
  EXPECT_EQ(decode_utf8("a\x80"
                        "b"),
            (std::vector<char32_t>{U'a', U'\uFFFD', U'b'}));
  const auto overlong = decode_utf8("\xC0\xAF");
  ASSERT_FALSE(overlong.empty());
  for (const char32_t point : overlong) EXPECT_EQ(point, U'\uFFFD');
  const auto surrogate = decode_utf8("x\xED\xA0\x80y");
  ASSERT_GE(surrogate.size(), 3u);
  EXPECT_EQ(surrogate.front(), U'x');
  EXPECT_EQ(surrogate.back(), U'y');
  for (std::size_t i = 1; i + 1 < surrogate.size(); ++i) EXPECT_EQ(surrogate[i], U'\uFFFD');
}

TEST(Utf8, EncodesWhatItDecodes) {
  const std::string text = "Phường Bến Nghé → quầy 3 😀";
  std::string again;
  for (const char32_t point : decode_utf8(text)) again += encode_utf8(point);
  EXPECT_EQ(again, text);
  EXPECT_EQ(encode_utf8(U'ệ'), "ệ");
  // Not a scalar value: nothing rather than bytes no decoder accepts.
  EXPECT_EQ(encode_utf8(static_cast<char32_t>(0xD800)), "");
  EXPECT_EQ(encode_utf8(static_cast<char32_t>(0x110000)), "");
}

}  // namespace
