// The real luot-server program on PostgreSQL: started with --database
// postgresql://..., it hands out tickets over HTTP, and after a SIGKILL and
// after a clean stop it comes back with every ticket, every call and its
// numbering where they were.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "postgres_instance.hpp"
#include "server_process.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

v1::Ticket follow(std::uint16_t port, const v1::Ticket& ticket) {
  const auto reply = http_call(port, "GET", "/api/v1/tickets/" + ticket.status_token());
  EXPECT_EQ(reply.status, 200u) << reply.body;
  return parse<v1::Ticket>(reply.body);
}

TEST(PostgresServer, KeepsTicketsCallsAndNumberingAcrossRestarts) {
  auto& postgres = shared_postgres();
  const auto database = postgres.create_database("server");
  const temp_dir directory;
  server_process server(directory.path(), test_centre_toml(), postgres.url(database));

  server.start();
  const auto first = take_ticket(server.port(), "A");
  const auto second = take_ticket(server.port(), "A");
  const auto merit = take_ticket(server.port(), "B");
  EXPECT_EQ(first.number(), "A001");
  EXPECT_EQ(second.number(), "A002");
  EXPECT_EQ(merit.number(), "B001");
  const auto called =
      counter_action(server.port(), sign_in(server.port(), "lan", "1"), "1", "call-next");
  ASSERT_EQ(called.ticket().id(), first.id());

  // Killed: only what PostgreSQL committed can come back, and it all must.
  server.kill();
  server.start();
  EXPECT_EQ(follow(server.port(), first).state(), v1::TICKET_STATE_CALLED) << server.log();
  EXPECT_EQ(follow(server.port(), first).counter(), "1");
  EXPECT_EQ(follow(server.port(), second).state(), v1::TICKET_STATE_WAITING);
  EXPECT_EQ(follow(server.port(), merit).number(), "B001");
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A003");

  // Stopped cleanly.
  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  EXPECT_EQ(take_ticket(server.port(), "B").number(), "B002");
  const auto officer = sign_in(server.port(), "lan", "1");
  counter_action(server.port(), officer, "1", "finish", R"({"outcome":"done"})");
  const auto then = counter_action(server.port(), officer, "1", "call-next");
  EXPECT_EQ(then.ticket().id(), second.id()) << "the queue did not go on where it was";

  // The log is in PostgreSQL, one seq after another.
  const auto count_and_last =
      postgres.rows(database, "SELECT count(*), max(seq), min(seq) FROM events");
  ASSERT_EQ(count_and_last.size(), 1U);
  EXPECT_EQ(count_and_last[0][0], count_and_last[0][1]);
  EXPECT_EQ(count_and_last[0][2], "1");
  EXPECT_EQ(postgres.value(database, "SELECT count(*) FROM events WHERE kind = 'ticket_issued'"),
            "5");
  EXPECT_EQ(postgres.value(database, "SELECT count(*) FROM events WHERE kind = 'ticket_called'"),
            "2");
}

}  // namespace
}  // namespace luot::testing
