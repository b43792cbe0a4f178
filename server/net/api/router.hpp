#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/rate_limiter.hpp"

namespace luot::net {
class metrics;
}  // namespace luot::net

namespace luot::net::api {

// An HTTP request as the router sees it: no sockets, no Beast.
struct http_request {
  std::string method;
  // Path and query, as sent.
  std::string target;
  // The Authorization header, if any.
  std::string authorization;
  std::string remote_address;
  std::string body;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // For 405: the methods the path accepts.
  std::string allow;
};

using respond_function = std::function<void(http_response)>;

// The HTTP status of a refusal: unknown things 404, bad input 400, too
// large 413, no or bad credentials 401, wrong role 403, rate 429, a failed
// log 503, and every domain conflict 409.
unsigned http_status(v1::ErrorCode code);

// A JSON v1::Error response with the status its code maps to.
http_response error_response(const core::error& failure);

// The bearer token of an Authorization header: empty when there is none,
// nullopt when the header is not a bearer token.
std::optional<std::string> bearer_token(std::string_view authorization);

// Checks that `who` may issue `command` and, for tickets taken anonymously
// or by a kiosk, the rate (per remote address or per kiosk); then executes
// it. Shared by HTTP and WebSocket so the role rules are one.
void submit_command(backend& services, rate_limiter& limiter, const principal& who,
                    std::string_view remote_address, v1::Command command, command_done done);

// Maps HTTP routes to handlers. Handlers answer through `respond`, which may
// run on any thread once the command is durable; the session re-posts it.
class router {
 public:
  router(backend& services, auth& authority, rate_limiter& limiter, metrics& counters);

  void handle(http_request request, respond_function respond);

 private:
  void take_ticket(const http_request& request, respond_function respond);
  void find_ticket(std::string token, respond_function respond);
  void sign_in(const http_request& request, respond_function respond);
  void sign_out(const http_request& request, respond_function respond);
  void counter_action(const http_request& request, const std::string& counter,
                      std::string_view action, respond_function respond);
  void return_no_show(const http_request& request, respond_function respond);
  void category_action(const http_request& request, const std::string& category,
                       std::string_view action, respond_function respond);
  void snapshot(respond_function respond);

  // Resolves the caller; answers 401 itself and returns nullopt on failure.
  std::optional<principal> identify(const http_request& request, const respond_function& respond);
  // Runs a command for the caller and answers with its CommandResult.
  void run(const http_request& request, v1::Command command, respond_function respond);

  backend& services_;
  auth& authority_;
  rate_limiter& limiter_;
  metrics& metrics_;
  // Password guessing is slow by design (argon2id); these keep it from
  // becoming a way to tie up the server: attempts per remote address, and
  // verifications queued at once.
  rate_limiter sign_in_limiter_;
  std::atomic<int> verifying_{0};
};

}  // namespace luot::net::api
