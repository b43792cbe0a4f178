#include "board/board_painter.hpp"

#include <algorithm>
#include <cmath>

#include "ui/paint.hpp"

namespace luot::display {

namespace {

using ui::align;
using ui::font_weight;
using ui::rect;

// How long each page of a ticker too long for one line stays up.
constexpr std::chrono::seconds ticker_page_time{8};

int share(int length, double fraction) {
  return ui::fraction_of(length, fraction);
}

std::string words(text::language language, std::string_view key) {
  return std::string(text::lookup(language, key));
}

// The notice cut into pages that fit one line: whole items (separated by
// " • ") together where they fit, a long item broken between words.
std::vector<std::string> ticker_pages(ui::text_painter& text, const std::string& notice,
                                      int pixel_size, int width) {
  const std::string separator = " • ";
  std::vector<std::string> items;
  for (std::size_t at = 0; at <= notice.size();) {
    const std::size_t end = std::min(notice.find(separator, at), notice.size());
    if (end > at) items.push_back(notice.substr(at, end - at));
    at = end + separator.size();
  }
  std::vector<std::string> pages;
  for (const auto& item : items) {
    const std::string joined = pages.empty() ? item : pages.back() + separator + item;
    if (!pages.empty() && text.measure(joined, font_weight::regular, pixel_size).w <= width) {
      pages.back() = joined;
      continue;
    }
    for (auto& line : text.wrap(item, font_weight::regular, pixel_size, width)) {
      pages.push_back(std::move(line));
    }
  }
  return pages;
}

}  // namespace

board_painter::board_painter(SDL_Renderer* renderer, ui::font_library& fonts, ui::theme palette)
    : renderer_(renderer), text_(renderer, fonts), palette_(palette) {}

ui::colour board_painter::tone_colour(tone which) const {
  switch (which) {
    case tone::positive:
      return palette_.positive;
    case tone::caution:
      return palette_.caution;
    case tone::muted:
      return palette_.text_muted;
    case tone::normal:
      break;
  }
  return palette_.text;
}

std::optional<std::chrono::system_clock::time_point> board_painter::paint(
    const board_content& board, ui::size screen) {
  next_page_.reset();
  unit_ = std::max(1, std::min(screen.w, screen.h) / 100);
  const rect whole{0, 0, screen.w, screen.h};
  ui::fill(renderer_, whole, palette_.background);
  if (board.layout == layout_kind::counter) {
    paint_counter_top(board, whole);
  } else {
    paint_hall(board, whole);
  }
  text_.end_frame();
  return next_page_;
}

void board_painter::paint_hall(const board_content& board, rect screen) {
  const bool landscape = screen.w >= screen.h;
  rect area = screen;
  header(board, take_top(area, share(screen.h, landscape ? 0.11 : 0.08)));
  ticker(board, take_bottom(area, share(screen.h, landscape ? 0.065 : 0.042)));
  if (board.banner)
    banner(*board.banner, take_top(area, share(screen.h, landscape ? 0.09 : 0.055)));
  const rect body = ui::inset(area, 2 * unit_);
  if (!board.has_view) return;

  // Tables get room in proportion to their rows (plus their title).
  const double counter_rows = static_cast<double>(board.counters.size()) + 1.8;
  const double category_rows = static_cast<double>(board.categories.size()) + 1.8;
  const int gap = 2 * unit_;
  if (landscape) {
    const auto columns = ui::split_columns(body, {52, 48}, gap);
    const auto left = ui::split_rows(columns[0], {54, 46}, gap);
    newest_call(board, left[0]);
    recent_calls(board, left[1], 2);
    const auto right = ui::split_rows(columns[1], {counter_rows, category_rows}, gap);
    counters(board, right[0]);
    categories(board, right[1]);
  } else {
    const double tables = counter_rows + category_rows;
    const auto rows = ui::split_rows(
        body, {24, 16, 60 * counter_rows / tables, 60 * category_rows / tables}, gap);
    newest_call(board, rows[0]);
    recent_calls(board, rows[1], 3);
    counters(board, rows[2]);
    categories(board, rows[3]);
  }
}

void board_painter::header(const board_content& board, const rect& area) {
  ui::fill(renderer_, area, palette_.accent);
  rect band = area;
  ui::fill(renderer_, take_bottom(band, std::max(2, share(area.h, 0.05))), palette_.highlight);
  const rect inner = ui::inset(band, 2 * unit_, share(band.h, 0.12));
  if (area.w < area.h * 12) {
    // A narrow (portrait) screen: the name above the date, the clock beside.
    const auto columns = ui::split_columns(inner, {80, 20}, 2 * unit_);
    const auto lines = ui::split_rows(columns[0], {56, 44});
    const int name_size =
        text_.fitting_size(board.centre_name, font_weight::bold, share(lines[0].h, 0.8),
                           {lines[0].w, lines[0].h}, share(lines[0].h, 0.4));
    text_.draw_in(lines[0], board.centre_name, {font_weight::bold, name_size, palette_.accent_text},
                  {align::start, align::centre, share(lines[0].h, 0.4)});
    // The date a little smaller than the name above it.
    text_.draw_in(lines[1], board.date,
                  {font_weight::regular, std::min(share(lines[1].h, 0.8), name_size * 9 / 10),
                   palette_.accent_text},
                  {align::start, align::centre, share(lines[1].h, 0.4)});
    text_.draw_in(columns[1], board.clock,
                  {font_weight::bold, share(inner.h, 0.7), palette_.accent_text},
                  {align::end, align::centre});
    return;
  }
  const auto columns = ui::split_columns(inner, {56, 29, 15}, 2 * unit_);
  // The centre's name on one line when it stays large enough, else on two.
  const int one_line = text_.fitting_size(board.centre_name, font_weight::bold,
                                          share(inner.h, 0.42), {columns[0].w, inner.h});
  if (one_line >= share(inner.h, 0.3)) {
    text_.draw_in(columns[0], board.centre_name,
                  {font_weight::bold, one_line, palette_.accent_text},
                  {align::start, align::centre});
  } else {
    text_.draw_wrapped(columns[0], board.centre_name,
                       {font_weight::bold, share(inner.h, 0.4), palette_.accent_text},
                       {align::start, align::centre, share(inner.h, 0.25), 2});
  }
  // The date on one line when it fits, else the weekday above the rest
  // ("Thứ Hai," / "ngày 23 tháng 11 năm 2026"), never a year alone.
  const ui::text_style date_style{font_weight::regular, share(inner.h, 0.36), palette_.accent_text};
  const std::size_t comma = board.date.find(", ");
  if (text_.measure(board.date, date_style.weight, date_style.pixel_size).w <= columns[1].w ||
      comma == std::string::npos) {
    text_.draw_in(columns[1], board.date, date_style, {align::end, align::centre});
  } else {
    const auto lines = ui::split_rows(ui::inset(columns[1], 0, share(inner.h, 0.05)), {1, 1});
    const std::string weekday = board.date.substr(0, comma + 1);
    const std::string rest = board.date.substr(comma + 2);
    // One size for both lines, the largest at which each fits.
    ui::text_style both = date_style;
    both.pixel_size = std::min(
        text_.fitting_size(weekday, both.weight, both.pixel_size, {lines[0].w, lines[0].h}),
        text_.fitting_size(rest, both.weight, both.pixel_size, {lines[1].w, lines[1].h}));
    text_.draw_in(lines[0], weekday, both, {align::end, align::end});
    text_.draw_in(lines[1], rest, both, {align::end, align::start});
  }
  text_.draw_in(columns[2], board.clock,
                {font_weight::bold, share(inner.h, 0.8), palette_.accent_text},
                {align::end, align::centre});
}

void board_painter::banner(const board_content::banner_text& message, const rect& area) {
  ui::fill(renderer_, area, palette_.alert);
  const auto rows = ui::split_rows(ui::inset(area, 2 * unit_, share(area.h, 0.08)), {56, 44});
  text_.draw_in(rows[0], "⚠ " + message.headline,
                {font_weight::bold, share(rows[0].h, 0.85), palette_.alert_text},
                {align::centre, align::centre});
  text_.draw_in(rows[1], message.detail,
                {font_weight::regular, share(rows[1].h, 0.8), palette_.alert_text},
                {align::centre, align::centre});
}

void board_painter::ticker(const board_content& board, const rect& area) {
  ui::fill(renderer_, area, palette_.surface_alt);
  ui::fill(renderer_, {area.x, area.y, area.w, std::max(1, unit_ / 3)}, palette_.border);
  const rect inner = ui::inset(area, 2 * unit_, share(area.h, 0.12));
  const int pixel_size = share(inner.h, 0.62);
  // A notice longer than the screen is shown page by page rather than
  // scrolled: scrolling would redraw the board sixty times a second.
  const auto pages = ticker_pages(text_, board.ticker, pixel_size, inner.w);
  std::string shown = board.ticker;
  if (pages.size() > 1) {
    const auto since_epoch = std::chrono::floor<std::chrono::seconds>(board.now.time_since_epoch());
    const auto page = static_cast<std::size_t>(since_epoch / ticker_page_time) % pages.size();
    shown = pages[page];
    next_page_ = std::chrono::system_clock::time_point((since_epoch / ticker_page_time + 1) *
                                                       ticker_page_time);
  }
  text_.draw_in(inner, shown, {font_weight::regular, pixel_size, palette_.text},
                {align::centre, align::centre});
}

rect board_painter::panel(const rect& area, const std::string& title) {
  ui::fill_rounded(renderer_, area, unit_, palette_.surface);
  rect inner = ui::inset(area, 2 * unit_, unit_);
  const rect title_area = take_top(inner, std::min(share(area.h, 0.2), 5 * unit_), unit_ / 2);
  text_.draw_in(title_area, title,
                {font_weight::bold, share(title_area.h, 0.72), palette_.text_muted},
                {align::start, align::centre});
  ui::fill(renderer_, {title_area.x, title_area.bottom(), title_area.w, std::max(1, unit_ / 4)},
           palette_.border);
  return inner;
}

void board_painter::newest_call(const board_content& board, const rect& area) {
  const bool lit = board.newest_highlighted;
  ui::fill_rounded(renderer_, area, unit_ * 2, lit ? palette_.highlight : palette_.surface);
  const ui::colour ink = lit ? palette_.highlight_text : palette_.text;
  const rect inner = ui::inset(area, 3 * unit_, 2 * unit_);
  const auto rows = ui::split_rows(inner, {17, 58, 25});
  const auto language = board.language;
  text_.draw_in(rows[0], words(language, "display.now_calling"),
                {font_weight::regular, share(rows[0].h, 0.8), lit ? ink : palette_.text_muted},
                {align::centre, align::centre});
  if (!board.newest) {
    text_.draw_in(rows[1], words(language, "display.no_calls_yet"),
                  {font_weight::regular, share(rows[1].h, 0.3), palette_.text_muted},
                  {align::centre, align::centre});
    return;
  }
  text_.draw_in(rows[1], board.newest->number,
                {font_weight::bold, share(rows[1].h, 1.05), lit ? ink : palette_.highlight},
                {align::centre, align::centre});
  text_.draw_in(rows[2], text::format(language, "display.to_counter", {board.newest->counter}),
                {font_weight::bold, share(rows[2].h, 0.75), ink}, {align::centre, align::centre});
}

void board_painter::recent_calls(const board_content& board, const rect& area, int columns) {
  const rect inner = panel(area, words(board.language, "display.recent_calls"));
  const int slots = std::max({1, board.recent_slots, static_cast<int>(board.recent.size())});
  const int rows = (slots + columns - 1) / columns;
  const auto cells = ui::grid(inner, rows, columns, unit_);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    ui::fill_rounded(renderer_, cells[i], unit_, palette_.surface_alt);
    if (i >= board.recent.size()) continue;
    const auto& call = board.recent[i];
    const rect content = ui::inset(cells[i], unit_ * 3 / 2, unit_ / 2);
    // Wide cells put the counter beside the number, narrow ones below it.
    const bool side_by_side = content.w > content.h * 4;
    const auto parts = side_by_side ? ui::split_columns(content, {40, 60}, unit_)
                                    : ui::split_rows(content, {60, 40});
    text_.draw_in(
        parts[0], call.number,
        {font_weight::bold, share(parts[0].h, side_by_side ? 0.62 : 0.9), palette_.highlight},
        {side_by_side ? align::start : align::centre, align::centre});
    text_.draw_in(
        parts[1], call.counter,
        {font_weight::regular, share(parts[1].h, side_by_side ? 0.42 : 0.8), palette_.text},
        {side_by_side ? align::end : align::centre, align::centre,
         share(parts[1].h, side_by_side ? 0.25 : 0.5)});
  }
}

