#include "net/api/router.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <vector>

#include "net/codec.hpp"
#include "net/hub.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

constexpr std::uint32_t sign_in_attempts_per_minute = 30;
constexpr int max_queued_verifications = 16;

http_response json_response(unsigned status, const google::protobuf::Message& message) {
  return http_response{status, "application/json", to_json(message), {}};
}

http_response text_response(unsigned status, std::string body) {
  return http_response{status, "text/plain; charset=utf-8", std::move(body), {}};
}

http_response method_not_allowed(std::string allow) {
  http_response response =
      error_response(core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"method not allowed"}));
  response.status = 405;
  response.allow = std::move(allow);
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

// Parses a request body into `message`; an empty body is an empty message.
std::optional<core::error> parse_body(std::string_view body, google::protobuf::Message& message) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
  if (auto reason = from_json(body, message)) {
    return core::make_error(v1::ERROR_CODE_MALFORMED_MESSAGE, {std::move(*reason)});
  }
  return std::nullopt;
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
  return json_response(http_status(failure.code), to_wire(failure));
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
  if (command.has_take_ticket() &&
      (who.kind == principal_kind::anonymous || who.kind == principal_kind::kiosk)) {
    const std::string key = who.kind == principal_kind::kiosk
                                ? "kiosk:" + who.name
                                : "address:" + std::string(remote_address);
    if (!limiter.allow(key)) return done(core::make_error(v1::ERROR_CODE_RATE_LIMITED));
  }
  services.execute(std::move(command), core::actor{who.name}, std::move(done));
}

router::router(backend& services, auth& authority, rate_limiter& limiter, metrics& counters)
    : services_(services),
      authority_(authority),
      limiter_(limiter),
      metrics_(counters),
      sign_in_limiter_(sign_in_attempts_per_minute) {}

void router::handle(http_request request, respond_function respond) {
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
    auto response = text_response(200, metrics_.render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return respond(std::move(response));
  }
  if (segments.size() < 3 || segments[0] != "api" || segments[1] != "v1") {
    return respond(not_found(path));
  }
  const std::string_view resource = segments[2];
  const std::size_t depth = segments.size();

  if (resource == "snapshot" && depth == 3) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return snapshot(std::move(respond));
  }
  if (resource == "ws" && depth == 3) {
    if (method != "GET") return respond(method_not_allowed("GET"));
    return respond(error_response(
        core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"a WebSocket upgrade is required here"})));
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
    if (method == "POST") return sign_in(request, std::move(respond));
    if (method == "DELETE") return sign_out(request, std::move(respond));
    return respond(method_not_allowed("POST, DELETE"));
  }
  if (resource == "counters" && depth == 5) {
    for (const auto& route : counter_routes) {
      if (route.action != segments[4]) continue;
      if (method != "POST") return respond(method_not_allowed("POST"));
      return counter_action(request, std::string(segments[3]), segments[4], std::move(respond));
    }
    return respond(not_found(path));
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

std::optional<principal> router::identify(const http_request& request,
                                          const respond_function& respond) {
  const auto token = bearer_token(request.authorization);
  if (!token) {
    respond(error_response(core::make_error(v1::ERROR_CODE_UNAUTHENTICATED)));
    return std::nullopt;
  }
  auto who = authority_.identify(*token, services_.now());
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
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_TICKET, {token})));
    }
    ticket->clear_client_key();
    respond(json_response(200, *ticket));
  });
}

