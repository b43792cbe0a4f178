#pragma once

#include <cstdint>

namespace luot::ui {

// An 8-bit RGBA colour.
struct colour {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  std::uint8_t a = 255;
  bool operator==(const colour&) const = default;
};

// 0xRRGGBB, opaque.
constexpr colour rgb(std::uint32_t hex) {
  return {static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8),
          static_cast<std::uint8_t>(hex), 255};
}

// `from` moved towards `to` by `amount` (0: from, 1: to), for hover and
// highlight shades without a second palette entry.
colour mix(colour from, colour to, double amount);

// The colours of one screen, by role rather than by hue, so the display
// and the kiosk share their look and a centre can be given another palette
// in one place. Pairs (text on surface, accent_text on accent, ...) keep a
// contrast ratio of at least 4.5:1, readable from across a hall.
struct theme {
  colour background;
  // Panels and cards on the background, and an alternate for table rows.
  colour surface;
  colour surface_alt;
  colour border;
  colour text;
  colour text_muted;
  // The centre's colour: headers and the newest call.
  colour accent;
  colour accent_text;
  // What draws the eye for a few seconds (a fresh call).
  colour highlight;
  colour highlight_text;
  // States as text or dots on a surface: serving / open, paused, closed or
  // failed.
  colour positive;
  colour caution;
  colour negative;
  // A band that must be noticed (lost connection, printer out of paper).
  colour alert;
  colour alert_text;
};

// A dark board for a hall screen seen from far away (a TV in a bright room).
theme hall_theme();
// A light theme for a touch screen read at arm's length (the kiosk).
theme kiosk_theme();

// WCAG contrast ratio between two opaque colours (1 to 21).
double contrast_ratio(colour first, colour second);

}  // namespace luot::ui
