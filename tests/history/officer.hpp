#pragma once

// An officer in the workload: signs in to their counter and calls, recalls,
// transfers, marks no-shows and finishes over HTTP, one action at a time.
// After a lost answer or a refusal they look at their counter's queue to
// learn what they are serving, as a person at the console would.

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <thread>

#include "history.hpp"

namespace luot::history {

class officer {
 public:
  officer(std::string counter, std::uint16_t port, recorder& history, std::uint64_t seed);
  ~officer();
  officer(const officer&) = delete;
  officer& operator=(const officer&) = delete;

  void start();
  // Stops after the current action; joins.
  void stop();

 private:
  void run();
  void sign_in();
  // Reads the counter's current ticket; false when it could not.
  bool look();
  void act(action what);
  std::string path_of(action what) const;
  std::string body_of(action what);
  void pause(std::chrono::milliseconds longest);

  std::string counter_;
  std::string name_;
  std::uint16_t port_;
  recorder& history_;
  std::mt19937_64 random_;
  std::string token_;
  // The ticket being served, when known.
  std::string current_;
  bool current_known_ = false;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace luot::history
