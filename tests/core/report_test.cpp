// The report folded from a log: counts per category, officer and day, the
// waiting and service time statistics, the share called within the target
// wait, ratings, and which days the range takes.
#include "core/report.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

const v1::ReportRow* row(const google::protobuf::RepeatedPtrField<v1::ReportRow>& rows,
                         const std::string& key) {
  for (const auto& candidate : rows)
    if (candidate.key() == key) return &candidate;
  return nullptr;
}

v1::Command rate(const std::string& counter, const std::string& ticket, v1::ServiceRating rating) {
  v1::Command command;
  auto& body = *command.mutable_rate_service();
  body.set_counter(counter);
  body.set_ticket(ticket);
  body.set_rating(rating);
  return command;
}

v1::Report fold(const recorded_engine& centre, const std::string& from, const std::string& to,
                timestamp at) {
  report_builder builder(centre.live().config(), {{"lan", "Nguyễn Thị Lan"}}, from, to);
  for (const auto& event : centre.log()) builder.add(event);
  return builder.finish(at);
}

TEST(Report, WaitsAndServicesGiveMeanMedianAndNearestRankP90) {
  recorded_engine centre(small_centre());
  const auto start = morning();
  centre.must(open_counter("1", "lan", "Nguyễn Thị Lan"), start);
  // Four tickets at 08:00; first calls after 1, 2, 10 and 40 minutes.
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(centre.take_ticket("A", start));
  const std::vector<int> waited = {1, 2, 10, 40};
  const std::vector<int> served = {3, 5, 7, 30};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto called = start + std::chrono::minutes(waited[i]);
    centre.must(call_ticket("1", ids[i]), called);
    centre.must(finish("1"), called + std::chrono::minutes(served[i]) - std::chrono::seconds(i));
  }
  const auto report = fold(centre, "2024-06-03", "2024-06-03", start + 2h);
  const auto& total = report.total();
  EXPECT_EQ(total.issued(), 4u);
  EXPECT_EQ(total.called(), 4u);
  EXPECT_EQ(total.served(), 4u);
  EXPECT_EQ(total.wait().count(), 4u);
  // (60 + 120 + 600 + 2400) / 4 = 795; median (120 + 600) / 2 = 360;
  // p90 by nearest rank: the 4th of 4.
  EXPECT_EQ(total.wait().mean_seconds(), 795u);
  EXPECT_EQ(total.wait().median_seconds(), 360u);
  EXPECT_EQ(total.wait().p90_seconds(), 2400u);
  // Services 180, 299, 418, 1797 s.
  EXPECT_EQ(total.service().mean_seconds(), 674u);
  EXPECT_EQ(total.service().median_seconds(), 359u);
  EXPECT_EQ(total.service().p90_seconds(), 1797u);
  // Three of four called within the 30-minute target.
  EXPECT_EQ(total.called_within_target(), 3u);
  EXPECT_EQ(total.within_target_permille(), 750u);
  EXPECT_EQ(report.target_wait_seconds(), 1800u);
  const auto* lan = row(report.officers(), "lan");
  ASSERT_NE(lan, nullptr);
  EXPECT_EQ(lan->name_vi(), "Nguyễn Thị Lan");
  EXPECT_EQ(lan->served(), 4u);
  EXPECT_EQ(lan->service().mean_seconds(), 674u);
  // Issued at 08:00 local time.
  ASSERT_EQ(report.issued_by_hour_size(), 24);
  EXPECT_EQ(report.issued_by_hour(8), 4u);
}

