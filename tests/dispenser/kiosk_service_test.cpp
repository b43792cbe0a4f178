// The kiosk service against a real luot-server on 127.0.0.1: presses become
// the server's numbers, printed; a printer that cannot print gets no number;
// a failed print is reprinted with the same number; a lost reply or a
// restart of the kiosk never turns one press into two numbers.
#include "kiosk/kiosk_service.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../client/tcp_relay.hpp"
#include "../server/support.hpp"
#include "fake_printer.hpp"
#include "kiosk/kiosk_app.hpp"
#include "kiosk/press_journal.hpp"
#include "kiosk_support.hpp"

namespace luot::kiosk::testing {
namespace {

using namespace std::chrono_literals;
using luot::testing::running_server;
using luot::testing::take_ticket;
using luot::testing::temp_dir;
using luot::testing::test_settings;
using printer::testing::fake_network_printer;
using printer::testing::printer_paper_out;
using printer::testing::printer_ready;

constexpr const char* kiosk_device = "kiosk-1";

std::string tcp_printer(const fake_network_printer& fake) {
  return "tcp:127.0.0.1:" + std::to_string(fake.port());
}

// A started service, stopped before the log it reports to goes away.
struct running_kiosk {
  running_kiosk(const kiosk_options& options, report_log& log)
      : service(options, make_printer(options)) {
    log.attach(service);
    service.start();
  }
  ~running_kiosk() { service.stop(); }
  kiosk_service service;
};

std::size_t jobs_with_ticket(const std::vector<std::vector<std::uint8_t>>& connections) {
  // A status check is a few bytes; a ticket is tens of kilobytes.
  return static_cast<std::size_t>(
      std::count_if(connections.begin(), connections.end(),
                    [](const std::vector<std::uint8_t>& bytes) { return bytes.size() > 10000; }));
}

TEST(KioskService, PrintsTheNumbersTheServerIssued) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto printed = dir.path() / "printed.bin";
  report_log log;
  running_kiosk kiosk(fast_options(server.port(), dir.path() / "state", "file:" + printed.string()),
                      log);
  ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));

  const std::pair<std::string, std::string> presses[] = {{"A", ""}, {"B", ""}, {"A", "cao-tuoi"}};
  for (std::size_t i = 0; i < std::size(presses); ++i) {
    const auto receipt =
        kiosk.service.press(presses[i].first, presses[i].second, text::language::vi);
    ASSERT_TRUE(receipt.accepted()) << receipt.refusal.vi;
    ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed, i + 1));
  }

  const auto reports = log.reports();
  const auto issued = tickets_from(server.port(), kiosk_device);
  ASSERT_EQ(reports.size(), 3u);
  ASSERT_EQ(issued.size(), 3u);
  const auto on_paper = read_printed(printed, dir.path() / "jobs");
  ASSERT_EQ(on_paper.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto& report = reports[i];
    EXPECT_EQ(report.press_id, i + 1);
    EXPECT_FALSE(report.reprinted);
    EXPECT_EQ(report.ticket->number(), issued[i].number());
    EXPECT_EQ(report.ticket->category(), presses[i].first);
    EXPECT_EQ(issued[i].category(), presses[i].first);
    EXPECT_EQ(issued[i].priority_class(), presses[i].second);
    EXPECT_EQ(report.status_url, "http://127.0.0.1:" + std::to_string(server.port()) + "/t/" +
                                     report.ticket->status_token());
    // What came out of the printer, read by npos and zbarimg.
    EXPECT_EQ(on_paper[i].qr_text, report.status_url);
  }
  EXPECT_EQ(reports[0].ticket->number(), "A001");
  EXPECT_EQ(reports[1].ticket->number(), "B001");
  EXPECT_EQ(reports[2].ticket->number(), "A002");
  // Nothing left in progress.
  EXPECT_FALSE(press_journal(dir.path() / "state").load());
  EXPECT_EQ(kiosk.service.state().phase, service_phase::idle);
}

TEST(KioskService, IssuesNoNumberThePrinterCannotPrint) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  health_watch health(server.port(), kiosk_device);
  {
    SCOPED_TRACE("out of paper since the start: refused at once");
    fake_network_printer fake({printer_paper_out});
    report_log log;
    running_kiosk kiosk(fast_options(server.port(), dir.path() / "s1", tcp_printer(fake)), log);
    ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));
    ASSERT_TRUE(health.wait_for({v1::DEVICE_HEALTH_PAPER_OUT}));
    EXPECT_EQ(kiosk.service.state().printer, printer::printer_status::paper_out);
    const auto receipt = kiosk.service.press("A", "", text::language::vi);
    EXPECT_FALSE(receipt.accepted());
    EXPECT_EQ(receipt.refusal.vi, "Máy in hết giấy");
    EXPECT_EQ(receipt.refusal.en, "Printer is out of paper");
  }
  {
    SCOPED_TRACE("runs out between the start and the press: refused after asking it");
    fake_network_printer fake({printer_ready, printer_paper_out});
    report_log log;
    running_kiosk kiosk(fast_options(server.port(), dir.path() / "s2", tcp_printer(fake)), log);
    ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));
    ASSERT_TRUE(health.wait_for({v1::DEVICE_HEALTH_PAPER_OUT, v1::DEVICE_HEALTH_OK}));
    ASSERT_TRUE(kiosk.service.press("A", "", text::language::en).accepted());
    ASSERT_TRUE(log.wait_for_outcome(press_outcome::refused));
    EXPECT_EQ(log.reports().front().reason.en, "Printer is out of paper");
    ASSERT_TRUE(health.wait_for(
        {v1::DEVICE_HEALTH_PAPER_OUT, v1::DEVICE_HEALTH_OK, v1::DEVICE_HEALTH_PAPER_OUT}));
  }
  EXPECT_TRUE(tickets_from(server.port(), kiosk_device).empty());
}

