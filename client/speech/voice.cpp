#include "speech/voice.hpp"

#include <stdexcept>

#include "speech/clips_voice.hpp"
#include "speech/espeak_voice.hpp"

namespace luot::speech {

result<pcm> silent_voice::speak(const utterance&) {
  return pcm{};
}

result<std::unique_ptr<voice>> make_voice(std::string_view spec, dialect which) {
  using made = result<std::unique_ptr<voice>>;
  try {
    if (spec == "none") return made(std::make_unique<silent_voice>());
    if (spec == "espeak" || spec.starts_with("espeak:")) {
      espeak_settings settings;
      settings.vietnamese_voice =
          spec == "espeak" ? espeak_voice_for(which) : std::string(spec.substr(7));
      return made(std::make_unique<espeak_voice>(std::move(settings)));
    }
    if (spec.starts_with("clips:") && spec.size() > 6) {
      return made(std::make_unique<clips_voice>(std::filesystem::path(spec.substr(6))));
    }
  } catch (const std::exception& problem) {
    return made::failure(problem.what());
  }
  return made::failure("unknown voice \"" + std::string(spec) +
                       "\" (expected espeak, espeak:VOICE, clips:DIR or none)");
}

}  // namespace luot::speech
