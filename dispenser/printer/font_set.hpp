#pragma once

#include <SDL_ttf.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace luot::printer {

enum class font_weight { regular, bold };

// Candidate font files, best first. Both default families draw every
// Vietnamese letter; later entries stand in for glyphs the first lacks.
struct font_paths {
  std::vector<std::string> regular;
  std::vector<std::string> bold;
};

// DejaVu Sans (fonts-dejavu-core), then Noto Sans (fonts-noto-core).
font_paths default_font_paths();

// The ticket's fonts, opened once. For each text it picks the first font of
// the weight that has a glyph for every character, so a missing glyph falls
// back to another family instead of printing a box.
class font_set {
 public:
  // Throws std::runtime_error when no font of a weight can be opened.
  explicit font_set(const font_paths& paths);
  ~font_set();
  font_set(const font_set&) = delete;
  font_set& operator=(const font_set&) = delete;

  // A font of that weight at `pixel_size`, chosen for `text`.
  TTF_Font* font_for(std::string_view text, font_weight weight, int pixel_size);

  // Whether some font of the weight draws every character of the text.
  bool covers(std::string_view text, font_weight weight) const;

  // The file the first font of a weight came from (for logs and the README).
  const std::string& primary_path(font_weight weight) const;

 private:
  struct loaded_font {
    std::string path;
    TTF_Font* font = nullptr;
  };
  const std::vector<loaded_font>& fonts(font_weight weight) const;
  static bool provides_all(TTF_Font* font, std::string_view text);

  std::vector<loaded_font> regular_;
  std::vector<loaded_font> bold_;
};

}  // namespace luot::printer
