#pragma once

#include <string>
#include <vector>

namespace luot::bench {

// Correctness checks that failed during a run (never timings): a missing or
// wrong update, a cut-off where none should be, a refused ticket. Any of
// them makes bench_load exit with 2, so --quick in the test suite catches a
// broken stream.
class report {
 public:
  void check(bool holds, const std::string& what) {
    if (!holds) problems_.push_back(what);
  }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// The 1-minute load average now, for each row of a table. Every reading is
// remembered, for load_range().
std::string load_now();

// The lowest and highest readings load_now() has returned (both 0 before
// the first).
struct load_readings {
  double lowest = 0;
  double highest = 0;
};
load_readings load_range();

}  // namespace luot::bench
