#include "net/api/router.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <vector>

#include "net/api/http_helpers.hpp"
#include "net/api/staff_routes.hpp"
#include "net/api/text_limits.hpp"
#include "net/api/text_normalize.hpp"
#include "net/codec.hpp"
#include "net/hub.hpp"
#include "net/log_text.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/static_files.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

// Password checks that may wait at once, and how many of them one address
// may hold: a guesser at full speed gets a quarter of the line.
constexpr std::size_t verifications_waiting = 16;
constexpr std::size_t verifications_per_address = 4;

http_response text_response(unsigned status, std::string body) {
  http_response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

http_response not_found(std::string_view path) {
  return error_response(core::make_error(v1::ERROR_CODE_NOT_FOUND, {std::string(path)}));
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    if (end == std::string_view::npos) break;
    path.remove_prefix(end);
  }
  return segments;
}

// The counter commands by the last segment of their path, each giving the
// sub-message of the Command the body fills in.
using command_slot = google::protobuf::Message* (*)(v1::Command&);
struct counter_route {
  std::string_view action;
  command_slot slot;
};
constexpr counter_route counter_routes[] = {
    {"call-next",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_call_next(); }},
    {"finish", [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_finish(); }},
    {"call", [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_call_ticket(); }},
    {"recall", [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_recall(); }},
    {"no-show",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_mark_no_show(); }},
    {"park", [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_park(); }},
    {"resume-parked",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_resume_parked(); }},
    {"transfer", [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_transfer(); }},
    {"pause",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_pause_counter(); }},
    {"resume",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_resume_counter(); }},
    {"close",
     [](v1::Command& c) -> google::protobuf::Message* { return c.mutable_close_counter(); }},
};

}  // namespace

unsigned http_status(v1::ErrorCode code) {
  switch (code) {
    case v1::ERROR_CODE_BAD_REQUEST:
    case v1::ERROR_CODE_MALFORMED_MESSAGE:
      return 400;
    case v1::ERROR_CODE_MESSAGE_TOO_LARGE:
      return 413;
    case v1::ERROR_CODE_UNAUTHENTICATED:
    case v1::ERROR_CODE_WRONG_CREDENTIALS:
      return 401;
    case v1::ERROR_CODE_PERMISSION_DENIED:
      return 403;
    case v1::ERROR_CODE_NOT_FOUND:
    case v1::ERROR_CODE_UNKNOWN_CATEGORY:
    case v1::ERROR_CODE_UNKNOWN_COUNTER:
    case v1::ERROR_CODE_UNKNOWN_TICKET:
    case v1::ERROR_CODE_UNKNOWN_PRIORITY_CLASS:
    case v1::ERROR_CODE_UNKNOWN_OUTCOME:
      return 404;
    case v1::ERROR_CODE_RATE_LIMITED:
    case v1::ERROR_CODE_SIGN_IN_LOCKED:
      return 429;
    case v1::ERROR_CODE_UNAVAILABLE:
      return 503;
    case v1::ERROR_CODE_UNSPECIFIED:
    case v1::ERROR_CODE_INTERNAL:
      return 500;
    default:
      // Every remaining code is a domain conflict: busy, nothing waiting,
      // closed, limit reached, outside hours, not waiting, ...
      return 409;
  }
}

http_response error_response(const core::error& failure) {
  // Arguments may echo what the client sent (a path, a parser's complaint
  // quoting the body): valid UTF-8 and short, whatever it sent.
  auto echoed = failure;
  for (auto& argument : echoed.args) argument = echo_text(argument);
  if (echoed.because)
    for (auto& argument : echoed.because->args) argument = echo_text(argument);
  auto response = json_response(http_status(failure.code), to_wire(echoed));
  response.rejected = v1::ErrorCode_Name(failure.code);
  return response;
}

http_response json_response(unsigned status, const google::protobuf::Message& message) {
  http_response response;
  response.status = status;
  response.body = to_json(message);
  return response;
}

