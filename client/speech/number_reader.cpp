#include "speech/number_reader.hpp"

#include <array>
#include <utility>

#include "speech/utf8.hpp"

namespace luot::speech {

namespace {

// Vietnamese vocabulary. Clip names are the words without diacritics; the
// two pairs that would collide (một/mốt, mười/mươi) carry their tone's name.
constexpr std::array<vocabulary_entry, 10> vietnamese_digits = {{
    {"không", "khong"},
    {"một", "mot-nang"},
    {"hai", "hai"},
    {"ba", "ba"},
    {"bốn", "bon"},
    {"năm", "nam"},
    {"sáu", "sau"},
    {"bảy", "bay"},
    {"tám", "tam"},
    {"chín", "chin"},
}};

constexpr vocabulary_entry one_after_tens{"mốt", "mot-sac"};
constexpr vocabulary_entry four_southern{"tư", "tu"};
constexpr vocabulary_entry five_after_ten{"lăm", "lam"};
constexpr vocabulary_entry ten{"mười", "muoi-huyen"};
constexpr vocabulary_entry tens{"mươi", "muoi-ngang"};
constexpr vocabulary_entry hundred{"trăm", "tram"};
constexpr vocabulary_entry odd_north{"linh", "linh"};
constexpr vocabulary_entry odd_south{"lẻ", "le"};
constexpr vocabulary_entry thousand_north{"nghìn", "nghin"};
constexpr vocabulary_entry thousand_south{"ngàn", "ngan"};
constexpr vocabulary_entry million{"triệu", "trieu"};
constexpr vocabulary_entry billion{"tỷ", "ty"};

constexpr std::array<vocabulary_entry, 12> vietnamese_number_words = {
    one_after_tens, four_southern,  five_after_ten, ten,     tens,    hundred, odd_north,
    odd_south,      thousand_north, thousand_south, million, billion,
};

struct letter_entry {
  char32_t upper;
  char32_t lower;
  vocabulary_entry name;
};

// The letter names Vietnamese schools teach (the "tên chữ" of the 29-letter
// alphabet: bê, xê, dê, e-lờ, ét-xì, ...), plus the four foreign letters as
// they are commonly said (ép, gi, vê kép, dét).
constexpr std::array<letter_entry, 33> vietnamese_letters = {{
    {U'A', U'a', {"a", "chu-a"}},      {U'Ă', U'ă', {"á", "chu-aw"}},
    {U'Â', U'â', {"ớ", "chu-aa"}},     {U'B', U'b', {"bê", "chu-b"}},
    {U'C', U'c', {"xê", "chu-c"}},     {U'D', U'd', {"dê", "chu-d"}},
    {U'Đ', U'đ', {"đê", "chu-dd"}},    {U'E', U'e', {"e", "chu-e"}},
    {U'Ê', U'ê', {"ê", "chu-ee"}},     {U'F', U'f', {"ép", "chu-f"}},
    {U'G', U'g', {"giê", "chu-g"}},    {U'H', U'h', {"hát", "chu-h"}},
    {U'I', U'i', {"i", "chu-i"}},      {U'J', U'j', {"gi", "chu-j"}},
    {U'K', U'k', {"ca", "chu-k"}},     {U'L', U'l', {"e-lờ", "chu-l"}},
    {U'M', U'm', {"em-mờ", "chu-m"}},  {U'N', U'n', {"en-nờ", "chu-n"}},
    {U'O', U'o', {"o", "chu-o"}},      {U'Ô', U'ô', {"ô", "chu-oo"}},
    {U'Ơ', U'ơ', {"ơ", "chu-ow"}},     {U'P', U'p', {"pê", "chu-p"}},
    {U'Q', U'q', {"quy", "chu-q"}},    {U'R', U'r', {"e-rờ", "chu-r"}},
    {U'S', U's', {"ét-xì", "chu-s"}},  {U'T', U't', {"tê", "chu-t"}},
    {U'U', U'u', {"u", "chu-u"}},      {U'Ư', U'ư', {"ư", "chu-uw"}},
    {U'V', U'v', {"vê", "chu-v"}},     {U'W', U'w', {"vê kép", "chu-w"}},
    {U'X', U'x', {"ích-xì", "chu-x"}}, {U'Y', U'y', {"i dài", "chu-y"}},
    {U'Z', U'z', {"dét", "chu-z"}},
}};

constexpr std::array<std::string_view, 20> english_small = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
};
constexpr std::array<std::string_view, 10> english_tens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
};
constexpr std::array<std::string_view, 7> english_scales = {
    "", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion",
};
constexpr std::array<std::string_view, 26> english_letters = {
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
    "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
};
constexpr std::array<std::string_view, 26> english_letter_clips = {
    "letter-a", "letter-b", "letter-c", "letter-d", "letter-e", "letter-f", "letter-g",
    "letter-h", "letter-i", "letter-j", "letter-k", "letter-l", "letter-m", "letter-n",
    "letter-o", "letter-p", "letter-q", "letter-r", "letter-s", "letter-t", "letter-u",
    "letter-v", "letter-w", "letter-x", "letter-y", "letter-z",
};

