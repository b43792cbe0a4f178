#include "ui/render_loop.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "ui/canvas.hpp"

namespace luot::ui {
namespace {

using namespace std::chrono_literals;

// Both ways of sleeping: SDL's own wait, and the loop's timer (what the
// dummy and kmsdrm drivers get, where SDL's wait polls every millisecond).
class RenderLoop : public ::testing::TestWithParam<render_loop::waiting> {
 protected:
  static void SetUpTestSuite() { setenv("SDL_VIDEODRIVER", "dummy", 1); }
};

INSTANTIATE_TEST_SUITE_P(Waiting, RenderLoop,
                         ::testing::Values(render_loop::waiting::window_system,
                                           render_loop::waiting::own_timer));

TEST_P(RenderLoop, DrawsOnRequestAndCoalescesWakeUps) {
  video_session video;
  render_loop loop(GetParam());
  int frames = 0;
  std::promise<void> drawing_first, burst_sent, drew_second;
  std::thread other([&loop, drawing = drawing_first.get_future(), &burst_sent,
                     second = drew_second.get_future()]() mutable {
    // The burst lands while the loop is inside its first frame, so no
    // scheduling of the two threads can let it draw in between.
    drawing.wait();
    for (int i = 0; i < 50; ++i) loop.request_redraw();
    burst_sent.set_value();
    second.wait();
    // Time for any extra frame the burst wrongly caused to show up.
    std::this_thread::sleep_for(200ms);
    loop.request_stop();
  });
  auto burst_done = burst_sent.get_future();
  loop.run({[&] {
              ++frames;
              if (frames == 1) {
                drawing_first.set_value();
                burst_done.wait();
              } else if (frames == 2) {
                drew_second.set_value();
              }
            },
            {},
            {}});
  other.join();
  // The first frame, then exactly one for the whole burst.
  EXPECT_EQ(frames, 2);
  EXPECT_EQ(loop.frames_drawn(), static_cast<std::uint64_t>(frames));
}

TEST_P(RenderLoop, DrawsWhenTheNextTimedFrameIsDueAndOtherwiseSleeps) {
  video_session video;
  render_loop loop(GetParam());
  int frames = 0;
  const auto start = std::chrono::steady_clock::now();
  loop.run({[&] {
              if (++frames == 6) loop.request_stop();
            },
            [] { return std::optional<std::chrono::milliseconds>(50ms); },
            {}});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(frames, 6);
  // Five waits of 50 ms between six frames.
  EXPECT_GE(took, 240ms);
}

TEST_P(RenderLoop, AQuitEventEndsTheLoop) {
  video_session video;
  render_loop loop(GetParam());
  int frames = 0;
  SDL_Event quit{};
  quit.type = SDL_QUIT;
  SDL_PushEvent(&quit);
  loop.run({[&frames] { ++frames; }, {}, {}});
  EXPECT_EQ(frames, 1);
}

TEST(RenderLoopChoice, TheDummyDriverGetsTheLoopsOwnTimer) {
  setenv("SDL_VIDEODRIVER", "dummy", 1);
  video_session video;
  EXPECT_FALSE(render_loop().sleeps_in_window_system());
  EXPECT_TRUE(render_loop(render_loop::waiting::window_system).sleeps_in_window_system());
}

}  // namespace
}  // namespace luot::ui
