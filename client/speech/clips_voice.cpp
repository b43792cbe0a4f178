#include "speech/clips_voice.hpp"

#include <stdexcept>
#include <system_error>

namespace luot::speech {

clips_voice::clips_voice(std::filesystem::path directory, clips_settings settings)
    : directory_(std::move(directory)), settings_(settings) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory_, error)) {
    throw std::runtime_error("voice clip directory " + directory_.string() + " does not exist");
  }
}

result<const pcm*> clips_voice::clip(const segment& piece) {
  if (const auto found = loaded_.find(piece.clip); found != loaded_.end()) return &found->second;
  const auto file = directory_ / (piece.clip + ".wav");
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    return result<const pcm*>::failure("missing voice clip " + file.string() + " (for \"" +
                                       piece.text + "\")");
  }
  auto sound = load_wav(file);
  if (!sound) return result<const pcm*>::failure(sound.error());
  return &loaded_.emplace(piece.clip, std::move(sound).value()).first->second;
}

result<pcm> clips_voice::speak(const utterance& sentence) {
  pcm out;
  for (const auto& piece : sentence.segments) {
    if (piece.clip.empty()) {
      out.append_silence(settings_.comma_pause);
      continue;
    }
    auto sound = clip(piece);
    if (!sound) return result<pcm>::failure(sound.error());
    if (!out.samples.empty()) out.append_silence(settings_.gap);
    out.append(**sound);
  }
  return out;
}

std::string clips_voice::description() const {
  return "clips " + directory_.string();
}

std::vector<std::filesystem::path> clips_voice::missing_clips(const utterance& sentence) const {
  std::vector<std::filesystem::path> missing;
  for (const auto& piece : sentence.segments) {
    if (piece.clip.empty()) continue;
    const auto file = directory_ / (piece.clip + ".wav");
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) missing.push_back(file);
  }
  return missing;
}

}  // namespace luot::speech
