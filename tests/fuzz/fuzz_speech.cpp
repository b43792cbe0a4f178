// The number reader: a ticket's display number as it is spoken, in both
// languages, dialects and digit readings (the first byte picks them; the
// rest is the display number), and whole numbers (the first 8 bytes). Every
// word it speaks must be one of the vocabulary's, which has a clip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "speech/number_reader.hpp"

namespace {

using namespace luot;

void check_words(text::language language, const speech::words& spoken) {
  for (const auto word : spoken) {
    if (!speech::clip_for_word(language, word).empty()) continue;
    __builtin_fprintf(stderr, "fuzz_speech: word without a clip: \"%.*s\"\n",
                      static_cast<int>(word.size()), word.data());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  speech::reading_style style;
  style.language = (data[0] & 1) != 0 ? text::language::en : text::language::vi;
  style.dialect = (data[0] & 2) != 0 ? speech::dialect::south : speech::dialect::north;
  style.digits = (data[0] & 4) != 0 ? speech::digit_reading::digit_by_digit
                                    : speech::digit_reading::whole_number;
  const std::string_view display(reinterpret_cast<const char*>(data + 1), size - 1);
  if (auto spoken = speech::display_number_words(display, style)) {
    check_words(style.language, *spoken);
    (void)speech::join(*spoken);
  }
  (void)speech::read_display_number(display, style);

  if (size >= 8) {
    std::uint64_t number = 0;
    std::memcpy(&number, data, sizeof number);
    check_words(text::language::vi, speech::number_words(number, speech::dialect::north));
    check_words(text::language::vi, speech::number_words(number, speech::dialect::south));
    check_words(text::language::en, speech::english_number_words(number));
  }
  return 0;
}
