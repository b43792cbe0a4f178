#include "printer/font_set.hpp"

#include <stdexcept>

#include "text/unicode.hpp"

namespace luot::printer {

font_paths default_font_paths() {
  return {
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"},
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
  };
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
  for (const char32_t point : text::decode_utf8(text)) {
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
