#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "speech/number_reader.hpp"
#include "speech/pcm.hpp"
#include "speech/result.hpp"
#include "speech/utterance.hpp"

namespace luot::speech {

// Something that turns a sentence into sound in the library's format
// (pcm.hpp). Voices are used from one thread at a time.
class voice {
 public:
  virtual ~voice() = default;
  virtual result<pcm> speak(const utterance& sentence) = 0;
  // For logs: "espeak-ng vi", "clips /srv/luot/clips", "none".
  virtual std::string description() const = 0;
};

// No voice: announcements are the chime alone.
class silent_voice final : public voice {
 public:
  result<pcm> speak(const utterance& sentence) override;
  std::string description() const override { return "none"; }
};

// A voice from its command-line form: "espeak" (the dialect's espeak-ng
// voice), "espeak:VOICE" (e.g. espeak:vi-vn-x-central), "clips:DIR" or
// "none". Fails with a readable reason (unknown form, missing directory,
// espeak-ng not usable).
result<std::unique_ptr<voice>> make_voice(std::string_view spec, dialect which);

}  // namespace luot::speech
