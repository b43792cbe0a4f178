#include "speech/pcm.hpp"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

namespace luot::speech {

std::chrono::milliseconds pcm::duration() const {
  return std::chrono::milliseconds(static_cast<std::int64_t>(samples.size()) * 1000 / sample_rate);
}

void pcm::append(const pcm& other) {
  samples.insert(samples.end(), other.samples.begin(), other.samples.end());
}

void pcm::append_silence(std::chrono::milliseconds length) {
  samples.resize(samples.size() + static_cast<std::size_t>(length.count() * sample_rate / 1000), 0);
}

namespace {

// SDL's converter does the channel mixing and resampling (windowed sinc) on
// the whole buffer at once; it needs no SDL_Init, so this works in a program
// that never opens an audio device. (SDL_AudioStream would do the same but
// drops the last few milliseconds of a clip when flushed.)
result<pcm> convert_with_sdl(const void* data, std::size_t bytes, SDL_AudioFormat format,
                             int channels, int rate) {
  SDL_AudioCVT converter;
  if (SDL_BuildAudioCVT(&converter, format, static_cast<Uint8>(channels), rate, AUDIO_S16SYS, 1,
                        sample_rate) < 0) {
    return result<pcm>::failure(std::string("cannot convert audio: ") + SDL_GetError());
  }
  std::vector<Uint8> buffer(bytes * static_cast<std::size_t>(converter.len_mult) + 16);
  std::memcpy(buffer.data(), data, bytes);
  converter.buf = buffer.data();
  converter.len = static_cast<int>(bytes);
  if (SDL_ConvertAudio(&converter) != 0) {
    return result<pcm>::failure(std::string("cannot convert audio: ") + SDL_GetError());
  }
  pcm out;
  out.samples.resize(static_cast<std::size_t>(converter.len_cvt) / sizeof(std::int16_t));
  std::memcpy(out.samples.data(), buffer.data(), out.samples.size() * sizeof(std::int16_t));
  return out;
}

void put_u32(std::ofstream& out, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value & 0xFF), static_cast<char>((value >> 8) & 0xFF),
                         static_cast<char>((value >> 16) & 0xFF),
                         static_cast<char>((value >> 24) & 0xFF)};
  out.write(bytes, 4);
}

void put_u16(std::ofstream& out, std::uint16_t value) {
  const char bytes[2] = {static_cast<char>(value & 0xFF), static_cast<char>((value >> 8) & 0xFF)};
  out.write(bytes, 2);
}

}  // namespace

result<pcm> convert(std::span<const std::int16_t> samples, int channels, int rate) {
  if (channels == 1 && rate == sample_rate) return pcm{{samples.begin(), samples.end()}};
  if (channels < 1 || channels > 8 || rate <= 0) {
    return result<pcm>::failure("cannot convert audio with " + std::to_string(channels) +
                                " channels at " + std::to_string(rate) + " Hz");
  }
  return convert_with_sdl(samples.data(), samples.size_bytes(), AUDIO_S16SYS, channels, rate);
}

result<pcm> load_wav(const std::filesystem::path& file) {
  SDL_AudioSpec spec{};
  Uint8* buffer = nullptr;
  Uint32 length = 0;
  if (SDL_LoadWAV(file.c_str(), &spec, &buffer, &length) == nullptr) {
    return result<pcm>::failure("cannot read WAV file " + file.string() + ": " + SDL_GetError());
  }
  auto converted = convert_with_sdl(buffer, length, spec.format, spec.channels, spec.freq);
  SDL_FreeWAV(buffer);
  if (!converted) return result<pcm>::failure(file.string() + ": " + converted.error());
  return converted;
}

result<bool> save_wav(const std::filesystem::path& file, const pcm& sound) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return result<bool>::failure("cannot write " + file.string());
  const auto data_bytes = static_cast<std::uint32_t>(sound.samples.size() * 2);
  out.write("RIFF", 4);
  put_u32(out, 36 + data_bytes);
  out.write("WAVEfmt ", 8);
  put_u32(out, 16);
  put_u16(out, 1);  // PCM
  put_u16(out, 1);  // mono
  put_u32(out, sample_rate);
  put_u32(out, sample_rate * 2);
  put_u16(out, 2);
  put_u16(out, 16);
  out.write("data", 4);
  put_u32(out, data_bytes);
  for (const auto sample : sound.samples) put_u16(out, static_cast<std::uint16_t>(sample));
  if (!out) return result<bool>::failure("cannot write " + file.string());
  return true;
}

loudness measure(std::span<const std::int16_t> samples) {
  loudness level;
  double sum = 0;
  for (const auto sample : samples) {
    level.peak = std::max(level.peak, std::abs(static_cast<int>(sample)));
    sum += static_cast<double>(sample) * sample;
  }
  if (!samples.empty()) level.rms = std::sqrt(sum / static_cast<double>(samples.size()));
  return level;
}

}  // namespace luot::speech
