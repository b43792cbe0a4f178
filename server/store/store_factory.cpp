#include "store/store_factory.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace luot::store {

store_kind store_kind_of(std::string_view database) {
  // The two schemes libpq accepts; a connection string in key=value form
  // would be indistinguishable from a file name.
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (database.substr(0, scheme.size()) == scheme) return store_kind::postgresql;
  }
  return store_kind::sqlite;
}

std::unique_ptr<event_store> open_store(const std::string& database, const std::string& centre) {
  if (store_kind_of(database) == store_kind::postgresql)
    return open_postgres_store(database, centre);
  return open_sqlite_store(database);
}

writers writers_of(std::string_view database) {
  return store_kind_of(database) == store_kind::postgresql ? writers::shared : writers::single;
}

std::unique_ptr<append_watch> open_append_watch(const std::string& database,
                                                const std::string& centre) {
  if (store_kind_of(database) == store_kind::postgresql)
    return open_postgres_watch(database, centre);
  return nullptr;
}

std::unique_ptr<log_reader> open_log_reader(const std::string& database,
                                            const std::string& centre) {
  if (store_kind_of(database) == store_kind::postgresql)
    return open_postgres_reader(database, centre);
  return open_sqlite_reader(database);
}

std::string printable_database(const std::string& database) {
  if (store_kind_of(database) == store_kind::postgresql) return postgres_url(database).redacted();
  return database;
}

}  // namespace luot::store
