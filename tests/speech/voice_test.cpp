#include "speech/voice.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "speech/announcement.hpp"
#include "speech/chime.hpp"
#include "speech/clips_voice.hpp"
#include "speech/espeak_voice.hpp"
#include "support.hpp"

namespace luot::speech {
namespace {

// The strength of one frequency in a stretch of samples (Goertzel), scaled
// so a full-scale sine of that frequency gives about 0.5.
double strength(std::span<const std::int16_t> samples, double hertz) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * hertz / sample_rate);
  double previous = 0;
  double before = 0;
  for (const auto sample : samples) {
    const double current = sample / 32768.0 + coefficient * previous - before;
    before = previous;
    previous = current;
  }
  const double power = previous * previous + before * before - coefficient * previous * before;
  return std::sqrt(power) / static_cast<double>(samples.size());
}

TEST(Chime, IsTwoNotesHighThenLowWithoutAClick) {
  const pcm chime = make_chime();
  EXPECT_NEAR(static_cast<double>(chime.duration().count()), 1450, 10);
  const auto level = measure(chime.samples);
  EXPECT_GT(level.peak, 8000);
  EXPECT_LT(level.peak, 32767);
  // Starts from silence and has died away at the end.
  EXPECT_LT(std::abs(chime.samples.front()), 200);
  EXPECT_LT(measure(std::span(chime.samples).last(200)).peak, 2000);
  const std::span all(chime.samples);
  const auto ding = all.subspan(0, sample_rate / 2);
  const auto dong = all.subspan(sample_rate * 6 / 10, sample_rate / 2);
  EXPECT_GT(strength(ding, 659.25), 4 * strength(ding, 523.25));
  EXPECT_GT(strength(dong, 523.25), 2 * strength(dong, 659.25));
}

TEST(Pcm, SavedWavReadsBackTheSame) {
  const auto directory = testing::fresh_directory("wav");
  const pcm sound = testing::tone(440, 300);
  ASSERT_TRUE(save_wav(directory / "tone.wav", sound));
  const auto loaded = load_wav(directory / "tone.wav");
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->samples, sound.samples);
  // sox agrees on what was written.
  const std::string file = (directory / "tone.wav").string();
  EXPECT_EQ(testing::run_command("soxi -r " + file), "22050\n");
  EXPECT_EQ(testing::run_command("soxi -c " + file), "1\n");
  EXPECT_EQ(testing::run_command("soxi -b " + file), "16\n");
  EXPECT_EQ(testing::run_command("soxi -s " + file), std::to_string(sound.samples.size()) + "\n");
}

TEST(Pcm, OtherWavFormatsAreConverted) {
  const auto directory = testing::fresh_directory("wav-formats");
  const auto file = directory / "stereo.wav";
  for (const std::string format :
       {"-r 44100 -c 2 -b 24", "-r 48000 -c 1 -b 16", "-r 16000 -c 1 -b 16", "-r 8000 -c 1 -b 8",
        "-r 44100 -c 2 -e floating-point -b 32"}) {
    SCOPED_TRACE(format);
    testing::run_command("sox -n " + format + " " + file.string() + " synth 0.5 sine 440 vol 0.5");
    const auto loaded = load_wav(file);
    ASSERT_TRUE(loaded) << loaded.error();
    // Half a second, to the sample: a clip's tail is not cut off.
    EXPECT_NEAR(static_cast<double>(loaded->samples.size()), sample_rate / 2.0, 2);
    EXPECT_GT(strength(loaded->samples, 440), 0.15);
    EXPECT_LT(strength(loaded->samples, 880), 0.01);
  }
  const auto missing = load_wav(directory / "none.wav");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("none.wav"), std::string::npos);
}

TEST(EspeakVoice, HasTheVietnameseVoices) {
  const auto voices = espeak_voice::installed_voices("vi");
  for (const std::string_view wanted : {"vi", "vi-vn-x-central", "vi-vn-x-south"}) {
    EXPECT_NE(std::find(voices.begin(), voices.end(), wanted), voices.end()) << wanted;
  }
  EXPECT_EQ(espeak_voice_for(dialect::north), "vi");
  EXPECT_EQ(espeak_voice_for(dialect::south), "vi-vn-x-south");
}

// The full sentence is audible speech of a plausible length.
TEST(EspeakVoice, SaysTheFullSentence) {
  for (const auto which : {dialect::north, dialect::south}) {
    SCOPED_TRACE(dialect_name(which));
    espeak_voice speaker({espeak_voice_for(which)});
    const auto sentence =
        build_announcement({"1021", "5", "", call_kind::call}, {text::language::vi, which});
    ASSERT_TRUE(sentence) << sentence.error();
    const auto sound = speaker.speak(*sentence);
    ASSERT_TRUE(sound) << sound.error();
    EXPECT_GT(sound->duration(), std::chrono::seconds(2));
    EXPECT_LT(sound->duration(), std::chrono::seconds(12));
    const auto level = measure(sound->samples);
    EXPECT_GT(level.peak, 3000);
    EXPECT_GT(level.rms, 300);
  }
}

TEST(EspeakVoice, ALongerNumberTakesLonger) {
  espeak_voice speaker;
  const auto short_call = speaker.speak(*build_announcement({"5", "1", "", call_kind::call}, {}));
  const auto long_call = speaker.speak(*build_announcement({"9999", "1", "", call_kind::call}, {}));
  ASSERT_TRUE(short_call && long_call);
  // "chín nghìn chín trăm chín mươi chín" is seven syllables more than "năm".
  EXPECT_GT(long_call->duration() - short_call->duration(), std::chrono::milliseconds(800));
}

