#include "speech/announcer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace luot::speech {

namespace {

std::string_view kind_name(call_kind kind) {
  return kind == call_kind::call ? "call" : "recall";
}

}  // namespace

pcm compose_announcement(const utterance& sentence, voice& speaker,
                         const announcer_settings& settings) {
  pcm sound = make_chime(settings.chime);
  auto spoken = speaker.speak(sentence);
  if (!spoken) {
    spdlog::error("voice {} cannot say \"{}\": {}", speaker.description(), sentence.text(),
                  spoken.error());
  } else if (!spoken->samples.empty()) {
    for (int time = 0; time < std::max(1, settings.repetitions); ++time) {
      sound.append_silence(time == 0 ? settings.after_chime : settings.between_repetitions);
      sound.append(*spoken);
    }
  }
  sound.append_silence(settings.after_announcement);
  return sound;
}

announcer::announcer(announcer_settings settings, std::unique_ptr<voice> speaker,
                     std::optional<std::uint64_t> last_announced_seq,
                     announced_callback on_announced)
    : settings_(std::move(settings)),
      voice_(speaker ? std::move(speaker) : std::make_unique<silent_voice>()),
      on_announced_(std::move(on_announced)),
      floor_(last_announced_seq),
      last_announced_(last_announced_seq) {
  if (settings_.repetitions < 1) settings_.repetitions = 1;
  if (settings_.remembered_seqs < 1) settings_.remembered_seqs = 1;
  if (settings_.audio == audio_output::on) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
      throw std::runtime_error(std::string("cannot start SDL audio: ") + SDL_GetError());
    }
    // Our own format; SDL converts if the hardware wants another.
    SDL_AudioSpec wanted{};
    wanted.freq = sample_rate;
    wanted.format = AUDIO_S16SYS;
    wanted.channels = 1;
    wanted.samples = 1024;
    SDL_AudioSpec obtained{};
    device_ = SDL_OpenAudioDevice(
        settings_.audio_device.empty() ? nullptr : settings_.audio_device.c_str(), 0, &wanted,
        &obtained, 0);
    if (device_ == 0) {
      const std::string reason = SDL_GetError();
      SDL_QuitSubSystem(SDL_INIT_AUDIO);
      throw std::runtime_error(
          "cannot open audio device" +
          (settings_.audio_device.empty() ? std::string() : " \"" + settings_.audio_device + "\"") +
          ": " + reason);
    }
    // The device still holds one buffer after its queue empties.
    device_latency_ = std::chrono::milliseconds(obtained.samples * 1000 / obtained.freq + 1);
    SDL_PauseAudioDevice(device_, 0);
  }
  worker_ = std::thread([this] { run(); });
}

announcer::~announcer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
  if (device_ != 0) {
    SDL_CloseAudioDevice(device_);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  }
}

queue_result announcer::announce(std::uint64_t seq, const call_details& call) {
  return enqueue(seq, call, action::say);
}

queue_result announcer::skip(std::uint64_t seq, const call_details& call) {
  return enqueue(seq, call, action::skip);
}

queue_result announcer::enqueue(std::uint64_t seq, const call_details& call, action what) {
  {
    const std::lock_guard lock(mutex_);
    if ((floor_ && seq <= *floor_) || seen_.contains(seq)) return queue_result::already_announced;
    seen_.insert(seq);
    if (seen_.size() > settings_.remembered_seqs) {
      // Forget the oldest seq but keep refusing it: the floor rises to it.
      const auto oldest = seen_.begin();
      floor_ = floor_ ? std::max(*floor_, *oldest) : *oldest;
      seen_.erase(oldest);
    }
    queue_.push_back({seq, call, what});
  }
  wake_.notify_all();
  return queue_result::queued;
}

std::optional<std::uint64_t> announcer::last_announced_seq() const {
  const std::lock_guard lock(mutex_);
  return last_announced_;
}

void announcer::wait_until_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (queue_.empty() && !busy_); });
}

void announcer::run() {
  for (;;) {
    request next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      next = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    perform(next);
    {
      const std::lock_guard lock(mutex_);
      if (!last_announced_ || next.seq > *last_announced_) last_announced_ = next.seq;
      busy_ = false;
    }
    idle_.notify_all();
    if (on_announced_) on_announced_(next.seq);
  }
  idle_.notify_all();
}

void announcer::perform(const request& next) {
  const auto& call = next.call;
  if (next.what == action::skip) {
    spdlog::info("announcement skipped seq={} number={} counter={} kind={}", next.seq, call.number,
                 call.counter_id, kind_name(call.kind));
    return;
  }
  const auto sentence = build_announcement(call, settings_.style);
  if (!sentence) {
    // The call still deserves the chime: people look at the board when it rings.
    spdlog::error("announcement seq={} number={} counter={} kind={}: {}", next.seq, call.number,
                  call.counter_id, kind_name(call.kind), sentence.error());
    if (settings_.audio == audio_output::on) play(make_chime(settings_.chime));
    return;
  }
  if (settings_.audio == audio_output::off) {
    spdlog::info("announcement seq={} number={} counter={} kind={} audio=off: {}", next.seq,
                 call.number, call.counter_id, kind_name(call.kind), sentence->text());
    return;
  }
  const pcm sound = compose_announcement(*sentence, *voice_, settings_);
  spdlog::info("announcement seq={} number={} counter={} kind={} voice={}: {}", next.seq,
               call.number, call.counter_id, kind_name(call.kind), voice_->description(),
               sentence->text());
  play(sound);
}

bool announcer::play(const pcm& sound) {
  if (SDL_QueueAudio(device_, sound.samples.data(),
                     static_cast<Uint32>(sound.samples.size() * sizeof(std::int16_t))) != 0) {
    spdlog::error("cannot queue audio: {}", SDL_GetError());
    return false;
  }
  // Wait for the device to take it all, so the next announcement starts after
  // this one and a stop request is seen within one poll.
  while (SDL_GetQueuedAudioSize(device_) > 0) {
    if (!pause_unless_stopping(std::chrono::milliseconds(20))) {
      SDL_ClearQueuedAudio(device_);
      return false;
    }
  }
  return pause_unless_stopping(device_latency_);
}

bool announcer::pause_unless_stopping(std::chrono::milliseconds length) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, length, [this] { return stopping_; });
}

}  // namespace luot::speech
