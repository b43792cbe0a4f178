#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "speech/result.hpp"

namespace luot::speech {

// Every sound in this library (chime, voices, the audio device) is 16-bit
// signed mono at 22,050 Hz: espeak-ng's native rate, plenty for speech and a
// chime, and half the data of 44.1 kHz.
inline constexpr int sample_rate = 22050;

// A stretch of sound in that format.
struct pcm {
  std::vector<std::int16_t> samples;

  std::chrono::milliseconds duration() const;
  void append(const pcm& other);
  void append_silence(std::chrono::milliseconds length);
};

// Samples in another format converted to ours (mixed to mono, resampled).
// `channels` and `rate` describe the input, which is 16-bit signed.
result<pcm> convert(std::span<const std::int16_t> samples, int channels, int rate);

// A WAV file of any format SDL reads (PCM 8/16/24/32-bit, float, IMA/MS
// ADPCM; any rate; mono or stereo), converted to ours.
result<pcm> load_wav(const std::filesystem::path& file);

// Writes a plain 16-bit mono WAV file (tests, and a technician's --save).
result<bool> save_wav(const std::filesystem::path& file, const pcm& sound);

// The largest absolute sample value and the root mean square, for telling
// silence from sound.
struct loudness {
  int peak = 0;
  double rms = 0;
};
loudness measure(std::span<const std::int16_t> samples);

}  // namespace luot::speech
