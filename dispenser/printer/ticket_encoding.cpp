#include "printer/ticket_encoding.hpp"

#include <algorithm>

namespace luot::printer {

std::vector<std::uint8_t> encode_ticket(const ticket_image& image,
                                        const encoding_options& options) {
  escpos_encoder out;
  out.initialize().align(alignment::centre);
  const auto& raster = image.raster;
  if (image.qr_row) {
    const int split = std::clamp(*image.qr_row, 0, raster.height());
    out.raster(raster.rows(0, split), options.band_rows);
    out.qr_code(image.qr_data, image.qr_module_dots, qr_error_level::medium);
    out.raster(raster.rows(split, raster.height() - split), options.band_rows);
  } else {
    out.raster(raster, options.band_rows);
  }
  out.feed_and_cut(options.cut);
  return out.take();
}

}  // namespace luot::printer
