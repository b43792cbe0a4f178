#include "net/api/http_helpers.hpp"

#include <charconv>

#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const auto pair = trim(header.substr(0, semicolon));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name)
      return std::string(trim(pair.substr(equals + 1)));
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return {};
}

std::string session_cookie(std::string_view token, std::chrono::seconds lifetime) {
  std::string cookie(session_cookie_name);
  cookie += "=";
  cookie += token;
  cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=";
  cookie += token.empty() ? "0" : std::to_string(lifetime.count());
  return cookie;
}

std::optional<std::string> query_parameter(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  auto query = target.substr(question + 1);
  while (!query.empty()) {
    const auto ampersand = query.find('&');
    const auto pair = query.substr(0, ampersand);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) == name)
      return std::string(equals == std::string_view::npos ? std::string_view()
                                                          : pair.substr(equals + 1));
    if (ampersand == std::string_view::npos) break;
    query.remove_prefix(ampersand + 1);
  }
  return std::nullopt;
}

std::optional<std::chrono::sys_days> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  const auto number = [](std::string_view digits, auto& value) {
    for (const char c : digits)
      if (c < '0' || c > '9') return false;
    return std::from_chars(digits.data(), digits.data() + digits.size(), value).ec == std::errc{};
  };
  if (!number(text.substr(0, 4), year) || !number(text.substr(5, 2), month) ||
      !number(text.substr(8, 2), day))
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

core::result<report_days> report_days_of(std::string_view target) {
  report_days days;
  days.from = query_parameter(target, "from").value_or("");
  days.to = query_parameter(target, "to").value_or(days.from);
  const auto first = parse_day(days.from);
  const auto last = parse_day(days.to);
  if (!first || !last)
    return core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("reason.report_days")});
  if (*last < *first || (*last - *first).count() >= report_days_limit)
    return core::make_error(
        v1::ERROR_CODE_BAD_REQUEST,
        {text::reason("reason.report_range", {std::to_string(report_days_limit)})});
  return days;
}

}  // namespace luot::net::api
