#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace luot::net::api {

// The name of the cookie that carries a web console's session token.
inline constexpr std::string_view session_cookie_name = "luot_session";

// The value of cookie `name` in a Cookie header; empty when absent.
std::string cookie_value(std::string_view header, std::string_view name);

// A Set-Cookie value holding a session token: HttpOnly (page scripts never
// see it), SameSite=Strict (other sites' pages never send it), for the
// whole server, living `lifetime`. An empty token clears the cookie.
std::string session_cookie(std::string_view token, std::chrono::seconds lifetime);

// The value of query parameter `name` in a request target ("/x?a=1&b=2");
// nullopt when absent. Values are taken literally (no percent-decoding):
// the API's parameters are dates and numbers.
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);

// The day a "YYYY-MM-DD" names, or nullopt when it is not a real date.
std::optional<std::chrono::sys_days> parse_day(std::string_view text);

// The longest range one report covers.
inline constexpr int report_days_limit = 366;

// The days a report request asks for: ?from=YYYY-MM-DD&to=YYYY-MM-DD (`to`
// defaults to `from`), both real dates, in order, at most report_days_limit
// days; otherwise the BAD_REQUEST that says which rule was broken.
struct report_days {
  std::string from;
  std::string to;
};
core::result<report_days> report_days_of(std::string_view target);

}  // namespace luot::net::api
