#include "net/api/staff_routes.hpp"

#include <algorithm>
#include <charconv>

#include "net/api/http_helpers.hpp"
#include "net/api/router.hpp"
#include "net/codec.hpp"
#include "net/device_presence.hpp"
#include "net/hub.hpp"
#include "net/report_csv.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

// Waiting tickets a console lists by default, and at most.
constexpr std::size_t default_queue_limit = 30;
constexpr std::size_t queue_limit_cap = 200;

// Catalogue keys the web pages read: their own texts and the shared ones
// for statuses and errors.
constexpr std::string_view page_key_prefixes[] = {"web.", "category.status.", "device.health.",
                                                  "error.", "speech."};

std::string kind_name(config::device_kind kind) {
  switch (kind) {
    case config::device_kind::display:
      return "display";
    case config::device_kind::kiosk:
      return "kiosk";
    case config::device_kind::rating:
      return "rating";
  }
  return "display";
}

std::shared_ptr<const std::string> catalogue_json(text::language language) {
  v1::Catalogue catalogue;
  catalogue.set_language(language == text::language::vi ? "vi" : "en");
  for (const auto key : text::keys(language)) {
    for (const auto prefix : page_key_prefixes) {
      if (!key.starts_with(prefix)) continue;
      (*catalogue.mutable_texts())[std::string(key)] = std::string(text::lookup(language, key));
      break;
    }
  }
  return std::make_shared<const std::string>(to_json(catalogue));
}

}  // namespace

staff_routes::staff_routes(backend& services, auth& authority, rate_limiter& limiter,
                           const device_presence* presence)
    : services_(services), authority_(authority), limiter_(limiter), presence_(presence) {}

bool staff_routes::handle(const http_request& request,
                          const std::vector<std::string_view>& segments,
                          respond_function& respond) {
  const auto depth = segments.size();
  const auto resource = segments[2];
  const auto& method = request.method;
  if (resource == "counters" && depth == 5 && segments[4] == "queue") {
    if (method != "GET")
      respond(method_not_allowed("GET"));
    else
      counter_queue(request, std::string(segments[3]), std::move(respond));
    return true;
  }
  if (resource == "counters" && depth == 5 && segments[4] == "rating") {
    if (method == "GET")
      rating_prompt(request, std::string(segments[3]), std::move(respond));
    else if (method == "POST")
      rate(request, std::string(segments[3]), std::move(respond));
    else
      respond(method_not_allowed("GET, POST"));
    return true;
  }
  if (resource == "monitor" && depth == 3) {
    if (method != "GET")
      respond(method_not_allowed("GET"));
    else
      monitor(request, std::move(respond));
    return true;
  }
  if ((resource == "reports" || resource == "reports.csv") && depth == 3) {
    if (method != "GET")
      respond(method_not_allowed("GET"));
    else
      report(request, resource == "reports.csv", std::move(respond));
    return true;
  }
  if (resource == "staff" && depth == 3) {
    if (method == "GET")
      list_staff(request, std::move(respond));
    else if (method == "POST")
      set_staff(request, std::move(respond));
    else
      respond(method_not_allowed("GET, POST"));
    return true;
  }
  if (resource == "catalogue" && depth == 4) {
    if (method != "GET")
      respond(method_not_allowed("GET"));
    else
      catalogue(segments[3], std::move(respond));
    return true;
  }
  return false;
}

void staff_routes::counter_queue(const http_request& request, const std::string& counter,
                                 respond_function respond) {
  auto who = identify_request(request, authority_, services_.now());
  if (!who) return respond(error_response(who.failure()));
  if (auto refused = authorize(*who, access::counter_queue, counter))
    return respond(error_response(*refused));
  std::size_t limit = default_queue_limit;
  if (const auto given = query_parameter(request.target, "limit")) {
    std::size_t parsed = 0;
    const auto [end, ec] = std::from_chars(given->data(), given->data() + given->size(), parsed);
    if (ec != std::errc{} || end != given->data() + given->size() || parsed == 0)
      return respond(error_response(
          core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.limit_positive")})));
    limit = std::min(parsed, queue_limit_cap);
  }
  const auto now = services_.now();
  services_.on_hub([counter, now, limit, respond = std::move(respond)](hub& state) {
    auto queue = state.state().counter_queue(counter, now, limit);
    if (!queue)
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter})));
    respond(json_response(200, *queue));
  });
}

void staff_routes::rating_prompt(const http_request& request, const std::string& counter,
                                 respond_function respond) {
  auto who = identify_request(request, authority_, services_.now());
  if (!who) return respond(error_response(who.failure()));
  if (auto refused = authorize(*who, access::rating_prompt, counter))
    return respond(error_response(*refused));
  const auto now = services_.now();
  services_.on_hub([counter, now, respond = std::move(respond)](hub& state) {
    if (!state.state().find_counter(counter))
      return respond(error_response(core::make_error(v1::ERROR_CODE_UNKNOWN_COUNTER, {counter})));
    auto prompt = state.state().rating_prompt(counter, now);
    if (!prompt)
      return respond(error_response(core::make_error(
          v1::ERROR_CODE_NOT_FOUND, {text::reason("reason.nothing_to_rate", {counter})})));
    respond(json_response(200, *prompt));
  });
}

