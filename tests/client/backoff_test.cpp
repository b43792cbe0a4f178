#include "device/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace luot::device {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, EachDelayIsDrawnBelowACeilingThatDoublesUpToTheMaximum) {
  backoff delays(milliseconds(250), milliseconds(10000), 42);
  const milliseconds ceilings[] = {milliseconds(250),   milliseconds(500),   milliseconds(1000),
                                   milliseconds(2000),  milliseconds(4000),  milliseconds(8000),
                                   milliseconds(10000), milliseconds(10000), milliseconds(10000)};
  for (const auto ceiling : ceilings) {
    SCOPED_TRACE(ceiling.count());
    EXPECT_EQ(delays.ceiling(), ceiling);
    const auto delay = delays.next();
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay, ceiling);
  }
}

TEST(Backoff, ResetStartsAgainFromTheInitialCeiling) {
  backoff delays(milliseconds(100), milliseconds(5000), 7);
  for (int i = 0; i < 10; ++i) delays.next();
  EXPECT_EQ(delays.ceiling(), milliseconds(5000));
  delays.reset();
  EXPECT_EQ(delays.ceiling(), milliseconds(100));
  for (int i = 0; i < 100; ++i) {
    EXPECT_LE(delays.next(), milliseconds(100) * (1 << std::min(i, 6)));
  }
}

TEST(Backoff, FullJitterSpreadsDelaysOverTheWholeRange) {
  // Screens that lost the server together must not come back together:
  // delays at the maximum ceiling cover [0, max] evenly.
  backoff delays(milliseconds(10000), milliseconds(10000), 2024);
  std::set<milliseconds::rep> distinct;
  double sum = 0;
  int below_tenth = 0;
  int above_nine_tenths = 0;
  constexpr int draws = 4000;
  for (int i = 0; i < draws; ++i) {
    const auto delay = delays.next().count();
    ASSERT_GE(delay, 0);
    ASSERT_LE(delay, 10000);
    distinct.insert(delay);
    sum += static_cast<double>(delay);
    below_tenth += delay < 1000 ? 1 : 0;
    above_nine_tenths += delay > 9000 ? 1 : 0;
  }
  EXPECT_GT(distinct.size(), 2000u);
  EXPECT_NEAR(sum / draws, 5000.0, 400.0);
  // About 10 % in each tail; a jitter that ignored part of the range fails.
  EXPECT_GT(below_tenth, draws / 20);
  EXPECT_GT(above_nine_tenths, draws / 20);
}

TEST(Backoff, DifferentSeedsGiveDifferentDelays) {
  backoff first(milliseconds(1000), milliseconds(1000), 1);
  backoff second(milliseconds(1000), milliseconds(1000), 2);
  int same = 0;
  for (int i = 0; i < 50; ++i) same += first.next() == second.next() ? 1 : 0;
  EXPECT_LT(same, 5);
}

}  // namespace
}  // namespace luot::device
