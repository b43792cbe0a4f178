#pragma once

#include <string>
#include <vector>

#include "speech/number_reader.hpp"
#include "speech/voice.hpp"

namespace luot::speech {

struct espeak_settings {
  // The espeak-ng voice for Vietnamese sentences; English ones use "en".
  std::string vietnamese_voice = "vi";
  int words_per_minute = 140;  // slower than espeak's 175: a hall echoes
  int pitch = 50;              // espeak's 0-100 scale
};

// The espeak-ng voice for a dialect: "vi" (Northern) or "vi-vn-x-south".
std::string espeak_voice_for(dialect which);

// espeak-ng through libespeak-ng in synchronous mode: the synth callback
// collects samples into a buffer, no subprocess, no audio device. The
// library keeps global state, so every call is serialized process-wide.
class espeak_voice final : public voice {
 public:
  // Throws std::runtime_error when libespeak-ng cannot start or the voice is
  // not installed (the message names the voice and the ones available).
  explicit espeak_voice(espeak_settings settings = {});

  result<pcm> speak(const utterance& sentence) override;
  std::string description() const override;

  // The names of the installed voices for a language ("vi" → vi,
  // vi-vn-x-central, vi-vn-x-south).
  static std::vector<std::string> installed_voices(std::string_view language);

 private:
  espeak_settings settings_;
};

}  // namespace luot::speech
