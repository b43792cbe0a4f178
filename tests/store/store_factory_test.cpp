#include "store/store_factory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace luot::store {
namespace {

TEST(StoreFactory, PicksTheStoreByTheUrlScheme) {
  struct example {
    const char* database;
    store_kind kind;
  };
  const std::vector<example> examples{
      {"postgresql://luot@db.example/luot", store_kind::postgresql},
      {"postgres://luot@db.example/luot", store_kind::postgresql},
      {"postgresql:///luot?host=/run/postgresql", store_kind::postgresql},
      {"/var/lib/luot/luot.db", store_kind::sqlite},
      {"luot.db", store_kind::sqlite},
      // Not a URL libpq accepts: a (strangely named) file.
      {"postgresql:luot", store_kind::sqlite},
      {"./postgresql://luot", store_kind::sqlite},
  };
  for (const auto& [database, kind] : examples) {
    SCOPED_TRACE(database);
    EXPECT_EQ(store_kind_of(database), kind);
  }
}

TEST(StoreFactory, OpensAFilePathAsSqlite) {
  const testing::temporary_directory directory;
  const auto store = open_store(directory.file("luot.db").string());
  EXPECT_NE(dynamic_cast<sqlite_store*>(store.get()), nullptr);
  EXPECT_TRUE(std::filesystem::exists(directory.file("luot.db")));
}

TEST(StoreFactory, OnlyPostgresqlIsSharedByInstancesAndWatched) {
  EXPECT_EQ(writers_of("postgresql://luot@db.example/luot"), writers::shared);
  EXPECT_EQ(writers_of("/var/lib/luot/luot.db"), writers::single);
  // A SQLite file has the server as its one writer: nothing to watch.
  const testing::temporary_directory directory;
  EXPECT_EQ(open_append_watch(directory.file("luot.db").string()), nullptr);
}

TEST(StoreFactory, PrintsADatabaseWithItsPasswordHidden) {
  struct example {
    const char* database;
    const char* printed;
  };
  const std::vector<example> examples{
      {"postgresql://luot:secret@db.example:5432/luot",
       "postgresql://luot:***@db.example:5432/luot"},
      {"postgres://luot:p%40ss@db/luot?sslmode=require",
       "postgres://luot:***@db/luot?sslmode=require"},
      {"postgresql://luot@db/luot?password=secret&sslmode=require",
       "postgresql://luot@db/luot?password=***&sslmode=require"},
      {"postgresql://luot:pa/ss@db/luot", "postgresql://luot:***@db/luot"},
      {"postgresql://luot:@db/luot", "postgresql://luot:***@db/luot"},
      {"postgresql://luot@db/luot", "postgresql://luot@db/luot"},
      {"postgresql:///luot?host=/run/postgresql", "postgresql:///luot?host=/run/postgresql"},
      {"/var/lib/luot/luot:secret@.db", "/var/lib/luot/luot:secret@.db"},
  };
  for (const auto& [database, printed] : examples) {
    SCOPED_TRACE(database);
    EXPECT_EQ(printable_database(database), printed);
  }
}

}  // namespace
}  // namespace luot::store
