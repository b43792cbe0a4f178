#include "speech/utterance.hpp"

#include "speech/utf8.hpp"

namespace luot::speech {

namespace {

bool starts_with_punctuation(std::string_view text) {
  return !text.empty() &&
         (text.front() == ',' || text.front() == '.' || text.front() == ';' ||
          text.front() == ':' || text.front() == '!' || text.front() == '?' || text.front() == ')');
}

}  // namespace

std::string utterance::text() const {
  std::string out;
  for (const auto& piece : segments) {
    if (piece.text.empty()) continue;
    if (!out.empty() && !starts_with_punctuation(piece.text)) out += ' ';
    out += piece.text;
  }
  return out;
}

std::string clip_name(std::string_view phrase) {
  std::string out;
  bool pending_dash = false;
  std::size_t position = 0;
  while (position < phrase.size()) {
    const char32_t code_point = detail::next_code_point(phrase, position);
    char base = detail::base_letter(code_point);
    if (base == 1) continue;  // a combining mark of text in NFD
    if (base == 0 && code_point >= U'0' && code_point <= U'9') base = static_cast<char>(code_point);
    if (base == 0) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += base;
  }
  return out;
}

}  // namespace luot::speech
