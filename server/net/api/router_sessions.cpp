// The router's sessions: signing in (with the per-account lockout and the
// password check off the I/O threads), the web pages' cookie session, and
// signing out. Split from router.cpp by role.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "net/api/http_helpers.hpp"
#include "net/api/router.hpp"
#include "net/codec.hpp"
#include "net/hub.hpp"
#include "net/log_text.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

// The sign-in rate and lockout are per (username, address) pair: guessing
// at one account from one address affects neither that account elsewhere
// nor the other officers behind the same address.
std::string pair_key(std::string_view username, std::string_view address) {
  std::string key(username);
  key += '\n';
  key += address;
  return key;
}

}  // namespace

void router::sign_in(const http_request& request, respond_function respond, session_style style) {
  v1::SignIn form;
  if (auto bad = parse_body(request.body, form)) return respond(error_response(*bad));
  if (form.username().empty()) {
    return respond(error_response(
        core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.username_required")})));
  }
  // Every refusal below comes before the password check and whatever the
  // username, so none of them tells a guesser whether the account exists.
  const auto address = address_scope(request.remote_address);
  if (const auto minutes = guard_.locked_minutes(form.username(), address, services_.now())) {
    return respond(error_response(
        core::make_error(v1::ERROR_CODE_SIGN_IN_LOCKED,
                         {std::to_string(guard_.failures()), std::to_string(minutes)})));
  }
  if (!sign_in_limiter_.allow(pair_key(form.username(), address)) ||
      !verifications_.try_acquire(address)) {
    return respond(error_response(core::make_error(v1::ERROR_CODE_RATE_LIMITED)));
  }
  // argon2id is memory-hard on purpose: verify off the I/O threads.
  services_.offload([this, form = std::move(form), address, style,
                     respond = std::move(respond)]() mutable {
    auto member = authority_.verify_password(form.username(), form.password());
    verifications_.release(address);
    if (!member) {
      if (guard_.failed(form.username(), address, services_.now()))
        spdlog::warn("sign-in as {} from {} locked for {} min after {} wrong passwords",
                     log_text(form.username()), address, guard_.period().count(),
                     guard_.failures());
      return respond(error_response(core::make_error(v1::ERROR_CODE_WRONG_CREDENTIALS)));
    }
    guard_.succeeded(form.username(), address);
    const std::string counter = form.counter();
    if (counter.empty()) return answer_session(*member, "", style, respond);
    const auto& counters = services_.settings().centre.counters;
    if (std::none_of(counters.begin(), counters.end(),
                     [&](const auto& known) { return known.id == counter; })) {
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter})));
    }
    if (auto refused = authorize_sign_in(*member, counter))
      return respond(error_response(*refused));
    v1::Command command;
    auto& open = *command.mutable_open_counter();
    open.set_counter(counter);
    open.set_officer(member->username);
    open.set_officer_name(member->display_name);
    services_.execute(
        std::move(command), core::actor{member->username},
        [this, member = std::move(*member), counter, style,
         respond = std::move(respond)](core::result<v1::CommandResult> outcome) mutable {
          if (outcome) return answer_session(member, counter, style, respond);
          if (outcome.failure().code != v1::ERROR_CODE_COUNTER_ALREADY_OPEN) {
            return respond(error_response(outcome.failure()));
          }
          // Signing in again to one's own open counter (a lost token, a
          // second device) is fine; someone else's is a conflict.
          services_.on_hub([this, member = std::move(member), counter, style,
                            failure = outcome.failure(), respond = std::move(respond)](hub& state) {
            const auto open_counter = state.state().find_counter(counter);
            if (open_counter && open_counter->officer() == member.username) {
              return answer_session(member, counter, style, respond);
            }
            respond(error_response(failure));
          });
        });
  });
}

void router::answer_session(const config::staff_member& member, const std::string& counter,
                            session_style style, const respond_function& respond) {
  auto info = authority_.open_session(member, counter, services_.now());
  if (style == session_style::bearer) {
    // Scripts and devices send the token back themselves: no cookie, no
    // anti-forgery token needed.
    info.clear_csrf_token();
    return respond(json_response(201, info));
  }
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
      services_.settings().server.session_lifetime);
  auto response = json_response(201, [&] {
    auto shown = info;
    // The page never sees the session token: it lives in the HttpOnly cookie.
    shown.clear_token();
    return shown;
  }());
  response.headers.emplace_back("Set-Cookie", session_cookie(info.token(), lifetime));
  respond(std::move(response));
}

void router::current_session(const http_request& request, respond_function respond) {
  // A page asks whether it is signed in: "no" is an answer (an empty
  // SessionInfo, and a stale cookie cleared), not an error.
  auto who = identify_request(request, authority_, services_.now());
  if (!who || who->kind != principal_kind::staff) {
    auto response = json_response(200, v1::SessionInfo());
    if (!cookie_value(request.cookie, session_cookie_name).empty())
      response.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
    return respond(std::move(response));
  }
  v1::SessionInfo info;
  info.set_username(who->name);
  info.set_display_name(who->display_name);
  info.set_role(who->role_name());
  info.set_counter(who->counter);
  info.set_csrf_token(who->csrf_token);
  respond(json_response(200, info));
}

void router::sign_out(const http_request& request, respond_function respond, session_style style) {
  const auto who = identify(request, respond);
  if (!who) return;
  if (auto refused = authorize(*who, access::sign_out)) return respond(error_response(*refused));
  authority_.close_session(who->session_token);
  const auto answer = [style, respond = std::move(respond)](const v1::CommandResult& result) {
    auto response = json_response(200, result);
    if (style == session_style::cookie)
      response.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
    respond(std::move(response));
  };
  if (who->counter.empty()) return answer(v1::CommandResult());
  v1::Command command;
  command.mutable_close_counter()->set_counter(who->counter);
  services_.execute(std::move(command), core::actor{who->name},
                    [answer](core::result<v1::CommandResult> outcome) {
                      // Signing out always succeeds; the counter closes when it can.
                      answer(outcome ? *outcome : v1::CommandResult());
                    });
}

}  // namespace luot::net::api
