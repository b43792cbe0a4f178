#pragma once

#include <chrono>

#include "speech/pcm.hpp"

namespace luot::speech {

// The two-note "ding-dong" played before every announcement, generated in
// code so the project ships no sound file it did not make itself.
struct chime_settings {
  double first_hertz = 659.25;   // E5
  double second_hertz = 523.25;  // C5, a major third below: the familiar hall chime
  std::chrono::milliseconds note_spacing{550};
  std::chrono::milliseconds note_length{900};
  double volume = 0.45;  // of full scale, leaving headroom for the voice
};

// Each note is a bell: a fundamental with two quieter partials, a 5 ms attack
// (no click) and an exponential decay.
pcm make_chime(const chime_settings& settings = {});

}  // namespace luot::speech
