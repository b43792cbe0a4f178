#include "ui/image.hpp"

#include <png.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace luot::ui {

image capture(SDL_Renderer* renderer) {
  image picture;
  if (SDL_GetRendererOutputSize(renderer, &picture.width, &picture.height) != 0) {
    throw std::runtime_error(std::string("cannot read the renderer's size: ") + SDL_GetError());
  }
  picture.rgba.resize(static_cast<std::size_t>(picture.width) * picture.height * 4);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, picture.rgba.data(),
                           picture.width * 4) != 0) {
    throw std::runtime_error(std::string("cannot read the rendered pixels: ") + SDL_GetError());
  }
  return picture;
}

std::optional<std::string> save_png(const image& picture, const std::filesystem::path& file) {
  if (picture.empty() ||
      picture.rgba.size() != static_cast<std::size_t>(picture.width) * picture.height * 4) {
    return "cannot write " + file.string() + ": the picture is empty or malformed";
  }
  png_image header{};
  header.version = PNG_IMAGE_VERSION;
  header.width = static_cast<png_uint_32>(picture.width);
  header.height = static_cast<png_uint_32>(picture.height);
  // Screens are opaque: RGB files are a quarter smaller.
  header.format = PNG_FORMAT_RGB;
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(picture.width) * picture.height * 3);
  for (std::size_t i = 0, j = 0; i < picture.rgba.size(); i += 4, j += 3) {
    rgb[j] = picture.rgba[i];
    rgb[j + 1] = picture.rgba[i + 1];
    rgb[j + 2] = picture.rgba[i + 2];
  }
  if (png_image_write_to_file(&header, file.c_str(), 0, rgb.data(), 0, nullptr) == 0) {
    std::string reason = "cannot write " + file.string() + ": " + header.message;
    png_image_free(&header);
    return reason;
  }
  return std::nullopt;
}

std::optional<image> load_png(const std::filesystem::path& file, std::string* error) {
  png_image header{};
  header.version = PNG_IMAGE_VERSION;
  const auto fail = [&](const std::string& why) -> std::optional<image> {
    if (error != nullptr) *error = "cannot read " + file.string() + ": " + why;
    png_image_free(&header);
    return std::nullopt;
  };
  if (png_image_begin_read_from_file(&header, file.c_str()) == 0) return fail(header.message);
  header.format = PNG_FORMAT_RGBA;
  image picture;
  picture.width = static_cast<int>(header.width);
  picture.height = static_cast<int>(header.height);
  picture.rgba.resize(PNG_IMAGE_SIZE(header));
  if (png_image_finish_read(&header, nullptr, picture.rgba.data(), 0, nullptr) == 0) {
    return fail(header.message);
  }
  return picture;
}

image_difference compare(const image& first, const image& second, int channel_tolerance) {
  image_difference difference;
  difference.same_size = first.width == second.width && first.height == second.height &&
                         first.rgba.size() == second.rgba.size();
  if (!difference.same_size) return difference;
  for (std::size_t i = 0; i < first.rgba.size(); i += 4) {
    int worst = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      worst = std::max(worst, std::abs(int{first.rgba[i + c]} - int{second.rgba[i + c]}));
    }
    difference.largest_channel_delta = std::max(difference.largest_channel_delta, worst);
    if (worst > channel_tolerance) ++difference.differing_pixels;
  }
  return difference;
}

}  // namespace luot::ui