http_response method_not_allowed(std::string allow) {
  http_response response = error_response(
      core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.method_not_allowed")}));
  response.status = 405;
  response.allow = std::move(allow);
  return response;
}

std::optional<core::error> parse_body(std::string_view body, google::protobuf::Message& message) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
  if (auto reason = from_json(body, message)) {
    return core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE, {std::move(*reason)});
  }
  return prepare_text(message);
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.empty()) return std::string();
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) {
      return std::nullopt;
    }
  }
  authorization.remove_prefix(scheme.size());
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  while (!authorization.empty() && authorization.back() == ' ') authorization.remove_suffix(1);
  if (authorization.empty()) return std::nullopt;
  return std::string(authorization);
}

void submit_command(backend& services, rate_limiter& limiter, const principal& who,
                    std::string_view remote_address, v1::Command command, command_done done) {
  if (auto refused = authorize(who, command)) return done(std::move(*refused));
  if (auto refused_text = prepare_text(command)) return done(std::move(*refused_text));
  if (command.has_report_device_status())
    command.mutable_report_device_status()->set_device(who.name);
  core::actor actor(who.name);
  const bool limited = who.kind == principal_kind::anonymous || who.kind == principal_kind::kiosk;
  if (!command.has_take_ticket() || !limited)
    return services.execute(std::move(command), std::move(actor), std::move(done));

  // A ticket belongs to its issuer: a device, or an anonymous caller's
  // address. Client keys are looked up among the issuer's tickets only.
  if (who.kind == principal_kind::anonymous) {
    actor.issuer = "address:" + address_scope(remote_address);
    actor.allowance.category_share_percent =
        services.settings().server.take_ticket_address_share_percent;
  }
  const std::string bucket = who.kind == principal_kind::kiosk ? "kiosk:" + who.name : actor.issuer;
  if (!limiter.allow(bucket)) {
    // A retry of a ticket already issued is answered even so: the engine
    // refuses only a new one.
    if (command.take_ticket().client_key().empty())
      return done(core::make_error(v1::ERROR_CODE_RATE_LIMITED));
    actor.allowance.rate = core::rate_state::spent;
    return services.execute(std::move(command), std::move(actor), std::move(done));
  }
  services.execute(
      std::move(command), std::move(actor),
      [&limiter, bucket, done = std::move(done)](core::result<v1::CommandResult> outcome) {
        // A retry caused no event and costs the issuer nothing.
        if (outcome && outcome->seqs().empty()) limiter.refund(bucket);
        done(std::move(outcome));
      });
}

router::router(backend& services, auth& authority, rate_limiter& limiter, metrics& counters,
               const static_files* pages, const device_presence* presence)
    : services_(services),
      authority_(authority),
      limiter_(limiter),
      metrics_(counters),
      sign_in_limiter_(services.settings().server.sign_in_per_minute),
      verifications_(verifications_waiting, verifications_per_address),
      guard_(services.settings().server.sign_in_lockout_failures,
             services.settings().server.sign_in_lockout),
      pages_(pages),
      staff_(std::make_unique<staff_routes>(services, authority, limiter, presence)) {
  // Bodies from anyone reach libprotobuf's parsers from here on; what they
  // complain about is answered as an error, not printed per request.
  route_protobuf_log();
}

router::~router() = default;

