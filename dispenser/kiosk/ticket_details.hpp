#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <string>
#include <string_view>

#include "kiosk/kiosk_options.hpp"
#include "luot/v1/luot.pb.h"
#include "printer/ticket_content.hpp"

namespace luot::kiosk {

// What a ticket shows beyond what the server sends with it.
struct ticket_extras {
  std::string public_url;
  std::string hotline;
  document_lists documents;
};

// "<public URL>/t/<status token>": the page where a citizen follows the ticket.
std::string status_url(std::string_view public_url, std::string_view status_token);

// "23/11/2026 09:41" in the centre's time zone (an unknown zone falls back
// to Asia/Ho_Chi_Minh, Luot's default).
std::string local_time_text(const google::protobuf::Timestamp& moment, std::string_view time_zone);

// A category's or priority class's name in a language; the code when the
// view does not know it.
std::string category_name(const v1::View& view, std::string_view code, text::language lang);
std::string priority_class_name(const v1::View& view, std::string_view code, text::language lang);

// Everything printed for an issued ticket: the server's number, people ahead
// and estimate, the names from the public view, the status URL, the hotline
// and the documents to bring for its category.
printer::ticket_content make_ticket_content(const v1::Ticket& ticket, const v1::View& view,
                                            const ticket_extras& extras, text::language lang);

}  // namespace luot::kiosk
