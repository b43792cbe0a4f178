#include "kiosk/ticket_details.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>

namespace luot::kiosk {

namespace {

constexpr std::string_view fallback_zone = "Asia/Ho_Chi_Minh";

const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name.empty() ? fallback_zone : name);
  } catch (const std::exception&) {
    return date::locate_zone(fallback_zone);
  }
}

template <typename Named>
std::string name_in(const Named& named, text::language lang) {
  if (lang == text::language::en && !named.name_en().empty()) return named.name_en();
  return named.name_vi();
}

}  // namespace

std::string status_url(std::string_view public_url, std::string_view status_token) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/t/" + std::string(status_token);
}

std::string local_time_text(const google::protobuf::Timestamp& moment, std::string_view time_zone) {
  const auto instant = date::sys_seconds{std::chrono::seconds(moment.seconds())};
  const auto local = date::make_zoned(find_zone(time_zone), instant).get_local_time();
  return date::format("%d/%m/%Y %H:%M", date::floor<std::chrono::minutes>(local));
}

std::string category_name(const v1::View& view, std::string_view code, text::language lang) {
  const auto& categories = view.categories();
  const auto found =
      std::find_if(categories.begin(), categories.end(),
                   [&](const v1::Category& category) { return category.code() == code; });
  return found == categories.end() ? std::string(code) : name_in(*found, lang);
}

std::string priority_class_name(const v1::View& view, std::string_view code, text::language lang) {
  if (code.empty()) return {};
  const auto& classes = view.priority_classes();
  const auto found =
      std::find_if(classes.begin(), classes.end(),
                   [&](const v1::PriorityClass& known) { return known.code() == code; });
  return found == classes.end() ? std::string(code) : name_in(*found, lang);
}

printer::ticket_content make_ticket_content(const v1::Ticket& ticket, const v1::View& view,
                                            const ticket_extras& extras, text::language lang) {
  printer::ticket_content content;
  content.centre_name = view.centre_name();
  content.category_name = category_name(view, ticket.category(), lang);
  content.number = ticket.number();
  content.priority_label = priority_class_name(view, ticket.priority_class(), lang);
  content.issued_at = local_time_text(ticket.issued_at(), view.time_zone());
  content.people_ahead = ticket.people_ahead();
  content.estimated_wait_seconds = ticket.estimated_wait_seconds();
  content.status_url = status_url(extras.public_url, ticket.status_token());
  content.hotline = extras.hotline;
  if (const auto found = extras.documents.find(ticket.category());
      found != extras.documents.end()) {
    content.documents = found->second;
  }
  content.language = lang;
  return content;
}

}  // namespace luot::kiosk