TEST(KioskService, ReprintsAPartialTicketWithTheSameNumber) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  fake_network_printer fake({printer_ready});
  report_log log;
  running_kiosk kiosk(fast_options(server.port(), dir.path() / "state", tcp_printer(fake)), log);
  ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));
  // The roll ends a few centimetres into the ticket.
  fake.run_out_of_paper_after(3000);
  ASSERT_TRUE(kiosk.service.press("B", "cao-tuoi", text::language::vi).accepted());
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::print_failed));
  EXPECT_EQ(kiosk.service.state().phase, service_phase::waiting_for_printer);
  // Meanwhile no other number is issued.
  const auto refused = kiosk.service.press("A", "", text::language::vi);
  EXPECT_FALSE(refused.accepted());
  EXPECT_EQ(refused.refusal.vi, "Máy in hết giấy");
  // A new roll.
  fake.run_out_of_paper_after(SIZE_MAX);
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed));

  const auto reports = log.reports();
  const auto& failed = reports.front();
  const auto& printed = reports.back();
  EXPECT_TRUE(printed.reprinted);
  EXPECT_EQ(printed.ticket->number(), failed.ticket->number());
  EXPECT_EQ(printed.status_url, failed.status_url);
  const auto issued = tickets_from(server.port(), kiosk_device);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].number(), printed.ticket->number());
  // The printer got the partial ticket, and the whole one last (its
  // connection is recorded once the kiosk closes it).
  const auto deadline = std::chrono::steady_clock::now() + wait_limit;
  auto connections = fake.connections(1, 1s);
  while (jobs_with_ticket({connections.back()}) != 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    connections = fake.connections(1, 1s);
  }
  EXPECT_GE(connections.size(), 3u);
  EXPECT_EQ(jobs_with_ticket({connections.back()}), 1u);
}

// Writes what a kiosk killed at the wrong moment leaves on disk.
void leave_press(const std::filesystem::path& state, const std::string& category,
                 const std::string& key, std::optional<v1::Ticket> ticket,
                 std::chrono::system_clock::duration age = 5s) {
  pending_press press;
  press.request.set_category(category);
  press.request.set_client_key(key);
  press.pressed_at = std::chrono::system_clock::now() - age;
  press.ticket = std::move(ticket);
  press_journal(state).save(press);
}

TEST(KioskService, AfterARestartAPressWhoseReplyWasLostGetsTheSameNumber) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  // The server issued the kiosk's ticket; the kiosk died before the reply
  // came. (Keys belong to their issuer: the kiosk's device takes it.)
  const auto key = new_client_key();
  luot::testing::protocol_probe before(server.port(), "luot.v1.proto");
  ASSERT_TRUE(
      before.request(luot::testing::hello_message(luot::testing::kiosk_token)).has_welcome());
  v1::ClientMessage take;
  take.set_request_id(1);
  take.mutable_command()->mutable_take_ticket()->set_category("A");
  take.mutable_command()->mutable_take_ticket()->set_client_key(key);
  const auto answer = before.request(take);
  ASSERT_TRUE(answer.has_result()) << answer.DebugString();
  const auto issued = answer.result().ticket();
  leave_press(dir.path() / "state", "A", key, std::nullopt);

  const auto printed = dir.path() / "printed.bin";
  report_log log;
  running_kiosk kiosk(fast_options(server.port(), dir.path() / "state", "file:" + printed.string()),
                      log);
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed));
  const auto report = log.reports().front();
  EXPECT_EQ(report.press_id, 0u);
  EXPECT_EQ(report.ticket->number(), issued.number());
  EXPECT_EQ(report.ticket->id(), issued.id());
  EXPECT_EQ(luot::testing::snapshot(server.port()).tickets_size(), 1);
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 1u);
  EXPECT_FALSE(press_journal(dir.path() / "state").load());
}