void board_painter::counters(const board_content& board, const rect& area) {
  const auto language = board.language;
  rect inner = panel(area, words(language, "display.counters"));
  const std::vector<double> widths = {40, 22, 38};
  const int count = std::max<int>(1, static_cast<int>(board.counters.size()));
  const int row_height = std::min(inner.h * 10 / (count * 10 + 6), 9 * unit_);
  const auto labels = ui::split_columns(take_top(inner, row_height * 6 / 10), widths, unit_);
  const ui::text_style label{font_weight::regular, share(labels[0].h, 0.7), palette_.text_muted};
  text_.draw_in(labels[0], words(language, "display.column.counter"), label);
  text_.draw_in(labels[1], words(language, "display.column.serving"), label, {align::centre});
  text_.draw_in(labels[2], words(language, "display.column.state"), label);
  for (std::size_t i = 0; i < board.counters.size(); ++i) {
    const auto& line = board.counters[i];
    const rect row = take_top(inner, row_height);
    if (row.h < row_height / 2) break;
    if (i % 2 == 0) ui::fill_rounded(renderer_, row, unit_ / 2, palette_.surface_alt);
    const auto cells = ui::split_columns(ui::inset(row, unit_, 0), widths, unit_);
    text_.draw_in(cells[0], line.name, {font_weight::regular, share(row.h, 0.52), palette_.text},
                  {align::start, align::centre, share(row.h, 0.3)});
    text_.draw_in(cells[1], line.number,
                  {font_weight::bold, share(row.h, 0.64),
                   line.state_tone == tone::positive ? palette_.highlight : palette_.text_muted},
                  {align::centre, align::centre});
    const int dot = std::max(3, share(row.h, 0.12));
    ui::fill_circle(renderer_, cells[2].x + dot, cells[2].y + cells[2].h / 2, dot,
                    tone_colour(line.state_tone));
    rect state_text = cells[2];
    take_left(state_text, dot * 2 + unit_);
    text_.draw_in(state_text, line.state,
                  {font_weight::regular, share(row.h, 0.5), tone_colour(line.state_tone)},
                  {align::start, align::centre, share(row.h, 0.28)});
  }
}

