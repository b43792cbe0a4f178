#include "speech/espeak_voice.hpp"

#include <espeak-ng/speak_lib.h>

#include <mutex>
#include <stdexcept>

namespace luot::speech {

namespace {

// libespeak-ng has one global synthesizer: one lock guards every call.
std::mutex& espeak_lock() {
  static std::mutex lock;
  return lock;
}

int collect_samples(short* samples, int count, espeak_EVENT* events) {
  if (samples != nullptr && count > 0 && events != nullptr) {
    auto* out = static_cast<std::vector<std::int16_t>*>(events->user_data);
    out->insert(out->end(), samples, samples + count);
  }
  return 0;  // go on synthesizing
}

// Starts libespeak-ng once per process and returns its sample rate, or a
// negative number when it could not start. Called with the lock held.
int espeak_sample_rate() {
  static const int rate = [] {
    // Without DONT_EXIT the library calls exit() when its data is missing.
    const int started =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (started > 0) espeak_SetSynthCallback(collect_samples);
    return started;
  }();
  return rate;
}

// What espeak-ng is given: hyphenated letter names said as two syllables
// ("e-lờ" → "e lờ"); in English a lone "A" is the letter, not the article.
std::string espeak_text(const utterance& sentence) {
  utterance prepared = sentence;
  for (auto& piece : prepared.segments) {
    if (sentence.language == text::language::en && piece.text == "A") piece.text = "eigh";
    for (auto& character : piece.text) {
      if (character == '-') character = ' ';
    }
  }
  return prepared.text();
}

std::vector<std::string> list_voices(std::string_view language) {
  std::vector<std::string> names;
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (; voices != nullptr && *voices != nullptr; ++voices) {
    // `languages` is a list of (priority byte, name, NUL), ended by a zero byte.
    for (const char* entry = (*voices)->languages; entry != nullptr && *entry != 0;) {
      const std::string name(entry + 1);
      if (name == language || name.starts_with(std::string(language) + "-")) names.push_back(name);
      entry += 1 + name.size() + 1;
    }
  }
  return names;
}

}  // namespace

std::string espeak_voice_for(dialect which) {
  return which == dialect::north ? "vi" : "vi-vn-x-south";
}

espeak_voice::espeak_voice(espeak_settings settings) : settings_(std::move(settings)) {
  const std::lock_guard guard(espeak_lock());
  if (espeak_sample_rate() <= 0) {
    throw std::runtime_error("libespeak-ng could not start (is espeak-ng-data installed?)");
  }
  if (espeak_SetVoiceByName(settings_.vietnamese_voice.c_str()) != EE_OK) {
    std::string available;
    for (const auto& name : list_voices("vi")) available += (available.empty() ? "" : ", ") + name;
    throw std::runtime_error(
        "espeak-ng has no voice \"" + settings_.vietnamese_voice +
        "\" (Vietnamese voices installed: " + (available.empty() ? "none" : available) + ")");
  }
}

result<pcm> espeak_voice::speak(const utterance& sentence) {
  const std::string text = espeak_text(sentence);
  std::vector<std::int16_t> samples;
  int rate = 0;
  {
    const std::lock_guard guard(espeak_lock());
    rate = espeak_sample_rate();
    const std::string& name =
        sentence.language == text::language::vi ? settings_.vietnamese_voice : "en";
    if (espeak_SetVoiceByName(name.c_str()) != EE_OK) {
      return result<pcm>::failure("espeak-ng has no voice \"" + name + "\"");
    }
    espeak_SetParameter(espeakRATE, settings_.words_per_minute, 0);
    espeak_SetParameter(espeakPITCH, settings_.pitch, 0);
    const espeak_ERROR status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                             espeakCHARS_UTF8, nullptr, &samples);
    if (status != EE_OK) {
      return result<pcm>::failure("espeak-ng could not say \"" + text + "\" (error " +
                                  std::to_string(static_cast<int>(status)) + ")");
    }
  }
  return convert(samples, 1, rate);
}

std::string espeak_voice::description() const {
  return "espeak-ng " + settings_.vietnamese_voice;
}

std::vector<std::string> espeak_voice::installed_voices(std::string_view language) {
  const std::lock_guard guard(espeak_lock());
  if (espeak_sample_rate() <= 0) return {};
  return list_voices(language);
}

}  // namespace luot::speech
