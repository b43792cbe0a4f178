#include "kiosk/screen_painter.hpp"

#include <google/protobuf/timestamp.pb.h>

#include <algorithm>

#include "kiosk/ticket_details.hpp"
#include "printer/ticket_content.hpp"
#include "ui/paint.hpp"

namespace luot::kiosk {

namespace {

using ui::align;
using ui::fraction_of;
using ui::placement;
using ui::rect;
using ui::text_style;

constexpr auto bold = ui::font_weight::bold;
constexpr auto regular = ui::font_weight::regular;

std::string say(text::language lang, std::string_view key,
                const std::vector<std::string>& args = {}) {
  return text::format(lang, key, args);
}

google::protobuf::Timestamp timestamp_of(std::chrono::system_clock::time_point moment) {
  google::protobuf::Timestamp stamp;
  stamp.set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(moment.time_since_epoch()).count());
  return stamp;
}

const v1::Category* find_category(const v1::View& view, const std::string& code) {
  for (const auto& category : view.categories()) {
    if (category.code() == code) return &category;
  }
  return nullptr;
}

std::string closed_line(const v1::Category& category, text::language lang) {
  std::string line = say(lang, "category.status." + v1::CategoryStatus_Name(category.status()));
  if (!category.status_note().empty()) line += ": " + category.status_note();
  return line;
}

}  // namespace

screen_painter::screen_painter(SDL_Renderer* renderer, ui::font_library& fonts)
    : renderer_(renderer), text_(renderer, fonts), theme_(ui::kiosk_theme()) {}

void screen_painter::draw(ui::size screen, const frame_input& frame) {
  ui::fill(renderer_, {0, 0, screen.w, screen.h}, theme_.background);
  switch (frame.model.current()) {
    case page::start:
    case page::priority:
      draw_menu(screen, frame);
      break;
    case page::idle:
      draw_idle(screen, frame);
      break;
    case page::working:
      draw_working(screen, frame);
      break;
    case page::confirmation:
      draw_confirmation(screen, frame);
      break;
    case page::notice:
      draw_notice(screen, frame);
      break;
    case page::out_of_service:
      draw_out_of_service(screen, frame);
      break;
  }
  text_.end_frame();
}

void screen_painter::draw_menu(ui::size screen, const frame_input& frame) {
  const auto lang = frame.model.language();
  const bool priority_page = frame.model.current() == page::priority;
  const auto& view = frame.view;
  menu_ = layout_menu(screen, static_cast<std::size_t>(view.categories_size()),
                      static_cast<std::size_t>(view.priority_classes_size()),
                      priority_page ? page::priority : page::start);
  const int radius = fraction_of(std::min(screen.w, screen.h), 0.018);

  // Header: the centre (or, for a priority number, what to do), then the
  // title or the chosen class.
  if (priority_page) {
    text_.draw_in(menu_.centre_name, say(lang, "kiosk.priority.choose_category"),
                  {bold, menu_.detail_size, theme_.text},
                  {align::start, align::centre, menu_.small_size});
  } else {
    text_.draw_in(menu_.centre_name, view.centre_name(),
                  {regular, menu_.small_size, theme_.text_muted}, {align::start, align::centre});
  }
  if (priority_page) {
    const auto name = priority_class_name(view, frame.model.priority_class(), lang);
    rect band = menu_.title;
    ui::fill_rounded(renderer_, band, radius, theme_.accent);
    text_.draw_in(ui::inset(band, fraction_of(band.h, 0.15)),
                  say(lang, "kiosk.priority.banner", {name}),
                  {bold, menu_.title_size, theme_.accent_text},
                  {align::centre, align::centre, menu_.small_size});
  } else {
    text_.draw_wrapped(menu_.title, say(lang, "kiosk.title"), {bold, menu_.title_size, theme_.text},
                       {align::start, align::centre, menu_.detail_size, 2});
  }
  ui::fill_rounded(renderer_, menu_.language_button, radius, theme_.surface);
  ui::outline(renderer_, menu_.language_button, std::max(2, menu_.small_size / 10),
              theme_.highlight);
  text_.draw_in(ui::inset(menu_.language_button, menu_.small_size / 3),
                say(lang, "kiosk.language_button"), {bold, menu_.detail_size, theme_.highlight},
                {align::centre, align::centre, menu_.small_size});

  for (int i = 0; i < view.categories_size(); ++i) {
    draw_category(menu_.categories[static_cast<std::size_t>(i)], view.categories(i), frame);
  }

  if (priority_page) {
    ui::fill_rounded(renderer_, menu_.back_button, radius, theme_.surface);
    ui::outline(renderer_, menu_.back_button, std::max(3, menu_.small_size / 8), theme_.text);
    text_.draw_in(ui::inset(menu_.back_button, menu_.small_size / 2),
                  "← " + say(lang, "kiosk.back"), {bold, menu_.name_size, theme_.text},
                  {align::centre, align::centre, menu_.small_size});
  } else if (!menu_.priority_classes.empty()) {
    text_.draw_in(menu_.priority_heading, say(lang, "kiosk.priority.heading"),
                  {bold, menu_.title_size, theme_.accent}, {align::start, align::centre});
    // A narrow column (4:3 landscape) may shrink the hint, never cut it.
    text_.draw_in(menu_.priority_hint, say(lang, "kiosk.priority.hint"),
                  {regular, menu_.detail_size, theme_.text},
                  {align::start, align::centre, menu_.small_size * 2 / 3});
    for (int i = 0; i < view.priority_classes_size(); ++i) {
      const auto& area = menu_.priority_classes[static_cast<std::size_t>(i)];
      const auto& known = view.priority_classes(i);
      ui::fill_rounded(renderer_, area, radius, theme_.surface);
      ui::outline(renderer_, area, std::max(3, menu_.small_size / 7), theme_.accent);
      text_.draw_wrapped(ui::inset(area, menu_.small_size / 2, menu_.small_size / 4),
                         priority_class_name(view, known.code(), lang),
                         {bold, menu_.detail_size, theme_.text},
                         {align::centre, align::centre, menu_.small_size, 2});
    }
  }
  draw_footer(menu_.footer, menu_.small_size, frame);
}

