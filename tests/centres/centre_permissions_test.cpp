// Bindings of tokens to centres through the one permission module, and the
// province report's sum, without sockets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/province_report.hpp"
#include "net/auth.hpp"
#include "net/permissions.hpp"
#include "support.hpp"

namespace luot::net {
namespace {

principal staff(std::string centre, config::role role, std::vector<std::string> centres = {}) {
  principal who;
  who.kind = principal_kind::staff;
  who.name = "someone";
  who.staff_role = role;
  who.centre = std::move(centre);
  who.centres = std::move(centres);
  return who;
}

TEST(CentrePermissions, BindingsPickStaffAndDevices) {
  config::staff_member lan;
  lan.centres = {"a"};
  EXPECT_TRUE(bound_to_centre(lan, "a"));
  EXPECT_FALSE(bound_to_centre(lan, "b"));
  // A one-centre file binds nobody: everyone works at its centre.
  config::staff_member anywhere;
  EXPECT_TRUE(bound_to_centre(anywhere, "default"));
  config::device kiosk;
  kiosk.centre = "b";
  EXPECT_TRUE(bound_to_centre(kiosk, "b"));
  EXPECT_FALSE(bound_to_centre(kiosk, "a"));
}

TEST(CentrePermissions, ATokenActsOnlyAtItsCentre) {
  EXPECT_FALSE(authorize_centre(principal{}, "b")) << "anonymous callers are welcome anywhere";
  principal kiosk;
  kiosk.kind = principal_kind::kiosk;
  kiosk.centre = "a";
  EXPECT_FALSE(authorize_centre(kiosk, "a"));
  const auto refused = authorize_centre(kiosk, "b");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, v1::ERROR_CODE_PERMISSION_DENIED);
  ASSERT_TRUE(refused->because);
  EXPECT_EQ(refused->because->key, "reason.other_centre");
  EXPECT_EQ(refused->because->args, (std::vector<std::string>{"a", "b"}));
  // A manager of both centres still uses a session of one at that one.
  EXPECT_TRUE(authorize_centre(staff("a", config::role::manager, {"a", "b"}), "b"));
}

TEST(CentrePermissions, TheProvinceReportIsForManagersOfTheirCentres) {
  const std::vector<std::string> all{"a", "b", "c"};
  EXPECT_EQ(province_centres(principal{}, all).failure().code, v1::ERROR_CODE_UNAUTHENTICATED);
  EXPECT_EQ(province_centres(staff("a", config::role::officer, {"a", "b"}), all).failure().code,
            v1::ERROR_CODE_PERMISSION_DENIED);
  principal kiosk;
  kiosk.kind = principal_kind::kiosk;
  EXPECT_EQ(province_centres(kiosk, all).failure().code, v1::ERROR_CODE_PERMISSION_DENIED);
  EXPECT_EQ(province_centres(staff("b", config::role::manager, {"a", "c"}), all).value(),
            (std::vector<std::string>{"a", "c"}));
  // A one-centre file binds nobody: the manager's own centre.
  EXPECT_EQ(province_centres(staff("b", config::role::manager), all).value(),
            (std::vector<std::string>{"b"}));
}

// Two centres' auths, linked as a server links them.
class LinkedAuth : public ::testing::Test {
 protected:
  LinkedAuth()
      : a_({member("lan", {"a"})}, {device("kiosk-a", "a")}, std::chrono::minutes(60), "a"),
        b_({member("hoa", {"a", "b"})}, {device("kiosk-b", "b")}, std::chrono::minutes(60), "b") {
    a_.link({&b_});
    b_.link({&a_});
  }

  static config::staff_member member(std::string name, std::vector<std::string> centres) {
    config::staff_member one;
    one.username = std::move(name);
    one.display_name = one.username;
    one.password_hash = testing::password_hash();
    one.centres = std::move(centres);
    return one;
  }
  static config::device device(std::string id, std::string centre) {
    config::device one;
    one.id = id;
    one.kind = config::device_kind::kiosk;
    one.token = id + "-token-0123456789";
    one.centre = std::move(centre);
    return one;
  }

