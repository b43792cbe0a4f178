#pragma once

#include <memory>
#include <optional>
#include <string>

#include "printer/font_set.hpp"
#include "printer/monochrome_image.hpp"
#include "printer/ticket_content.hpp"

namespace luot::printer {

// Who draws the QR code: the raster (works on every printer) or the printer
// itself from GS ( k (sharper on printers that have it).
enum class qr_rendering { raster, printer };

struct layout_options {
  paper_width paper = paper_width::mm80;
  qr_rendering qr = qr_rendering::raster;
  font_paths fonts = default_font_paths();
  // A pixel darker than this (0..255) prints as a dot.
  int threshold = 128;
};

// A ticket ready to encode: the 1-bit raster at the paper's full width and,
// when the printer draws the QR code, where it goes.
struct ticket_image {
  monochrome_image raster;
  // qr_rendering::printer only: the raster row the QR symbol is printed
  // before, and what the printer needs to draw it.
  std::optional<int> qr_row;
  std::string qr_data;
  int qr_module_dots = 0;
};

// Draws tickets with SDL2_ttf onto a surface at the paper's width and
// thresholds them to dots: centre name, the number very large, category,
// priority class, people ahead and estimated wait, issue time, documents to
// bring, the live-status QR code, the hotline. Every label comes from the
// catalogue in the ticket's language.
class ticket_layout {
 public:
  // Opens the fonts; throws std::runtime_error when none can be opened.
  explicit ticket_layout(layout_options options = {});
  ~ticket_layout();
  ticket_layout(const ticket_layout&) = delete;
  ticket_layout& operator=(const ticket_layout&) = delete;

  // Throws std::runtime_error when SDL fails or the URL cannot be a QR code.
  ticket_image draw(const ticket_content& content);

  const layout_options& options() const { return options_; }
  font_set& fonts() { return *fonts_; }

 private:
  layout_options options_;
  std::unique_ptr<font_set> fonts_;
};

}  // namespace luot::printer
