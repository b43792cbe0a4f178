#include "text/unicode.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace luot::text {

bool is_ascii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int64_t>(text.size());
  std::int64_t at = 0;
  while (at < length) {
    UChar32 code_point = 0;
    // U8_NEXT is strict: ill-formed sequences, overlong forms and
    // surrogates give a negative code point.
    U8_NEXT(bytes, at, length, code_point);
    if (code_point < 0) return false;
  }
  return true;
}

std::vector<char32_t> decode_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int64_t>(text.size());
  std::vector<char32_t> points;
  points.reserve(text.size());
  std::int64_t at = 0;
  while (at < length) {
    UChar32 code_point = 0;
    U8_NEXT_OR_FFFD(bytes, at, length, code_point);
    points.push_back(static_cast<char32_t>(code_point));
  }
  return points;
}

std::string encode_utf8(char32_t point) {
  std::uint8_t bytes[U8_MAX_LENGTH];
  std::int32_t length = 0;
  UBool failed = false;
  U8_APPEND(bytes, length, U8_MAX_LENGTH, static_cast<UChar32>(point), failed);
  if (failed) return {};
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

std::optional<std::string> to_nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  if (!is_valid_utf8(text)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const auto* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  const icu::StringPiece source(text.data(), static_cast<std::int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(source, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  std::string composed;
  icu::StringByteSink<std::string> sink(&composed, static_cast<std::int32_t>(text.size()));
  nfc->normalizeUTF8(0, source, sink, nullptr, status);
  if (U_FAILURE(status)) return std::nullopt;
  return composed;
}

}  // namespace luot::text
