// What only the PostgreSQL store has: a schema with versioned migrations in
// a shared server, per-centre logs, a session that must commit durably, a
// connection that can drop, a server that can crash, and a URL with a
// password. The contract both stores share is in store_conformance_test.cpp.

#include "store/postgres_store.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "postgres_instance.hpp"
#include "store/store_factory.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace luot::store {
namespace {

using namespace std::chrono_literals;
using luot::testing::postgres_instance;
using luot::testing::shared_postgres;
using testing::iota_seqs;
using testing::issued;
using testing::issued_range;
using testing::read_all;
using testing::seqs_of;

// Each test gets a schema of its own on the program's one server.
class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override { schema_ = testing::fresh_postgres_schema(); }

  static postgres_instance& server() { return shared_postgres(); }
  std::string url() const { return schema_.url; }
  std::string value(const std::string& sql) { return schema_.value(sql); }
  std::vector<std::vector<std::string>> rows(const std::string& sql) { return schema_.rows(sql); }

  // The message of the store_error opening `url` throws.
  static std::string open_error(const std::string& url) {
    try {
      open_store(url);
    } catch (const store_error& failure) {
      return failure.what();
    }
    ADD_FAILURE() << "opening " << url << " succeeded";
    return "";
  }

  testing::postgres_schema schema_;
};

TEST_F(PostgresStore, TheFactoryPicksItByTheUrlScheme) {
  EXPECT_NE(dynamic_cast<postgres_store*>(open_store(url()).get()), nullptr);
  const std::string other_scheme =
      "postgres://" + url().substr(std::string("postgresql://").size());
  EXPECT_NE(dynamic_cast<postgres_store*>(open_store(other_scheme).get()), nullptr);
}

