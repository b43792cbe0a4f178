#include "ui/colour.hpp"

#include <algorithm>
#include <cmath>

namespace luot::ui {

colour mix(colour from, colour to, double amount) {
  amount = std::clamp(amount, 0.0, 1.0);
  const auto channel = [amount](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + (b - a) * amount));
  };
  return {channel(from.r, to.r), channel(from.g, to.g), channel(from.b, to.b),
          channel(from.a, to.a)};
}

theme hall_theme() {
  theme t;
  t.background = rgb(0x0B1E3A);
  t.surface = rgb(0x13305A);
  t.surface_alt = rgb(0x183A6B);
  t.border = rgb(0x2B4F86);
  t.text = rgb(0xFFFFFF);
  t.text_muted = rgb(0xB9CBE6);
  t.accent = rgb(0xB71C1C);
  t.accent_text = rgb(0xFFFFFF);
  t.highlight = rgb(0xFFD54F);
  t.highlight_text = rgb(0x3A0A0A);
  t.positive = rgb(0x5BD68A);
  t.caution = rgb(0xFFB74D);
  t.negative = rgb(0xEF9A9A);
  t.alert = rgb(0xFFB300);
  t.alert_text = rgb(0x1A1205);
  return t;
}

theme kiosk_theme() {
  theme t;
  t.background = rgb(0xF4F6FA);
  t.surface = rgb(0xFFFFFF);
  t.surface_alt = rgb(0xE8EDF5);
  t.border = rgb(0xC5CFDD);
  t.text = rgb(0x111827);
  t.text_muted = rgb(0x4B5563);
  t.accent = rgb(0xB71C1C);
  t.accent_text = rgb(0xFFFFFF);
  t.highlight = rgb(0x0D47A1);
  t.highlight_text = rgb(0xFFFFFF);
  t.positive = rgb(0x1B5E20);
  t.caution = rgb(0x8A4B00);
  t.negative = rgb(0xB71C1C);
  t.alert = rgb(0xB71C1C);
  t.alert_text = rgb(0xFFFFFF);
  return t;
}

namespace {

double luminance(colour c) {
  const auto linear = [](std::uint8_t value) {
    const double v = value / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

}  // namespace

double contrast_ratio(colour first, colour second) {
  const double a = luminance(first);
  const double b = luminance(second);
  return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

}  // namespace luot::ui
