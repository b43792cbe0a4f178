#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace luot::bench {

// The clock every measurement of the benchmark is timed with.
using bench_clock = std::chrono::steady_clock;

// Percentiles of a set of latencies, in microseconds.
struct latency_summary {
  std::size_t count = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

latency_summary summarize(std::vector<double> microseconds);
// The q-quantile of sorted values (nearest rank), or 0 when there are none.
double quantile(const std::vector<double>& sorted, double q);
double median(std::vector<double> values);

template <typename Duration>
double to_microseconds(Duration elapsed) {
  return std::chrono::duration<double, std::micro>(elapsed).count();
}

}  // namespace luot::bench
