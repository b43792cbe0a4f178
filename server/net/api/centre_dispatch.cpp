#include "net/api/centre_dispatch.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

#include "core/province_report.hpp"
#include "net/api/http_helpers.hpp"
#include "net/codec.hpp"
#include "net/permissions.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

constexpr std::string_view centres_prefix = "/api/v1/centres";
// The web pages of a centre: /centres/{centre}/board and so on.
constexpr std::string_view pages_prefix = "/centres";
constexpr std::string_view province_path = "/api/v1/report/province";

// `text` as a JSON string literal.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

http_response json_text(unsigned status, std::string body) {
  http_response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http_response not_found(core::error failure) {
  return error_response(failure);
}

// The path's centre id and the rest ("/api/v1/centres/a/tickets": "a",
// "/tickets"), when it is under `prefix` with an id.
std::optional<std::pair<std::string_view, std::string_view>> split_centre(
    std::string_view path, std::string_view prefix = centres_prefix) {
  if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto rest = path.substr(prefix.size());
  if (rest.size() < 2 || rest.front() != '/') return std::nullopt;
  rest.remove_prefix(1);
  const auto slash = rest.find('/');
  const auto id = rest.substr(0, slash);
  if (id.empty()) return std::nullopt;
  return std::pair{id, slash == std::string_view::npos ? std::string_view() : rest.substr(slash)};
}

bool is_centre_api(std::string_view path) {
  return path == "/api" || path.substr(0, 5) == "/api/";
}

}  // namespace

centre_dispatch::centre_dispatch(std::vector<centre_route> centres) : centres_(std::move(centres)) {
  if (centres_.empty()) throw std::logic_error("centre_dispatch without centres");
}

const centre_route* centre_dispatch::find(std::string_view id) const {
  for (const auto& centre : centres_)
    if (centre.id == id) return &centre;
  return nullptr;
}

core::result<shared_state*> centre_dispatch::websocket_route(std::string_view path) const {
  if (const auto parts = split_centre(path)) {
    const auto* centre = find(parts->first);
    if (centre == nullptr)
      return core::make_error(v1::ERROR_CODE_NOT_FOUND,
                              {text::reason("sec.unknown_centre", {std::string(parts->first)})});
    if (parts->second != "/ws")
      return core::make_error(v1::ERROR_CODE_NOT_FOUND, {std::string(path)});
    return centre->state;
  }
  if (path != "/api/v1/ws") return core::make_error(v1::ERROR_CODE_NOT_FOUND, {std::string(path)});
  if (centres_.size() > 1)
    return core::make_error(v1::ERROR_CODE_NOT_FOUND,
                            {text::reason("sec.centre_required", {std::string(path)})});
  return centres_.front().state;
}

void centre_dispatch::handle(http_request request, respond_function respond) {
  const std::string_view target = request.target;
  const auto query_at = target.find('?');
  const std::string_view path = target.substr(0, query_at);

  if (path == centres_prefix || path == std::string(centres_prefix) + "/") {
    if (request.method != "GET") return respond(method_not_allowed("GET"));
    return list(std::move(respond));
  }
  if (path == province_path) {
    if (request.method != "GET") return respond(method_not_allowed("GET"));
    return province_report(request, std::move(respond));
  }
  if (const auto parts = split_centre(path)) {
    const auto* centre = find(parts->first);
    if (centre == nullptr)
      return respond(not_found(
          core::make_error(v1::ERROR_CODE_NOT_FOUND,
                           {text::reason("sec.unknown_centre", {std::string(parts->first)})})));
    // The centre's own API: the same request without the prefix.
    std::string inner = "/api/v1" + std::string(parts->second);
    if (query_at != std::string_view::npos) inner += target.substr(query_at);
    request.target = std::move(inner);
    return centre->state->routes.handle(std::move(request), std::move(respond));
  }
  // A page of a centre: the same page, whose scripts then call the
  // centre's API (server/web/assets/js/centre.js).
  if (const auto page = split_centre(path, pages_prefix); page && !is_centre_api(page->second)) {
    const auto* centre = find(page->first);
    if (centre == nullptr)
      return respond(not_found(
          core::make_error(v1::ERROR_CODE_NOT_FOUND,
                           {text::reason("sec.unknown_centre", {std::string(page->first)})})));
    std::string inner = page->second.empty() ? std::string("/") : std::string(page->second);
    if (query_at != std::string_view::npos) inner += target.substr(query_at);
    request.target = std::move(inner);
    return centre->state->routes.handle(std::move(request), std::move(respond));
  }
  if (centres_.size() == 1)
    return centres_.front().state->routes.handle(std::move(request), std::move(respond));
  if (path == "/readyz") {
    if (request.method != "GET") return respond(method_not_allowed("GET"));
    const bool ready = std::all_of(centres_.begin(), centres_.end(), [](const auto& centre) {
      return centre.state->services.ready();
    });
    http_response response;
    response.status = ready ? 200 : 503;
    response.content_type = "text/plain; charset=utf-8";
    response.body = ready ? "ready\n" : "not ready\n";
    return respond(std::move(response));
  }
  if (is_centre_api(path))
    return respond(not_found(core::make_error(
        v1::ERROR_CODE_NOT_FOUND, {text::reason("sec.centre_required", {std::string(path)})})));
  // /healthz, /metrics (one registry for the whole server) and the pages.
  centres_.front().state->routes.handle(std::move(request), std::move(respond));
}