TEST(KioskService, AfterARestartAnUnprintedTicketIsPrintedWithoutAskingAgain) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto key = new_client_key();
  const auto issued = take_ticket(server.port(), "B", key);
  leave_press(dir.path() / "state", "B", key, issued);

  const auto printed = dir.path() / "printed.bin";
  report_log log;
  running_kiosk kiosk(fast_options(server.port(), dir.path() / "state", "file:" + printed.string()),
                      log);
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed));
  EXPECT_EQ(log.reports().front().ticket->number(), issued.number());
  const auto on_paper = read_printed(printed, dir.path() / "jobs");
  ASSERT_EQ(on_paper.size(), 1u);
  EXPECT_EQ(on_paper[0].qr_text, log.reports().front().status_url);
  EXPECT_EQ(luot::testing::snapshot(server.port()).tickets_size(), 1);
}

TEST(KioskService, APressLeftLongAgoIsDroppedNotResent) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  leave_press(dir.path() / "state", "A", new_client_key(), std::nullopt, std::chrono::hours(3));
  report_log log;
  running_kiosk kiosk(
      fast_options(server.port(), dir.path() / "state", "file:" + (dir.path() / "p.bin").string()),
      log);
  ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));
  // It can take a number now, and that is the only number of the day.
  ASSERT_TRUE(kiosk.service.press("A", "", text::language::vi).accepted());
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed));
  EXPECT_EQ(log.reports().size(), 1u);
  EXPECT_EQ(luot::testing::snapshot(server.port()).tickets_size(), 1);
}

TEST(KioskService, ALostReplyIsRetriedWithTheSameKey) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  luot::testing::tcp_relay relay(server.port());
  const auto printed = dir.path() / "printed.bin";
  report_log log;
  auto options = fast_options(relay.port(), dir.path() / "state", "file:" + printed.string());
  options.public_url = "http://127.0.0.1:" + std::to_string(server.port());
  running_kiosk kiosk(options, log);
  ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));

  // The request is held on its way; the kiosk waits, then says so plainly.
  relay.freeze();
  ASSERT_TRUE(kiosk.service.press("A", "", text::language::vi).accepted());
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::server_silent));
  EXPECT_EQ(log.reports().front().reason.vi,
            "Hệ thống chưa trả lời. Phiếu sẽ được in ngay khi có kết nối trở lại.");
  EXPECT_EQ(kiosk.service.state().phase, service_phase::waiting_for_server);
  EXPECT_FALSE(kiosk.service.press("B", "", text::language::vi).accepted());

  // Everything held goes through: the first request and the retries, all
  // with one key.
  relay.thaw();
  ASSERT_TRUE(log.wait_for_outcome(press_outcome::printed));
  const auto issued = tickets_from(server.port(), kiosk_device);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(log.reports().back().ticket->number(), issued[0].number());
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 1u);
}

TEST(KioskService, RefusesAClosedCategoryWithTheServersReason) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  report_log log;
  running_kiosk kiosk(
      fast_options(server.port(), dir.path() / "state", "file:" + (dir.path() / "p.bin").string()),
      log);
  ASSERT_TRUE(kiosk.service.wait_for_view(wait_limit));
  const auto manager = luot::testing::sign_in(server.port(), "hoa", "");
  const auto closed = luot::testing::http_call(server.port(), "POST", "/api/v1/categories/B/close",
                                               R"({"note":"Cán bộ đi tập huấn"})", manager);
  ASSERT_EQ(closed.status, 200u) << closed.body;
  const auto deadline = std::chrono::steady_clock::now() + wait_limit;
  while (kiosk.service.view().categories(1).status() != v1::CATEGORY_STATUS_CLOSED_MANUALLY) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(10ms);
  }
  const auto refused = kiosk.service.press("B", "", text::language::vi);
  EXPECT_FALSE(refused.accepted());
  EXPECT_EQ(refused.refusal.vi, "Tạm ngừng: Cán bộ đi tập huấn");
  const auto unknown = kiosk.service.press("Z", "", text::language::vi);
  EXPECT_EQ(unknown.refusal.vi, "Không có lĩnh vực \"Z\".");
  const auto unknown_class = kiosk.service.press("A", "vip", text::language::en);
  EXPECT_EQ(unknown_class.refusal.en, "There is no priority group \"vip\".");
  EXPECT_TRUE(tickets_from(server.port(), kiosk_device).empty());
}

TEST(KioskService, OfflineMeansNoNumber) {
  temp_dir dir;
  report_log log;
  running_kiosk kiosk(fast_options(printer::testing::closed_port(), dir.path() / "state",
                                   "file:" + (dir.path() / "p.bin").string()),
                      log);
  const auto refused = kiosk.service.press("A", "", text::language::vi);
  EXPECT_FALSE(refused.accepted());
  EXPECT_EQ(refused.refusal.vi, "Mất kết nối với hệ thống, tạm thời không cấp số");
  // Nothing was printed (the printer may have been opened to ask its state).
  const auto printed = dir.path() / "p.bin";
  EXPECT_TRUE(!std::filesystem::exists(printed) || std::filesystem::file_size(printed) == 0);
}

}  // namespace
}  // namespace luot::kiosk::testing