  const core::timestamp now_{std::chrono::milliseconds(1'800'000'000'000)};
  auth a_;
  auth b_;
};

TEST_F(LinkedAuth, AnotherCentresTokenIsRefusedByName) {
  const auto own = a_.identify("kiosk-a-token-0123456789", now_);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->centre, "a");
  const auto elsewhere = b_.identify("kiosk-a-token-0123456789", now_);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.failure().code, v1::ERROR_CODE_PERMISSION_DENIED);
  EXPECT_EQ(elsewhere.failure().because->key, "reason.other_centre");

  const auto session = a_.open_session(member("lan", {"a"}), "", now_);
  EXPECT_TRUE(a_.identify(session.token(), now_));
  EXPECT_EQ(b_.identify(session.token(), now_).failure().code, v1::ERROR_CODE_PERMISSION_DENIED);
  EXPECT_EQ(b_.identify("nobody-knows-this-token", now_).failure().code,
            v1::ERROR_CODE_UNAUTHENTICATED);
}

TEST_F(LinkedAuth, EachCentreKnowsItsOwnStaffOnly) {
  // Lan is bound to a only: b's auth has no such member, so her password
  // signs her in nowhere else (the same answer as a wrong password).
  EXPECT_TRUE(a_.verify_password("lan", testing::officer_password));
  EXPECT_FALSE(b_.verify_password("lan", testing::officer_password));
  const auto hoa = b_.identify(b_.open_session(member("hoa", {"a", "b"}), "", now_).token(), now_);
  ASSERT_TRUE(hoa);
  EXPECT_EQ(hoa->centres, (std::vector<std::string>{"a", "b"}));
}

TEST_F(LinkedAuth, AStaffChangeKeepsTheBindings) {
  v1::StaffRecord record;
  record.set_username("hoa");
  record.set_display_name("Hoà");
  record.set_password_hash(testing::password_hash());
  record.set_role("manager");
  b_.apply(record);
  EXPECT_EQ(b_.member("hoa")->centres, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(b_.member("hoa")->display_name, "Hoà");
}

v1::ReportRow row(std::uint32_t issued, std::uint32_t waits, std::uint32_t mean,
                  std::uint32_t within) {
  v1::ReportRow one;
  one.set_issued(issued);
  one.set_called(waits);
  one.set_served(waits);
  one.mutable_wait()->set_count(waits);
  one.mutable_wait()->set_mean_seconds(mean);
  one.mutable_wait()->set_median_seconds(mean);
  one.set_called_within_target(within);
  one.mutable_ratings()->set_satisfied(issued);
  return one;
}

TEST(ProvinceReport, TheTotalSumsTheCentres) {
  core::centre_report a{"a", "A", {}};
  *a.report.mutable_total() = row(10, 4, 60, 3);
  auto* day_a = a.report.add_days();
  *day_a = row(10, 4, 60, 3);
  day_a->set_key("2026-11-23");
  a.report.mutable_issued_by_hour()->Resize(24, 0);
  a.report.set_issued_by_hour(8, 10);
  a.report.set_events_read(30);
  core::centre_report b{"b", "B", {}};
  *b.report.mutable_total() = row(5, 2, 180, 1);
  auto* day_b = b.report.add_days();
  *day_b = row(5, 2, 180, 1);
  day_b->set_key("2026-11-23");
  b.report.mutable_issued_by_hour()->Resize(24, 0);
  b.report.set_issued_by_hour(8, 2);
  b.report.set_issued_by_hour(9, 3);
  b.report.set_events_read(12);

  const auto total = core::sum_reports({a, b}, "Tỉnh");
  EXPECT_EQ(total.centre_name(), "Tỉnh");
  EXPECT_EQ(total.total().issued(), 15u);
  EXPECT_EQ(total.total().served(), 6u);
  EXPECT_EQ(total.total().wait().count(), 6u);
  EXPECT_EQ(total.total().wait().mean_seconds(), 100u) << "(4 x 60 + 2 x 180) / 6";
  EXPECT_EQ(total.total().wait().median_seconds(), 0u) << "medians do not add up";
  EXPECT_EQ(total.total().called_within_target(), 4u);
  EXPECT_EQ(total.total().within_target_permille(), 667u);
  EXPECT_EQ(total.total().ratings().satisfied(), 15u);
  ASSERT_EQ(total.days_size(), 1);
  EXPECT_EQ(total.days(0).issued(), 15u);
  EXPECT_EQ(total.issued_by_hour(8), 12u);
  EXPECT_EQ(total.issued_by_hour(9), 3u);
  EXPECT_EQ(total.events_read(), 42u);
}

}  // namespace
}  // namespace luot::net
