#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace luot::printer {

// A 1-bit image in the layout thermal printers and PBM (P4) files share: rows
// top to bottom, each packed into whole bytes, the high bit is the leftmost
// dot and a set bit is black.
class monochrome_image {
 public:
  monochrome_image() = default;
  monochrome_image(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  // Bytes per row: the width rounded up to whole bytes.
  int stride() const { return (width_ + 7) / 8; }

  bool black(int x, int y) const;
  void set_black(int x, int y);

  // Row-major packed bits, stride() bytes per row.
  const std::vector<std::uint8_t>& bits() const { return bits_; }
  std::vector<std::uint8_t>& bits() { return bits_; }

  // Rows [first, first + count) as a new image.
  monochrome_image rows(int first, int count) const;

  int count_black() const;

  friend bool operator==(const monochrome_image&, const monochrome_image&) = default;

 private:
  int width_ = 0;
  int height_ = 0;
  std::vector<std::uint8_t> bits_;
};

// How many dots differ between two images; images of different sizes differ
// everywhere (every dot of the larger one counts).
int count_different_dots(const monochrome_image& first, const monochrome_image& second);

// Binary PBM (P4): the golden files of the tests, viewable by any image tool.
std::string to_pbm(const monochrome_image& image);
// nullopt when the text is not a binary PBM this function can read.
std::optional<monochrome_image> from_pbm(const std::string& text);

bool write_pbm(const std::filesystem::path& path, const monochrome_image& image);
std::optional<monochrome_image> read_pbm(const std::filesystem::path& path);

}  // namespace luot::printer
