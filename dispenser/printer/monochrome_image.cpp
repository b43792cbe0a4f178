#include "printer/monochrome_image.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace luot::printer {

monochrome_image::monochrome_image(int width, int height) : width_(width), height_(height) {
  if (width < 0 || height < 0) {
    throw std::invalid_argument("monochrome_image: negative size");
  }
  bits_.assign(static_cast<std::size_t>(stride()) * static_cast<std::size_t>(height), 0);
}

bool monochrome_image::black(int x, int y) const {
  const auto byte = bits_[static_cast<std::size_t>(y * stride() + x / 8)];
  return (byte & (0x80u >> (x % 8))) != 0;
}

void monochrome_image::set_black(int x, int y) {
  auto& byte = bits_[static_cast<std::size_t>(y * stride() + x / 8)];
  byte = static_cast<std::uint8_t>(byte | (0x80u >> (x % 8)));
}

monochrome_image monochrome_image::rows(int first, int count) const {
  if (first < 0 || count < 0 || first + count > height_) {
    throw std::out_of_range("monochrome_image::rows: outside the image");
  }
  monochrome_image part(width_, count);
  const auto begin = bits_.begin() + static_cast<std::ptrdiff_t>(first) * stride();
  std::copy(begin, begin + static_cast<std::ptrdiff_t>(count) * stride(), part.bits_.begin());
  return part;
}

int monochrome_image::count_black() const {
  // Padding bits past the width are never set, so counting bytes is exact.
  int total = 0;
  for (const auto byte : bits_) {
    total += std::popcount(byte);
  }
  return total;
}

int count_different_dots(const monochrome_image& first, const monochrome_image& second) {
  if (first.width() != second.width() || first.height() != second.height()) {
    return std::max(first.width() * first.height(), second.width() * second.height());
  }
  int total = 0;
  for (std::size_t i = 0; i < first.bits().size(); ++i) {
    total += std::popcount(static_cast<std::uint8_t>(first.bits()[i] ^ second.bits()[i]));
  }
  return total;
}

std::string to_pbm(const monochrome_image& image) {
  std::string text =
      "P4\n" + std::to_string(image.width()) + " " + std::to_string(image.height()) + "\n";
  text.append(image.bits().begin(), image.bits().end());
  return text;
}

namespace {

// Reads one header number, skipping whitespace and '#' comments as PBM allows.
std::optional<int> read_header_number(const std::string& text, std::size_t& at) {
  while (at < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[at]))) {
      ++at;
    } else if (text[at] == '#') {
      while (at < text.size() && text[at] != '\n') ++at;
    } else {
      break;
    }
  }
  int value = 0;
  const std::size_t start = at;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) && at - start < 6) {
    value = value * 10 + (text[at] - '0');
    ++at;
  }
  if (at == start) return std::nullopt;
  return value;
}

}  // namespace

std::optional<monochrome_image> from_pbm(const std::string& text) {
  if (text.size() < 2 || text[0] != 'P' || text[1] != '4') return std::nullopt;
  std::size_t at = 2;
  const auto width = read_header_number(text, at);
  const auto height = read_header_number(text, at);
  if (!width || !height || at >= text.size()) return std::nullopt;
  ++at;  // The single whitespace byte that ends the header.
  monochrome_image image(*width, *height);
  if (text.size() - at != image.bits().size()) return std::nullopt;
  std::copy(text.begin() + static_cast<std::ptrdiff_t>(at), text.end(), image.bits().begin());
  // Clear padding bits so comparisons only see real dots.
  if (image.width() % 8 != 0) {
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - image.width() % 8));
    for (int y = 0; y < image.height(); ++y) {
      image.bits()[static_cast<std::size_t>(y * image.stride() + image.stride() - 1)] &= mask;
    }
  }
  return image;
}

bool write_pbm(const std::filesystem::path& path, const monochrome_image& image) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const std::string text = to_pbm(image);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}

std::optional<monochrome_image> read_pbm(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return from_pbm(text);
}

}  // namespace luot::printer
