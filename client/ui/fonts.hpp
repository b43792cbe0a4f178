#pragma once

#include <SDL_ttf.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace luot::ui {

enum class font_weight { regular, bold };

// Candidate font files per weight, best first. Later files stand in for the
// glyphs the first one lacks.
struct font_files {
  std::vector<std::string> regular;
  std::vector<std::string> bold;
};

// DejaVu Sans (fonts-dejavu-core), then Noto Sans (fonts-noto-core): both
// draw every Vietnamese letter, precomposed or with combining marks; DejaVu
// also has the arrows and symbols Noto Sans lacks (such as "→").
font_files default_font_files();

// A stretch of text drawn with one font.
struct font_run {
  std::string text;
  TTF_Font* font = nullptr;
};

// The fonts of a screen, opened lazily per pixel size and kept open. Text is
// cut into runs, each drawn by the first font of the weight that has its
// glyphs, so one missing symbol falls back to another family instead of
// showing a box, and the rest of the line keeps the primary font.
// Not thread-safe: used by the thread that draws.
class font_library {
 public:
  // Throws std::runtime_error naming the files tried when no file of a
  // weight opens.
  explicit font_library(font_files files = default_font_files());
  ~font_library();
  font_library(const font_library&) = delete;
  font_library& operator=(const font_library&) = delete;

  // The primary font of the weight at `pixel_size` (for line metrics).
  TTF_Font* primary(font_weight weight, int pixel_size);
  // `text` in runs of consecutive characters sharing a font.
  std::vector<font_run> runs(std::string_view text, font_weight weight, int pixel_size);
  // Whether some font of the weight draws every character of `text`.
  bool covers(std::string_view text, font_weight weight);
  // The file the primary font of a weight comes from (for logs).
  const std::string& primary_file(font_weight weight) const;

 private:
  TTF_Font* open(std::size_t index, font_weight weight, int pixel_size);
  const std::vector<std::string>& files(font_weight weight) const;
  std::size_t font_index_for(char32_t point, font_weight weight);

  std::vector<std::string> regular_;
  std::vector<std::string> bold_;
  // (weight, file index, size) → font.
  std::map<std::tuple<int, std::size_t, int>, TTF_Font*> open_;
  // The face used to ask "is this glyph provided?", one per file.
  std::map<std::pair<int, std::size_t>, TTF_Font*> probes_;
};

}  // namespace luot::ui