void router::handle(http_request request, respond_function reply) {
  // Every refusal is counted by its code in /metrics.
  respond_function respond = [this, reply = std::move(reply)](http_response response) {
    if (!response.rejected.empty()) metrics_.rejected(response.rejected);
    reply(std::move(response));
  };
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  const auto segments = split_path(path);
  const std::string& method = request.method;

  if (path == "/healthz") {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return respond(text_response(200, "ok\n"));
  }
  if (path == "/readyz") {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return respond(services_.ready() ? text_response(200, "ready\n")
                                     : text_response(503, "not ready\n"));
  }
  if (path == "/metrics") {
    if (method != "GET") return respond(method_not_allowed("GET"));
    // Rendered on the hub strand, after anything already published there:
    // a client that got a reply and then scrapes sees what it caused.
    return services_.on_hub([this, respond = std::move(respond)](hub&) {
      auto response = text_response(200, metrics_.render());
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      respond(std::move(response));
    });
  }
  if (segments.empty() || segments[0] != "api")
    return static_page(request, path, std::move(respond));
  if (segments.size() < 3 || segments[1] != "v1") {
    return respond(not_found(path));
  }
  const std::string_view resource = segments[2];
  const std::size_t depth = segments.size();

  if (resource == "snapshot" && depth == 3) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return snapshot(request, std::move(respond));
  }
  if (resource == "view" && depth == 3) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return view(std::move(respond));
  }
  if (resource == "ws" && depth == 3) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return respond(error_response(core::make_error(
        v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.websocket_upgrade_required")})));
  }
  if (resource == "tickets" && depth == 3) {
    if (method != "POST") return respond(method_not_allowed("POST"));
    return take_ticket(request, std::move(respond));
  }
  if (resource == "tickets" && depth == 4) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return find_ticket(std::string(segments[3]), std::move(respond));
  }
  if (resource == "sessions" && depth == 3) {
    if (method == "POST") return sign_in(request, std::move(respond), session_style::bearer);
    if (method == "DELETE") return sign_out(request, std::move(respond), session_style::bearer);
    return respond(method_not_allowed("POST, DELETE"));
  }
  // The web pages' session: the same sign-in, its token in an HttpOnly cookie.
  if (resource == "web" && depth == 4 && segments[3] == "session") {
    if (method == "POST") return sign_in(request, std::move(respond), session_style::cookie);
    if (method == "GET") return current_session(request, std::move(respond));
    if (method == "DELETE") return sign_out(request, std::move(respond), session_style::cookie);
    return respond(method_not_allowed("GET, POST, DELETE"));
  }
  if (staff_->handle(request, segments, respond)) return;
  if (resource == "counters" && depth == 5) {
    for (const auto& route : counter_routes) {
      if (route.action != segments[4]) continue;
      if (method != "POST") return respond(method_not_allowed("POST"));
      return counter_action(request, std::string(segments[3]), segments[4], std::move(respond));
    }
    return respond(not_found(path));
  }
  if (resource == "devices" && depth == 4 && segments[3] == "status") {
    if (method != "POST") return respond(method_not_allowed("POST"));
    return report_device_status(request, std::move(respond));
  }
  if (resource == "no-shows" && depth == 4 && segments[3] == "return") {
    if (method != "POST") return respond(method_not_allowed("POST"));
    return return_no_show(request, std::move(respond));
  }
  if (resource == "categories" && depth == 5 &&
      (segments[4] == "close" || segments[4] == "reopen")) {
    if (method != "POST") return respond(method_not_allowed("POST"));
    return category_action(request, std::string(segments[3]), segments[4], std::move(respond));
  }
  return respond(not_found(path));
}

core::result<principal> identify_request(const http_request& request, auth& authority,
                                         core::timestamp now) {
  const auto token = bearer_token(request.authorization);
  if (!token) return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  if (!token->empty()) return authority.identify(*token, now);
  const auto cookie = cookie_value(request.cookie, session_cookie_name);
  if (cookie.empty()) return principal{};
  auto who = authority.identify(cookie, now);
  if (!who) return who;
  // Only staff sessions ride in the cookie; a device token never does.
  if (who->kind != principal_kind::staff) return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  if (request.method != "GET" && !same_secret(request.csrf_token, who->csrf_token))
    return core::make_error(v1::ERROR_CODE_PERMISSION_DENIED, {text::reason("reason.csrf")});
  return who;
}

std::optional<principal> router::identify(const http_request& request,
                                          const respond_function& respond) {
  auto who = identify_request(request, authority_, services_.now());
  if (!who) {
    respond(error_response(who.failure()));
    return std::nullopt;
  }
  return std::move(who).value();
}

void router::run(const http_request& request, v1::Command command, respond_function respond) {
  const auto who = identify(request, respond);
  if (!who) return;
  submit_command(services_, limiter_, *who, request.remote_address, std::move(command),
                 [respond = std::move(respond)](core::result<v1::CommandResult> outcome) {
                   if (!outcome) return respond(error_response(outcome.failure()));
                   respond(json_response(200, *outcome));
                 });
}

void router::report_device_status(const http_request& request, respond_function respond) {
  v1::Command command;
  if (auto bad = parse_body(request.body, *command.mutable_report_device_status()))
    return respond(error_response(*bad));
  run(request, std::move(command), std::move(respond));
}

