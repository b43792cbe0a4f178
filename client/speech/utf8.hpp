#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace luot::speech::detail {

// A code point read from UTF-8 text, or U+FFFD for a malformed sequence (one
// byte is consumed so reading always moves forward).
char32_t next_code_point(std::string_view text, std::size_t& position);

void append_utf8(std::string& out, char32_t code_point);

// The lowercase ASCII base letter of a Latin letter as Vietnamese writes it
// ('ệ' → 'e', 'Đ' → 'd', 'Q' → 'q'), or 0 when it is not one. Combining marks
// (text in NFD) are reported as 1 so a caller can skip them.
char base_letter(char32_t code_point);

}  // namespace luot::speech::detail
