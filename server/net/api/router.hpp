#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/api/http_message.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/permissions.hpp"
#include "net/rate_limiter.hpp"
#include "net/sign_in_guard.hpp"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace luot::net {
class metrics;
class static_files;
class device_presence;
}  // namespace luot::net

namespace luot::net::api {

class staff_routes;

using respond_function = std::function<void(http_response)>;

// The HTTP status of a refusal: unknown things 404, bad input 400, too
// large 413, no or bad credentials 401, wrong role 403, rate 429, a failed
// log 503, and every domain conflict 409.
unsigned http_status(v1::ErrorCode code);

// A JSON v1::Error response with the status its code maps to.
http_response error_response(const core::error& failure);
// A message as JSON with every field, with `status`.
http_response json_response(unsigned status, const google::protobuf::Message& message);
// 405 naming the methods the path accepts.
http_response method_not_allowed(std::string allow);
// Parses a request body into `message`; an empty body is an empty message.
// Text over its cap (see text_limits.hpp) is refused like malformed input.
std::optional<core::error> parse_body(std::string_view body, google::protobuf::Message& message);

// The bearer token of an Authorization header: empty when there is none,
// nullopt when the header is not a bearer token.
std::optional<std::string> bearer_token(std::string_view authorization);

// Who sent a request: the bearer token of its Authorization header (devices,
// scripts), else the web console's session cookie, else anonymous. A request
// authenticated by the cookie that is not a GET must carry the session's
// anti-forgery token in X-CSRF-Token: another site can make a browser send
// the cookie, never read the token.
core::result<principal> identify_request(const http_request& request, auth& authority,
                                         core::timestamp now);

// Checks that `who` may issue `command` and, for tickets taken anonymously
// or by a kiosk, the rate (per remote address or per kiosk); then executes
// it. Shared by HTTP and WebSocket so the role rules are one.
void submit_command(backend& services, rate_limiter& limiter, const principal& who,
                    std::string_view remote_address, v1::Command command, command_done done);

// What HTTP sessions hand requests to: one centre's router, or the
// dispatcher in front of several (centre_dispatch.hpp).
class request_handler {
 public:
  virtual ~request_handler() = default;
  virtual void handle(http_request request, respond_function respond) = 0;
};

// Maps HTTP routes to handlers. Handlers answer through `respond`, which may
// run on any thread once the command is durable; the session re-posts it.
class router final : public request_handler {
 public:
  // `pages` serves the web pages (none when null); `presence` tells the
  // manager's monitor which devices are connected.
  router(backend& services, auth& authority, rate_limiter& limiter, metrics& counters,
         const static_files* pages = nullptr, const device_presence* presence = nullptr);
  ~router() override;

  void handle(http_request request, respond_function respond) override;

 private:
  void take_ticket(const http_request& request, respond_function respond);
  void find_ticket(std::string token, respond_function respond);
  // How a session is handed over: its token in the body (devices and
  // scripts send it back as a bearer token), or in an HttpOnly cookie (the
  // web pages, which get only the anti-forgery token).
  enum class session_style { bearer, cookie };
  void sign_in(const http_request& request, respond_function respond, session_style style);
  void answer_session(const config::staff_member& member, const std::string& counter,
                      session_style style, const respond_function& respond);
  void sign_out(const http_request& request, respond_function respond, session_style style);
  void current_session(const http_request& request, respond_function respond);
  void static_page(const http_request& request, std::string_view path, respond_function respond);
  void counter_action(const http_request& request, const std::string& counter,
                      std::string_view action, respond_function respond);
  void return_no_show(const http_request& request, respond_function respond);
  void report_device_status(const http_request& request, respond_function respond);
  void category_action(const http_request& request, const std::string& category,
                       std::string_view action, respond_function respond);
  void snapshot(const http_request& request, respond_function respond);
  void view(respond_function respond);

  // Resolves the caller; answers 401 itself and returns nullopt on failure.
  std::optional<principal> identify(const http_request& request, const respond_function& respond);
  // Runs a command for the caller and answers with its CommandResult.
  void run(const http_request& request, v1::Command command, respond_function respond);

  backend& services_;
  auth& authority_;
  rate_limiter& limiter_;
  metrics& metrics_;
  // Password guessing is slow by design (argon2id); these keep it from
  // becoming a way to tie up the server or lock others out: attempts per
  // (address, username) pair, checks waiting at once (with a share per
  // address), and the per-pair lockout after wrong passwords.
  rate_limiter sign_in_limiter_;
  verification_budget verifications_;
  sign_in_guard guard_;
  const static_files* pages_;
  std::unique_ptr<staff_routes> staff_;
};

}  // namespace luot::net::api
