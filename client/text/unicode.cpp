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
