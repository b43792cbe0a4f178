#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/api/router.hpp"
#include "net/shared_state.hpp"

namespace luot::net::api {

// One centre as the dispatcher sees it: its router and the state its
// sessions share (its backend and auth among them).
struct centre_route {
  std::string id;
  std::string name;
  shared_state* state = nullptr;
};

// What sessions hand every request to when one server serves centres
// (docs/multi-centre.md):
//
// - /api/v1/centres/{centre}/... is the centre's own API, every endpoint
//   of a one-centre server under the prefix (the WebSocket too:
//   /api/v1/centres/{centre}/ws); an unknown centre is 404 naming it.
// - GET /api/v1/centres lists the centres (id, name).
// - /centres/{centre}/board, /centres/{centre}/ticket/{token}, ...: the web
//   pages, whose scripts then use the centre's API.
// - GET /api/v1/report/province?from=YYYY-MM-DD&to=YYYY-MM-DD: a manager's
//   report of the centres they are bound to, a row per centre and their
//   total (core::sum_reports).
// - Any other path: with one centre, that centre's router as before; with
//   several, an API path without a centre is 404 saying to name one, and
//   /healthz, /readyz, /metrics and the web pages are answered as before
//   (ready when every centre is).
class centre_dispatch final : public request_handler {
 public:
  // `centres` sorted by id, at least one; their states outlive this.
  explicit centre_dispatch(std::vector<centre_route> centres);

  void handle(http_request request, respond_function respond) override;

  // shared_state::websocket_route: the centre /api/v1/centres/{centre}/ws
  // names, or (one centre) /api/v1/ws.
  core::result<shared_state*> websocket_route(std::string_view path) const;

  // The centre with `id`, or null.
  const centre_route* find(std::string_view id) const;

 private:
  void list(respond_function respond) const;
  void province_report(const http_request& request, respond_function respond);

  std::vector<centre_route> centres_;
};

}  // namespace luot::net::api
