// HTTP requests through the router, without sockets: the input is a request
// as text ("METHOD /target", then "Name: value" header lines, a blank line
// and the body). In the Authorization, Cookie and X-CSRF-Token values,
// "$OFFICER" and "$MANAGER" stand for the token of a session opened for
// "lan" at counter 1 and for the manager "quanly" ("$CSRF" for the officer
// session's anti-forgery token), so the fuzzer gets past sign-in. Every
// request must be answered with a status between 200 and 599.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_backend.hpp"
#include "net/api/router.hpp"
#include "net/auth.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"

namespace {

using namespace luot;

std::string_view next_line(std::string_view& text) {
  const auto end = text.find('\n');
  auto line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

const config::staff_member* find_staff(const config::settings& settings, std::string_view name) {
  for (const auto& member : settings.staff)
    if (member.username == name) return &member;
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto& settings = fuzz::demo_settings();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  fuzz::fake_backend services(settings);
  net::auth authority(settings.staff, settings.devices, std::chrono::minutes(600));
  net::rate_limiter limiter(1000);
  net::metrics counters;
  net::api::router router(services, authority, limiter, counters);

  v1::SessionInfo officer, manager;
  if (const auto* lan = find_staff(settings, "lan"))
    officer = authority.open_session(*lan, "1", fuzz::fixed_now());
  if (const auto* boss = find_staff(settings, "quanly"))
    manager = authority.open_session(*boss, "", fuzz::fixed_now());
  const auto expand = [&](std::string value) {
    replace_all(value, "$OFFICER", officer.token());
    replace_all(value, "$MANAGER", manager.token());
    replace_all(value, "$CSRF", officer.csrf_token());
    return value;
  };

  net::api::http_request request;
  request.remote_address = "192.0.2.1";
  const auto start = next_line(text);
  const auto space = start.find(' ');
  request.method = std::string(start.substr(0, space));
  if (space != std::string_view::npos) request.target = std::string(start.substr(space + 1));
  for (auto line = next_line(text); !line.empty(); line = next_line(text)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = line.substr(0, colon);
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (name == "Authorization") request.authorization = expand(std::string(value));
    if (name == "Cookie") request.cookie = expand(std::string(value));
    if (name == "X-CSRF-Token") request.csrf_token = expand(std::string(value));
    if (name == "If-None-Match") request.if_none_match = std::string(value);
  }
  request.body = std::string(text);

  std::optional<net::api::http_response> answer;
  router.handle(std::move(request),
                [&](net::api::http_response response) { answer = std::move(response); });
  if (!answer || answer->status < 200 || answer->status > 599) {
    __builtin_fprintf(stderr, "fuzz_router: %s\n",
                      answer ? "a status outside 200-599" : "a request was never answered");
    std::abort();
  }
  return 0;
}
