#pragma once

#include <chrono>
#include <thread>

#include "load/latency.hpp"

namespace luot::bench {

// Polls `reached` every millisecond; false when `limit` passes first.
template <typename Condition>
bool wait_for(Condition reached, std::chrono::seconds limit) {
  const auto give_up = bench_clock::now() + limit;
  while (!reached()) {
    if (bench_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace luot::bench
