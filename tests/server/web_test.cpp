// The server's web pieces without sockets: which paths reach which files,
// the ETag and the escape attempts, the sign-in lockout, cookies and
// query strings, the report's CSV, and the config keys the pages need.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/settings.hpp"
#include "net/api/http_helpers.hpp"
#include "net/report_csv.hpp"
#include "net/sign_in_guard.hpp"
#include "net/static_files.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

TEST(StaticFiles, MapsPageRoutesAndAssetsAndNothingElse) {
  const struct {
    std::string path;
    std::optional<std::string> file;
  } rows[] = {
      {"/", "index.html"},
      {"/counter", "counter.html"},
      {"/board", "board.html"},
      {"/manage", "manage.html"},
      {"/t/3b834bc15e0b3489c7b21d0e5e62253c", "ticket.html"},
      {"/rate/1", "rate.html"},
      {"/rate/quay-5_b", "rate.html"},
      {"/assets/js/board.js", "assets/js/board.js"},
      {"/assets/faces/neutral.svg", "assets/faces/neutral.svg"},
      {"/counter/", std::nullopt},
      {"/counter.html", std::nullopt},
      {"/t/", std::nullopt},
      {"/t/a/b", std::nullopt},
      {"/t/..", std::nullopt},
      {"/rate/1.2", std::nullopt},
      {"/assets/../centre.toml", std::nullopt},
      {"/assets/js/../../index.html", std::nullopt},
      {"/assets/.env.js", std::nullopt},
      {"/assets/%2e%2e/x.js", std::nullopt},
      {"/assets/js//board.js", std::nullopt},
      {"/assets/js/", std::nullopt},
      {"/assets/tool.exe", std::nullopt},
      {"/assets/a/b/c/d/e/f/g.js", std::nullopt},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.path);
    EXPECT_EQ(net::static_files::file_for(row.path), row.file);
  }
}

TEST(StaticFiles, AnswersWithTypeAndETagAndRevalidates) {
  temp_dir root;
  std::filesystem::create_directories(root.path() / "assets" / "css");
  std::ofstream(root.path() / "index.html") << "<!doctype html><title>Lượt</title>";
  std::ofstream(root.path() / "assets" / "css" / "a.css") << "body{}";
  const net::static_files files(root.path());
  const auto page = files.serve("/", "");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200u);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page->cache_control, "no-cache");
  std::string etag;
  bool policy = false;
  for (const auto& [name, value] : page->headers) {
    if (name == "ETag") etag = value;
    if (name == "Content-Security-Policy") policy = true;
  }
  EXPECT_TRUE(policy);
  ASSERT_FALSE(etag.empty());
  const auto again = files.serve("/", "W/" + etag);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, 304u);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(files.serve("/assets/css/a.css", "")->content_type, "text/css; charset=utf-8");
  // A page whose file is missing is not served.
  EXPECT_FALSE(files.serve("/board", "").has_value());
  EXPECT_FALSE(net::static_files("").serve("/", "").has_value());
}

TEST(StaticFiles, ALinkOutOfTheRootIsNotFollowed) {
  temp_dir outside;
  temp_dir root;
  std::ofstream(outside.path() / "secret.js") << "secret";
  std::filesystem::create_directories(root.path() / "assets");
  std::filesystem::create_symlink(outside.path() / "secret.js",
                                  root.path() / "assets" / "secret.js");
  std::filesystem::create_directory_symlink(outside.path(), root.path() / "assets" / "out");
  const net::static_files files(root.path());
  EXPECT_FALSE(files.serve("/assets/secret.js", "").has_value());
  EXPECT_FALSE(files.serve("/assets/out/secret.js", "").has_value());
}

TEST(SignInGuard, LocksAUsernameAtAnAddressAfterRepeatedFailuresForAWhile) {
  net::sign_in_guard guard(3, 15min);
  const auto start = core::timestamp(std::chrono::milliseconds(1'800'000'000'000));
  EXPECT_FALSE(guard.failed("lan", "192.0.2.1", start));
  EXPECT_FALSE(guard.failed("lan", "192.0.2.1", start + 1min));
  EXPECT_EQ(guard.locked_minutes("lan", "192.0.2.1", start + 1min), 0u);
  EXPECT_TRUE(guard.failed("lan", "192.0.2.1", start + 2min));
  EXPECT_EQ(guard.locked_minutes("lan", "192.0.2.1", start + 2min), 15u);
  EXPECT_EQ(guard.locked_minutes("lan", "192.0.2.1", start + 16min + 30s), 1u);
  // Another address, another username: not locked.
  EXPECT_EQ(guard.locked_minutes("lan", "192.0.2.2", start + 3min), 0u);
  EXPECT_EQ(guard.locked_minutes("minh", "192.0.2.1", start + 3min), 0u);
  EXPECT_EQ(guard.locked_minutes("lan", "192.0.2.1", start + 17min), 0u);
  // Failures further apart than the period do not add up; a success clears.
  net::sign_in_guard spaced(2, 15min);
  EXPECT_FALSE(spaced.failed("lan", "a", start));
  EXPECT_FALSE(spaced.failed("lan", "a", start + 20min));
  spaced.succeeded("lan", "a");
  EXPECT_FALSE(spaced.failed("lan", "a", start + 21min));
  net::sign_in_guard off(0, 15min);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(off.failed("lan", "a", start));
  EXPECT_EQ(off.locked_minutes("lan", "a", start), 0u);
}

