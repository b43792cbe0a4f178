// The crash-restart history check, short run: the real luot-server under
// kiosks (HTTP and WebSocket), officers and hall screens, killed with
// SIGKILL twenty times and restarted on the same database; the checker then
// finds no number issued twice, nothing acknowledged lost, no take-ticket
// key or unknown action applied twice, and every mirror equal to the
// server's view with no update missed or repeated.
//
// The kill moments come from the seed (printed on failure; set
// LUOT_HISTORY_SEED to draw the same ones again). The verdict does not depend
// on when the kills land: whatever the timing, a correct server passes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>

#include "../server/support.hpp"
#include "run.hpp"

namespace luot::history {
namespace {

std::uint64_t seed_for_this_run() {
  if (const char* chosen = std::getenv("LUOT_HISTORY_SEED"))
    return std::strtoull(chosen, nullptr, 10);
  std::random_device random;
  return (std::uint64_t{random()} << 32) ^ random();
}

std::size_t acknowledged(const run_report& report, action what) {
  const auto found = report.operations.by_action.find(what);
  if (found == report.operations.by_action.end()) return 0;
  const auto ok = found->second.find(outcome::ok);
  return ok == found->second.end() ? 0 : ok->second;
}

TEST(HistoryChecker, TwentyKillsLoseNothing) {
  const auto seed = seed_for_this_run();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (LUOT_HISTORY_SEED=" + std::to_string(seed) +
               " draws the same kill moments)");
  testing::temp_dir directory;
  run_options options;
  options.kills = 20;
  options.seed = seed;
  options.clients = 4;
  options.directory = directory.path();
  const auto report = run(options);
  std::cout << describe(report);

  ASSERT_TRUE(report.failure.empty()) << describe(report);
  EXPECT_EQ(report.kills, 20u);
  EXPECT_TRUE(report.violations.empty()) << describe(report);
  // The workload did what the verdict speaks of.
  EXPECT_GT(acknowledged(report, action::take_ticket), 0u);
  EXPECT_GT(acknowledged(report, action::call_next), 0u);
  EXPECT_GT(acknowledged(report, action::finish), 0u);
  EXPECT_GT(report.mirror_steps, 0u);
}

}  // namespace
}  // namespace luot::history