TEST_F(PostgresStore, AnEmptyDatabaseGetsTheCurrentSchema) {
  postgres_store store(url());
  EXPECT_GE(postgres_schema_version(), 1U);
  EXPECT_EQ(store.schema_version(), postgres_schema_version());
  EXPECT_EQ(value("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version"),
            [] {
              std::string versions;
              for (std::uint32_t version = 1; version <= postgres_schema_version(); ++version) {
                versions += (version == 1 ? "" : ",") + std::to_string(version);
              }
              return versions;
            }());
  EXPECT_EQ(value("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                  "WHERE schemaname = current_schema()"),
            "events,schema_version,snapshots,staff_sessions");
  // The database itself refuses a second event with the same (centre, seq).
  EXPECT_EQ(value("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                  "WHERE conname = 'events_seq_once_per_centre' "
                  "AND connamespace = current_schema()::regnamespace"),
            "PRIMARY KEY (centre, seq)");
}

// Every older schema (0: an empty database) is brought to the current one
// on open, keeping what it holds.
TEST_F(PostgresStore, MigratesFromEveryOlderVersionOnOpen) {
  for (std::uint32_t version = 0; version < postgres_schema_version(); ++version) {
    SCOPED_TRACE("from version " + std::to_string(version));
    SetUp();
    migrate_postgres(url(), version);
    const auto before = version == 0 ? "0" : value("SELECT max(version) FROM schema_version");
    EXPECT_EQ(before, std::to_string(version));
    postgres_store store(url());
    EXPECT_EQ(store.schema_version(), postgres_schema_version());
    store.append(issued_range(1, 3));
    EXPECT_EQ(store.last_seq(), 3U);
  }
}

TEST_F(PostgresStore, ReopeningACurrentDatabaseChangesNothing) {
  {
    postgres_store store(url());
    store.append(issued_range(1, 4));
  }
  const auto schema_query =
      "SELECT version, description, applied_at FROM schema_version ORDER BY version";
  const auto before = rows(schema_query);
  postgres_store store(url());
  EXPECT_EQ(store.last_seq(), 4U);
  EXPECT_EQ(rows(schema_query), before);
}

TEST_F(PostgresStore, RefusesADatabaseFromANewerVersion) {
  {
    postgres_store store(url());
    store.append(issued_range(1, 1));
  }
  const auto future = std::to_string(postgres_schema_version() + 1);
  value("INSERT INTO schema_version (version, description) VALUES (" + future + ", 'future')");
  const std::string message = open_error(url());
  EXPECT_NE(message.find(url()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version " + future + " is newer"), std::string::npos) << message;
  EXPECT_EQ(value("SELECT max(version) FROM schema_version"), future);
  EXPECT_EQ(value("SELECT count(*) FROM events"), "1");
}

TEST_F(PostgresStore, RefusesADatabaseWhoseTablesAreSomeoneElses) {
  value("CREATE TABLE events (id serial, what text); INSERT INTO events (what) VALUES ('phở')");
  const std::string message = open_error(url());
  EXPECT_NE(message.find("not a Luot event log"), std::string::npos) << message;
  // Nothing was created or changed.
  EXPECT_EQ(value("SELECT to_regclass('schema_version') IS NULL"), "t");
  EXPECT_EQ(value("SELECT what FROM events"), "phở");
}

TEST_F(PostgresStore, FillsReportColumnsFromTheEvent) {
  auto called = issued(2);
  called.set_actor("officer.lan");
  called.mutable_ticket_called()->set_ticket_id("t1");
  called.mutable_ticket_called()->set_counter("Q1");
  postgres_store(url()).append(std::vector{issued(1), called});
  const std::vector<std::vector<std::string>> expected{
      {"", "1", "2026-03-05", std::to_string(testing::morning_ms + 1000), "ticket_issued",
       "kiosk-1"},
      {"", "2", "2026-03-05", std::to_string(testing::morning_ms + 2000), "ticket_called",
       "officer.lan"},
  };
  EXPECT_EQ(rows("SELECT centre, seq, service_day, (extract(epoch FROM at) * 1000)::bigint, "
                 "kind, actor FROM events ORDER BY seq"),
            expected);
  EXPECT_EQ(value("SELECT indexdef FROM pg_indexes WHERE indexname = 'events_by_day_and_kind' "
                  "AND schemaname = current_schema()"),
            "CREATE INDEX events_by_day_and_kind ON " + schema_.schema +
                ".events USING btree (centre, service_day, kind)");
}

TEST_F(PostgresStore, EachCentreHasItsOwnLogAndSeq) {
  postgres_store hanoi(url(), "hanoi");
  postgres_store hue(url(), "hue");
  hanoi.append(issued_range(1, 3));
  hue.append(issued_range(1, 2));
  EXPECT_EQ(hanoi.last_seq(), 3U);
  EXPECT_EQ(hue.last_seq(), 2U);
  EXPECT_EQ(seqs_of(read_all(hue)), iota_seqs(1, 2));
  EXPECT_THROW(hue.append(issued_range(2, 2)), seq_conflict);
  v1::Snapshot snapshot;
  snapshot.set_seq(3);
  hanoi.save_snapshot(snapshot);
  EXPECT_FALSE(hue.latest_snapshot().has_value());
  EXPECT_EQ(value("SELECT string_agg(centre || ':' || seq, ',' ORDER BY centre, seq) FROM events"),
            "hanoi:1,hanoi:2,hanoi:3,hue:1,hue:2");
}

// A session set to commit without waiting for the disk (by the URL, the
// role or the database) would acknowledge events a crash loses: the
// store's sessions never do that.
TEST_F(PostgresStore, CommitsDurablyWhateverItIsTold) {
  postgres_store store(testing::with_setting(url(), "synchronous_commit=off"));
  EXPECT_EQ(store.setting("synchronous_commit"), "on");
  EXPECT_EQ(store.setting("fsync"), "on");
  store.append(issued_range(1, 1));
  EXPECT_EQ(value("SELECT count(*) FROM events"), "1");
}

TEST_F(PostgresStore, ReconnectsWhenTheConnectionIsCut) {
  postgres_store store(url());
  store.append(issued_range(1, 2));
  const auto cut = [&] {
    value(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  };
  cut();
  EXPECT_TRUE(store.ready());
  store.append(issued_range(3, 3));
  cut();
  // Reads and appends after a cut reconnect by themselves too.
  EXPECT_EQ(store.last_seq(), 3U);
  cut();
  store.append(issued_range(4, 4));
  EXPECT_EQ(seqs_of(read_all(store)), iota_seqs(1, 4));
}

TEST_F(PostgresStore, IsNotReadyWhileTheServerIsDown) {
  postgres_store store(url());
  ASSERT_TRUE(store.ready());
  server().kill();
  EXPECT_FALSE(store.ready());
  EXPECT_THROW(store.append(issued_range(1, 1)), store_error);
  server().start();
  EXPECT_TRUE(store.ready());
  store.append(issued_range(1, 1));
  EXPECT_EQ(store.last_seq(), 1U);
}

// The password in a URL never reaches a message: not when it is wrong, not
// when the database is missing, not when libpq quotes a malformed URL, and
// not in the errors of a store that opened fine.
TEST_F(PostgresStore, NeverShowsThePasswordOfItsUrl) {
  const std::string role = postgres_instance::password_role;
  const std::string password = "Mật khẩu/bí mật@9d4f";
  value("DO $$ BEGIN CREATE ROLE " + role +
        " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
  value("ALTER ROLE " + role + " PASSWORD '" + password + "'");
  const auto with_password = testing::fresh_postgres_schema(role, password).url;
  ASSERT_NE(with_password.find("M%E1%BA%ADt"), std::string::npos) << "the URL encodes it";
  const auto expect_hidden = [&](const std::string& text, const std::string& secret) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(text.find("9d4f"), std::string::npos) << text;
    EXPECT_EQ(text.find("zzz"), std::string::npos) << text;
  };

  // It opens, so the password is right and really used.
  postgres_store store(with_password);
  store.append(issued_range(1, 2));
  try {
    store.append(issued_range(5, 5));
    ADD_FAILURE() << "a gap was accepted";
  } catch (const store_error& failure) {
    expect_hidden(failure.what(), password);
    EXPECT_NE(std::string(failure.what()).find(role + ":***@"), std::string::npos)
        << failure.what();
  }
  EXPECT_EQ(printable_database(with_password).find("9d4f"), std::string::npos);

  const std::string wrong = server().url(schema_.database, role, "wrong-9d4f-password");
  const auto refused = open_error(wrong);
  EXPECT_NE(refused.find("password authentication failed"), std::string::npos) << refused;
  expect_hidden(refused, "wrong-9d4f-password");

  expect_hidden(open_error(server().url("no_such_database", role, password)), password);
  // libpq quotes a token it cannot percent-decode, password and all.
  const std::string malformed = "postgresql://" + role + ":zzz%G9d4f@/" + schema_.database +
                                "?host=" + server().directory().string();
  const auto garbled = open_error(malformed);
  EXPECT_NE(garbled.find("percent"), std::string::npos) << garbled;
  expect_hidden(garbled, "zzz%G9d4f");
  // A password given as a parameter is hidden too.
  const auto as_parameter =
      open_error("postgresql://" + role + "@/" + schema_.database +
                 "?host=" + server().directory().string() + "&password=wrong-9d4f-password");
  EXPECT_NE(as_parameter.find("password=***"), std::string::npos) << as_parameter;
  expect_hidden(as_parameter, "wrong-9d4f-password");
}

}  // namespace
}  // namespace luot::store

namespace luot::store {
namespace {

// How instances learn of each other's events: the events table's trigger
// notifies every LISTENing session once the append commits.
TEST_F(PostgresStore, AnAppendByAnotherSessionWakesTheWatch) {
  const auto watch = open_append_watch(url());
  ASSERT_NE(watch, nullptr);
  const auto writer = open_store(url());
  const std::vector<v1::Event> events{issued(1), issued(2)};
  writer->append(events);
  EXPECT_EQ(watch->wait(60s), watch_wake::appended);
  // wake() interrupts a wait from another thread.
  std::thread waker([&] { watch->wake(); });
  EXPECT_EQ(watch->wait(60s), watch_wake::woken);
  waker.join();
  // An append refused as a conflict writes nothing and notifies nothing; the
  // next real one does.
  EXPECT_THROW(writer->append(std::vector<v1::Event>{issued(2)}), seq_conflict);
  EXPECT_EQ(watch->wait(300ms), watch_wake::timed_out);
  writer->append(std::vector<v1::Event>{issued(3)});
  EXPECT_EQ(watch->wait(60s), watch_wake::appended);
}

// A writer that lost a conflict excludes the others while it decides again:
// their appends wait, then those that still continue the log go in.
TEST_F(PostgresStore, AnExcludingWriterHoldsOtherAppendsBackUntilItAdmitsThem) {
  const auto excluding = open_store(url());
  const auto other = open_store(url());
  excluding->exclude_writers();
  // Its own appends go on while it excludes.
  excluding->append(std::vector<v1::Event>{issued(1)});
  std::promise<void> appended;
  auto done = appended.get_future();
  std::thread waiting([&] {
    other->append(std::vector<v1::Event>{issued(2)});
    appended.set_value();
  });
  // The other append waits on the writers' lock (seen from outside).
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") !=
         "1") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(excluding->last_seq(), 1U);
  excluding->admit_writers();
  EXPECT_EQ(done.wait_for(60s), std::future_status::ready);
  waiting.join();
  EXPECT_EQ(seqs_of(read_all(*excluding)), iota_seqs(1, 2));
}

}  // namespace
}  // namespace luot::store
