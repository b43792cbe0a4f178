#include "speech/chime.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace luot::speech {

namespace {

std::size_t samples_in(std::chrono::milliseconds length) {
  return static_cast<std::size_t>(length.count() * sample_rate / 1000);
}

void add_bell(std::vector<double>& mix, std::size_t start, std::size_t length, double hertz) {
  constexpr double attack_seconds = 0.005;
  constexpr double decay_seconds = 0.25;
  constexpr double release_seconds = 0.08;
  const double end = static_cast<double>(length) / sample_rate;
  for (std::size_t i = 0; i < length && start + i < mix.size(); ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    // Rises over the attack, decays like a struck bell, and fades to exactly
    // zero over the release so the note's end makes no click.
    const double release = std::clamp((end - t) / release_seconds, 0.0, 1.0);
    const double envelope = std::min(1.0, t / attack_seconds) * std::exp(-t / decay_seconds) *
                            (0.5 - 0.5 * std::cos(std::numbers::pi * release));
    const double phase = 2 * std::numbers::pi * hertz * t;
    const double tone = std::sin(phase) + 0.35 * std::sin(2 * phase) + 0.12 * std::sin(3 * phase);
    mix[start + i] += envelope * tone / 1.47;
  }
}

}  // namespace

pcm make_chime(const chime_settings& settings) {
  const std::size_t spacing = samples_in(settings.note_spacing);
  const std::size_t length = samples_in(settings.note_length);
  std::vector<double> mix(std::max(spacing + length, length), 0.0);
  add_bell(mix, 0, length, settings.first_hertz);
  add_bell(mix, spacing, length, settings.second_hertz);
  pcm out;
  out.samples.reserve(mix.size());
  for (const double value : mix) {
    const double scaled = std::clamp(value * settings.volume, -1.0, 1.0) * 32767.0;
    out.samples.push_back(static_cast<std::int16_t>(std::lround(scaled)));
  }
  return out;
}

}  // namespace luot::speech