void screen_painter::draw_category(const rect& area, const v1::Category& category,
                                   const frame_input& frame) {
  const auto lang = frame.model.language();
  const bool open = category.status() == v1::CATEGORY_STATUS_OPEN;
  const int radius = fraction_of(std::min(area.w, area.h), 0.08);
  ui::fill_rounded(renderer_, area, radius, open ? theme_.highlight : theme_.surface_alt);
  if (!open) ui::outline(renderer_, area, std::max(2, menu_.small_size / 10), theme_.border);
  const auto inner = ui::inset(area, fraction_of(area.w, 0.05), fraction_of(area.h, 0.07));
  const auto parts = ui::split_rows(inner, {58, 21, 21}, fraction_of(inner.h, 0.02));
  const auto name = lang == text::language::en && !category.name_en().empty() ? category.name_en()
                                                                              : category.name_vi();
  text_.draw_wrapped(parts[0], name,
                     {bold, menu_.name_size, open ? theme_.highlight_text : theme_.text_muted},
                     {align::centre, align::centre, menu_.small_size, 2});
  if (open) {
    const auto waiting = category.waiting_regular() + category.waiting_priority();
    const text_style detail{regular, menu_.detail_size, theme_.highlight_text};
    const placement line{align::centre, align::centre, menu_.small_size * 3 / 4};
    text_.draw_in(parts[1], say(lang, "kiosk.category.waiting", {std::to_string(waiting)}), detail,
                  line);
    text_.draw_in(parts[2],
                  say(lang, "kiosk.category.wait",
                      {printer::wait_text(lang, category.estimated_wait_seconds())}),
                  detail, line);
  } else {
    const ui::rect reason{parts[1].x, parts[1].y, parts[1].w, parts[2].bottom() - parts[1].y};
    text_.draw_wrapped(reason, closed_line(category, lang),
                       {bold, menu_.detail_size, theme_.negative},
                       {align::centre, align::centre, menu_.small_size * 3 / 4, 2});
  }
}

void screen_painter::draw_header(const message_layout& layout, const frame_input& frame,
                                 const std::string& headline, ui::colour band,
                                 ui::colour band_text) {
  const int radius = fraction_of(layout.header.h, 0.12);
  ui::fill_rounded(renderer_, layout.header, radius, band);
  text_.draw_in(ui::inset(layout.header, fraction_of(layout.header.h, 0.14)), headline,
                {bold, layout.headline_size, band_text},
                {align::centre, align::centre, layout.small_size});
  (void)frame;
}