TEST(EspeakVoice, SpeaksEnglishToo) {
  espeak_voice speaker;
  const auto sound =
      speaker.speak(*build_announcement({"A007", "5", "", call_kind::call}, {text::language::en}));
  ASSERT_TRUE(sound) << sound.error();
  EXPECT_GT(sound->duration(), std::chrono::seconds(1));
  EXPECT_GT(measure(sound->samples).peak, 3000);
}

TEST(EspeakVoice, AnUnknownVoiceIsAClearError) {
  try {
    espeak_voice speaker({"xx-nowhere"});
    FAIL() << "a missing voice was accepted";
  } catch (const std::runtime_error& problem) {
    EXPECT_NE(std::string(problem.what()).find("no voice \"xx-nowhere\""), std::string::npos);
    EXPECT_NE(std::string(problem.what()).find("vi-vn-x-south"), std::string::npos);
  }
}

// A directory of clips, one distinct tone per clip the sentence needs.
struct recorded_clips {
  std::filesystem::path directory;
  std::map<std::string, pcm> sounds;
};

recorded_clips record_clips(const utterance& sentence, std::string_view name) {
  recorded_clips clips{testing::fresh_directory(name), {}};
  double hertz = 300;
  for (const auto& piece : sentence.segments) {
    if (piece.clip.empty() || clips.sounds.contains(piece.clip)) continue;
    const pcm sound = testing::tone(hertz, 120 + static_cast<int>(clips.sounds.size()) * 10);
    EXPECT_TRUE(save_wav(clips.directory / (piece.clip + ".wav"), sound));
    clips.sounds[piece.clip] = sound;
    hertz += 50;
  }
  return clips;
}

TEST(ClipsVoice, AssemblesTheSentenceFromClips) {
  const auto sentence =
      build_announcement({"1021", "TKQ", "Quầy 5 – Trả kết quả", call_kind::call}, {});
  ASSERT_TRUE(sentence) << sentence.error();
  const auto clips = record_clips(*sentence, "clips");
  clips_settings settings;
  clips_voice speaker(clips.directory, settings);
  const auto sound = speaker.speak(*sentence);
  ASSERT_TRUE(sound) << sound.error();

  // Exactly the clips in order, a gap between two, a pause at the comma.
  pcm expected;
  for (const auto& piece : sentence->segments) {
    if (piece.clip.empty()) {
      expected.append_silence(settings.comma_pause);
      continue;
    }
    if (!expected.samples.empty()) expected.append_silence(settings.gap);
    expected.append(clips.sounds.at(piece.clip));
  }
  EXPECT_EQ(sound->samples, expected.samples);
  EXPECT_TRUE(std::filesystem::exists(clips.directory / "moi-cong-dan-co-so-thu-tu.wav"));
  EXPECT_TRUE(std::filesystem::exists(clips.directory / "tra-ket-qua.wav"));
  EXPECT_TRUE(speaker.missing_clips(*sentence).empty());
}

TEST(ClipsVoice, AMissingClipIsAClearError) {
  const auto sentence = build_announcement({"10", "5", "", call_kind::call}, {});
  ASSERT_TRUE(sentence) << sentence.error();
  const auto clips = record_clips(*sentence, "clips-missing");
  std::filesystem::remove(clips.directory / "muoi-huyen.wav");
  clips_voice speaker(clips.directory);
  const auto sound = speaker.speak(*sentence);
  ASSERT_FALSE(sound);
  EXPECT_EQ(sound.error(), "missing voice clip " + (clips.directory / "muoi-huyen.wav").string() +
                               " (for \"mười\")");
  EXPECT_EQ(speaker.missing_clips(*sentence),
            std::vector<std::filesystem::path>{clips.directory / "muoi-huyen.wav"});
}

TEST(ClipsVoice, AnUnreadableClipIsAClearError) {
  const auto sentence = build_announcement({"1", "1", "", call_kind::call}, {});
  ASSERT_TRUE(sentence) << sentence.error();
  const auto clips = record_clips(*sentence, "clips-broken");
  std::ofstream(clips.directory / "mot-nang.wav") << "not a wav file";
  clips_voice speaker(clips.directory);
  const auto sound = speaker.speak(*sentence);
  ASSERT_FALSE(sound);
  EXPECT_NE(
      sound.error().find("cannot read WAV file " + (clips.directory / "mot-nang.wav").string()),
      std::string::npos)
      << sound.error();
}

TEST(Voice, IsChosenByItsCommandLineForm) {
  const auto none = make_voice("none", dialect::north);
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ((*none)->description(), "none");
  EXPECT_TRUE(
      (*none)->speak(*build_announcement({"1", "1", "", call_kind::call}, {}))->samples.empty());

  const auto south = make_voice("espeak", dialect::south);
  ASSERT_TRUE(south) << south.error();
  EXPECT_EQ((*south)->description(), "espeak-ng vi-vn-x-south");
  const auto central = make_voice("espeak:vi-vn-x-central", dialect::north);
  ASSERT_TRUE(central) << central.error();
  EXPECT_EQ((*central)->description(), "espeak-ng vi-vn-x-central");

  const auto directory = testing::fresh_directory("voice-spec");
  const auto clips = make_voice("clips:" + directory.string(), dialect::north);
  ASSERT_TRUE(clips) << clips.error();
  EXPECT_EQ((*clips)->description(), "clips " + directory.string());

  const auto missing = make_voice("clips:/no/such/luot/dir", dialect::north);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "voice clip directory /no/such/luot/dir does not exist");
  const auto unknown = make_voice("festival", dialect::north);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(),
            "unknown voice \"festival\" (expected espeak, espeak:VOICE, clips:DIR or none)");
}

}  // namespace
}  // namespace luot::speech
