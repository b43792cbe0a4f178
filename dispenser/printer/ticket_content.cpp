#include "printer/ticket_content.hpp"

namespace luot::printer {

int paper_dots(paper_width paper) {
  return paper == paper_width::mm80 ? 576 : 384;
}

std::optional<paper_width> parse_paper_width(std::string_view text) {
  if (text == "80") return paper_width::mm80;
  if (text == "58") return paper_width::mm58;
  return std::nullopt;
}

std::string wait_text(text::language lang, std::uint32_t seconds) {
  if (seconds < 60) return std::string(text::lookup(lang, "ticket.wait.under_a_minute"));
  const std::uint32_t minutes = (seconds + 30) / 60;
  if (minutes < 60) return text::format(lang, "ticket.wait.minutes", {std::to_string(minutes)});
  return text::format(lang, "ticket.wait.hours",
                      {std::to_string(minutes / 60), std::to_string(minutes % 60)});
}

}  // namespace luot::printer
