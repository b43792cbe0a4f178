#include "ui/fonts.hpp"

#include <stdexcept>
#include <tuple>

#include "text/unicode.hpp"

namespace luot::ui {

font_files default_font_files() {
  return {
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"},
      {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
       "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
  };
}

namespace {

// Glyph coverage does not depend on the size; probes are opened at this one.
constexpr int probe_size = 16;

}  // namespace

font_library::font_library(font_files files) {
  if (TTF_Init() != 0) {
    throw std::runtime_error(std::string("TTF_Init failed: ") + TTF_GetError());
  }
  // Keep only the files that open, so a missing fallback costs nothing.
  const auto usable = [](const std::vector<std::string>& candidates) {
    std::vector<std::string> kept;
    for (const auto& path : candidates) {
      if (TTF_Font* font = TTF_OpenFont(path.c_str(), probe_size)) {
        TTF_CloseFont(font);
        kept.push_back(path);
      }
    }
    return kept;
  };
  regular_ = usable(files.regular);
  bold_ = usable(files.bold);
  // A missing bold face is drawn with the regular one rather than refusing.
  if (bold_.empty()) bold_ = regular_;
  if (regular_.empty()) {
    std::string tried;
    for (const auto& path : files.regular) tried += (tried.empty() ? "" : ", ") + path;
    TTF_Quit();
    throw std::runtime_error("no font could be opened (tried: " + tried +
                             "); install fonts-dejavu-core or fonts-noto-core");
  }
}

font_library::~font_library() {
  for (auto& [key, font] : open_) TTF_CloseFont(font);
  for (auto& [key, font] : probes_) TTF_CloseFont(font);
  TTF_Quit();
}

const std::vector<std::string>& font_library::files(font_weight weight) const {
  return weight == font_weight::bold ? bold_ : regular_;
}

const std::string& font_library::primary_file(font_weight weight) const {
  return files(weight).front();
}

TTF_Font* font_library::open(std::size_t index, font_weight weight, int pixel_size) {
  const auto key = std::make_tuple(static_cast<int>(weight), index, pixel_size);
  if (auto found = open_.find(key); found != open_.end()) return found->second;
  TTF_Font* font = TTF_OpenFont(files(weight)[index].c_str(), pixel_size);
  if (font == nullptr) {
    throw std::runtime_error("cannot open font " + files(weight)[index] + ": " + TTF_GetError());
  }
  // Light hinting keeps the strokes even at the large sizes of a hall board.
  TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
  open_.emplace(key, font);
  return font;
}

TTF_Font* font_library::primary(font_weight weight, int pixel_size) {
  return open(0, weight, std::max(1, pixel_size));
}

std::size_t font_library::font_index_for(char32_t point, font_weight weight) {
  const auto& candidates = files(weight);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto key = std::make_pair(static_cast<int>(weight), i);
    auto found = probes_.find(key);
    if (found == probes_.end()) {
      found = probes_.emplace(key, TTF_OpenFont(candidates[i].c_str(), probe_size)).first;
    }
    if (found->second != nullptr &&
        TTF_GlyphIsProvided32(found->second, static_cast<Uint32>(point)) != 0) {
      return i;
    }
  }
  return 0;
}

bool font_library::covers(std::string_view text, font_weight weight) {
  for (const char32_t point : text::decode_utf8(text)) {
    if (point == U' ' || point == U'\n') continue;
    const std::size_t index = font_index_for(point, weight);
    const auto& probe = probes_.at(std::make_pair(static_cast<int>(weight), index));
    if (probe == nullptr || TTF_GlyphIsProvided32(probe, static_cast<Uint32>(point)) == 0) {
      return false;
    }
  }
  return true;
}

std::vector<font_run> font_library::runs(std::string_view text, font_weight weight,
                                         int pixel_size) {
  std::vector<font_run> result;
  std::size_t current = 0;
  std::string pending;
  for (const char32_t point : text::decode_utf8(text)) {
    // Spaces and combining marks stay with the run before them, so a mark
    // is drawn by the font that drew its base letter.
    const bool joins = point == U' ' || (point >= 0x0300 && point <= 0x036F);
    const std::size_t index = joins && !pending.empty() ? current : font_index_for(point, weight);
    if (!pending.empty() && index != current) {
      result.push_back({std::move(pending), open(current, weight, std::max(1, pixel_size))});
      pending.clear();
    }
    current = index;
    pending += text::encode_utf8(point);
  }
  if (!pending.empty()) {
    result.push_back({std::move(pending), open(current, weight, std::max(1, pixel_size))});
  }
  return result;
}

}  // namespace luot::ui
