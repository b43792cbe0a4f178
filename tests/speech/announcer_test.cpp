#include "speech/announcer.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "speech/clips_voice.hpp"
#include "speech/espeak_voice.hpp"
#include "support.hpp"

namespace luot::speech {
namespace {

// Routes SDL's audio to a file (SDL_AUDIODRIVER=disk) for the test's life.
class disk_audio {
 public:
  explicit disk_audio(std::string_view name)
      : file_(testing::fresh_directory(name) / "played.raw") {
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", file_.c_str(), 1);
  }
  ~disk_audio() {
    unsetenv("SDL_AUDIODRIVER");
    unsetenv("SDL_DISKAUDIOFILE");
  }
  const std::filesystem::path& file() const { return file_; }

  // What the device played: our own format, since the disk driver takes it as is.
  std::vector<std::int16_t> played() const {
    std::ifstream in(file_, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::int16_t> samples(bytes.size() / 2);
    std::memcpy(samples.data(), bytes.data(), samples.size() * 2);
    return samples;
  }

 private:
  std::filesystem::path file_;
};

// Captures the default logger's lines for the test's life.
class captured_log {
 public:
  captured_log() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  std::string text() const { return lines_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream lines_;
};

std::size_t count_lines_with(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(needle) != std::string::npos) ++count;
  }
  return count;
}

// Where `part` occurs in `whole` at or after `from`, or npos.
std::size_t find_sound(const std::vector<std::int16_t>& whole, std::span<const std::int16_t> part,
                       std::size_t from = 0) {
  if (from >= whole.size()) return std::string::npos;
  const auto found = std::search(whole.begin() + static_cast<std::ptrdiff_t>(from), whole.end(),
                                 part.begin(), part.end());
  return found == whole.end() ? std::string::npos : static_cast<std::size_t>(found - whole.begin());
}

std::filesystem::path record_clips(const std::vector<utterance>& sentences, std::string_view name) {
  const auto directory = testing::fresh_directory(name);
  double hertz = 300;
  for (const auto& sentence : sentences) {
    for (const auto& piece : sentence.segments) {
      const auto file = directory / (piece.clip + ".wav");
      if (piece.clip.empty() || std::filesystem::exists(file)) continue;
      EXPECT_TRUE(save_wav(file, testing::tone(hertz, 150)));
      hertz += 40;
    }
  }
  return directory;
}

const call_details first_call{"A007", "3", "", call_kind::call};
const call_details second_call{"1021", "5", "", call_kind::call};

// Two calls made at once are played one after the other, each exactly as
// composed; a seq already announced is not played again.
TEST(Announcer, PlaysTwoQuickCallsOneAfterTheOther) {
  disk_audio audio("announcer-two");
  announcer_settings settings;
  settings.after_announcement = std::chrono::milliseconds(300);
  const utterance first_sentence = *build_announcement(first_call, settings.style);
  const utterance second_sentence = *build_announcement(second_call, settings.style);
  const auto clips = record_clips({first_sentence, second_sentence}, "announcer-two-clips");
  clips_voice reference(clips);
  const pcm first_sound = compose_announcement(first_sentence, reference, settings);
  const pcm second_sound = compose_announcement(second_sentence, reference, settings);

  std::vector<std::uint64_t> announced;
  {
    announcer speaker(settings, std::make_unique<clips_voice>(clips), std::nullopt,
                      [&](std::uint64_t seq) { announced.push_back(seq); });
    EXPECT_EQ(speaker.announce(1, first_call), queue_result::queued);
    EXPECT_EQ(speaker.announce(2, second_call), queue_result::queued);
    EXPECT_EQ(speaker.announce(1, first_call), queue_result::already_announced);
    speaker.wait_until_idle();
    EXPECT_EQ(speaker.announce(2, second_call), queue_result::already_announced);
    EXPECT_EQ(speaker.last_announced_seq(), 2U);
  }
  EXPECT_EQ(announced, (std::vector<std::uint64_t>{1, 2}));

  const auto played = audio.played();
  const std::span first_span(first_sound.samples);
  const auto first_at = find_sound(played, first_span.first(4000));
  ASSERT_NE(first_at, std::string::npos) << "the first announcement was not played";
  ASSERT_LE(first_at + first_sound.samples.size(), played.size());
  EXPECT_TRUE(std::equal(first_sound.samples.begin(), first_sound.samples.end(),
                         played.begin() + static_cast<std::ptrdiff_t>(first_at)));
  const auto first_end = first_at + first_sound.samples.size();
  const auto second_at = find_sound(played, std::span(second_sound.samples).first(4000), first_end);
  ASSERT_NE(second_at, std::string::npos)
      << "the second announcement was not played after the first";
  ASSERT_LE(second_at + second_sound.samples.size(), played.size());
  EXPECT_TRUE(std::equal(second_sound.samples.begin(), second_sound.samples.end(),
                         played.begin() + static_cast<std::ptrdiff_t>(second_at)));
  // The second follows promptly: the whole is about the sum of both.
  EXPECT_LT(second_at - first_end, static_cast<std::size_t>(sample_rate / 2));
  // The chime rang twice, no more: nothing was said twice.
  const auto chime = make_chime(settings.chime);
  std::size_t chimes = 0;
  for (auto at = find_sound(played, chime.samples); at != std::string::npos;
       at = find_sound(played, chime.samples, at + 1)) {
    ++chimes;
  }
  EXPECT_EQ(chimes, 2U);
  // Outside the two announcements there is only silence.
  const auto level_before = measure(std::span(played).first(first_at));
  const auto level_after =
      measure(std::span(played).subspan(second_at + second_sound.samples.size()));
  EXPECT_EQ(level_before.peak, 0);
  EXPECT_EQ(level_after.peak, 0);
}

// espeak-ng through the device: audible, of a plausible length, measured by sox.
TEST(Announcer, SpeaksWithEspeakThroughTheAudioDevice) {
  disk_audio audio("announcer-espeak");
  {
    announcer speaker({}, std::make_unique<espeak_voice>());
    speaker.announce(10, second_call);
    speaker.wait_until_idle();
  }
  const std::string raw = "sox -t raw -r 22050 -e signed -b 16 -c 1 " + audio.file().string();
  const auto trimmed = audio.file().parent_path() / "trimmed.wav";
  // Trim leading and trailing silence, then ask for the length of what is left.
  testing::run_command(raw + " " + trimmed.string() +
                       " silence 1 1s 0.1% reverse silence 1 1s 0.1% reverse");
  const double seconds = std::stod(testing::run_command("soxi -D " + trimmed.string()));
  // Chime (1.45 s) + pause + about 4 s of speech.
  EXPECT_GT(seconds, 3.0);
  EXPECT_LT(seconds, 14.0);
  const auto level = measure(audio.played());
  EXPECT_GT(level.peak, 5000);
}

TEST(Announcer, LogsEachAnnouncementOnOneLine) {
  captured_log log;
  {
    announcer_settings settings;
    settings.audio = audio_output::off;
    announcer speaker(settings, nullptr);
    speaker.announce(7, first_call);
    speaker.announce(8, {"B012", "2", "", call_kind::recall});
    speaker.skip(9, second_call);
    speaker.wait_until_idle();
    EXPECT_EQ(speaker.last_announced_seq(), 9U);
  }
  const std::string text = log.text();
  EXPECT_EQ(count_lines_with(text, "announcement seq=7 number=A007 counter=3 kind=call"), 1U)
      << text;
  EXPECT_EQ(count_lines_with(text, "Mời công dân có số thứ tự a bảy đến quầy số ba"), 1U) << text;
  EXPECT_EQ(count_lines_with(text, "announcement seq=8 number=B012 counter=2 kind=recall"), 1U)
      << text;
  EXPECT_EQ(count_lines_with(text, "announcement skipped seq=9 number=1021 counter=5"), 1U) << text;
}

// After a restart with the persisted seq nothing already said is said again.
TEST(Announcer, ARestartDoesNotRepeatACall) {
  announcer_settings settings;
  settings.audio = audio_output::off;
  std::optional<std::uint64_t> persisted;
  {
    announcer speaker(settings, nullptr);
    EXPECT_EQ(speaker.last_announced_seq(), std::nullopt);
    speaker.announce(41, first_call);
    speaker.announce(42, second_call);
    speaker.wait_until_idle();
    persisted = speaker.last_announced_seq();
  }
  ASSERT_EQ(persisted, 42U);
  captured_log log;
  announcer restarted(settings, nullptr, persisted);
  EXPECT_EQ(restarted.announce(41, first_call), queue_result::already_announced);
  EXPECT_EQ(restarted.announce(42, second_call), queue_result::already_announced);
  EXPECT_EQ(restarted.announce(43, first_call), queue_result::queued);
  restarted.wait_until_idle();
  EXPECT_EQ(restarted.last_announced_seq(), 43U);
  EXPECT_EQ(count_lines_with(log.text(), "announcement seq="), 1U) << log.text();
}

// The set of seen seqs is bounded; forgotten seqs stay refused.
TEST(Announcer, RemembersABoundedNumberOfSeqs) {
  announcer_settings settings;
  settings.audio = audio_output::off;
  settings.remembered_seqs = 3;
  announcer speaker(settings, nullptr);
  for (std::uint64_t seq = 1; seq <= 6; ++seq) {
    EXPECT_EQ(speaker.announce(seq, first_call), queue_result::queued);
  }
  for (std::uint64_t seq = 1; seq <= 6; ++seq) {
    SCOPED_TRACE(seq);
    EXPECT_EQ(speaker.announce(seq, first_call), queue_result::already_announced);
  }
  // A later seq arriving early does not block an earlier one not yet seen
  // while both are remembered.
  EXPECT_EQ(speaker.announce(9, first_call), queue_result::queued);
  EXPECT_EQ(speaker.announce(8, first_call), queue_result::queued);
  speaker.wait_until_idle();
  EXPECT_EQ(speaker.last_announced_seq(), 9U);
}

TEST(Announcer, AnUnsayableCallIsLoggedNotDropped) {
  captured_log log;
  announcer_settings settings;
  settings.audio = audio_output::off;
  announcer speaker(settings, nullptr);
  speaker.announce(5, {"A#1", "3", "", call_kind::call});
  speaker.wait_until_idle();
  EXPECT_EQ(speaker.last_announced_seq(), 5U);
  EXPECT_EQ(count_lines_with(log.text(),
                             "announcement seq=5 number=A#1 counter=3 kind=call: "
                             "cannot read ticket number \"A#1\""),
            1U)
      << log.text();
}

TEST(Announcer, ANoneVoiceRingsTheChimeAlone) {
  announcer_settings settings;
  espeak_voice unused;
  silent_voice none;
  const auto sentence = *build_announcement(first_call, settings.style);
  const pcm chime_only = compose_announcement(sentence, none, settings);
  const pcm spoken = compose_announcement(sentence, unused, settings);
  EXPECT_EQ(chime_only.samples.size(),
            make_chime(settings.chime).samples.size() +
                static_cast<std::size_t>(settings.after_announcement.count() * sample_rate / 1000));
  EXPECT_GT(spoken.duration(), chime_only.duration() + std::chrono::seconds(1));
  settings.repetitions = 2;
  const pcm twice = compose_announcement(sentence, unused, settings);
  EXPECT_NEAR(static_cast<double>((twice.duration() - spoken.duration()).count()),
              static_cast<double>((spoken.duration() - chime_only.duration() -
                                   settings.after_chime + settings.between_repetitions)
                                      .count()),
              5);
}

}  // namespace
}  // namespace luot::speech
