// The two-centre flow on one PostgreSQL database (a private server the test
// starts itself): each centre's events are its own rows, with its own seq.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>

#include "app/server.hpp"
#include "config/settings.hpp"
#include "postgres_instance.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

std::string take_body(const std::string& category) {
  v1::TakeTicket take;
  take.set_category(category);
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(take, &out);
  return out;
}

TEST(TwoCentresOnPostgres, EachCentreKeepsItsOwnRowsAndSeqs) {
  auto& postgres = shared_postgres();
  const auto database = postgres.create_database("centres");
  temp_dir dir;
  const auto base = test_settings(dir.path() / "unused.db");
  config::deployment both;
  both.directory = true;
  both.server = base.server;
  both.server.database = postgres.url(database);
  for (const std::string id : {"a", "b"}) {
    config::centre_entry entry;
    entry.id = id;
    entry.centre = base.centre;
    both.centres.push_back(entry);
  }
  app::server server(both);
  server.start();
  const auto port = server.port();
  for (const auto* centre : {"a", "b", "a"}) {
    const auto reply = http_call(
        port, "POST", std::string("/api/v1/centres/") + centre + "/tickets", take_body("A"));
    ASSERT_EQ(reply.status, 201u) << reply.body;
  }
  EXPECT_EQ(
      parse<v1::Ticket>(http_call(port, "POST", "/api/v1/centres/b/tickets", take_body("A")).body)
          .number(),
      "A002");
  // Two logs in one table, each from seq 1 without gaps.
  EXPECT_EQ(postgres.value(database, "SELECT count(DISTINCT centre) FROM events"), "2");
  for (const std::string id : {"a", "b"}) {
    EXPECT_EQ(postgres.value(database, "SELECT min(seq) FROM events WHERE centre = '" + id + "'"),
              "1");
    EXPECT_EQ(postgres.value(database,
                             "SELECT max(seq) = count(*) FROM events WHERE centre = '" + id + "'"),
              "t");
    const auto view =
        parse<v1::View>(http_call(port, "GET", "/api/v1/centres/" + id + "/view").body);
    EXPECT_EQ(std::to_string(view.seq()),
              postgres.value(database, "SELECT max(seq) FROM events WHERE centre = '" + id + "'"));
  }
  EXPECT_EQ(postgres.value(database, "SELECT count(*) FROM events WHERE centre = ''"), "0");
  server.stop();
  // A restart reads each centre's log back: numbering goes on per centre.
  app::server again(both);
  again.start();
  EXPECT_EQ(parse<v1::Ticket>(
                http_call(again.port(), "POST", "/api/v1/centres/a/tickets", take_body("A")).body)
                .number(),
            "A003");
}

}  // namespace
}  // namespace luot::testing
