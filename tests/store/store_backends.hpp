#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/event_store.hpp"

namespace luot::store::testing {

// The stores the conformance suite runs against.
enum class backend { sqlite, postgresql };

// How GoogleTest shows a parameter: "SQLite" / "PostgreSQL".
void PrintTo(backend kind, std::ostream* out);

// One test's own, empty database on one kind of store.
class test_database {
 public:
  virtual ~test_database() = default;
  // The --database value: a file path or a postgresql:// URL.
  virtual std::string database() const = 0;
  // How the store's error messages name it.
  virtual std::string location() const = 0;
  // Runs SQL on the database from outside any store, as an operator's
  // shell would (the tables are events and snapshots in both stores).
  // Returns the first column of the first row, or "".
  virtual std::string sql(const std::string& statement) = 0;

  // A new store object on this database through open_store (several may
  // be open at once, like two servers).
  std::unique_ptr<event_store> open() const;
};

std::unique_ptr<test_database> make_test_database(backend kind);

// A fresh schema in the PostgreSQL test database every test of the program
// shares, with a URL whose search_path is that schema: the store then
// keeps its tables there. A schema costs a few files where a database
// costs hundreds, and a crash test's restart fsyncs every one of them.
struct postgres_schema {
  std::string database;
  std::string schema;
  std::string url;

  // Runs SQL in the schema from outside any store (see
  // postgres_instance::rows).
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;
  std::string value(const std::string& sql) const;
};
postgres_schema fresh_postgres_schema(const std::string& owner = "postgres",
                                      const std::string& password = {});

// `url` with a server setting for its sessions ("synchronous_commit=off").
std::string with_setting(const std::string& url, const std::string& setting);

// "SQLite" / "PostgreSQL", for test names.
std::string backend_name(const ::testing::TestParamInfo<backend>& info);

// A test that runs once per store, each time on a fresh database.
class store_test : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override { database_ = make_test_database(GetParam()); }

  std::unique_ptr<event_store> open() const { return database_->open(); }
  test_database& database() { return *database_; }

 private:
  std::unique_ptr<test_database> database_;
};

}  // namespace luot::store::testing

// Runs every TEST_P of `suite` (a subclass of store_test) on both stores.
#define LUOT_INSTANTIATE_FOR_EVERY_STORE(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(Stores, suite,                                                  \
                           ::testing::Values(::luot::store::testing::backend::sqlite,      \
                                             ::luot::store::testing::backend::postgresql), \
                           ::luot::store::testing::backend_name)
