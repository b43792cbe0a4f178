#include "app/tail_follower.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace luot::app {

tail_follower::tail_follower(std::unique_ptr<store::append_watch> watch,
                             std::unique_ptr<store::event_store> reader, std::uint64_t after_seq,
                             delivery deliver, std::chrono::milliseconds poll_interval)
    : watch_(std::move(watch)),
      reader_(std::move(reader)),
      after_(after_seq),
      deliver_(std::move(deliver)),
      poll_interval_(poll_interval),
      thread_([this] { run(); }) {}

tail_follower::~tail_follower() {
  stop();
}

void tail_follower::read_now() {
  watch_->wake();
}

void tail_follower::stop() {
  stopping_ = true;
  watch_->wake();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void tail_follower::run() {
  // Whatever was appended between recovery and the first LISTEN.
  read();
  while (!stopping_) {
    watch_->wait(poll_interval_);
    if (stopping_) return;
    read();
  }
}

void tail_follower::read() {
  std::vector<v1::Event> events;
  try {
    reader_->read_after(after_, [&](const v1::Event& event) {
      if (event.seq() != after_ + 1) {
        throw store::store_error("the event log has a gap before seq " +
                                 std::to_string(event.seq()));
      }
      events.push_back(event);
      after_ = event.seq();
    });
    if (read_failed_) spdlog::info("reading the event log's tail again");
    read_failed_ = false;
  } catch (const std::exception& failure) {
    // Another try at the next notification or poll; what was read stands.
    if (!read_failed_) spdlog::error("cannot read the event log's tail: {}", failure.what());
    read_failed_ = true;
  }
  if (!events.empty()) deliver_(std::move(events));
}

}  // namespace luot::app