void router::take_ticket(const http_request& request, respond_function respond) {
  v1::Command command;
  if (auto bad = parse_body(request.body, *command.mutable_take_ticket())) {
    return respond(error_response(*bad));
  }
  const auto who = identify(request, respond);
  if (!who) return;
  submit_command(services_, limiter_, *who, request.remote_address, std::move(command),
                 [respond = std::move(respond)](core::result<v1::CommandResult> outcome) {
                   if (!outcome) return respond(error_response(outcome.failure()));
                   // A retry with a known client key causes no event: same ticket, 200.
                   respond(json_response(outcome->seqs().empty() ? 200 : 201, outcome->ticket()));
                 });
}

void router::find_ticket(std::string token, respond_function respond) {
  const auto now = services_.now();
  services_.on_hub([token = std::move(token), now, respond = std::move(respond)](hub& state) {
    auto ticket = state.state().find_ticket_by_token(token, now);
    if (!ticket) {
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_TICKET,
                                                     {echo_text(token, status_token_echo_limit)})));
    }
    ticket->clear_client_key();
    respond(json_response(200, *ticket));
  });
}

void router::static_page(const http_request& request, std::string_view path,
                         respond_function respond) {
  if (pages_ == nullptr) return respond(not_found(path));
  auto page = pages_->serve(path, request.if_none_match);
  if (!page) return respond(not_found(path));
  if (request.method != "GET") return respond(method_not_allowed("GET"));
  respond(std::move(*page));
}

void router::counter_action(const http_request& request, const std::string& counter,
                            std::string_view action, respond_function respond) {
  v1::Command command;
  google::protobuf::Message* body = nullptr;
  for (const auto& route : counter_routes) {
    if (route.action == action) body = route.slot(command);
  }
  if (body == nullptr) return respond(not_found(action));
  if (auto bad = parse_body(request.body, *body)) return respond(error_response(*bad));
  // The counter comes from the path; a body naming another one is a mistake.
  const auto* field = body->GetDescriptor()->FindFieldByName("counter");
  const auto* reflection = body->GetReflection();
  const std::string given = reflection->GetString(*body, field);
  if (!given.empty() && given != counter) {
    return respond(error_response(core::make_error(
        v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.body_other_counter", {given, counter})})));
  }
  reflection->SetString(body, field, counter);
  run(request, std::move(command), std::move(respond));
}

void router::return_no_show(const http_request& request, respond_function respond) {
  v1::Command command;
  if (auto bad = parse_body(request.body, *command.mutable_return_no_show())) {
    return respond(error_response(*bad));
  }
  run(request, std::move(command), std::move(respond));
}

void router::category_action(const http_request& request, const std::string& category,
                             std::string_view action, respond_function respond) {
  v1::Command command;
  if (action == "close") {
    auto& close = *command.mutable_close_category();
    if (auto bad = parse_body(request.body, close)) return respond(error_response(*bad));
    if (!close.category().empty() && close.category() != category) {
      return respond(error_response(
          core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.body_other_category")})));
    }
    close.set_category(category);
  } else {
    auto& reopen = *command.mutable_reopen_category();
    if (auto bad = parse_body(request.body, reopen)) return respond(error_response(*bad));
    if (!reopen.category().empty() && reopen.category() != category) {
      return respond(error_response(
          core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.body_other_category")})));
    }
    reopen.set_category(category);
  }
  run(request, std::move(command), std::move(respond));
}

void router::snapshot(const http_request& request, respond_function respond) {
  // Every ticket of the day, with notes and priority classes: staff only.
  const auto who = identify(request, respond);
  if (!who) return;
  if (auto refused = authorize(*who, access::staff_snapshot))
    return respond(error_response(*refused));
  const auto now = services_.now();
  services_.on_hub([now, respond = std::move(respond)](hub& state) {
    auto snapshot = state.state().snapshot(now, core::visibility::public_view);
    snapshot.clear_memo();
    respond(json_response(200, snapshot));
  });
}

void router::view(respond_function respond) {
  services_.on_hub([respond = std::move(respond)](hub& state) {
    http_response response;
    response.body = *state.view_json();
    respond(std::move(response));
  });
}

}  // namespace luot::net::api
