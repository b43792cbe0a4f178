#pragma once

#include <SDL.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "speech/number_reader.hpp"
#include "speech/result.hpp"
#include "speech/utterance.hpp"
#include "speech/voice.hpp"

namespace luot::kiosk {

// "Số thứ tự của bạn là a mười hai" (catalogue key kiosk.speech.your_number,
// the number read the way a Vietnamese speaker reads it, in pieces a clip
// voice can assemble). Fails for a number that cannot be spoken.
speech::result<speech::utterance> your_number_sentence(std::string_view number,
                                                       const speech::reading_style& style);

// Says the number on the confirmation page, for citizens who cannot read
// the screen, with the voices the hall display uses (espeak-ng or recorded
// clips). Synthesis runs on its own thread and playback is queued to an SDL
// audio device, so say() never holds up drawing; a newer number replaces
// one not yet said.
class number_speaker {
 public:
  // Opens the audio device; throws std::runtime_error with SDL's reason.
  number_speaker(std::unique_ptr<speech::voice> voice, speech::dialect which);
  ~number_speaker();
  number_speaker(const number_speaker&) = delete;
  number_speaker& operator=(const number_speaker&) = delete;

  void say(const std::string& number, text::language lang);
  // Blocks until nothing is waiting, being synthesized or playing (tests).
  void wait_until_quiet();

 private:
  struct request {
    std::string number;
    text::language language;
  };
  void run();

  std::unique_ptr<speech::voice> voice_;
  speech::dialect dialect_;
  SDL_AudioDeviceID device_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable quiet_;
  std::optional<request> next_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace luot::kiosk