std::string_view digit(unsigned value) {
  return vietnamese_digits[value].word;
}

// The units digit after "mươi" (21 mốt, 24 bốn/tư, 25 lăm).
std::string_view units_after_tens(unsigned units, dialect which) {
  if (units == 1) return one_after_tens.word;
  if (units == 4 && which == dialect::south) return four_southern.word;
  if (units == 5) return five_after_ten.word;
  return digit(units);
}

// One group of three digits. `read_zero_hundred` is set for every group after
// the first, so 1021 reads "một nghìn không trăm hai mươi mốt".
void read_group(unsigned group, bool read_zero_hundred, dialect which, words& out) {
  const unsigned hundreds = group / 100;
  const unsigned tens_digit = group / 10 % 10;
  const unsigned units = group % 10;
  const bool has_hundred = hundreds != 0 || read_zero_hundred;
  if (has_hundred) {
    out.push_back(digit(hundreds));
    out.push_back(hundred.word);
  }
  if (tens_digit == 0) {
    if (!has_hundred) {
      out.push_back(digit(units));
    } else if (units != 0) {
      // An empty tens place reads "linh"/"lẻ": 105 một trăm linh năm.
      out.push_back(which == dialect::north ? odd_north.word : odd_south.word);
      out.push_back(units == 4 && which == dialect::south ? four_southern.word : digit(units));
    }
    return;
  }
  if (tens_digit == 1) {
    out.push_back(ten.word);
    if (units == 5) {
      out.push_back(five_after_ten.word);
    } else if (units != 0) {
      out.push_back(digit(units));
    }
    return;
  }
  out.push_back(digit(tens_digit));
  out.push_back(tens.word);
  if (units != 0) out.push_back(units_after_tens(units, which));
}

std::vector<unsigned> groups_of_three(std::uint64_t number) {
  std::vector<unsigned> groups;  // most significant first
  do {
    groups.insert(groups.begin(), static_cast<unsigned>(number % 1000));
    number /= 1000;
  } while (number != 0);
  return groups;
}

void english_group(unsigned group, words& out) {
  if (group >= 100) {
    out.push_back(english_small[group / 100]);
    out.push_back("hundred");
    group %= 100;
    if (group == 0) return;
  }
  if (group < 20) {
    out.push_back(english_small[group]);
    return;
  }
  out.push_back(english_tens[group / 10]);
  if (group % 10 != 0) out.push_back(english_small[group % 10]);
}

bool is_separator(char32_t code_point) {
  return code_point == U'-' || code_point == U'.' || code_point == U' ' || code_point == U'/' ||
         code_point == U'_' || code_point == U'–' || code_point == U'—';
}

result<words> read_digits(std::string_view digits, std::string_view whole,
                          const reading_style& style) {
  words out;
  if (style.digits == digit_reading::digit_by_digit) {
    for (const char character : digits) {
      const auto value = static_cast<unsigned>(character - '0');
      out.push_back(style.language == text::language::vi ? digit(value) : english_small[value]);
    }
    return out;
  }
  const auto significant = digits.find_first_not_of('0');
  if (significant != std::string_view::npos && digits.size() - significant > 19) {
    return result<words>::failure("cannot read ticket number \"" + std::string(whole) +
                                  "\": more than 19 significant digits");
  }
  std::uint64_t value = 0;
  for (const char character : digits) value = value * 10 + static_cast<unsigned>(character - '0');
  return style.language == text::language::vi ? number_words(value, style.dialect)
                                              : english_number_words(value);
}

}  // namespace

std::string_view dialect_name(dialect which) {
  return which == dialect::north ? "north" : "south";
}

result<dialect> parse_dialect(std::string_view name) {
  if (name == "north") return dialect::north;
  if (name == "south") return dialect::south;
  return result<dialect>::failure("unknown dialect \"" + std::string(name) +
                                  "\" (expected north or south)");
}

words number_words(std::uint64_t number, dialect which) {
  words out;
  const auto groups = groups_of_three(number);
  const std::string_view thousand =
      which == dialect::north ? thousand_north.word : thousand_south.word;
  const std::array<std::string_view, 3> scale = {"", thousand, million.word};
  for (std::size_t index = 0; index < groups.size(); ++index) {
    // Counted from the right: 0 units, 1 thousands, 2 millions, 3 billions,
    // then "nghìn tỷ", "triệu tỷ", "tỷ tỷ" as Vietnamese repeats the scale.
    const std::size_t place = groups.size() - 1 - index;
    if (groups[index] != 0 || groups.size() == 1) {
      read_group(groups[index], index != 0, which, out);
      if (place % 3 != 0) out.push_back(scale[place % 3]);
    }
    if (place % 3 == 0 && place != 0) out.push_back(billion.word);
  }
  return out;
}