void staff_routes::rate(const http_request& request, const std::string& counter,
                        respond_function respond) {
  v1::Command command;
  auto& rating = *command.mutable_rate_service();
  if (auto bad = parse_body(request.body, rating)) return respond(error_response(*bad));
  if (!rating.counter().empty() && rating.counter() != counter)
    return respond(error_response(
        core::make_error(v1::ERROR_CODE_BAD_REQUEST,
                         {text::reason("sec.body_other_counter", {rating.counter(), counter})})));
  rating.set_counter(counter);
  auto who = identify_request(request, authority_, services_.now());
  if (!who) return respond(error_response(who.failure()));
  submit_command(services_, limiter_, *who, request.remote_address, std::move(command),
                 [respond = std::move(respond)](core::result<v1::CommandResult> outcome) {
                   if (!outcome) return respond(error_response(outcome.failure()));
                   respond(json_response(200, *outcome));
                 });
}

std::optional<principal> staff_routes::manager(const http_request& request,
                                               const respond_function& respond) {
  auto who = identify_request(request, authority_, services_.now());
  if (!who) {
    respond(error_response(who.failure()));
    return std::nullopt;
  }
  if (auto refused = authorize(*who, access::manager_pages)) {
    respond(error_response(*refused));
    return std::nullopt;
  }
  return std::move(who).value();
}

void staff_routes::monitor(const http_request& request, respond_function respond) {
  if (!manager(request, respond)) return;
  const auto now = services_.now();
  services_.on_hub([this, now, respond = std::move(respond)](hub& state) {
    auto monitor = state.state().monitor(now);
    // Every configured device, connected or not, with what it last reported.
    std::map<std::string, v1::DeviceStatus> reported;
    for (const auto& device : monitor.devices()) reported[device.device()] = device.status();
    monitor.clear_devices();
    for (const auto& device : services_.settings().devices) {
      auto& entry = *monitor.add_devices();
      entry.set_device(device.id);
      entry.set_kind(kind_name(device.kind));
      entry.set_online(presence_ != nullptr && presence_->online(device.id));
      if (const auto found = reported.find(device.id); found != reported.end())
        *entry.mutable_status() = found->second;
    }
    respond(json_response(200, monitor));
  });
}

void staff_routes::report(const http_request& request, bool as_csv, respond_function respond) {
  if (!manager(request, respond)) return;
  auto days = report_days_of(request.target);
  if (!days) return respond(error_response(days.failure()));
  const auto& [from, to] = *days;
  services_.report(from, to, [as_csv, respond = std::move(respond)](core::result<v1::Report> made) {
    if (!made) return respond(error_response(made.failure()));
    if (!as_csv) return respond(json_response(200, *made));
    http_response response;
    response.content_type = "text/csv; charset=utf-8";
    response.body = report_csv(*made, text::language::vi);
    response.headers.emplace_back(
        "Content-Disposition",
        "attachment; filename=\"bao-cao-" + made->from_day() + "_" + made->to_day() + ".csv\"");
    respond(std::move(response));
  });
}

namespace {

v1::StaffRecord record_of(const config::staff_member& member) {
  v1::StaffRecord record;
  record.set_username(member.username);
  record.set_display_name(member.display_name);
  record.set_role(member.staff_role == config::role::manager ? "manager" : "officer");
  for (const auto& counter : member.counters) record.add_counters(counter);
  record.set_disabled(member.disabled);
  return record;
}

}  // namespace

void staff_routes::list_staff(const http_request& request, respond_function respond) {
  if (!manager(request, respond)) return;
  v1::StaffList list;
  // Never the password hashes.
  for (const auto& member : authority_.members()) *list.add_staff() = record_of(member);
  respond(json_response(200, list));
}

void staff_routes::set_staff(const http_request& request, respond_function respond) {
  constexpr std::size_t shortest_password = 8;
  const auto who = manager(request, respond);
  if (!who) return;
  v1::StaffForm form;
  if (auto bad = parse_body(request.body, form)) return respond(error_response(*bad));
  const auto bad = [&](core::reason why) {
    respond(error_response(core::make_error(v1::ERROR_CODE_BAD_REQUEST, std::move(why))));
  };
  if (form.username() == who->name && form.disabled())
    return bad(text::reason("reason.disable_self"));
  const auto current = authority_.member(form.username());
  if (!form.password().empty() && form.password().size() < shortest_password)
    return bad(text::reason("reason.password_short", {std::to_string(shortest_password)}));
  if (form.password().empty() && !current) return bad(text::reason("reason.password_required"));
  // Hashing is memory-hard on purpose: off the I/O threads.
  services_.offload([this, form = std::move(form), current, actor = who->name,
                     respond = std::move(respond)]() mutable {
    v1::Command command;
    auto& record = *command.mutable_set_staff()->mutable_record();
    record.set_username(form.username());
    record.set_display_name(form.display_name());
    record.set_role(form.role());
    *record.mutable_counters() = form.counters();
    record.set_disabled(form.disabled());
    try {
      record.set_password_hash(form.password().empty() ? current->password_hash
                                                       : hash_password(form.password()));
    } catch (const std::exception&) {
      return respond(error_response(core::make_error(v1::ERROR_CODE_INTERNAL)));
    }
    services_.execute(std::move(command), core::actor{actor},
                      [respond = std::move(respond),
                       shown = record](core::result<v1::CommandResult> outcome) mutable {
                        if (!outcome) return respond(error_response(outcome.failure()));
                        shown.clear_password_hash();
                        respond(json_response(200, shown));
                      });
  });
}

void staff_routes::catalogue(std::string_view language, respond_function respond) {
  static const auto vietnamese = catalogue_json(text::language::vi);
  static const auto english = catalogue_json(text::language::en);
  if (language != "vi" && language != "en")
    return respond(error_response(core::make_error(
        v1::ERROR_CODE_NOT_FOUND, {text::reason("sec.catalogue", {std::string(language)})})));
  http_response response;
  response.body = language == "vi" ? *vietnamese : *english;
  // The texts change only with the server binary.
  response.cache_control = "no-cache";
  respond(std::move(response));
}

}  // namespace luot::net::api
