// The display's announcements through SDL's disk audio driver: the voice
// espeak-ng, the queue of the speech library, the display's decisions and
// its seq file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "program/call_announcer.hpp"
#include "sample_view.hpp"
#include "speech/chime.hpp"
#include "speech/espeak_voice.hpp"

namespace luot::display {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::path(LUOT_DISPLAY_TEST_OUTPUT) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::int16_t> read_samples(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::int16_t> samples(bytes.size() / 2);
  std::memcpy(samples.data(), bytes.data(), samples.size() * 2);
  return samples;
}

std::vector<std::size_t> positions_of(const std::vector<std::int16_t>& whole,
                                      const std::vector<std::int16_t>& part) {
  std::vector<std::size_t> found;
  for (auto at = whole.begin();;) {
    at = std::search(at, whole.end(), part.begin(), part.end());
    if (at == whole.end()) return found;
    found.push_back(static_cast<std::size_t>(at - whole.begin()));
    at += static_cast<std::ptrdiff_t>(part.size());
  }
}

double seconds(std::size_t samples) {
  return static_cast<double>(samples) / speech::sample_rate;
}

int peak(const std::vector<std::int16_t>& samples, std::size_t from, std::size_t to) {
  int loudest = 0;
  for (std::size_t i = from; i < std::min(to, samples.size()); ++i) {
    loudest = std::max(loudest, std::abs(int{samples[i]}));
  }
  return loudest;
}

class DisplayAnnouncements : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh(::testing::UnitTest::GetInstance()->current_test_info()->name());
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", (dir_ / "played.raw").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("SDL_AUDIODRIVER");
    unsetenv("SDL_DISKAUDIOFILE");
  }
  fs::path dir_;
};

TEST_F(DisplayAnnouncements, TwoQuickCallsAreSaidOneAfterTheOtherAudiblyAndOnce) {
  const auto view = testing::sample_view();
  const auto now = std::chrono::system_clock::now();
  call_announcer::settings settings;
  {
    call_announcer announcer(settings, std::make_unique<speech::espeak_voice>(),
                             announced_seq_file(dir_ / "state"));
    announcer.on_view(view);
    announcer.on_call(testing::make_call(300, "A013", "1", now), device::call_origin::live, now);
    announcer.on_call(testing::make_call(301, "1022", "5", now), device::call_origin::live, now);
    // The same call reported again (it cannot be by the device client, but
    // the announcer does not count on that) is not said twice.
    announcer.on_call(testing::make_call(301, "1022", "5", now), device::call_origin::live, now);
    announcer.wait_until_idle();
    ASSERT_TRUE(announcer.latest().has_value());
    EXPECT_EQ(announcer.latest()->seq, 301u);
  }
  EXPECT_EQ(announced_seq_file(dir_ / "state").load(), 301u);

  const auto played = read_samples(dir_ / "played.raw");
  const auto chime = speech::make_chime(settings.speech.chime).samples;
  const auto chimes = positions_of(played, chime);
  ASSERT_EQ(chimes.size(), 2u) << "one chime per announcement";
  // Each announcement is the chime and then about four seconds of speech;
  // the second starts only after the first has been said.
  const double first_length = seconds(chimes[1] - chimes[0]);
  EXPECT_GT(first_length, 3.0);
  EXPECT_LT(first_length, 14.0);
  const std::size_t speech_start = chimes[0] + chime.size();
  EXPECT_GT(peak(played, speech_start, chimes[1]), 5000) << "the sentence is audible";
  EXPECT_GT(peak(played, chimes[1] + chime.size(), played.size()), 5000);
  // Nothing before the first chime.
  EXPECT_EQ(peak(played, 0, chimes[0]), 0);
}

TEST_F(DisplayAnnouncements, OldCallsFromAResyncAreShownNotSaidAndARestartSaysNothingAgain) {
  const auto view = testing::sample_view();
  const auto now = std::chrono::system_clock::now();
  call_announcer::settings settings;
  settings.speech.audio = speech::audio_output::off;
  {
    call_announcer announcer(settings, std::make_unique<speech::silent_voice>(),
                             announced_seq_file(dir_ / "state"));
    announcer.on_view(view);
    announcer.on_call(testing::make_call(300, "A013", "1", now - 5min), device::call_origin::missed,
                      now);
    announcer.on_call(testing::make_call(301, "A014", "1", now - 20s), device::call_origin::missed,
                      now);
    announcer.wait_until_idle();
    // The old one is not highlighted; the recent one is.
    EXPECT_EQ(announcer.latest()->seq, 301u);
  }
  // The seq file holds the last call, so a restarted display that sees the
  // same calls in its first view says none of them again.
  EXPECT_EQ(announced_seq_file(dir_ / "state").load(), 301u);
  call_announcer restarted(settings, std::make_unique<speech::silent_voice>(),
                           announced_seq_file(dir_ / "state"));
  auto later = view;
  later.set_seq(301);
  restarted.on_view(later);
  restarted.on_call(testing::make_call(301, "A014", "1", now - 20s),
                    device::call_origin::before_start, now);
  restarted.wait_until_idle();
  EXPECT_FALSE(restarted.latest().has_value());
  restarted.on_call(testing::make_call(302, "A015", "1", now), device::call_origin::live, now);
  restarted.wait_until_idle();
  ASSERT_TRUE(restarted.latest().has_value());
  EXPECT_EQ(restarted.latest()->seq, 302u);
}

TEST_F(DisplayAnnouncements, ARememberedSeqBeyondTheServersIsForgotten) {
  // A display moved to a fresh server (seqs start again) must not stay mute.
  announced_seq_file(dir_ / "state").store(5000);
  call_announcer::settings settings;
  settings.speech.audio = speech::audio_output::off;
  call_announcer announcer(settings, std::make_unique<speech::silent_voice>(),
                           announced_seq_file(dir_ / "state"));
  auto view = testing::sample_view();
  view.set_seq(12);
  announcer.on_view(view);
  const auto now = std::chrono::system_clock::now();
  announcer.on_call(testing::make_call(13, "A001", "1", now), device::call_origin::live, now);
  announcer.wait_until_idle();
  ASSERT_TRUE(announcer.latest().has_value());
  EXPECT_EQ(announcer.latest()->seq, 13u);
}

}  // namespace
}  // namespace luot::display