void centre_dispatch::list(respond_function respond) const {
  std::string body = "{\"centres\":[";
  for (std::size_t i = 0; i < centres_.size(); ++i) {
    if (i > 0) body += ',';
    body += "{\"id\":" + json_string(centres_[i].id) +
            ",\"name\":" + json_string(centres_[i].name) + "}";
  }
  respond(json_text(200, body + "]}"));
}

void centre_dispatch::province_report(const http_request& request, respond_function respond) {
  // Who asks: a session of any centre (a manager signs in at one of theirs).
  const auto token = bearer_token(request.authorization);
  if (!token) return respond(error_response(core::make_error(v1::ERROR_CODE_UNAUTHENTICATED)));
  const std::string presented =
      token->empty() ? cookie_value(request.cookie, session_cookie_name) : *token;
  const auto now = centres_.front().state->services.now();
  principal who;
  if (!presented.empty()) {
    std::optional<principal> found;
    for (const auto& centre : centres_) {
      auto known = centre.state->authority.identify_own(presented, now);
      if (known) {
        found = std::move(known).value();
        break;
      }
    }
    if (!found) return respond(error_response(core::make_error(v1::ERROR_CODE_UNAUTHENTICATED)));
    who = std::move(*found);
  }
  std::vector<std::string> ids;
  for (const auto& centre : centres_) ids.push_back(centre.id);
  auto covered = province_centres(who, ids);
  if (!covered) return respond(error_response(covered.failure()));

  auto days = report_days_of(request.target);
  if (!days) return respond(error_response(days.failure()));
  const auto& [from, to] = *days;

  // Each centre's own report, on the report thread; the answer once all
  // are in, in the order of the centres.
  struct gathering {
    std::mutex mutex;
    std::vector<core::centre_report> parts;
    std::size_t waiting = 0;
    std::optional<core::error> failure;
    respond_function respond;
    std::string from;
    std::string to;
  };
  auto gathered = std::make_shared<gathering>();
  gathered->parts.resize(covered->size());
  gathered->waiting = covered->size();
  gathered->respond = std::move(respond);
  gathered->from = from;
  gathered->to = to;
  const auto finish = [](gathering& all) {
    if (all.failure) return all.respond(error_response(*all.failure));
    std::string body = "{\"fromDay\":" + json_string(all.from) +
                       ",\"toDay\":" + json_string(all.to) + ",\"centres\":[";
    for (std::size_t i = 0; i < all.parts.size(); ++i) {
      if (i > 0) body += ',';
      body += "{\"centre\":" + json_string(all.parts[i].centre) +
              ",\"name\":" + json_string(all.parts[i].name) +
              ",\"report\":" + to_json(all.parts[i].report) + "}";
    }
    body += "],\"total\":" + to_json(core::sum_reports(all.parts, "")) + "}";
    all.respond(json_text(200, std::move(body)));
  };
  if (covered->empty()) return finish(*gathered);
  for (std::size_t i = 0; i < covered->size(); ++i) {
    const auto* centre = find((*covered)[i]);
    gathered->parts[i].centre = centre->id;
    gathered->parts[i].name = centre->name;
    centre->state->services.report(from, to, [gathered, i, finish](core::result<v1::Report> made) {
      bool last_one = false;
      {
        const std::lock_guard lock(gathered->mutex);
        if (made)
          gathered->parts[i].report = std::move(made).value();
        else if (!gathered->failure)
          gathered->failure = made.failure();
        last_one = --gathered->waiting == 0;
      }
      if (last_one) finish(*gathered);
    });
  }
}

}  // namespace luot::net::api
