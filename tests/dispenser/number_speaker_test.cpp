// The number said on the confirmation page: the sentence, and the sound
// that reaches the audio device (SDL's disk driver records it).
#include "kiosk/number_speaker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "../server/support.hpp"
#include "speech/espeak_voice.hpp"
#include "speech/pcm.hpp"

namespace luot::kiosk {
namespace {

using speech::dialect;
using speech::digit_reading;
using speech::reading_style;

TEST(NumberSpeaker, SaysTheNumberTheWayItIsRead) {
  const std::tuple<std::string, reading_style, std::string> cases[] = {
      {"B017",
       {text::language::vi, dialect::north, digit_reading::whole_number},
       "Số thứ tự của bạn là bê mười bảy"},
      {"1024",
       {text::language::vi, dialect::south, digit_reading::whole_number},
       "Số thứ tự của bạn là một ngàn không trăm hai mươi tư"},
      {"A012",
       {text::language::en, dialect::north, digit_reading::whole_number},
       "Your number is A twelve"},
  };
  for (const auto& [number, style, expected] : cases) {
    SCOPED_TRACE(number);
    const auto sentence = your_number_sentence(number, style);
    ASSERT_TRUE(sentence) << sentence.error();
    EXPECT_EQ(sentence->text(), expected);
    // The fixed phrase has its clip, for centres that record their own voice.
    EXPECT_FALSE(sentence->segments.front().clip.empty());
  }
  EXPECT_FALSE(your_number_sentence("#", {}));
}

TEST(NumberSpeaker, PlaysTheSentenceOnTheAudioDevice) {
  luot::testing::temp_dir dir;
  const auto played_file = dir.path() / "played.raw";
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", played_file.c_str(), 1);
  const reading_style style{text::language::vi, dialect::north, digit_reading::whole_number};
  speech::espeak_voice reference;
  const auto expected = reference.speak(*your_number_sentence("B017", style));
  ASSERT_TRUE(expected) << expected.error();
  {
    number_speaker speaker(std::make_unique<speech::espeak_voice>(), dialect::north);
    speaker.say("B017", text::language::vi);
    speaker.wait_until_quiet();
  }
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  std::ifstream in(played_file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::int16_t> played(bytes.size() / 2);
  std::memcpy(played.data(), bytes.data(), played.size() * 2);
  // espeak-ng varies a little from one synthesis to the next, so the
  // recording is compared by length and loudness: the whole sentence was
  // played, not a fragment and not silence.
  const auto& samples = expected->samples;
  ASSERT_GT(samples.size(), 10000u);
  const auto sounding = static_cast<std::size_t>(
      std::count_if(played.begin(), played.end(), [](std::int16_t v) { return v != 0; }));
  EXPECT_GE(sounding, samples.size() * 7 / 10) << played.size() << " samples played";
  EXPECT_GT(speech::measure(played).peak, speech::measure(samples).peak / 2);
}

}  // namespace
}  // namespace luot::kiosk
