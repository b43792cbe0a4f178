#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "printer/monochrome_image.hpp"

namespace luot::printer {

enum class alignment : std::uint8_t { left = 0, centre = 1, right = 2 };

enum class cut_kind { full, partial };

// QR error correction levels, as ESC/POS numbers them (48..51).
enum class qr_error_level : std::uint8_t { low = 48, medium = 49, quartile = 50, high = 51 };

// What a DLE EOT n query asks for (Epson numbering).
enum class status_query : std::uint8_t {
  printer = 1,        // online or offline
  offline_cause = 2,  // cover open, paper-end stop, error
  error_cause = 3,    // autocutter, unrecoverable, auto-recoverable errors
  paper_sensor = 4,   // roll paper near end, paper end
};

inline constexpr std::array<status_query, 4> all_status_queries = {
    status_query::printer, status_query::offline_cause, status_query::error_cause,
    status_query::paper_sensor};

// Rows per GS v 0 band unless told otherwise: many printers buffer a whole
// band before printing it and refuse or garble one taller than their buffer.
inline constexpr int default_band_rows = 256;

// Builds an ESC/POS byte stream command by command. Every method appends and
// returns *this; parameters out of the command's range throw
// std::invalid_argument (they are programming errors, not printer faults).
class escpos_encoder {
 public:
  // ESC @: reset the printer's modes to their defaults.
  escpos_encoder& initialize();
  // ESC a n.
  escpos_encoder& align(alignment where);
  // GS ! n: character width and height multipliers, 1..8 each.
  escpos_encoder& character_size(int width_multiplier, int height_multiplier);
  // Plain bytes (ASCII text or anything the caller encoded itself).
  escpos_encoder& raw(std::span<const std::uint8_t> bytes);
  escpos_encoder& text(std::string_view ascii);
  // ESC d n: print what is buffered and feed n lines (0..255).
  escpos_encoder& feed_lines(int lines);
  // GS v 0 0 xL xH yL yH d...: the image as raster bands of at most
  // `band_rows` rows each, top to bottom, after break_real_time_commands().
  escpos_encoder& raster(const monochrome_image& image, int band_rows = default_band_rows);
  // GS ( k: select model 2, set module size (1..16 dots) and error level,
  // store the data, print it. For printers that render QR codes natively.
  escpos_encoder& qr_code(std::string_view data, int module_size, qr_error_level level);
  // GS V m: cut where the paper is now.
  escpos_encoder& cut(cut_kind kind);
  // GS V 65|66 n: feed until the printed part has passed the cutter (plus n
  // motion units), then cut; a ticket is never cut through its last lines.
  escpos_encoder& feed_and_cut(cut_kind kind, int extra_units = 0);

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  escpos_encoder& append(std::initializer_list<int> values);

  std::vector<std::uint8_t> bytes_;
};

// Printers act on real-time commands (DLE EOT, DLE ENQ, DLE DC4) even in the
// middle of raster data: a DLE ENQ 2 there clears the printer's buffers, a
// DLE EOT makes it send a status byte nobody asked for. This sets one more
// dot, next to an existing one, in every 0x10 byte that would start such a
// sequence; the change is invisible at 203 dpi. Returns how many it changed.
int break_real_time_commands(monochrome_image& image);

// DLE EOT n: a real-time status query; the printer answers with one byte.
std::array<std::uint8_t, 3> status_query_bytes(status_query query);

}  // namespace luot::printer
