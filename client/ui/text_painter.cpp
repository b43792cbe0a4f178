#include "ui/text_painter.hpp"

#include <algorithm>
#include <stdexcept>

#include "text/unicode.hpp"

namespace luot::ui {

namespace {

std::string cache_key(std::string_view text, font_weight weight, int pixel_size) {
  std::string key = std::to_string(pixel_size);
  key += weight == font_weight::bold ? 'b' : 'r';
  key += text;
  return key;
}

int aligned(align where, int start, int space, int length) {
  switch (where) {
    case align::start:
      return start;
    case align::centre:
      return start + (space - length) / 2;
    case align::end:
      return start + space - length;
  }
  return start;
}

int minimum_size(const placement& where, int pixel_size) {
  return where.min_pixel_size > 0 ? std::min(where.min_pixel_size, pixel_size)
                                  : std::min(pixel_size, 12);
}

}  // namespace

text_painter::text_painter(SDL_Renderer* renderer, font_library& fonts)
    : renderer_(renderer), fonts_(fonts) {}

text_painter::~text_painter() {
  for (auto& [key, cached] : cache_) SDL_DestroyTexture(cached.texture);
}

int text_painter::line_height(font_weight weight, int pixel_size) {
  return TTF_FontHeight(fonts_.primary(weight, pixel_size));
}

size text_painter::measure(std::string_view text, font_weight weight, int pixel_size) {
  size total{0, line_height(weight, pixel_size)};
  for (const auto& run : fonts_.runs(text, weight, pixel_size)) {
    int w = 0;
    int h = 0;
    if (TTF_SizeUTF8(run.font, run.text.c_str(), &w, &h) == 0) {
      total.w += w;
      total.h = std::max(total.h, h);
    }
  }
  return total;
}

SDL_Surface* text_painter::rasterize(std::string_view text, font_weight weight, int pixel_size) {
  const SDL_Color white{255, 255, 255, 255};
  const auto runs = fonts_.runs(text, weight, pixel_size);
  if (runs.size() == 1)
    return TTF_RenderUTF8_Blended(runs.front().font, runs.front().text.c_str(), white);
  // Several fonts: each run drawn alone, then laid side by side on a
  // shared baseline.
  std::vector<SDL_Surface*> parts;
  int width = 0;
  int ascent = 0;
  int descent = 0;
  for (const auto& run : runs) {
    SDL_Surface* part = TTF_RenderUTF8_Blended(run.font, run.text.c_str(), white);
    if (part == nullptr) continue;
    parts.push_back(part);
    width += part->w;
    ascent = std::max(ascent, TTF_FontAscent(run.font));
    descent = std::max(descent, part->h - TTF_FontAscent(run.font));
  }
  SDL_Surface* whole = SDL_CreateRGBSurfaceWithFormat(
      0, std::max(1, width), std::max(1, ascent + descent), 32, SDL_PIXELFORMAT_ARGB8888);
  if (whole == nullptr) {
    for (auto* part : parts) SDL_FreeSurface(part);
    return nullptr;
  }
  SDL_FillRect(whole, nullptr, 0);
  int x = 0;
  std::size_t index = 0;
  for (const auto& run : runs) {
    if (index >= parts.size()) break;
    SDL_Surface* part = parts[index++];
    SDL_SetSurfaceBlendMode(part, SDL_BLENDMODE_NONE);
    SDL_Rect target{x, ascent - TTF_FontAscent(run.font), part->w, part->h};
    SDL_BlitSurface(part, nullptr, whole, &target);
    x += part->w;
    SDL_FreeSurface(part);
  }
  return whole;
}

const text_painter::cached_line& text_painter::line(std::string_view text, font_weight weight,
                                                    int pixel_size) {
  pixel_size = std::max(1, pixel_size);
  auto key = cache_key(text, weight, pixel_size);
  if (auto found = cache_.find(key); found != cache_.end()) {
    found->second.last_frame = frame_;
    return found->second;
  }
  cached_line made;
  made.last_frame = frame_;
  if (!text.empty()) {
    SDL_Surface* surface = rasterize(text, weight, pixel_size);
    if (surface == nullptr) {
      throw std::runtime_error(std::string("cannot draw text: ") + TTF_GetError());
    }
    ++rasterized_;
    made.extent = {surface->w, surface->h};
    made.texture = SDL_CreateTextureFromSurface(renderer_, surface);
    SDL_FreeSurface(surface);
    if (made.texture == nullptr) {
      throw std::runtime_error(std::string("cannot make a text texture: ") + SDL_GetError());
    }
    SDL_SetTextureBlendMode(made.texture, SDL_BLENDMODE_BLEND);
  } else {
    made.extent = {0, line_height(weight, pixel_size)};
  }
  return cache_.emplace(std::move(key), made).first->second;
}

rect text_painter::draw(std::string_view text, const text_style& style, int x, int y) {
  const auto& cached = line(text, style.weight, style.pixel_size);
  const rect area{x, y, cached.extent.w, cached.extent.h};
  if (cached.texture != nullptr) {
    SDL_SetTextureColorMod(cached.texture, style.fill.r, style.fill.g, style.fill.b);
    SDL_SetTextureAlphaMod(cached.texture, style.fill.a);
    const SDL_Rect target{x, y, area.w, area.h};
    SDL_RenderCopy(renderer_, cached.texture, nullptr, &target);
  }
  return area;
}

int text_painter::fitting_size(std::string_view text, font_weight weight, int max_size, size box,
                               int min_size) {
  min_size = std::max(1, std::min(min_size, max_size));
  int pixel_size = std::max(min_size, max_size);
  // Width grows about linearly with the size: jump close, then step down.
  const size first = measure(text, weight, pixel_size);
  if (first.w > box.w && first.w > 0) {
    pixel_size = std::max(min_size, pixel_size * box.w / first.w);
  }
  if (first.h > box.h && first.h > 0) {
    pixel_size = std::max(min_size, std::min(pixel_size, max_size * box.h / first.h));
  }
  while (pixel_size > min_size) {
    const size now = measure(text, weight, pixel_size);
    if (now.w <= box.w && now.h <= box.h) break;
    --pixel_size;
  }
  return pixel_size;
}

std::string text_painter::ellipsize(std::string_view text, font_weight weight, int pixel_size,
                                    int width) {
  if (measure(text, weight, pixel_size).w <= width) return std::string(text);
  const auto points = text::decode_utf8(text);
  std::size_t low = 0;
  std::size_t high = points.size();
  const auto prefix = [&points](std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += text::encode_utf8(points[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "…";
  };
  // The longest prefix that fits with the ellipsis.
  while (low < high) {
    const std::size_t middle = (low + high + 1) / 2;
    if (measure(prefix(middle), weight, pixel_size).w <= width) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return prefix(low);
}

rect text_painter::draw_in(const rect& box, std::string_view text, const text_style& style,
                           const placement& where) {
  text_style used = style;
  used.pixel_size = fitting_size(text, style.weight, style.pixel_size, {box.w, box.h},
                                 minimum_size(where, style.pixel_size));
  std::string shown(text);
  if (measure(shown, used.weight, used.pixel_size).w > box.w) {
    shown = ellipsize(text, used.weight, used.pixel_size, box.w);
  }
  const size extent = measure(shown, used.weight, used.pixel_size);
  return draw(shown, used, aligned(where.horizontal, box.x, box.w, extent.w),
              aligned(where.vertical, box.y, box.h, extent.h));
}

std::vector<std::string> text_painter::wrap(std::string_view text, font_weight weight,
                                            int pixel_size, int width) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t space = std::min(text.find(' ', at), text.size());
    const std::string_view word = text.substr(at, space - at);
    if (!word.empty()) {
      std::string candidate =
          current.empty() ? std::string(word) : current + " " + std::string(word);
      if (!current.empty() && measure(candidate, weight, pixel_size).w > width) {
        lines.push_back(std::move(current));
        current = std::string(word);
      } else {
        current = std::move(candidate);
      }
    }
    at = space + 1;
  }
  if (!current.empty()) lines.push_back(std::move(current));
  return lines;
}

rect text_painter::draw_wrapped(const rect& box, std::string_view text, const text_style& style,
                                const placement& where) {
  const int smallest = minimum_size(where, style.pixel_size);
  text_style used = style;
  std::vector<std::string> lines;
  for (used.pixel_size = std::max(1, style.pixel_size);; --used.pixel_size) {
    lines = wrap(text, used.weight, used.pixel_size, box.w);
    const int height = static_cast<int>(lines.size()) * line_height(used.weight, used.pixel_size);
    int widest = 0;
    for (const auto& one : lines)
      widest = std::max(widest, measure(one, used.weight, used.pixel_size).w);
    const bool within_lines =
        where.max_lines <= 0 || static_cast<int>(lines.size()) <= where.max_lines;
    if ((height <= box.h && widest <= box.w && within_lines) || used.pixel_size <= smallest) break;
  }
  const int step = line_height(used.weight, used.pixel_size);
  int count = static_cast<int>(lines.size());
  if (where.max_lines > 0) count = std::min(count, where.max_lines);
  count = std::max(1, std::min(count, std::max(1, box.h / std::max(1, step))));
  if (static_cast<int>(lines.size()) > count) {
    // What does not fit ends the last line shown with "…".
    std::string rest = lines[static_cast<std::size_t>(count - 1)];
    for (std::size_t i = static_cast<std::size_t>(count); i < lines.size(); ++i)
      rest += " " + lines[i];
    lines.resize(static_cast<std::size_t>(count));
    lines.back() = ellipsize(rest, used.weight, used.pixel_size, box.w);
  }
  int y = aligned(where.vertical, box.y, box.h, count * step);
  rect drawn{box.x, y, 0, count * step};
  for (const auto& one : lines) {
    std::string shown = measure(one, used.weight, used.pixel_size).w > box.w
                            ? ellipsize(one, used.weight, used.pixel_size, box.w)
                            : one;
    const int w = measure(shown, used.weight, used.pixel_size).w;
    draw(shown, used, aligned(where.horizontal, box.x, box.w, w), y);
    drawn.w = std::max(drawn.w, w);
    y += step;
  }
  return drawn;
}

void text_painter::end_frame(int keep_frames) {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (frame_ - it->second.last_frame >= static_cast<std::uint64_t>(std::max(1, keep_frames))) {
      SDL_DestroyTexture(it->second.texture);
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
  ++frame_;
}

}  // namespace luot::ui