std::string read_number(std::uint64_t number, dialect which) {
  return join(number_words(number, which));
}

words english_number_words(std::uint64_t number) {
  if (number == 0) return {english_small[0]};
  words out;
  const auto groups = groups_of_three(number);
  for (std::size_t index = 0; index < groups.size(); ++index) {
    if (groups[index] == 0) continue;
    english_group(groups[index], out);
    const std::size_t place = groups.size() - 1 - index;
    if (place != 0) out.push_back(english_scales[place]);
  }
  return out;
}

std::string_view letter_name(text::language language, char32_t letter) {
  if (language == text::language::vi) {
    for (const auto& entry : vietnamese_letters) {
      if (entry.upper == letter || entry.lower == letter) return entry.name.word;
    }
    return {};
  }
  const char base = detail::base_letter(letter);
  if (base < 'a' || base > 'z') return {};
  // Only plain letters and the Vietnamese letter forms (Đ, Ă, Ơ...) count, not
  // vowels with a tone mark.
  const auto vietnamese = letter_name(text::language::vi, letter);
  if (letter >= 0x80 && vietnamese.empty()) return {};
  return english_letters[static_cast<std::size_t>(base - 'a')];
}

result<words> display_number_words(std::string_view display_number, const reading_style& style) {
  words out;
  std::size_t position = 0;
  std::size_t digits_begin = std::string_view::npos;
  const auto flush_digits = [&](std::size_t end) -> std::string {
    if (digits_begin == std::string_view::npos) return {};
    const auto run = display_number.substr(digits_begin, end - digits_begin);
    digits_begin = std::string_view::npos;
    auto spoken = read_digits(run, display_number, style);
    if (!spoken) return spoken.error();
    out.insert(out.end(), spoken->begin(), spoken->end());
    return {};
  };
  while (position < display_number.size()) {
    const std::size_t start = position;
    const char32_t code_point = detail::next_code_point(display_number, position);
    if (code_point >= U'0' && code_point <= U'9') {
      if (digits_begin == std::string_view::npos) digits_begin = start;
      continue;
    }
    if (auto problem = flush_digits(start); !problem.empty()) {
      return result<words>::failure(std::move(problem));
    }
    if (is_separator(code_point)) continue;
    const auto name = letter_name(style.language, code_point);
    if (name.empty()) {
      return result<words>::failure("cannot read ticket number \"" + std::string(display_number) +
                                    "\": \"" +
                                    std::string(display_number.substr(start, position - start)) +
                                    "\" is not a letter, a digit or a separator");
    }
    out.push_back(name);
  }
  if (auto problem = flush_digits(display_number.size()); !problem.empty()) {
    return result<words>::failure(std::move(problem));
  }
  if (out.empty()) {
    return result<words>::failure("cannot read ticket number \"" + std::string(display_number) +
                                  "\": it has no letters or digits");
  }
  return out;
}

result<std::string> read_display_number(std::string_view display_number,
                                        const reading_style& style) {
  auto spoken = display_number_words(display_number, style);
  if (!spoken) return result<std::string>::failure(spoken.error());
  return join(*spoken);
}

std::vector<vocabulary_entry> vocabulary(text::language language) {
  std::vector<vocabulary_entry> entries;
  if (language == text::language::vi) {
    entries.assign(vietnamese_digits.begin(), vietnamese_digits.end());
    entries.insert(entries.end(), vietnamese_number_words.begin(), vietnamese_number_words.end());
    for (const auto& letter : vietnamese_letters) entries.push_back(letter.name);
    return entries;
  }
  for (const auto word : english_small) entries.push_back({word, word});
  for (const auto word : english_tens) {
    if (!word.empty()) entries.push_back({word, word});
  }
  entries.push_back({"hundred", "hundred"});
  for (const auto word : english_scales) {
    if (!word.empty()) entries.push_back({word, word});
  }
  for (std::size_t index = 0; index < english_letters.size(); ++index) {
    entries.push_back({english_letters[index], english_letter_clips[index]});
  }
  return entries;
}

std::string_view clip_for_word(text::language language, std::string_view word) {
  static const auto vietnamese = vocabulary(text::language::vi);
  static const auto english = vocabulary(text::language::en);
  for (const auto& entry : language == text::language::vi ? vietnamese : english) {
    if (entry.word == word) return entry.clip;
  }
  return {};
}

std::string join(const words& spoken) {
  std::string out;
  for (const auto word : spoken) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace luot::speech