void router::sign_in(const http_request& request, respond_function respond) {
  v1::SignIn form;
  if (auto bad = parse_body(request.body, form)) return respond(error_response(*bad));
  if (form.username().empty()) {
    return respond(
        error_response(core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"username is required"})));
  }
  if (!sign_in_limiter_.allow(request.remote_address) ||
      verifying_.load(std::memory_order_relaxed) >= max_queued_verifications) {
    return respond(error_response(core::make_error(v1::ERROR_CODE_RATE_LIMITED)));
  }
  // argon2id is memory-hard on purpose: verify off the I/O threads.
  verifying_.fetch_add(1, std::memory_order_relaxed);
  services_.offload([this, form = std::move(form), respond = std::move(respond)]() mutable {
    auto member = authority_.verify_password(form.username(), form.password());
    verifying_.fetch_sub(1, std::memory_order_relaxed);
    if (!member) return respond(error_response(core::make_error(v1::ERROR_CODE_UNAUTHENTICATED)));
    const std::string counter = form.counter();
    if (counter.empty()) {
      return respond(json_response(201, authority_.open_session(*member, "", services_.now())));
    }
    const auto& counters = services_.settings().centre.counters;
    if (std::none_of(counters.begin(), counters.end(),
                     [&](const auto& known) { return known.id == counter; })) {
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter})));
    }
    if (!member->counters.empty() && std::find(member->counters.begin(), member->counters.end(),
                                               counter) == member->counters.end()) {
      return respond(error_response(
          core::make_error(v1::ERROR_CODE_PERMISSION_DENIED,
                           {text::reason("reason.counter_not_allowed", {counter})})));
    }
    v1::Command command;
    auto& open = *command.mutable_open_counter();
    open.set_counter(counter);
    open.set_officer(member->username);
    open.set_officer_name(member->display_name);
    services_.execute(
        std::move(command), core::actor{member->username},
        [this, member = std::move(*member), counter,
         respond = std::move(respond)](core::result<v1::CommandResult> outcome) mutable {
          if (outcome) {
            return respond(
                json_response(201, authority_.open_session(member, counter, services_.now())));
          }
          if (outcome.failure().code != v1::ERROR_CODE_COUNTER_ALREADY_OPEN) {
            return respond(error_response(outcome.failure()));
          }
          // Signing in again to one's own open counter (a lost token, a
          // second device) is fine; someone else's is a conflict.
          services_.on_hub([this, member = std::move(member), counter, failure = outcome.failure(),
                            respond = std::move(respond)](hub& state) {
            const auto open_counter = state.state().find_counter(counter);
            if (open_counter && open_counter->officer() == member.username) {
              return respond(
                  json_response(201, authority_.open_session(member, counter, services_.now())));
            }
            respond(error_response(failure));
          });
        });
  });
}

void router::sign_out(const http_request& request, respond_function respond) {
  const auto who = identify(request, respond);
  if (!who) return;
  if (who->kind != principal_kind::staff) {
    return respond(error_response(core::make_error(v1::ERROR_CODE_UNAUTHENTICATED)));
  }
  authority_.close_session(who->session_token);
  if (who->counter.empty()) return respond(json_response(200, v1::CommandResult()));
  v1::Command command;
  command.mutable_close_counter()->set_counter(who->counter);
  services_.execute(std::move(command), core::actor{who->name},
                    [respond = std::move(respond)](core::result<v1::CommandResult> outcome) {
                      // Signing out always succeeds; the counter closes when it can.
                      respond(json_response(200, outcome ? *outcome : v1::CommandResult()));
                    });
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
        v1::ERROR_CODE_BAD_REQUEST,
        {"the body names counter \"" + given + "\", the path \"" + counter + "\""})));
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
          core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"the body names another category"})));
    }
    close.set_category(category);
  } else {
    auto& reopen = *command.mutable_reopen_category();
    if (auto bad = parse_body(request.body, reopen)) return respond(error_response(*bad));
    if (!reopen.category().empty() && reopen.category() != category) {
      return respond(error_response(
          core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"the body names another category"})));
    }
    reopen.set_category(category);
  }
  run(request, std::move(command), std::move(respond));
}

void router::snapshot(respond_function respond) {
  const auto now = services_.now();
  services_.on_hub([now, respond = std::move(respond)](hub& state) {
    respond(json_response(200, state.state().snapshot(now, core::visibility::public_view)));
  });
}

}  // namespace luot::net::api
