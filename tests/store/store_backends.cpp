#include "store_backends.hpp"

#include <sqlite3.h>

#include "postgres_instance.hpp"
#include "store/store_factory.hpp"
#include "store_test_support.hpp"

namespace luot::store::testing {

namespace {

class sqlite_database final : public test_database {
 public:
  std::string database() const override { return directory_.file("luot.db").string(); }
  std::string location() const override { return database(); }

  std::string sql(const std::string& statement) override {
    sqlite3* raw = nullptr;
    std::string value;
    if (sqlite3_open(database().c_str(), &raw) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << database() << ": " << sqlite3_errmsg(raw);
    } else {
      sqlite3_stmt* prepared = nullptr;
      if (sqlite3_prepare_v2(raw, statement.c_str(), -1, &prepared, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << statement << ": " << sqlite3_errmsg(raw);
      } else {
        const int stepped = sqlite3_step(prepared);
        if (stepped == SQLITE_ROW) {
          const auto* text = sqlite3_column_text(prepared, 0);
          value = text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
        } else if (stepped != SQLITE_DONE) {
          ADD_FAILURE() << statement << ": " << sqlite3_errmsg(raw);
        }
      }
      sqlite3_finalize(prepared);
    }
    sqlite3_close(raw);
    return value;
  }

 private:
  temporary_directory directory_;
};

class postgres_database final : public test_database {
 public:
  std::string database() const override { return schema_.url; }
  std::string location() const override { return database(); }
  std::string sql(const std::string& statement) override { return schema_.value(statement); }

 private:
  postgres_schema schema_ = fresh_postgres_schema();
};

}  // namespace

std::unique_ptr<event_store> test_database::open() const {
  return open_store(database());
}

std::unique_ptr<test_database> make_test_database(backend kind) {
  if (kind == backend::postgresql) return std::make_unique<postgres_database>();
  return std::make_unique<sqlite_database>();
}

std::vector<std::vector<std::string>> postgres_schema::rows(const std::string& sql) const {
  return luot::testing::shared_postgres().rows(database,
                                               "SET search_path TO " + schema + "; " + sql);
}

std::string postgres_schema::value(const std::string& sql) const {
  const auto table = rows(sql);
  return table.empty() || table.front().empty() ? "" : table.front().front();
}

postgres_schema fresh_postgres_schema(const std::string& owner, const std::string& password) {
  auto& server = luot::testing::shared_postgres();
  static const std::string database = server.create_database("stores");
  static int schemas = 0;
  postgres_schema created;
  created.database = database;
  created.schema = "test_" + std::to_string(++schemas);
  server.rows(database, "CREATE SCHEMA " + created.schema + " AUTHORIZATION " + owner);
  created.url =
      with_setting(server.url(database, owner, password), "search_path=" + created.schema);
  return created;
}

std::string with_setting(const std::string& url, const std::string& setting) {
  // libpq's options parameter: "-c name=value", percent-encoded.
  std::string encoded = "-c%20";
  for (const char character : setting) {
    encoded += character == '=' ? std::string("%3D") : std::string(1, character);
  }
  const auto options = url.find("options=");
  if (options == std::string::npos) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=" + encoded;
  }
  return url.substr(0, options + 8) + encoded + "%20" + url.substr(options + 8);
}

std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::postgresql ? "PostgreSQL" : "SQLite";
}

void PrintTo(backend kind, std::ostream* out) {
  *out << (kind == backend::postgresql ? "PostgreSQL" : "SQLite");
}

}  // namespace luot::store::testing
