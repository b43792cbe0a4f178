#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/catalogue.hpp"

namespace luot::speech {

// One piece of a sentence: what is said, and the recorded clip that says it
// ("mười" / "muoi-huyen", "Mời công dân có số thứ tự" / "moi-cong-dan-co-so-thu-tu").
// A segment with no clip is punctuation: a short pause.
struct segment {
  std::string text;
  std::string clip;
};

// A sentence to be spoken, kept in pieces so a voice made of recorded clips
// can assemble it without parsing Vietnamese back out of a string.
struct utterance {
  text::language language = text::language::vi;
  std::vector<segment> segments;

  // The sentence as text: segments joined by spaces, no space before
  // punctuation ("Number one, please go to counter five").
  std::string text() const;
};

// The clip name for a phrase: lowercase ASCII without diacritics, words
// joined by '-', punctuation dropped ("Mời công dân" → "moi-cong-dan",
// "Quầy Trả kết quả" → "quay-tra-ket-qua").
std::string clip_name(std::string_view phrase);

}  // namespace luot::speech