void screen_painter::draw_footer(const rect& footer, int size, const frame_input& frame) {
  const auto lang = frame.model.language();
  if (!frame.hotline.empty()) {
    text_.draw_in(footer, say(lang, "ticket.hotline", {frame.hotline}),
                  {regular, size, theme_.text_muted}, {align::start, align::centre});
  }
  text_.draw_in(footer, local_time_text(timestamp_of(frame.wall_clock), frame.view.time_zone()),
                {regular, size, theme_.text_muted}, {align::end, align::centre});
}

void screen_painter::draw_idle(ui::size screen, const frame_input& frame) {
  const auto layout = layout_message(screen);
  text_.draw_wrapped(layout.header, frame.view.centre_name(), {bold, layout.text_size, theme_.text},
                     {align::centre, align::centre, layout.small_size, 2});
  const auto rows = ui::split_rows(layout.body, {3, 1}, layout.small_size);
  const int radius = fraction_of(std::min(screen.w, screen.h), 0.03);
  ui::fill_rounded(renderer_, rows[0], radius, theme_.highlight);
  text_.draw_wrapped(ui::inset(rows[0], layout.text_size),
                     say(text::language::vi, "kiosk.idle.touch"),
                     {bold, layout.number_size / 2, theme_.highlight_text},
                     {align::centre, align::centre, layout.small_size, 3});
  text_.draw_wrapped(rows[1], say(text::language::en, "kiosk.idle.touch"),
                     {regular, layout.text_size, theme_.text},
                     {align::centre, align::centre, layout.small_size, 2});
  draw_footer(layout.footer, layout.small_size, frame);
}

void screen_painter::draw_working(ui::size screen, const frame_input& frame) {
  const auto lang = frame.model.language();
  const auto layout = layout_message(screen);
  draw_header(layout, frame, say(lang, "kiosk.working"), theme_.highlight, theme_.highlight_text);
  const auto* category = find_category(frame.view, frame.model.pressed_category());
  if (category != nullptr) {
    text_.draw_wrapped(layout.body,
                       lang == text::language::en ? category->name_en() : category->name_vi(),
                       {bold, layout.headline_size, theme_.text},
                       {align::centre, align::centre, layout.small_size, 3});
  }
  draw_footer(layout.footer, layout.small_size, frame);
}

void screen_painter::draw_confirmation(ui::size screen, const frame_input& frame) {
  const auto lang = frame.model.language();
  const auto layout = layout_message(screen);
  const auto& ticket = *frame.model.shown()->ticket;
  draw_header(layout, frame, say(lang, "kiosk.confirm.title"), theme_.highlight,
              theme_.highlight_text);
  const bool priority = !ticket.priority_class().empty();
  const int gap = layout.small_size / 2;
  // Portrait: one column. Landscape: the number and its category on the
  // left, what to know and do on the right.
  rect number_area;
  rect category_area;
  std::vector<rect> details;
  if (screen.h >= screen.w) {
    const auto rows =
        ui::split_rows(layout.body, {7, 2.2, priority ? 1.6 : 0.01, 3.2, 2.2, 1.6}, gap);
    number_area = rows[0];
    category_area = rows[1];
    details.assign(rows.begin() + 2, rows.end());
  } else {
    const auto columns = ui::split_columns(layout.body, {1, 1}, layout.text_size);
    const auto left = ui::split_rows(columns[0], {5, 2}, gap);
    number_area = left[0];
    category_area = left[1];
    details = ui::split_rows(columns[1], {priority ? 1.6 : 0.01, 3.2, 2.2, 1.6}, gap);
  }
  text_.draw_in(number_area, ticket.number(), {bold, layout.number_size, theme_.text},
                {align::centre, align::centre, layout.text_size});
  text_.draw_wrapped(category_area, category_name(frame.view, ticket.category(), lang),
                     {bold, layout.text_size * 5 / 4, theme_.text},
                     {align::centre, align::centre, layout.small_size, 2});
  if (priority) {
    const auto band = ui::centred(details[0], {details[0].w * 9 / 10, details[0].h});
    ui::fill_rounded(renderer_, band, band.h / 4, theme_.accent);
    text_.draw_in(ui::inset(band, band.h / 8),
                  say(lang, "ticket.priority",
                      {priority_class_name(frame.view, ticket.priority_class(), lang)}),
                  {bold, layout.text_size, theme_.accent_text},
                  {align::centre, align::centre, layout.small_size});
  }
  const auto facts = ui::split_rows(details[1], {1, 1});
  text_.draw_wrapped(
      facts[0], say(lang, "kiosk.confirm.people_ahead", {std::to_string(ticket.people_ahead())}),
      {regular, layout.text_size, theme_.text},
      {align::centre, align::centre, layout.small_size, 2});
  text_.draw_wrapped(
      facts[1],
      say(lang, "kiosk.confirm.wait", {printer::wait_text(lang, ticket.estimated_wait_seconds())}),
      {regular, layout.text_size, theme_.text},
      {align::centre, align::centre, layout.small_size, 2});
  text_.draw_wrapped(details[2], say(lang, "kiosk.confirm.please_wait"),
                     {bold, layout.headline_size, theme_.accent},
                     {align::centre, align::centre, layout.small_size, 2});
  text_.draw_wrapped(details[3], say(lang, "kiosk.confirm.take_ticket"),
                     {regular, layout.text_size, theme_.text_muted},
                     {align::centre, align::centre, layout.small_size, 2});
  draw_footer(layout.footer, layout.small_size, frame);
}