TEST(HttpHelpers, ReadsCookiesQueriesAndDays) {
  EXPECT_EQ(net::api::cookie_value("a=1; luot_session=abc; b=2", "luot_session"), "abc");
  EXPECT_EQ(net::api::cookie_value("luot_session_x=1", "luot_session"), "");
  EXPECT_EQ(net::api::cookie_value("", "luot_session"), "");
  EXPECT_EQ(net::api::session_cookie("abc", 3600s),
            "luot_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
  EXPECT_EQ(net::api::session_cookie("", 3600s),
            "luot_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  EXPECT_EQ(net::api::query_parameter("/r?from=2026-11-23&to=2026-11-24", "to"), "2026-11-24");
  EXPECT_EQ(net::api::query_parameter("/r?from=2026-11-23", "to"), std::nullopt);
  EXPECT_EQ(net::api::query_parameter("/r", "from"), std::nullopt);
  const struct {
    std::string text;
    bool valid;
  } days[] = {{"2026-11-23", true},  {"2024-02-29", true}, {"2026-02-29", false},
              {"2026-13-01", false}, {"2026-1-01", false}, {"20261123", false},
              {"2026-11-2x", false}, {"", false}};
  for (const auto& day : days) {
    SCOPED_TRACE(day.text);
    EXPECT_EQ(net::api::parse_day(day.text).has_value(), day.valid);
  }
}

TEST(ReportCsv, HasTheCataloguesHeadingsAndEveryRowQuoted) {
  v1::Report report;
  report.mutable_total()->set_key("total");
  report.mutable_total()->set_name_vi("Tổng cộng");
  report.mutable_total()->set_issued(12);
  report.mutable_total()->set_within_target_permille(875);
  auto& category = *report.add_categories();
  category.set_key("LDVL");
  category.set_name_vi("Lao động, Việc làm \"A\"");
  category.set_issued(12);
  category.mutable_wait()->set_mean_seconds(95);
  auto& officer = *report.add_officers();
  officer.set_key("lan");
  officer.set_name_vi("Nguyễn Thị Lan");
  officer.mutable_ratings()->set_satisfied(2);
  officer.mutable_ratings()->set_dissatisfied(1);
  const auto csv = net::report_csv(report, text::language::vi);
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  EXPECT_NE(csv.find("Nhóm,Mã,Tên,Đã cấp,Đã gọi,Đã phục vụ,Vắng mặt"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Tổng cộng,total,Tổng cộng,12,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",87.5,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Lĩnh vực,LDVL,\"Lao động, Việc làm \"\"A\"\"\",12,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("Cán bộ,lan,Nguyễn Thị Lan,"), std::string::npos) << csv;
  // Three lines of figures plus the heading, each ended by CRLF.
  std::size_t lines = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2))
    ++lines;
  EXPECT_EQ(lines, 4u);
}

TEST(ConfigForTheWeb, ReadsWebRootRatingDevicesAndTheCentresTargets) {
  temp_dir dir;
  const std::string text = R"([centre]
name = "Trung tâm"
target_wait_minutes = 20
alert_wait_minutes = 40
rating_minutes = 5
[server]
web_root = "pages"
sign_in_lockout_failures = 4
sign_in_lockout_minutes = 30
[[categories]]
code = "A"
name_vi = "A"
name_en = "A"
format = { prefix = "A", width = 3 }
[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["A"]
[[devices]]
id = "rating-1"
kind = "rating"
token = "rating-token-0123456789"
counters = ["1"]
)";
  std::ofstream(dir.path() / "centre.toml") << text;
  const auto loaded = config::load_file(dir.path() / "centre.toml");
  EXPECT_EQ(loaded.server.web_root, dir.path() / "pages");
  EXPECT_EQ(loaded.server.sign_in_lockout_failures, 4u);
  EXPECT_EQ(loaded.server.sign_in_lockout, 30min);
  EXPECT_EQ(loaded.centre.target_wait, 20min);
  EXPECT_EQ(loaded.centre.alert_wait, 40min);
  EXPECT_EQ(loaded.centre.rating_window, 5min);
  ASSERT_EQ(loaded.devices.size(), 1u);
  EXPECT_EQ(loaded.devices[0].kind, config::device_kind::rating);
  try {
    std::string bad = text;
    bad.replace(bad.find("kind = \"rating\""), 15, "kind = \"tablet\"");
    config::parse(bad, "bad.toml");
    FAIL() << "an unknown device kind was accepted";
  } catch (const config::config_error& problem) {
    EXPECT_NE(std::string(problem.what()).find("\"display\", \"kiosk\" or \"rating\""),
              std::string::npos)
        << problem.what();
  }
}

}  // namespace
}  // namespace luot::testing
