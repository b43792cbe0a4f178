#include "report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

namespace luot::core {

namespace {

// What a ticket came to, as far as the events read tell.
enum class ending { open, served, no_show, not_served };

// One ticket followed through the day.
struct ticket_trace {
  std::string day;
  std::string issue_category;
  // The category it is in now (a transfer may change it).
  std::string category;
  timestamp issued_at;
  std::optional<timestamp> first_call;
  std::string first_officer;
  // The call that began the current service, and its officer.
  timestamp called_at;
  std::string officer;
  v1::TicketState state = v1::TICKET_STATE_WAITING;
};

// The raw figures of one report row.
struct tally {
  std::uint32_t issued = 0;
  std::uint32_t called = 0;
  std::uint32_t served = 0;
  std::uint32_t no_show = 0;
  std::uint32_t not_served = 0;
  std::uint32_t open = 0;
  std::uint32_t transferred_out = 0;
  std::uint32_t within_target = 0;
  std::vector<std::int64_t> waits;
  std::vector<std::int64_t> services;
  v1::RatingSummary ratings;
};

std::uint32_t to_seconds(double milliseconds) {
  return static_cast<std::uint32_t>(std::llround(std::max(0.0, milliseconds) / 1000.0));
}

// Mean, median (the middle value, or the mean of the two middle values) and
// 90th percentile (nearest rank: the smallest value at least 90 % of the
// values do not exceed), in whole seconds.
v1::TimeSummary summarize(std::vector<std::int64_t> values) {
  v1::TimeSummary summary;
  summary.set_count(static_cast<std::uint32_t>(values.size()));
  if (values.empty()) return summary;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const auto value : values) sum += static_cast<double>(value);
  const auto n = values.size();
  summary.set_mean_seconds(to_seconds(sum / static_cast<double>(n)));
  const double median =
      n % 2 == 1
          ? static_cast<double>(values[n / 2])
          : (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
  summary.set_median_seconds(to_seconds(median));
  const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
  summary.set_p90_seconds(
      to_seconds(static_cast<double>(values[std::max<std::size_t>(rank, 1) - 1])));
  return summary;
}

void count_rating(v1::RatingSummary& summary, const v1::ServiceRated& rated) {
  switch (rated.rating()) {
    case v1::SERVICE_RATING_VERY_SATISFIED:
      summary.set_very_satisfied(summary.very_satisfied() + 1);
      break;
    case v1::SERVICE_RATING_SATISFIED:
      summary.set_satisfied(summary.satisfied() + 1);
      break;
    case v1::SERVICE_RATING_NEUTRAL:
      summary.set_neutral(summary.neutral() + 1);
      break;
    case v1::SERVICE_RATING_DISSATISFIED:
      summary.set_dissatisfied(summary.dissatisfied() + 1);
      break;
    default:
      return;
  }
  for (const auto criterion : rated.criteria()) {
    if (criterion == v1::RATING_CRITERION_ATTITUDE) summary.set_attitude(summary.attitude() + 1);
    if (criterion == v1::RATING_CRITERION_TIME) summary.set_time(summary.time() + 1);
    if (criterion == v1::RATING_CRITERION_GUIDANCE) summary.set_guidance(summary.guidance() + 1);
  }
}

v1::ReportRow to_row(const tally& figures, const std::string& key, const std::string& name_vi,
                     const std::string& name_en) {
  v1::ReportRow row;
  row.set_key(key);
  row.set_name_vi(name_vi);
  row.set_name_en(name_en);
  row.set_issued(figures.issued);
  row.set_called(figures.called);
  row.set_served(figures.served);
  row.set_no_show(figures.no_show);
  row.set_not_served(figures.not_served);
  row.set_open(figures.open);
  row.set_transferred_out(figures.transferred_out);
  *row.mutable_wait() = summarize(figures.waits);
  *row.mutable_service() = summarize(figures.services);
  row.set_called_within_target(figures.within_target);
  if (!figures.waits.empty())
    row.set_within_target_permille(static_cast<std::uint32_t>(
        std::llround(1000.0 * figures.within_target / static_cast<double>(figures.waits.size()))));
  *row.mutable_ratings() = figures.ratings;
  return row;
}

}  // namespace

struct report_builder::state {
  state(const centre_config& centre, std::map<std::string, std::string> names, std::string from,
        std::string to)
      : config(centre),
        calendar(centre.time_zone, centre.reset_time),
        officer_names(std::move(names)),
        from_day(std::move(from)),
        to_day(std::move(to)) {}

