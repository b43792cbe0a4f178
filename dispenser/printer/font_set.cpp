#include "printer/font_set.hpp"

#include <stdexcept>

namespace luot::printer {

font_paths default_font_paths() {
  return {
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"},
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
  };
}

std::vector<char32_t> decode_utf8(std::string_view text) {
  std::vector<char32_t> points;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    int extra = 0;
    char32_t point = 0;
    if (lead < 0x80) {
      point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      point = lead & 0x07;
    } else {
      points.push_back(U'\uFFFD');
      ++at;
      continue;
    }
    bool valid = at + static_cast<std::size_t>(extra) < text.size();
    for (int i = 1; valid && i <= extra; ++i) {
      const auto next = static_cast<unsigned char>(text[at + static_cast<std::size_t>(i)]);
      valid = (next & 0xC0) == 0x80;
      point = (point << 6) | (next & 0x3F);
    }
    if (!valid) {
      points.push_back(U'\uFFFD');
      ++at;
      continue;
    }
    points.push_back(point);
    at += static_cast<std::size_t>(extra) + 1;
  }
  return points;
}

namespace {

// The size fonts are opened at; font_for() sets the size it needs.
constexpr int opening_size = 24;

}  // namespace

font_set::font_set(const font_paths& paths) {
  if (TTF_Init() != 0) {
    throw std::runtime_error(std::string("TTF_Init failed: ") + TTF_GetError());
  }
  const auto open_all = [](const std::vector<std::string>& candidates,
                           std::vector<loaded_font>& into) {
    for (const auto& path : candidates) {
      if (TTF_Font* font = TTF_OpenFont(path.c_str(), opening_size)) {
        into.push_back({path, font});
      }
    }
  };
  open_all(paths.regular, regular_);
  open_all(paths.bold, bold_);
  if (regular_.empty() || bold_.empty()) {
    const auto& missing = regular_.empty() ? paths.regular : paths.bold;
    std::string tried;
    for (const auto& path : missing) tried += (tried.empty() ? "" : ", ") + path;
    for (auto& loaded : regular_) TTF_CloseFont(loaded.font);
    for (auto& loaded : bold_) TTF_CloseFont(loaded.font);
    TTF_Quit();
    throw std::runtime_error("no ticket font could be opened (tried: " + tried + ")");
  }
}

font_set::~font_set() {
  for (auto& loaded : regular_) TTF_CloseFont(loaded.font);
  for (auto& loaded : bold_) TTF_CloseFont(loaded.font);
  TTF_Quit();
}

const std::vector<font_set::loaded_font>& font_set::fonts(font_weight weight) const {
  return weight == font_weight::bold ? bold_ : regular_;
}

bool font_set::provides_all(TTF_Font* font, std::string_view text) {
  for (const char32_t point : decode_utf8(text)) {
    if (point == U' ' || point == U'\n') continue;
    if (TTF_GlyphIsProvided32(font, static_cast<Uint32>(point)) == 0) return false;
  }
  return true;
}

bool font_set::covers(std::string_view text, font_weight weight) const {
  for (const auto& loaded : fonts(weight)) {
    if (provides_all(loaded.font, text)) return true;
  }
  return false;
}

TTF_Font* font_set::font_for(std::string_view text, font_weight weight, int pixel_size) {
  const auto& candidates = fonts(weight);
  TTF_Font* chosen = candidates.front().font;
  for (const auto& loaded : candidates) {
    if (provides_all(loaded.font, text)) {
      chosen = loaded.font;
      break;
    }
  }
  TTF_SetFontSize(chosen, pixel_size);
  return chosen;
}

const std::string& font_set::primary_path(font_weight weight) const {
  return fonts(weight).front().path;
}

}  // namespace luot::printer
