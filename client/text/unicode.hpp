#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace luot::text {

// Text is compared, stored and shown in one form: Unicode NFC. A Vietnamese
// keyboard may send "à" as one code point (U+00E0) or as "a" followed by a
// combining grave accent (U+0061 U+0300); both are the same name to a
// person, so both become U+00E0 before anything looks at them. Used on
// everything from outside: requests (server/net/api/text_normalize.hpp) and
// the centre's configuration.

// Whether `text` is well-formed UTF-8: no stray continuation bytes, no
// overlong forms, no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text);

// `text` in NFC; nullopt when it is not well-formed UTF-8. ASCII comes back
// unchanged without asking ICU.
std::optional<std::string> to_nfc(std::string_view text);

// Whether every byte of `text` is ASCII.
bool is_ascii(std::string_view text);

// The code points of UTF-8 text, for drawing it glyph by glyph (the hall
// screen, the printed ticket); an ill-formed sequence becomes one U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view text);
// One code point as UTF-8 (nothing for one that is not a scalar value).
std::string encode_utf8(char32_t point);

}  // namespace luot::text