void board_painter::categories(const board_content& board, const rect& area) {
  const auto language = board.language;
  rect inner = panel(area, words(language, "display.categories"));
  const std::vector<double> widths = {52, 18, 30};
  const int count = std::max<int>(1, static_cast<int>(board.categories.size()));
  const int row_height = std::min(inner.h * 10 / (count * 10 + 6), 9 * unit_);
  const auto labels = ui::split_columns(take_top(inner, row_height * 6 / 10), widths, unit_);
  const ui::text_style label{font_weight::regular, share(labels[0].h, 0.7), palette_.text_muted};
  text_.draw_in(labels[0], words(language, "display.column.category"), label);
  text_.draw_in(labels[1], words(language, "display.column.waiting"), label, {align::centre});
  text_.draw_in(labels[2], words(language, "display.column.estimate"), label, {align::end});
  for (std::size_t i = 0; i < board.categories.size(); ++i) {
    const auto& line = board.categories[i];
    const rect row = take_top(inner, row_height);
    if (row.h < row_height / 2) break;
    if (i % 2 == 0) ui::fill_rounded(renderer_, row, unit_ / 2, palette_.surface_alt);
    const auto cells = ui::split_columns(ui::inset(row, unit_, 0), widths, unit_);
    text_.draw_in(cells[0], line.name, {font_weight::regular, share(row.h, 0.52), palette_.text},
                  {align::start, align::centre, share(row.h, 0.3)});
    if (line.waiting_note.empty()) {
      text_.draw_in(cells[1], line.waiting, {font_weight::bold, share(row.h, 0.64), palette_.text},
                    {align::centre, align::centre});
    } else {
      const auto parts = ui::split_rows(cells[1], {62, 38});
      text_.draw_in(parts[0], line.waiting,
                    {font_weight::bold, share(parts[0].h, 0.85), palette_.text},
                    {align::centre, align::end});
      text_.draw_in(parts[1], line.waiting_note,
                    {font_weight::regular, share(parts[1].h, 0.8), palette_.caution},
                    {align::centre, align::start});
    }
    text_.draw_in(cells[2], line.estimate,
                  {font_weight::regular, share(row.h, 0.5), tone_colour(line.estimate_tone)},
                  {align::end, align::centre, share(row.h, 0.28)});
  }
}

