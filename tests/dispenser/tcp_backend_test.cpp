#include "printer/tcp_backend.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "fake_printer.hpp"
#include "printer/ticket_encoding.hpp"
#include "printer/ticket_printer.hpp"
#include "sample_ticket.hpp"

namespace luot::printer {
namespace {

using namespace std::chrono_literals;
using testing::fake_network_printer;

printer_spec local_printer(std::uint16_t port) {
  return printer_spec{printer_kind::tcp, "", "127.0.0.1", port};
}

backend_timeouts short_timeouts() {
  backend_timeouts timeouts;
  timeouts.connect = 1000ms;
  timeouts.answer = 200ms;
  timeouts.write = 2000ms;
  return timeouts;
}

// The four DLE EOT queries, as sent before and after each job.
std::vector<std::uint8_t> status_queries() {
  std::vector<std::uint8_t> bytes;
  for (const auto query : all_status_queries) {
    const auto command = status_query_bytes(query);
    bytes.insert(bytes.end(), command.begin(), command.end());
  }
  return bytes;
}

TEST(TcpBackend, StatusAnswersBecomeTheStatus) {
  struct state_case {
    const char* name;
    testing::status_answers answers;
    printer_status expected;
  };
  const std::vector<state_case> cases = {
      {"ready", testing::printer_ready, printer_status::ready},
      {"paper out", testing::printer_paper_out, printer_status::paper_out},
      {"cover open", testing::printer_cover_open, printer_status::cover_open},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    fake_network_printer printer({test.answers});
    tcp_backend backend(local_printer(printer.port()), short_timeouts());
    ASSERT_TRUE(backend.open().ok());
    const auto reading = backend.query_status();
    EXPECT_EQ(reading.status, test.expected) << reading.detail;
    backend.close();
    const auto connections = printer.connections(1, 2s);
    ASSERT_EQ(connections.size(), 1u);
    EXPECT_EQ(connections[0], status_queries());
  }
}

TEST(TcpBackend, RefusedConnectionIsOffline) {
  tcp_backend backend(local_printer(testing::closed_port()), short_timeouts());
  const auto opened = backend.open();
  EXPECT_EQ(opened.outcome, io_outcome::unreachable);
  EXPECT_NE(opened.detail.find("refused"), std::string::npos) << opened.detail;
}

TEST(TcpBackend, PrinterThatNeverAnswersIsOffline) {
  fake_network_printer printer({testing::printer_ready}, fake_network_printer::answering::silent);
  tcp_backend backend(local_printer(printer.port()), short_timeouts());
  ASSERT_TRUE(backend.open().ok());
  const auto reading = backend.query_status();
  EXPECT_EQ(reading.status, printer_status::offline);
  EXPECT_NE(reading.detail.find("no answer"), std::string::npos) << reading.detail;
}

TEST(TicketPrinterOverTcp, RefusesWhilePaperIsOutThenPrintsTheSameTicket) {
  fake_network_printer printer({testing::printer_paper_out, testing::printer_ready});
  ticket_printer tickets(
      std::make_unique<tcp_backend>(local_printer(printer.port()), short_timeouts()));
  const auto content = testing::sample_ticket();

  const auto refused = tickets.print(content);
  EXPECT_EQ(refused.outcome, print_outcome::paper_out) << refused.detail;
  EXPECT_EQ(refused.message(text::language::vi), "Máy in hết giấy");

  const auto printed = tickets.print(content);
  EXPECT_EQ(printed.outcome, print_outcome::printed) << printed.detail;
  EXPECT_EQ(printed.status, printer_status::ready);

  const auto connections = printer.connections(2, 5s);
  ASSERT_EQ(connections.size(), 2u);
  // Out of paper: the printer was only asked, and got no job.
  EXPECT_EQ(connections[0], status_queries());
  // Then: asked, the whole job, asked again.
  std::vector<std::uint8_t> expected = status_queries();
  const auto job = encode_ticket(tickets.layout().draw(content));
  expected.insert(expected.end(), job.begin(), job.end());
  const auto after = status_queries();
  expected.insert(expected.end(), after.begin(), after.end());
  EXPECT_EQ(connections[1].size(), expected.size());
  EXPECT_TRUE(connections[1] == expected);
}

TEST(TicketPrinterOverTcp, PaperRunningOutDuringTheJobAsksForAReprint) {
  fake_network_printer printer({testing::printer_ready});
  ticket_printer tickets(
      std::make_unique<tcp_backend>(local_printer(printer.port()), short_timeouts()));
  const auto content = testing::sample_ticket();
  const auto job = encode_ticket(tickets.layout().draw(content));
  // The roll ends halfway through the raster.
  printer.run_out_of_paper_after(job.size() / 2);
  const auto report = tickets.print(content);
  EXPECT_EQ(report.outcome, print_outcome::paper_out) << report.detail;
  EXPECT_NE(report.detail.find("after printing"), std::string::npos) << report.detail;
  const auto connections = printer.connections(1, 5s);
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_GT(connections[0].size(), job.size());
}

TEST(TicketPrinterOverTcp, UnreachablePrinterIsOfflineAndPrintsNothing) {
  ticket_printer tickets(
      std::make_unique<tcp_backend>(local_printer(testing::closed_port()), short_timeouts()));
  const auto report = tickets.print(testing::sample_ticket());
  EXPECT_EQ(report.outcome, print_outcome::offline);
  EXPECT_EQ(report.message(text::language::vi), "Không kết nối được máy in");
  EXPECT_EQ(tickets.check().status, printer_status::offline);
}

}  // namespace
}  // namespace luot::printer
