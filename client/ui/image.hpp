#pragma once

#include <SDL.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace luot::ui {

// An RGBA picture, 4 bytes per pixel, row by row (what a screenshot, a
// golden file and the comparison between them share).
struct image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;

  bool empty() const { return width <= 0 || height <= 0; }
};

// What the renderer has drawn so far (before SDL_RenderPresent), read back
// with SDL_RenderReadPixels. Throws std::runtime_error with SDL's reason.
image capture(SDL_Renderer* renderer);

// PNG files through libpng's simplified API. Errors are returned as a
// sentence naming the file.
std::optional<std::string> save_png(const image& picture, const std::filesystem::path& file);
// Reads any PNG libpng reads, converted to RGBA; the error when it cannot.
std::optional<image> load_png(const std::filesystem::path& file, std::string* error = nullptr);

// How two pictures differ: pixels where some channel differs by more than
// the tolerance, and the largest channel difference seen.
struct image_difference {
  bool same_size = false;
  std::size_t differing_pixels = 0;
  int largest_channel_delta = 0;
};
image_difference compare(const image& first, const image& second, int channel_tolerance);

}  // namespace luot::ui
