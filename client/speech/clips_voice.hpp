#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "speech/voice.hpp"

namespace luot::speech {

struct clips_settings {
  // Silence between two clips, and at a comma.
  std::chrono::milliseconds gap{40};
  std::chrono::milliseconds comma_pause{250};
};

// A voice assembled from WAV clips a centre records with a human voice: one
// file per segment of the sentence, named by the segment's clip plus ".wav"
// (moi-cong-dan-co-so-thu-tu.wav, mot-nang.wav, muoi-ngang.wav, chu-a.wav,
// den-quay-so.wav, ...; README.md lists them all). Clips are loaded on first
// use and kept in memory.
class clips_voice final : public voice {
 public:
  // Throws std::runtime_error when the directory does not exist.
  explicit clips_voice(std::filesystem::path directory, clips_settings settings = {});

  // Fails naming the first missing or unreadable file, e.g.
  // "missing voice clip /srv/clips/muoi-huyen.wav (for \"mười\")".
  result<pcm> speak(const utterance& sentence) override;
  std::string description() const override;

  // The clip files a sentence needs that the directory lacks.
  std::vector<std::filesystem::path> missing_clips(const utterance& sentence) const;

 private:
  result<const pcm*> clip(const segment& piece);

  std::filesystem::path directory_;
  clips_settings settings_;
  std::map<std::string, pcm> loaded_;
};

}  // namespace luot::speech