void board_painter::paint_counter_top(const board_content& board, rect screen) {
  rect area = screen;
  const auto language = board.language;
  const rect top = take_top(area, share(screen.h, 0.17));
  ui::fill(renderer_, top, palette_.accent);
  const rect top_inner = ui::inset(top, 3 * unit_, share(top.h, 0.14));
  const auto top_parts = ui::split_columns(top_inner, {75, 25}, 2 * unit_);
  const std::string title = board.own_counter ? board.own_counter->name : board.centre_name;
  text_.draw_in(top_parts[0], title,
                {font_weight::bold, share(top_inner.h, 0.8), palette_.accent_text},
                {align::start, align::centre, share(top_inner.h, 0.4)});
  text_.draw_in(top_parts[1], board.clock,
                {font_weight::bold, share(top_inner.h, 0.8), palette_.accent_text},
                {align::end, align::centre});
  if (board.banner) banner(*board.banner, take_bottom(area, share(screen.h, 0.16)));
  const rect body = ui::inset(area, 3 * unit_, 2 * unit_);
  if (!board.has_view) return;
  if (!board.own_counter) {
    text_.draw_wrapped(body, board.own_counter_missing,
                       {font_weight::bold, share(body.h, 0.12), palette_.caution},
                       {align::centre, align::centre});
    return;
  }
  const auto& own = *board.own_counter;
  const auto rows = ui::split_rows(body, {15, 63, 22}, unit_);
  const bool lit = board.own_highlighted;
  const bool serving =
      own.state_tone == tone::positive && own.number != words(language, "display.no_number");
  text_.draw_in(rows[0],
                words(language, serving ? "display.counter_top.now_serving"
                                        : "display.counter_top.waiting_for_call"),
                {font_weight::regular, share(rows[0].h, 0.8), palette_.text_muted},
                {align::centre, align::centre});
  ui::fill_rounded(renderer_, rows[1], 2 * unit_, lit ? palette_.highlight : palette_.surface);
  text_.draw_in(
      ui::inset(rows[1], 3 * unit_, unit_), own.number,
      {font_weight::bold, share(rows[1].h, 1.0),
       lit ? palette_.highlight_text : (serving ? palette_.highlight : palette_.text_muted)},
      {align::centre, align::centre});
  // "● Đang phục vụ | Cán bộ: Đỗ Minh Thư", centred as one line.
  const int state_size = share(rows[2].h, 0.5);
  const int officer_size = share(rows[2].h, 0.42);
  const int dot = std::max(4, share(rows[2].h, 0.14));
  const int gap = 5 * unit_;
  const ui::size state_extent = text_.measure(own.state, font_weight::bold, state_size);
  const ui::size officer_extent =
      text_.measure(board.own_officer, font_weight::regular, officer_size);
  const int whole =
      3 * dot + state_extent.w + (board.own_officer.empty() ? 0 : gap + officer_extent.w);
  const double scale = whole > rows[2].w ? static_cast<double>(rows[2].w) / whole : 1.0;
  int x = rows[2].x + std::max(0, (rows[2].w - whole) / 2);
  const int middle = rows[2].y + rows[2].h / 2;
  ui::fill_circle(renderer_, x + dot, middle, dot, tone_colour(own.state_tone));
  x += 3 * dot;
  const int state_width = static_cast<int>(state_extent.w * scale);
  text_.draw_in({x, rows[2].y, state_width, rows[2].h}, own.state,
                {font_weight::bold, state_size, tone_colour(own.state_tone)},
                {align::start, align::centre});
  if (board.own_officer.empty()) return;
  x += state_width + gap / 2;
  ui::fill(renderer_, {x, middle - state_size / 2, std::max(1, unit_ / 3), state_size},
           palette_.border);
  x += gap / 2;
  text_.draw_in({x, rows[2].y, rows[2].right() - x, rows[2].h}, board.own_officer,
                {font_weight::regular, officer_size, palette_.text}, {align::start, align::centre});
}

}  // namespace luot::display
