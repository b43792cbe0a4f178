#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/api/http_message.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/rate_limiter.hpp"

namespace luot::net {
class device_presence;
}  // namespace luot::net

namespace luot::net::api {

using respond_function = std::function<void(http_response)>;

// The routes the web pages need beyond the device API: the queue a counter
// works with (its officer), the rating prompt and the rating itself (the
// counter's rating tablet), the live monitor and the reports (managers),
// and the text catalogue every page reads. Views are computed on the hub
// strand from the published state, reports on the backend's report thread.
class staff_routes {
 public:
  staff_routes(backend& services, auth& authority, rate_limiter& limiter,
               const device_presence* presence);

  // Answers `request` when it is one of these routes (true); leaves it to
  // the caller otherwise (false). `segments` is the path split at '/'.
  bool handle(const http_request& request, const std::vector<std::string_view>& segments,
              respond_function& respond);

 private:
  void counter_queue(const http_request& request, const std::string& counter,
                     respond_function respond);
  void rating_prompt(const http_request& request, const std::string& counter,
                     respond_function respond);
  void rate(const http_request& request, const std::string& counter, respond_function respond);
  void monitor(const http_request& request, respond_function respond);
  void report(const http_request& request, bool as_csv, respond_function respond);
  void catalogue(std::string_view language, respond_function respond);
  void list_staff(const http_request& request, respond_function respond);
  void set_staff(const http_request& request, respond_function respond);

  // The caller when it is a signed-in manager; answers 401/403 otherwise.
  std::optional<principal> manager(const http_request& request, const respond_function& respond);

  backend& services_;
  auth& authority_;
  rate_limiter& limiter_;
  const device_presence* presence_;
};

}  // namespace luot::net::api
