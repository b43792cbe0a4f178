#include "core/province_report.hpp"

#include <cmath>
#include <map>

namespace luot::core {

namespace {

void add_time(v1::TimeSummary& total, const v1::TimeSummary& part) {
  const double weighted = static_cast<double>(total.mean_seconds()) * total.count() +
                          static_cast<double>(part.mean_seconds()) * part.count();
  total.set_count(total.count() + part.count());
  total.set_mean_seconds(total.count() == 0 ? 0
                                            : static_cast<std::uint32_t>(std::llround(
                                                  weighted / static_cast<double>(total.count()))));
  total.set_median_seconds(0);
  total.set_p90_seconds(0);
}

void add_ratings(v1::RatingSummary& total, const v1::RatingSummary& part) {
  total.set_very_satisfied(total.very_satisfied() + part.very_satisfied());
  total.set_satisfied(total.satisfied() + part.satisfied());
  total.set_neutral(total.neutral() + part.neutral());
  total.set_dissatisfied(total.dissatisfied() + part.dissatisfied());
  total.set_attitude(total.attitude() + part.attitude());
  total.set_time(total.time() + part.time());
  total.set_guidance(total.guidance() + part.guidance());
}

void add_row(v1::ReportRow& total, const v1::ReportRow& part) {
  total.set_issued(total.issued() + part.issued());
  total.set_called(total.called() + part.called());
  total.set_served(total.served() + part.served());
  total.set_no_show(total.no_show() + part.no_show());
  total.set_not_served(total.not_served() + part.not_served());
  total.set_open(total.open() + part.open());
  total.set_transferred_out(total.transferred_out() + part.transferred_out());
  add_time(*total.mutable_wait(), part.wait());
  add_time(*total.mutable_service(), part.service());
  total.set_called_within_target(total.called_within_target() + part.called_within_target());
  add_ratings(*total.mutable_ratings(), part.ratings());
  const auto firsts = total.wait().count();
  total.set_within_target_permille(
      firsts == 0 ? 0
                  : static_cast<std::uint32_t>(std::llround(1000.0 * total.called_within_target() /
                                                            static_cast<double>(firsts))));
}

}  // namespace

v1::Report sum_reports(const std::vector<centre_report>& centres, const std::string& label) {
  v1::Report total;
  total.set_centre_name(label);
  auto& row = *total.mutable_total();
  row.set_key("total");
  row.set_name_vi("Tổng cộng");
  row.set_name_en("Total");
  std::map<std::string, v1::ReportRow> days;
  bool first = true;
  for (const auto& centre : centres) {
    const auto& part = centre.report;
    if (first) {
      total.set_from_day(part.from_day());
      total.set_to_day(part.to_day());
      total.set_target_wait_seconds(part.target_wait_seconds());
      *total.mutable_generated_at() = part.generated_at();
      first = false;
    } else if (total.target_wait_seconds() != part.target_wait_seconds()) {
      // Centres promise different waits: no one target for the total.
      total.set_target_wait_seconds(0);
    }
    if (part.generated_at().seconds() > total.generated_at().seconds())
      *total.mutable_generated_at() = part.generated_at();
    add_row(row, part.total());
    for (const auto& day : part.days()) {
      auto [found, added] = days.try_emplace(day.key());
      if (added) {
        found->second.set_key(day.key());
        found->second.set_name_vi(day.name_vi());
        found->second.set_name_en(day.name_en());
      }
      add_row(found->second, day);
    }
    if (total.issued_by_hour_size() < part.issued_by_hour_size())
      total.mutable_issued_by_hour()->Resize(part.issued_by_hour_size(), 0);
    for (int hour = 0; hour < part.issued_by_hour_size(); ++hour)
      total.set_issued_by_hour(hour, total.issued_by_hour(hour) + part.issued_by_hour(hour));
    total.set_events_read(total.events_read() + part.events_read());
  }
  for (auto& [key, day] : days) *total.add_days() = std::move(day);
  return total;
}

}  // namespace luot::core
