#include "speech/utf8.hpp"

#include <string_view>
#include <unordered_map>

namespace luot::speech::detail {

char32_t next_code_point(std::string_view text, std::size_t& position) {
  const auto lead = static_cast<unsigned char>(text[position]);
  std::size_t length = 1;
  char32_t value = lead;
  if (lead >= 0xF0 && lead < 0xF8) {
    length = 4;
    value = lead & 0x07U;
  } else if (lead >= 0xE0) {
    length = 3;
    value = lead & 0x0FU;
  } else if (lead >= 0xC0) {
    length = 2;
    value = lead & 0x1FU;
  } else if (lead >= 0x80) {
    ++position;
    return U'\uFFFD';
  }
  if (position + length > text.size()) {
    ++position;
    return U'\uFFFD';
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto continuation = static_cast<unsigned char>(text[position + i]);
    if ((continuation & 0xC0U) != 0x80U) {
      ++position;
      return U'\uFFFD';
    }
    value = (value << 6U) | (continuation & 0x3FU);
  }
  // Overlong forms (C0 B2 for '2'), surrogates and values past U+10FFFF are
  // not UTF-8: read as ASCII they would slip past every check on digits.
  static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < smallest[length] || (value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
    ++position;
    return U'\uFFFD';
  }
  position += length;
  return value;
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0U | (code_point >> 6U));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0U | (code_point >> 12U));
    out += static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  } else {
    out += static_cast<char>(0xF0U | (code_point >> 18U));
    out += static_cast<char>(0x80U | ((code_point >> 12U) & 0x3FU));
    out += static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  }
}

namespace {

// Every precomposed Vietnamese vowel (both cases) grouped by its base letter.
constexpr std::pair<char, std::u32string_view> vietnamese_letters[] = {
    {'a', U"àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"},
    {'e', U"èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"},
    {'i', U"ìíỉĩịÌÍỈĨỊ"},
    {'o', U"òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"},
    {'u', U"ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"},
    {'y', U"ỳýỷỹỵỲÝỶỸỴ"},
    {'d', U"đĐ"},
};

const std::unordered_map<char32_t, char>& letter_table() {
  static const auto table = [] {
    std::unordered_map<char32_t, char> built;
    for (const auto& [base, letters] : vietnamese_letters) {
      for (const char32_t letter : letters) built.emplace(letter, base);
    }
    return built;
  }();
  return table;
}

}  // namespace

char base_letter(char32_t code_point) {
  if (code_point >= U'a' && code_point <= U'z') return static_cast<char>(code_point);
  if (code_point >= U'A' && code_point <= U'Z') return static_cast<char>(code_point - U'A' + U'a');
  if (code_point >= 0x300 && code_point <= 0x36F) return 1;
  const auto& table = letter_table();
  const auto found = table.find(code_point);
  return found == table.end() ? 0 : found->second;
}

}  // namespace luot::speech::detail