void screen_painter::draw_notice(ui::size screen, const frame_input& frame) {
  const auto lang = frame.model.language();
  const auto layout = layout_message(screen);
  draw_header(layout, frame, say(lang, "kiosk.out_of_service"), theme_.alert, theme_.alert_text);
  const auto& shown = frame.model.shown();
  draw_explanation(layout, shown ? shown->reason : localized{}, lang);
  draw_footer(layout.footer, layout.small_size, frame);
}

void screen_painter::draw_explanation(const message_layout& layout, const localized& reason,
                                      text::language lang) {
  // The reason in the citizen's language, the other one below it (nobody
  // can switch languages on a page without buttons), then whom to ask.
  const auto other = lang == text::language::vi ? text::language::en : text::language::vi;
  const auto block = ui::centred(layout.body, {layout.body.w, layout.body.h * 2 / 3});
  const auto rows = ui::split_rows(block, {3, 2, 1.2}, layout.small_size);
  text_.draw_wrapped(rows[0], reason.in(lang), {bold, layout.headline_size, theme_.text},
                     {align::centre, align::end, layout.small_size, 4});
  text_.draw_wrapped(rows[1], reason.in(other), {regular, layout.text_size, theme_.text_muted},
                     {align::centre, align::start, layout.small_size, 3});
  text_.draw_wrapped(rows[2], say(lang, "kiosk.ask_staff"),
                     {bold, layout.text_size, theme_.highlight},
                     {align::centre, align::centre, layout.small_size, 2});
}

void screen_painter::draw_out_of_service(ui::size screen, const frame_input& frame) {
  const auto lang = frame.model.language();
  const auto layout = layout_message(screen);
  const auto& state = frame.state;
  const auto which = frame.model.current_fault();
  if (which == fault::reprint_pending && state.ticket) {
    // A number was issued: show it, so the citizen can keep it even before
    // the ticket comes out.
    draw_header(layout, frame, state.printer_message.in(lang), theme_.alert, theme_.alert_text);
    const auto rows = ui::split_rows(layout.body, {5, 3, 1.5}, layout.small_size);
    text_.draw_in(rows[0], state.ticket->number(), {bold, layout.number_size, theme_.text},
                  {align::centre, align::centre, layout.text_size});
    text_.draw_wrapped(rows[1], say(lang, "kiosk.held", {state.ticket->number()}),
                       {bold, layout.text_size, theme_.text},
                       {align::centre, align::centre, layout.small_size, 4});
    text_.draw_wrapped(rows[2], say(lang, "kiosk.ask_staff"),
                       {regular, layout.text_size, theme_.text_muted},
                       {align::centre, align::centre, layout.small_size, 2});
    draw_footer(layout.footer, layout.small_size, frame);
    return;
  }
  std::string headline = say(lang, "kiosk.out_of_service");
  localized reason;
  switch (which) {
    case fault::server_pending: {
      headline = say(lang, "kiosk.notice.server_waiting");
      const auto& shown = frame.model.shown();
      if (shown && shown->outcome == press_outcome::server_silent) reason = shown->reason;
      break;
    }
    case fault::offline:
      reason = from_catalogue("kiosk.offline");
      break;
    case fault::printer:
    case fault::reprint_pending:
      reason = state.printer_message;
      break;
    case fault::none:
      break;
  }
  draw_header(layout, frame, headline,
              which == fault::server_pending ? theme_.caution : theme_.alert, theme_.alert_text);
  draw_explanation(layout, reason, lang);
  draw_footer(layout.footer, layout.small_size, frame);
}

}  // namespace luot::kiosk
