#include "printer/ticket_layout.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "printer/escpos.hpp"
#include "printer/qr_code.hpp"
#include "printer/ticket_canvas.hpp"
#include "text/unicode.hpp"

namespace luot::printer {

namespace {

// Sizes in dots (203 dpi: 8 dots per millimetre). Body text at 23 dots is
// about the height of a receipt printer's own 12×24 font.
struct metrics {
  int margin;
  int centre_size;
  int title_size;
  int number_max_size;
  int category_size;
  int priority_size;
  int body_size;
  int small_size;
  int qr_module;
  int gap;
};

metrics metrics_for(paper_width paper) {
  if (paper == paper_width::mm58) {
    return {8, 21, 18, 150, 24, 20, 19, 16, 5, 8};
  }
  return {16, 27, 22, 200, 31, 25, 24, 19, 6, 10};
}

int text_width(TTF_Font* font, std::string_view text) {
  int width = 0;
  int height = 0;
  const std::string terminated(text);
  TTF_SizeUTF8(font, terminated.c_str(), &width, &height);
  return width;
}

// The byte length of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Breaks one word wider than a line at character boundaries.
void break_word(TTF_Font* font, std::string_view word, int max_width,
                std::vector<std::string>& lines) {
  std::string line;
  std::size_t at = 0;
  while (at < word.size()) {
    const std::size_t length = sequence_length(static_cast<unsigned char>(word[at]));
    const std::string candidate = line + std::string(word.substr(at, length));
    if (!line.empty() && text_width(font, candidate) > max_width) {
      lines.push_back(line);
      line = std::string(word.substr(at, length));
    } else {
      line = candidate;
    }
    at += length;
  }
  if (!line.empty()) lines.push_back(line);
}

// Lines no wider than max_width, broken at spaces.
std::vector<std::string> wrap(TTF_Font* font, std::string_view text, int max_width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t space = std::min(text.find(' ', at), text.size());
    const std::string_view word = text.substr(at, space - at);
    at = space + 1;
    if (word.empty()) continue;
    const std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (text_width(font, candidate) <= max_width) {
      line = candidate;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line.clear();
    if (text_width(font, word) <= max_width) {
      line = std::string(word);
    } else {
      break_word(font, word, max_width, lines);
      line = lines.back();
      lines.pop_back();
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Centred text wrapped greedily can leave one short word alone on its last
// line; this keeps the line count but narrows the lines until they are even.
std::vector<std::string> balanced_wrap(TTF_Font* font, std::string_view text, int max_width) {
  auto lines = wrap(font, text, max_width);
  if (lines.size() < 2) return lines;
  int narrow = max_width / static_cast<int>(lines.size());
  int wide = max_width;
  while (narrow < wide) {
    const int middle = (narrow + wide) / 2;
    if (wrap(font, text, middle).size() <= lines.size()) {
      wide = middle;
    } else {
      narrow = middle + 1;
    }
  }
  return wrap(font, text, wide);
}

enum class placement { left, centre };

// Puts blocks one under another on the canvas, keeping the cursor.
class writer {
 public:
  writer(ticket_canvas& canvas, font_set& fonts, const metrics& sizes)
      : canvas_(canvas), fonts_(fonts), sizes_(sizes) {}

  int y() const { return y_; }
  int content_width() const { return canvas_.width() - 2 * sizes_.margin; }

  void space(int rows) { y_ += rows; }

  void paragraph(std::string_view text, font_weight weight, int size, placement where,
                 int indent = 0) {
    TTF_Font* font = fonts_.font_for(text, weight, size);
    const int width = content_width() - indent;
    const auto lines =
        where == placement::centre ? balanced_wrap(font, text, width) : wrap(font, text, width);
    for (const auto& line : lines) {
      const int x = where == placement::centre ? (canvas_.width() - text_width(font, line)) / 2
                                               : sizes_.margin + indent;
      canvas_.draw_text(font, line, x, y_, ink::black);
      y_ += TTF_FontLineSkip(font);
    }
  }

  // A list item: a bullet, then the text wrapped under itself.
  void bullet(std::string_view text, int size) {
    TTF_Font* font = fonts_.font_for("•", font_weight::regular, size);
    const int indent = text_width(font, "• ") + size / 2;
    canvas_.draw_text(font, "•", sizes_.margin + size / 2, y_, ink::black);
    paragraph(text, font_weight::regular, size, placement::left, indent);
  }

  // The ticket number: the largest bold size that fits the width, cropped to
  // the digits' ink so no blank band sits above it.
  void number(std::string_view text) {
    int size = sizes_.number_max_size;
    TTF_Font* font = fonts_.font_for(text, font_weight::bold, size);
    while (size > sizes_.body_size && text_width(font, text) > content_width()) {
      size -= 2;
      font = fonts_.font_for(text, font_weight::bold, size);
    }
    int top = 0;
    int bottom = TTF_FontAscent(font);
    for (const char32_t point : text::decode_utf8(text)) {
      int min_x = 0, max_x = 0, min_y = 0, max_y = 0, advance = 0;
      if (TTF_GlyphMetrics32(font, static_cast<Uint32>(point), &min_x, &max_x, &min_y, &max_y,
                             &advance) == 0) {
        top = std::max(top, max_y);
        bottom = std::min(bottom, min_y);
      }
    }
    const int blank_above = TTF_FontAscent(font) - top;
    const int x = (canvas_.width() - text_width(font, text)) / 2;
    canvas_.draw_text(font, text, x, y_ - blank_above, ink::black);
    y_ += top - bottom;
  }

  // White text on a black bar, for what the officer must notice at a glance.
  void banner(std::string_view text, int size) {
    TTF_Font* font = fonts_.font_for(text, font_weight::bold, size);
    const auto lines = wrap(font, text, content_width() - size);
    const int padding = size / 3;
    const int height = static_cast<int>(lines.size()) * TTF_FontLineSkip(font) + 2 * padding;
    canvas_.fill(sizes_.margin, y_, content_width(), height, ink::black);
    int line_y = y_ + padding;
    for (const auto& line : lines) {
      canvas_.draw_text(font, line, (canvas_.width() - text_width(font, line)) / 2, line_y,
                        ink::white);
      line_y += TTF_FontLineSkip(font);
    }
    y_ += height;
  }

  // A dashed line across the content, like a tear-off mark.
  void rule() {
    const int dash = 8;
    for (int x = sizes_.margin; x < canvas_.width() - sizes_.margin; x += 2 * dash) {
      canvas_.fill(x, y_, std::min(dash, canvas_.width() - sizes_.margin - x), 2, ink::black);
    }
    y_ += 2;
  }

  void qr(const qr_code& code, int module) {
    const int side = code.size() * module;
    const int left = (canvas_.width() - side) / 2;
    for (int row = 0; row < code.size(); ++row) {
      for (int column = 0; column < code.size(); ++column) {
        if (code.dark(column, row)) {
          canvas_.fill(left + column * module, y_ + row * module, module, module, ink::black);
        }
      }
    }
    y_ += side;
  }

 private:
  ticket_canvas& canvas_;
  font_set& fonts_;
  const metrics& sizes_;
  int y_ = 0;
};

}  // namespace

ticket_layout::ticket_layout(layout_options options)
    : options_(std::move(options)), fonts_(std::make_unique<font_set>(options_.fonts)) {}

ticket_layout::~ticket_layout() = default;

ticket_image ticket_layout::draw(const ticket_content& content) {
  const metrics sizes = metrics_for(options_.paper);
  const auto lang = content.language;
  const auto say = [lang](std::string_view key, std::vector<std::string> args = {}) {
    return text::format(lang, key, args);
  };
  ticket_canvas canvas(paper_dots(options_.paper));
  writer out(canvas, *fonts_, sizes);
  ticket_image image;

  out.space(sizes.gap);
  out.paragraph(content.centre_name, font_weight::bold, sizes.centre_size, placement::centre);
  out.space(sizes.gap);
  out.rule();
  out.space(sizes.gap * 3 / 2);
  out.paragraph(say("ticket.title"), font_weight::regular, sizes.title_size, placement::centre);
  out.space(sizes.gap * 2);
  out.number(content.number);
  out.space(sizes.gap * 2);
  out.paragraph(content.category_name, font_weight::bold, sizes.category_size, placement::centre);
  if (!content.priority_label.empty()) {
    out.space(sizes.gap);
    out.banner(say("ticket.priority", {content.priority_label}), sizes.priority_size);
  }
  out.space(sizes.gap * 3 / 2);
  out.rule();
  out.space(sizes.gap);
  out.paragraph(say("ticket.people_ahead", {std::to_string(content.people_ahead)}),
                font_weight::regular, sizes.body_size, placement::centre);
  out.paragraph(say("ticket.estimated_wait", {wait_text(lang, content.estimated_wait_seconds)}),
                font_weight::regular, sizes.body_size, placement::centre);
  out.paragraph(say("ticket.issued_at", {content.issued_at}), font_weight::regular, sizes.body_size,
                placement::centre);
  if (!content.documents.empty()) {
    out.space(sizes.gap);
    out.rule();
    out.space(sizes.gap);
    out.paragraph(say("ticket.documents"), font_weight::bold, sizes.body_size, placement::left);
    for (const auto& document : content.documents) {
      out.bullet(document, sizes.small_size + 1);
    }
  }
  out.space(sizes.gap);
  out.rule();

  // A QR symbol needs four blank modules around it to be found.
  const int quiet = 4 * sizes.qr_module;
  out.space(quiet);
  if (options_.qr == qr_rendering::printer) {
    image.qr_row = out.y();
    image.qr_data = content.status_url;
    image.qr_module_dots = sizes.qr_module;
  } else {
    const auto code = qr_code::encode(content.status_url, qr_error_level::medium);
    if (!code) throw std::runtime_error("the status URL does not fit a QR code");
    out.qr(*code, sizes.qr_module);
  }
  out.space(quiet / 2);
  out.paragraph(say("ticket.scan_to_follow"), font_weight::regular, sizes.small_size,
                placement::centre);
  if (!content.hotline.empty()) {
    out.space(sizes.gap / 2);
    out.paragraph(say("ticket.hotline", {content.hotline}), font_weight::bold, sizes.body_size,
                  placement::centre);
  }
  out.space(sizes.gap / 2);
  out.paragraph(say("ticket.thanks"), font_weight::regular, sizes.small_size, placement::centre);
  out.space(sizes.gap);

  image.raster = canvas.threshold(out.y(), options_.threshold);
  // Done here, not only when encoding, so the image is exactly what prints.
  break_real_time_commands(image.raster);
  return image;
}

}  // namespace luot::printer
