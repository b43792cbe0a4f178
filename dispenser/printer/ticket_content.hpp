#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/catalogue.hpp"

namespace luot::printer {

// Everything printed on a ticket, as plain values, so printing depends on
// neither the server nor the wire contract.
struct ticket_content {
  std::string centre_name;
  std::string category_name;
  std::string number;          // the display form, e.g. "1024" or "A012"
  std::string priority_label;  // the priority class's name; empty on a regular ticket
  std::string issued_at;       // already formatted, e.g. "23/11/2026 09:41"
  std::uint32_t people_ahead = 0;
  std::uint32_t estimated_wait_seconds = 0;
  std::string status_url;              // <public URL>/t/<status token>
  std::string hotline;                 // empty: no hotline line
  std::vector<std::string> documents;  // giấy tờ cần mang theo; may be empty
  text::language language = text::language::vi;
};

// Roll widths and their printable width at 203 dpi (8 dots per mm).
enum class paper_width { mm80, mm58 };

int paper_dots(paper_width paper);
// "80" or "58", as the --paper flag writes them.
std::optional<paper_width> parse_paper_width(std::string_view text);

// "khoảng 12 phút", "khoảng 1 giờ 5 phút", "dưới 1 phút": the estimate as the
// ticket words it, rounded to the nearest minute.
std::string wait_text(text::language lang, std::uint32_t seconds);

}  // namespace luot::printer
