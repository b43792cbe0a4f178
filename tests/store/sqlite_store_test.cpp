// What only the SQLite store has: WAL mode and a file of its own. The
// event_store contract both stores share is in store_conformance_test.cpp.
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store_test_support.hpp"

namespace luot::store {
namespace {

using testing::issued;
using testing::issued_range;
using testing::temporary_directory;

// A second, independent connection: the tests inspect and tamper with the
// file the way an operator's sqlite3 shell would.
class raw_database {
 public:
  explicit raw_database(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &database_) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(database_);
    }
  }
  ~raw_database() { sqlite3_close(database_); }
  raw_database(const raw_database&) = delete;
  raw_database& operator=(const raw_database&) = delete;

  void execute(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(database_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (message != nullptr ? message : "?");
    }
    sqlite3_free(message);
  }

  // Every row of a query, each column as text.
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> result;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(database_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(database_);
      return result;
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int column = 0; column < sqlite3_column_count(statement); ++column) {
        const auto* text = sqlite3_column_text(statement, column);
        row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
      }
      result.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return result;
  }

  std::string value(const std::string& sql) {
    const auto result = rows(sql);
    return result.empty() || result.front().empty() ? "" : result.front().front();
  }

 private:
  sqlite3* database_ = nullptr;
};

// The message of the store_error `open` throws, or a failure when none is.
std::string open_error(const std::filesystem::path& path) {
  try {
    open_sqlite_store(path);
  } catch (const store_error& failure) {
    return failure.what();
  }
  ADD_FAILURE() << "opening " << path << " succeeded";
  return "";
}

TEST(SqliteStore, FillsReportColumnsFromTheEvent) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  auto called = issued(2);
  called.set_actor("officer.lan");
  called.mutable_ticket_called()->set_ticket_id("t1");
  called.mutable_ticket_called()->set_counter("Q1");
  {
    const auto store = open_sqlite_store(path);
    store->append(std::vector{issued(1), called});
  }
  raw_database raw(path);
  const auto rows =
      raw.rows("SELECT seq, service_day, at_ms, kind, actor FROM events ORDER BY seq");
  const std::vector<std::vector<std::string>> expected{
      {"1", "2026-03-05", std::to_string(testing::morning_ms + 1000), "ticket_issued", "kiosk-1"},
      {"2", "2026-03-05", std::to_string(testing::morning_ms + 2000), "ticket_called",
       "officer.lan"},
  };
  EXPECT_EQ(rows, expected);
  // Reports filter by day and kind without scanning the table.
  const auto plan = raw.rows(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM events "
      "WHERE service_day = '2026-03-05' AND kind = 'ticket_called'");
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan.front().back().find("USING COVERING INDEX"), std::string::npos)
      << plan.front().back();
}

TEST(SqliteStore, RunsInWalModeWithFullSync) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  sqlite_store store(path);
  EXPECT_EQ(store.journal_mode(), "wal");
  EXPECT_EQ(store.synchronous(), 2);  // FULL
  store.append(issued_range(1, 1));
  EXPECT_TRUE(std::filesystem::exists(path.string() + "-wal"));
  // WAL is recorded in the file itself, so every later opener uses it too.
  raw_database raw(path);
  EXPECT_EQ(raw.value("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, TheWalIsCheckpointedOffTheWriter) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  sqlite_store store(path);
  const auto before = std::filesystem::file_size(path);
  // One commit of 50,000 events puts thousands of pages into the WAL,
  // past the threshold; the commit returns without copying them, and the
  // checkpointer's own connection moves them into the database file.
  store.append(issued_range(1, 50000));
  for (int waited = 0; store.checkpointer().checkpoints() == 0 && waited < 3000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store.checkpointer().checkpoints(), 1u);
  EXPECT_EQ(store.checkpointer().failures(), 0u);
  EXPECT_GT(std::filesystem::file_size(path), before + 1'000'000);
  // The writer goes on appending after it, and everything reads back.
  store.append(issued_range(50001, 50001));
  EXPECT_EQ(store.last_seq(), 50001u);
  raw_database raw(path);
  EXPECT_EQ(raw.value("SELECT count(*) FROM events"), "50001");
}

TEST(SqliteStore, FreshFileGetsTheCurrentSchemaVersion) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  {
    sqlite_store store(path);
    EXPECT_GE(sqlite_schema_version(), 1U);
    EXPECT_EQ(store.user_version(), sqlite_schema_version());
  }
  raw_database raw(path);
  EXPECT_EQ(raw.value("PRAGMA user_version"), std::to_string(sqlite_schema_version()));
  EXPECT_EQ(raw.value("SELECT group_concat(name, ',') FROM "
                      "(SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)"),
            "events,snapshots");
}

TEST(SqliteStore, ReopeningACurrentFileChangesNothing) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  {
    const auto store = open_sqlite_store(path);
    store->append(issued_range(1, 4));
  }
  const auto schema_query = "SELECT type, name, sql FROM sqlite_schema ORDER BY name";
  std::vector<std::vector<std::string>> schema_before;
  {
    raw_database raw(path);
    schema_before = raw.rows(schema_query);
  }
  {
    sqlite_store store(path);
    EXPECT_EQ(store.user_version(), sqlite_schema_version());
    EXPECT_EQ(store.last_seq(), 4U);
  }
  raw_database raw(path);
  EXPECT_EQ(raw.rows(schema_query), schema_before);
  EXPECT_EQ(raw.value("SELECT count(*) FROM events"), "4");
}

TEST(SqliteStore, RefusesAFileFromANewerVersion) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  {
    const auto store = open_sqlite_store(path);
    store->append(issued_range(1, 1));
  }
  const auto future = std::to_string(sqlite_schema_version() + 1);
  {
    raw_database raw(path);
    raw.execute("PRAGMA user_version = " + future);
  }
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version " + future + " is newer"), std::string::npos) << message;
  // Refusing touched nothing: the newer build can still use its file.
  raw_database raw(path);
  EXPECT_EQ(raw.value("PRAGMA user_version"), future);
  EXPECT_EQ(raw.value("SELECT count(*) FROM events"), "1");
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  const temporary_directory directory;
  const auto path = directory.file("luot.db");
  {
    std::ofstream garbage(path, std::ios::binary);
    for (int line = 0; line < 200; ++line) {
      garbage << "Đây không phải là cơ sở dữ liệu. This is not a database.\n";
    }
  }
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("file is not a database"), std::string::npos) << message;
}

TEST(SqliteStore, RefusesSomeoneElsesSqliteDatabase) {
  const temporary_directory directory;
  const auto path = directory.file("other.db");
  {
    raw_database raw(path);
    raw.execute("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('phở')");
  }
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not a Luot event log"), std::string::npos) << message;
  raw_database raw(path);
  EXPECT_EQ(raw.value("SELECT count(*) FROM sqlite_schema WHERE name = 'events'"), "0");
}

TEST(SqliteStore, NamesAPathItCannotOpen) {
  const temporary_directory directory;
  const auto path = directory.file("missing-directory") / "luot.db";
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("unable to open database file"), std::string::npos) << message;
}

}  // namespace
}  // namespace luot::store
