#include "latency.hpp"

#include <algorithm>

namespace luot::bench {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(static_cast<double>(sorted.size()) * q);
  return sorted[std::min(sorted.size() - 1, index)];
}

latency_summary summarize(std::vector<double> microseconds) {
  std::sort(microseconds.begin(), microseconds.end());
  latency_summary summary;
  summary.count = microseconds.size();
  summary.p50_us = quantile(microseconds, 0.50);
  summary.p99_us = quantile(microseconds, 0.99);
  summary.max_us = microseconds.empty() ? 0 : microseconds.back();
  return summary;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return 0;
  const auto middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace luot::bench