  const centre_config& config;
  centre_calendar calendar;
  std::map<std::string, std::string> officer_names;
  std::string from_day;
  std::string to_day;
  std::uint64_t events_read = 0;
  std::map<std::string, ticket_trace> tickets;
  // Figures kept as events come (the per-ticket endings are added at the end).
  std::map<std::string, tally> by_category;
  std::map<std::string, tally> by_officer;
  std::map<std::string, tally> by_day;
  tally total;
  std::vector<std::uint32_t> issued_by_hour = std::vector<std::uint32_t>(24, 0);

  ticket_trace* find(const std::string& id) {
    const auto found = tickets.find(id);
    return found == tickets.end() ? nullptr : &found->second;
  }

  // Adds one figure to the rows of a ticket's category, its officer and its day.
  template <typename Change>
  void to_rows(const std::string& category, const std::string& officer, const std::string& day,
               Change change) {
    if (!category.empty()) change(by_category[category]);
    if (!officer.empty()) change(by_officer[officer]);
    change(by_day[day]);
    change(total);
  }

  void issued(const v1::Event& event) {
    const auto& ticket = event.ticket_issued().ticket();
    ticket_trace trace;
    trace.day = event.service_day();
    trace.issue_category = ticket.category();
    trace.category = ticket.category();
    trace.issued_at = from_proto(ticket.issued_at());
    tickets[ticket.id()] = trace;
    to_rows(trace.issue_category, {}, trace.day, [](tally& row) { ++row.issued; });
    const auto local = calendar.to_local(trace.issued_at);
    const auto hour =
        std::chrono::floor<std::chrono::hours>(local - std::chrono::floor<std::chrono::days>(local))
            .count();
    ++issued_by_hour[static_cast<std::size_t>(std::clamp<long>(hour, 0, 23))];
  }

  void called(const v1::Event& event) {
    const auto& body = event.ticket_called();
    auto* trace = find(body.ticket_id());
    if (trace == nullptr) return;
    const auto at = from_proto(event.at());
    trace->state = v1::TICKET_STATE_CALLED;
    trace->called_at = at;
    trace->officer = body.officer();
    // Calls an officer made, first or not; a category's called tickets once.
    if (!body.officer().empty()) ++by_officer[body.officer()].called;
    if (trace->first_call) return;
    trace->first_call = at;
    trace->first_officer = body.officer();
    const auto wait = (at - trace->issued_at).count();
    const bool within = at - trace->issued_at <=
                        std::chrono::duration_cast<std::chrono::milliseconds>(config.target_wait);
    const auto record = [&](tally& row) {
      row.waits.push_back(wait);
      if (within) ++row.within_target;
    };
    record(by_category[trace->issue_category]);
    if (!body.officer().empty()) record(by_officer[body.officer()]);
    record(by_day[trace->day]);
    record(total);
    ++by_category[trace->issue_category].called;
    ++by_day[trace->day].called;
    ++total.called;
  }

  void finished(const v1::Event& event) {
    auto* trace = find(event.ticket_finished().ticket_id());
    if (trace == nullptr) return;
    trace->state = v1::TICKET_STATE_DONE;
    const auto service = (from_proto(event.at()) - trace->called_at).count();
    // Service time belongs to the category it was served in.
    to_rows(trace->category, trace->officer, trace->day,
            [&](tally& row) { row.services.push_back(service); });
  }

  void transferred(const v1::Event& event) {
    const auto& body = event.ticket_transferred();
    auto* trace = find(body.ticket_id());
    if (trace == nullptr) return;
    trace->state = v1::TICKET_STATE_WAITING;
    const auto officer = trace->officer;
    to_rows(trace->issue_category, officer, trace->day, [](tally& row) { ++row.transferred_out; });
    if (!body.to_category().empty()) trace->category = body.to_category();
  }

  void rated(const v1::Event& event) {
    const auto& body = event.service_rated();
    auto* trace = find(body.ticket_id());
    const auto day = trace != nullptr ? trace->day : event.service_day();
    to_rows(body.category(), body.officer(), day,
            [&](tally& row) { count_rating(row.ratings, body); });
  }

  void day_closed(const v1::Event& event) {
    const auto& day = event.day_closed().service_day();
    for (auto& [id, trace] : tickets)
      if (trace.day == day && trace.state != v1::TICKET_STATE_DONE &&
          trace.state != v1::TICKET_STATE_NO_SHOW)
        trace.state = v1::TICKET_STATE_NOT_SERVED;
  }

