#include "kiosk/number_speaker.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "speech/pcm.hpp"

namespace luot::kiosk {

namespace {

// Two device buffers of 1024 samples at 22,050 Hz, with a margin.
constexpr auto device_latency = std::chrono::milliseconds(150);

// A fixed phrase of the template, as one segment with its clip.
void add_phrase(std::string_view phrase, speech::utterance& sentence) {
  while (!phrase.empty() && phrase.front() == ' ') phrase.remove_prefix(1);
  while (!phrase.empty() && phrase.back() == ' ') phrase.remove_suffix(1);
  if (phrase.empty()) return;
  sentence.segments.push_back({std::string(phrase), speech::clip_name(phrase)});
}

}  // namespace

speech::result<speech::utterance> your_number_sentence(std::string_view number,
                                                       const speech::reading_style& style) {
  using made = speech::result<speech::utterance>;
  const auto words = speech::display_number_words(number, style);
  if (!words) return made::failure(words.error());
  const std::string_view pattern = text::lookup(style.language, "kiosk.speech.your_number");
  const auto slot = pattern.find("{0}");
  speech::utterance sentence;
  sentence.language = style.language;
  add_phrase(pattern.substr(0, slot), sentence);
  if (slot != std::string_view::npos) {
    for (const auto word : *words) {
      sentence.segments.push_back(
          {std::string(word), std::string(speech::clip_for_word(style.language, word))});
    }
    add_phrase(pattern.substr(slot + 3), sentence);
  }
  return sentence;
}

number_speaker::number_speaker(std::unique_ptr<speech::voice> voice, speech::dialect which)
    : voice_(std::move(voice)), dialect_(which) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    throw std::runtime_error(std::string("cannot start SDL audio: ") + SDL_GetError());
  }
  SDL_AudioSpec wanted{};
  wanted.freq = speech::sample_rate;
  wanted.format = AUDIO_S16SYS;
  wanted.channels = 1;
  wanted.samples = 1024;
  SDL_AudioSpec obtained{};
  device_ = SDL_OpenAudioDevice(nullptr, 0, &wanted, &obtained, 0);
  if (device_ == 0) {
    const std::string reason = SDL_GetError();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    throw std::runtime_error("cannot open an audio device: " + reason);
  }
  SDL_PauseAudioDevice(device_, 0);
  worker_ = std::thread([this] { run(); });
}

number_speaker::~number_speaker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
  SDL_CloseAudioDevice(device_);
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void number_speaker::say(const std::string& number, text::language lang) {
  {
    std::lock_guard lock(mutex_);
    next_ = request{number, lang};
  }
  wake_.notify_all();
}

void number_speaker::wait_until_quiet() {
  std::unique_lock lock(mutex_);
  quiet_.wait(lock, [&] { return !next_ && !busy_; });
}

void number_speaker::run() {
  while (true) {
    request wanted;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || next_.has_value(); });
      if (stopping_) return;
      wanted = *std::exchange(next_, std::nullopt);
      busy_ = true;
    }
    const speech::reading_style style{wanted.language, dialect_,
                                      speech::digit_reading::whole_number};
    const auto sentence = your_number_sentence(wanted.number, style);
    if (!sentence) {
      spdlog::warn("cannot say number {}: {}", wanted.number, sentence.error());
    } else if (auto sound = voice_->speak(*sentence); !sound) {
      spdlog::warn("cannot say number {}: {}", wanted.number, sound.error());
    } else {
      // A newer number cuts the older one short.
      SDL_ClearQueuedAudio(device_);
      if (SDL_QueueAudio(device_, sound->samples.data(),
                         static_cast<Uint32>(sound->samples.size() * sizeof(std::int16_t))) != 0) {
        spdlog::warn("cannot play number {}: {}", wanted.number, SDL_GetError());
      }
      // Queued is not yet heard: the device still holds a buffer or two.
      auto heard_by = std::chrono::steady_clock::now() + device_latency;
      const auto drained = [&] {
        return SDL_GetQueuedAudioSize(device_) == 0 && std::chrono::steady_clock::now() >= heard_by;
      };
      while (!drained()) {
        if (SDL_GetQueuedAudioSize(device_) > 0) {
          heard_by = std::chrono::steady_clock::now() + device_latency;
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::milliseconds(20),
                           [&] { return stopping_ || next_.has_value(); })) {
          break;
        }
      }
    }
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    quiet_.notify_all();
  }
}

}  // namespace luot::kiosk
