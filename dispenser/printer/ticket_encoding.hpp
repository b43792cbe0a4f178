#pragma once

#include <cstdint>
#include <vector>

#include "printer/escpos.hpp"
#include "printer/ticket_layout.hpp"

namespace luot::printer {

struct encoding_options {
  cut_kind cut = cut_kind::partial;
  int band_rows = default_band_rows;
};

// The whole print job for one ticket: reset, the raster in bands (the QR
// code in between when the printer draws it), then feed past the cutter and
// cut. Text never goes through the printer's code pages.
std::vector<std::uint8_t> encode_ticket(const ticket_image& image,
                                        const encoding_options& options = {});

}  // namespace luot::printer