TEST(Report, EveryTicketEndsInExactlyOneColumn) {
  recorded_engine centre(small_centre());
  const auto start = morning();
  centre.must(open_counter("1", "lan", "Nguyễn Thị Lan"), start);
  centre.must(open_counter("2", "minh", "Trần Văn Minh"), start);
  const auto served = centre.take_ticket("A", start);
  const auto absent = centre.take_ticket("A", start);
  const auto moved = centre.take_ticket("A", start);
  const auto waiting = centre.take_ticket("B", start);
  centre.must(call_ticket("1", served), start + 1min);
  centre.must(finish("1", "received"), start + 5min);
  centre.must(call_ticket("1", absent), start + 6min);
  centre.must(mark_no_show("1"), start + 7min);
  centre.must(call_ticket("1", moved), start + 8min);
  centre.must(transfer("1", "B", "", v1::PLACEMENT_FIRST), start + 9min);
  centre.must(call_ticket("2", moved), start + 10min);
  centre.must(finish("2"), start + 12min);
  centre.must(rate("1", served, v1::SERVICE_RATING_VERY_SATISFIED), start + 6min);
  centre.must(rate("2", moved, v1::SERVICE_RATING_DISSATISFIED), start + 13min);

  const struct {
    std::string key;
    std::uint32_t issued, called, served, no_show, open, transferred_out, very_satisfied,
        dissatisfied;
  } expected[] = {
      {"A", 3, 3, 2, 1, 0, 1, 1, 0},
      {"B", 1, 0, 0, 0, 1, 0, 0, 1},
  };
  const auto report = fold(centre, "2024-06-03", "2024-06-03", start + 1h);
  for (const auto& want : expected) {
    SCOPED_TRACE(want.key);
    const auto* got = row(report.categories(), want.key);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->issued(), want.issued);
    EXPECT_EQ(got->called(), want.called);
    EXPECT_EQ(got->served(), want.served);
    EXPECT_EQ(got->no_show(), want.no_show);
    EXPECT_EQ(got->open(), want.open);
    EXPECT_EQ(got->transferred_out(), want.transferred_out);
    // Ratings go to the category the service was finished in.
    EXPECT_EQ(got->ratings().very_satisfied(), want.very_satisfied);
    EXPECT_EQ(got->ratings().dissatisfied(), want.dissatisfied);
  }
  const auto& total = report.total();
  EXPECT_EQ(total.issued(), total.served() + total.no_show() + total.not_served() + total.open());
  EXPECT_EQ(row(report.officers(), "minh")->served(), 1u);
  EXPECT_EQ(row(report.officers(), "lan")->no_show(), 1u);
  EXPECT_EQ(row(report.officers(), "lan")->called(), 3u);

  // Once the day closes, what was still waiting was not served.
  auto closing = centre.live().roll_over(start + 24h);
  ASSERT_EQ(closing.size(), 1u);
  report_builder builder(centre.live().config(), {}, "2024-06-03", "2024-06-03");
  for (const auto& event : centre.log()) builder.add(event);
  builder.add(closing.front());
  const auto closed = builder.finish(start + 25h);
  EXPECT_EQ(closed.total().open(), 0u);
  EXPECT_EQ(closed.total().not_served(), 1u);
  EXPECT_EQ(closed.total().no_show(), 1u);
  (void)waiting;
}

TEST(Report, TakesOnlyTheDaysOfItsRange) {
  recorded_engine centre(small_centre());
  const auto first_day = morning();
  centre.take_ticket("A", first_day);
  centre.take_ticket("A", first_day);
  const auto second_day = first_day + 24h;
  centre.take_ticket("A", second_day);
  const struct {
    std::string from, to;
    std::uint32_t issued;
    int days;
  } ranges[] = {
      {"2024-06-03", "2024-06-03", 2, 1},
      {"2024-06-04", "2024-06-04", 1, 1},
      {"2024-06-03", "2024-06-04", 3, 2},
      {"2024-06-05", "2024-06-30", 0, 0},
  };
  for (const auto& range : ranges) {
    SCOPED_TRACE(range.from + ".." + range.to);
    const auto report = fold(centre, range.from, range.to, second_day);
    EXPECT_EQ(report.total().issued(), range.issued);
    EXPECT_EQ(report.days_size(), range.days);
    EXPECT_EQ(report.categories_size(), 2);
  }
}

}  // namespace
}  // namespace luot::core::testing
