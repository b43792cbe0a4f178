#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // The Cookie header: a web console's session rides in it.
  std::string cookie;
  // The X-CSRF-Token header, which must match the cookie session's.
  std::string csrf_token;
  // The If-None-Match header, for static files.
  std::string if_none_match;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // For 405: the methods the path accepts.
  std::string allow;
  // API answers are never cached; static files say otherwise.
  std::string cache_control = "no-store";
  // Further headers (ETag, Set-Cookie, Content-Security-Policy, ...).
  std::vector<std::pair<std::string, std::string>> headers;
  // For refusals: the luot.v1.ErrorCode's name, counted in /metrics.
  std::string_view rejected;
};

}  // namespace luot::net::api
