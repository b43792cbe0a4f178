#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/append_watch.hpp"
#include "store/event_store.hpp"
#include "store/log_reader.hpp"

namespace luot::store {

// Which store a --database value names.
enum class store_kind { sqlite, postgresql };

// A postgresql:// or postgres:// URL names PostgreSQL; anything else is the
// path of a SQLite file.
store_kind store_kind_of(std::string_view database);

// Opens the event log `database` names (see store_kind_of), creating and
// migrating it as needed. Throws store_error naming it (a URL's password
// hidden) and the reason. `centre` picks the centre's log in a database
// that holds several (PostgreSQL); a SQLite file holds one centre.
std::unique_ptr<event_store> open_store(const std::string& database,
                                        const std::string& centre = {});

// Whether other processes may append to the log `database` names while
// this server runs: several luot-server instances share a PostgreSQL
// database; a SQLite file has the server as its only writer.
enum class writers { single, shared };
writers writers_of(std::string_view database);

// Opens a read-only view of the log for reports, next to the store.
std::unique_ptr<log_reader> open_log_reader(const std::string& database,
                                            const std::string& centre = {});

// `database` as a log line may show it: a URL with its password hidden.
std::string printable_database(const std::string& database);

}  // namespace luot::store
