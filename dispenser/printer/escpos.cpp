#include "printer/escpos.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace luot::printer {

namespace {

constexpr int dle = 0x10;
constexpr int eot = 0x04;
constexpr int enq = 0x05;
constexpr int dc4 = 0x14;
constexpr int esc = 0x1B;
constexpr int gs = 0x1D;

void require(bool condition, const char* what) {
  if (!condition) throw std::invalid_argument(std::string("escpos: ") + what);
}

int low_byte(int value) {
  return value & 0xFF;
}
int high_byte(int value) {
  return (value >> 8) & 0xFF;
}

}  // namespace

escpos_encoder& escpos_encoder::append(std::initializer_list<int> values) {
  for (const int value : values) {
    bytes_.push_back(static_cast<std::uint8_t>(value));
  }
  return *this;
}

escpos_encoder& escpos_encoder::initialize() {
  return append({esc, '@'});
}

escpos_encoder& escpos_encoder::align(alignment where) {
  return append({esc, 'a', static_cast<int>(where)});
}

escpos_encoder& escpos_encoder::character_size(int width_multiplier, int height_multiplier) {
  require(width_multiplier >= 1 && width_multiplier <= 8, "character width must be 1..8");
  require(height_multiplier >= 1 && height_multiplier <= 8, "character height must be 1..8");
  return append({gs, '!', ((width_multiplier - 1) << 4) | (height_multiplier - 1)});
}

escpos_encoder& escpos_encoder::raw(std::span<const std::uint8_t> bytes) {
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  return *this;
}

escpos_encoder& escpos_encoder::text(std::string_view ascii) {
  bytes_.insert(bytes_.end(), ascii.begin(), ascii.end());
  return *this;
}

escpos_encoder& escpos_encoder::feed_lines(int lines) {
  require(lines >= 0 && lines <= 255, "feed must be 0..255 lines");
  return append({esc, 'd', lines});
}

int break_real_time_commands(monochrome_image& image) {
  auto& bits = image.bits();
  int changed = 0;
  for (std::size_t at = 0; at + 1 < bits.size(); ++at) {
    const auto next = bits[at + 1];
    if (bits[at] == dle && (next == eot || next == enq || next == dc4)) {
      // 0x10 is one dot (the fourth of the byte); adding its left neighbour
      // gives 0x30, which starts no command.
      bits[at] = 0x30;
      ++changed;
    }
  }
  return changed;
}

escpos_encoder& escpos_encoder::raster(const monochrome_image& original, int band_rows) {
  require(band_rows >= 1 && band_rows <= 0xFFFF, "band height must be 1..65535 rows");
  require(original.stride() <= 0xFFFF, "raster too wide");
  monochrome_image image = original;
  break_real_time_commands(image);
  const int stride = image.stride();
  for (int top = 0; top < image.height(); top += band_rows) {
    const int rows = std::min(band_rows, image.height() - top);
    // m = 0: normal density (one dot per bit in both directions).
    append({gs, 'v', '0', 0, low_byte(stride), high_byte(stride), low_byte(rows), high_byte(rows)});
    const auto begin = image.bits().begin() + static_cast<std::ptrdiff_t>(top) * stride;
    bytes_.insert(bytes_.end(), begin, begin + static_cast<std::ptrdiff_t>(rows) * stride);
  }
  return *this;
}

escpos_encoder& escpos_encoder::qr_code(std::string_view data, int module_size,
                                        qr_error_level level) {
  require(module_size >= 1 && module_size <= 16, "QR module size must be 1..16 dots");
  require(!data.empty(), "QR data must not be empty");
  // A QR code holds at most 7089 characters; the parameter length must fit 16 bits too.
  require(data.size() <= 7089, "QR data too long");
  const int stored = static_cast<int>(data.size()) + 3;
  // cn = 49 ('1') selects the QR code function family.
  append({gs, '(', 'k', 4, 0, '1', 'A', '2', 0});                              // model 2
  append({gs, '(', 'k', 3, 0, '1', 'C', module_size});                         // module size
  append({gs, '(', 'k', 3, 0, '1', 'E', static_cast<int>(level)});             // error correction
  append({gs, '(', 'k', low_byte(stored), high_byte(stored), '1', 'P', '0'});  // store
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  return append({gs, '(', 'k', 3, 0, '1', 'Q', '0'});  // print the stored symbol
}

escpos_encoder& escpos_encoder::cut(cut_kind kind) {
  return append({gs, 'V', kind == cut_kind::full ? 0 : 1});
}

escpos_encoder& escpos_encoder::feed_and_cut(cut_kind kind, int extra_units) {
  require(extra_units >= 0 && extra_units <= 255, "extra feed must be 0..255 units");
  return append({gs, 'V', kind == cut_kind::full ? 65 : 66, extra_units});
}

std::array<std::uint8_t, 3> status_query_bytes(status_query query) {
  return {static_cast<std::uint8_t>(dle), static_cast<std::uint8_t>(eot),
          static_cast<std::uint8_t>(query)};
}

}  // namespace luot::printer
