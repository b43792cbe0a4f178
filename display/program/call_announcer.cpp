#include "program/call_announcer.hpp"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

namespace luot::display {

namespace {

std::chrono::system_clock::time_point time_of(const v1::Call& call) {
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(google::protobuf::util::TimeUtil::TimestampToSeconds(call.at())));
}

}  // namespace

call_decision decide(const v1::Call& call, device::call_origin origin,
                     std::chrono::system_clock::time_point now, std::chrono::seconds within) {
  if (origin == device::call_origin::live) return call_decision::announce;
  return now - time_of(call) <= within ? call_decision::announce : call_decision::show_only;
}

call_announcer::call_announcer(settings config, std::unique_ptr<speech::voice> speaker,
                               announced_seq_file memory)
    : settings_(std::move(config)), voice_(std::move(speaker)), memory_(std::move(memory)) {}

call_announcer::~call_announcer() {
  std::unique_ptr<speech::announcer> stopping;
  {
    std::lock_guard lock(mutex_);
    stopping = std::move(announcer_);
  }
}

void call_announcer::start_announcer(std::uint64_t view_seq) {
  auto remembered = memory_.load();
  if (remembered && *remembered > view_seq) {
    spdlog::warn(
        "{} says seq {} was announced, but the server is at seq {} (a new database?): "
        "forgetting it",
        memory_.path().string(), *remembered, view_seq);
    remembered.reset();
  }
  if (remembered) spdlog::info("calls up to seq {} were announced before this start", *remembered);
  const auto on_announced = [this](std::uint64_t seq) { memory_.store(seq); };
  try {
    announcer_ = std::make_unique<speech::announcer>(settings_.speech, std::move(voice_),
                                                     remembered, on_announced);
  } catch (const std::exception& failure) {
    // No sound card is no reason for a dark board: announcements are still
    // logged, so a technician sees what would have been said.
    spdlog::error("no audio ({}); announcements are only logged", failure.what());
    auto silent = settings_.speech;
    silent.audio = speech::audio_output::off;
    announcer_ = std::make_unique<speech::announcer>(
        silent, std::make_unique<speech::silent_voice>(), remembered, on_announced);
  }
}

void call_announcer::on_view(const v1::View& view) {
  for (const auto& counter : view.counters()) {
    counters_[counter.id()] = {counter.name_vi(), counter.name_en()};
  }
  std::lock_guard lock(mutex_);
  if (!announcer_) start_announcer(view.seq());
}

void call_announcer::on_call(const v1::Call& call, device::call_origin origin,
                             std::chrono::system_clock::time_point now) {
  speech::call_details details;
  details.number = call.number();
  details.counter_id = call.counter();
  if (const auto found = counters_.find(call.counter()); found != counters_.end()) {
    details.counter_name =
        settings_.speech.style.language == text::language::en && !found->second.second.empty()
            ? found->second.second
            : found->second.first;
  }
  details.kind = call.call_count() > 1 ? speech::call_kind::recall : speech::call_kind::call;
  const auto decision = decide(call, origin, now, settings_.announce_within);

  std::lock_guard lock(mutex_);
  if (!announcer_) start_announcer(call.seq());
  if (decision == call_decision::show_only) {
    spdlog::info("call seq={} number={} counter={} ({}) is older than {} s: shown, not announced",
                 call.seq(), call.number(), call.counter(), device::to_string(origin),
                 settings_.announce_within.count());
    announcer_->skip(call.seq(), details);
    return;
  }
  if (announcer_->announce(call.seq(), details) == speech::queue_result::queued) {
    latest_ = heard_call{call.seq(), now};
  }
}

std::optional<heard_call> call_announcer::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void call_announcer::wait_until_idle() {
  speech::announcer* current = nullptr;
  {
    std::lock_guard lock(mutex_);
    current = announcer_.get();
  }
  if (current != nullptr) current->wait_until_idle();
}

}  // namespace luot::display
