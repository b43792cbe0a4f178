// What speaking costs: reading numbers, building sentences, synthesizing with
// espeak-ng, and how long announce() holds a render loop. Prints a Markdown
// table; targets are read, never asserted.
//
// Usage: bench_speech [rounds]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "speech/announcer.hpp"
#include "speech/espeak_voice.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
using luot::speech::call_details;
using luot::speech::call_kind;

struct timing {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};

// Percentiles of durations in microseconds.
timing summarize(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  const auto at = [&](double fraction) {
    return micros[std::min(micros.size() - 1, static_cast<std::size_t>(
                                                  fraction * static_cast<double>(micros.size())))];
  };
  return {at(0.5), at(0.99), micros.back()};
}

template <typename Work>
timing measure(int rounds, Work work) {
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(rounds));
  for (int round = 0; round < rounds; ++round) {
    const auto start = clock_type::now();
    work(round);
    micros.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - start).count());
  }
  return summarize(std::move(micros));
}

void print_row(const char* what, const timing& result, const std::string& note) {
  std::printf("| %s | %.1f | %.1f | %.1f | %s |\n", what, result.p50, result.p99, result.max,
              note.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  namespace speech = luot::speech;
  std::printf("| operation | p50 (µs) | p99 (µs) | max (µs) | note |\n");
  std::printf("| --- | ---: | ---: | ---: | --- |\n");

  std::size_t words = 0;
  const timing reading = measure(10000, [&](int number) {
    words +=
        speech::number_words(static_cast<std::uint64_t>(number), speech::dialect::north).size();
  });
  print_row("read_number, 0–9999 each", reading, std::to_string(words) + " words in all");

  const call_details call{"1021", "5", "", call_kind::call};
  print_row("build_announcement",
            measure(rounds, [&](int) { (void)speech::build_announcement(call, {}); }),
            "Mời công dân có số thứ tự … đến quầy số năm");

  speech::espeak_voice voice;
  const auto sentence = *speech::build_announcement(call, {});
  double spoken_seconds = 0;
  const timing synthesis = measure(std::max(10, rounds / 10), [&](int) {
    spoken_seconds = static_cast<double>(voice.speak(sentence)->duration().count()) / 1000;
  });
  char note[128];
  std::snprintf(note, sizeof note, "%.2f s of speech: %.0f× faster than real time", spoken_seconds,
                spoken_seconds * 1e6 / synthesis.p50);
  print_row("espeak-ng synthesis of the sentence", synthesis, note);

  speech::announcer_settings settings;
  print_row("compose: chime + sentence (call → first sound)",
            measure(std::max(10, rounds / 10),
                    [&](int) { (void)speech::compose_announcement(sentence, voice, settings); }),
            "what an idle announcer does before the chime starts");

  // announce() is what a render loop calls; audio off so nothing plays, the
  // worker still builds and logs each sentence concurrently.
  settings.audio = speech::audio_output::off;
  speech::announcer speaker(settings, std::make_unique<speech::espeak_voice>());
  spdlog::set_level(spdlog::level::warn);
  std::uint64_t seq = 0;
  print_row("announcer::announce (render-loop cost)",
            measure(rounds * 10, [&](int) { speaker.announce(++seq, call); }),
            "a lock and a queue push");
  speaker.wait_until_idle();
  return 0;
}