  void set_state(const std::string& ticket_id, v1::TicketState to) {
    if (auto* trace = find(ticket_id)) trace->state = to;
  }
};

report_builder::report_builder(const centre_config& config,
                               std::map<std::string, std::string> officer_names,
                               std::string from_day, std::string to_day)
    : state_(std::make_unique<state>(config, std::move(officer_names), std::move(from_day),
                                     std::move(to_day))) {}

report_builder::~report_builder() = default;

void report_builder::add(const v1::Event& event) {
  auto& s = *state_;
  // "YYYY-MM-DD" compares like the dates it names.
  if (event.service_day() < s.from_day || event.service_day() > s.to_day) return;
  ++s.events_read;
  switch (event.body_case()) {
    case v1::Event::kTicketIssued:
      return s.issued(event);
    case v1::Event::kTicketCalled:
      return s.called(event);
    case v1::Event::kTicketFinished:
      return s.finished(event);
    case v1::Event::kTicketTransferred:
      return s.transferred(event);
    case v1::Event::kServiceRated:
      return s.rated(event);
    case v1::Event::kDayClosed:
      return s.day_closed(event);
    case v1::Event::kTicketNoShow:
      return s.set_state(event.ticket_no_show().ticket_id(), v1::TICKET_STATE_NO_SHOW);
    case v1::Event::kTicketReturned:
      return s.set_state(event.ticket_returned().ticket_id(), v1::TICKET_STATE_WAITING);
    case v1::Event::kTicketRequeued:
      return s.set_state(event.ticket_requeued().ticket_id(), v1::TICKET_STATE_WAITING);
    case v1::Event::kTicketParked:
      return s.set_state(event.ticket_parked().ticket_id(), v1::TICKET_STATE_PARKED);
    case v1::Event::kTicketResumed:
      return s.set_state(event.ticket_resumed().ticket_id(), v1::TICKET_STATE_CALLED);
    default:
      return;
  }
}

v1::Report report_builder::finish(timestamp generated_at) const {
  const auto& s = *state_;
  // Endings are counted once, from where each ticket stands: served by the
  // officer who finished it, a no-show by the officer who last called it.
  auto by_category = s.by_category;
  auto by_officer = s.by_officer;
  auto by_day = s.by_day;
  auto total = s.total;
  // (No structured bindings here: lambdas below capture them, which clang
  // before 16 - the fuzzing build - cannot compile.)
  for (const auto& entry : s.tickets) {
    const auto& trace = entry.second;
    const auto add = [&](auto member) {
      ++(by_category[trace.issue_category].*member);
      ++(by_day[trace.day].*member);
      ++(total.*member);
    };
    switch (trace.state) {
      case v1::TICKET_STATE_DONE:
        add(&tally::served);
        if (!trace.officer.empty()) ++by_officer[trace.officer].served;
        break;
      case v1::TICKET_STATE_NO_SHOW:
        add(&tally::no_show);
        if (!trace.officer.empty()) ++by_officer[trace.officer].no_show;
        break;
      case v1::TICKET_STATE_NOT_SERVED:
        add(&tally::not_served);
        break;
      default:
        add(&tally::open);
        break;
    }
  }

  v1::Report report;
  report.set_from_day(s.from_day);
  report.set_to_day(s.to_day);
  *report.mutable_generated_at() = to_proto(generated_at);
  report.set_centre_name(s.config.name);
  report.set_target_wait_seconds(static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(s.config.target_wait).count()));
  *report.mutable_total() = to_row(total, "total", "Tổng cộng", "Total");
  // Configured categories in their order, then any the config no longer has.
  for (const auto& category : s.config.categories) {
    const auto found = by_category.find(category.code);
    *report.add_categories() = to_row(found == by_category.end() ? tally{} : found->second,
                                      category.code, category.name_vi, category.name_en);
  }
  for (const auto& category_figures : by_category) {
    const auto& code = category_figures.first;
    const auto& figures = category_figures.second;
    const auto& known = s.config.categories;
    if (std::none_of(known.begin(), known.end(),
                     [&](const category_config& category) { return category.code == code; }))
      *report.add_categories() = to_row(figures, code, code, code);
  }
  for (const auto& [username, figures] : by_officer) {
    const auto name = s.officer_names.find(username);
    const auto& shown = name == s.officer_names.end() ? username : name->second;
    *report.add_officers() = to_row(figures, username, shown, shown);
  }
  for (const auto& [day, figures] : by_day) *report.add_days() = to_row(figures, day, day, day);
  for (const auto count : s.issued_by_hour) report.add_issued_by_hour(count);
  report.set_events_read(s.events_read);
  return report;
}

}  // namespace luot::core
