#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "speech/result.hpp"
#include "text/catalogue.hpp"

namespace luot::speech {

// How a region reads numbers aloud. Northern: "nghìn", "linh", and 4 is always
// "bốn" (hai mươi bốn, một trăm linh bốn). Southern: "ngàn", "lẻ", and 4 after
// "mươi" or "lẻ" is "tư" (hai mươi tư, một trăm lẻ tư). Both say "mười bốn".
enum class dialect { north, south };

// How the digits of a ticket number are read: "A007" as "a bảy" (whole
// number) or "a không không bảy" (digit by digit).
enum class digit_reading { whole_number, digit_by_digit };

std::string_view dialect_name(dialect which);
result<dialect> parse_dialect(std::string_view name);

// Everything that decides how a number sounds.
struct reading_style {
  text::language language = text::language::vi;
  speech::dialect dialect = dialect::north;
  speech::digit_reading digits = digit_reading::whole_number;
};

// Spoken words, each one a word of a fixed vocabulary (see clip_for_word).
using words = std::vector<std::string_view>;

// A whole number as a Vietnamese speaker reads it:
// 1021 → "một nghìn không trăm hai mươi mốt".
words number_words(std::uint64_t number, dialect which);
std::string read_number(std::uint64_t number, dialect which);

// A whole number in English: 1021 → "one thousand twenty one".
words english_number_words(std::uint64_t number);

// The name of a letter when spelled aloud ("L" → "e-lờ" in Vietnamese, "el"
// in English); empty when the code point is not a letter of the alphabet.
std::string_view letter_name(text::language language, char32_t letter);

// A ticket's display number as it is spoken: letters by their names, runs of
// digits as numbers (or digit by digit), separators such as '-' or '.' silent.
// "A007" → "a bảy". Anything else (empty text, '#', 25 digits) is an error
// that quotes the input.
result<words> display_number_words(std::string_view display_number, const reading_style& style);
result<std::string> read_display_number(std::string_view display_number,
                                        const reading_style& style);

// The name of the recorded clip (without ".wav") for one vocabulary word
// ("mười" → "muoi-huyen", "mươi" → "muoi-ngang"); empty for any other word.
std::string_view clip_for_word(text::language language, std::string_view word);

// Every vocabulary word of a language with its clip, in a stable order: the
// list a centre records.
struct vocabulary_entry {
  std::string_view word;
  std::string_view clip;
};
std::vector<vocabulary_entry> vocabulary(text::language language);

// Words joined by single spaces.
std::string join(const words& spoken);

}  // namespace luot::speech
