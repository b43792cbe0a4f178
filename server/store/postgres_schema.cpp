// The PostgreSQL schema and its migrations.

#include <array>
#include <string>
#include <string_view>

#include "store/postgres_store.hpp"

namespace luot::store {

namespace {

// One step of the schema. Steps are only ever appended: step i takes a
// database from version i to i + 1, in the transaction that records it in
// schema_version.
struct migration {
  std::string_view description;
  const char* sql;
};

constexpr std::array migrations{
    migration{"event log and snapshots, per centre",
              R"sql(
CREATE TABLE events (
  -- The centre whose log this is; '' for a deployment of one centre.
  centre text NOT NULL DEFAULT '',
  seq bigint NOT NULL CHECK (seq > 0),
  service_day text NOT NULL,
  at timestamptz NOT NULL,
  -- Name of the Event.body oneof member, for people and reports.
  kind text NOT NULL,
  actor text NOT NULL,
  -- The serialized luot.v1.Event: the truth; the columns above are copies.
  body bytea NOT NULL,
  -- A seq is used once per centre, whoever appends it.
  CONSTRAINT events_seq_once_per_centre PRIMARY KEY (centre, seq)
);
-- Reports ask "what happened on these days", usually of one kind.
CREATE INDEX events_by_day_and_kind ON events (centre, service_day, kind);
CREATE TABLE snapshots (
  centre text NOT NULL DEFAULT '',
  seq bigint NOT NULL,
  taken_at timestamptz NOT NULL,
  -- The serialized luot.v1.Snapshot with internal visibility.
  body bytea NOT NULL,
  PRIMARY KEY (centre, seq)
);
)sql"},
    migration{"notify listeners of appended events",
              R"sql(
-- Every statement that appends events tells the sessions that LISTEN on
-- luot_events which centres' logs grew (the payload is the centre), once
-- its transaction commits: other luot-server instances then read the tail.
-- A trigger, so that whoever appends, nobody can forget to notify.
CREATE FUNCTION luot_notify_appended() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  PERFORM pg_notify('luot_events', grown.centre) FROM (SELECT DISTINCT centre FROM appended) AS grown;
  RETURN NULL;
END
$body$;
CREATE TRIGGER events_notify_appended AFTER INSERT ON events
  REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION luot_notify_appended();
)sql"},
    migration{"staff sessions shared by the instances",
              R"sql(
-- A staff sign-in on one instance works on every other; signing out (or a
-- change to the member) deletes the row, which every instance checks.
CREATE TABLE staff_sessions (
  centre text NOT NULL,
  -- SHA-256 of the bearer token, as hex: the table holds no usable token.
  token_hash text NOT NULL,
  username text NOT NULL,
  counter text NOT NULL,
  csrf_token text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (centre, token_hash)
);
CREATE INDEX staff_sessions_by_member ON staff_sessions (centre, username);
)sql"},
};

// "LUOT" in ASCII: the advisory lock a migration holds, so two servers
// starting at once on a new database migrate it one after the other.
constexpr std::int64_t migration_lock = 0x4C554F54;

std::uint32_t version_of(postgres_connection& connection) {
  const auto exists = connection.execute("SELECT to_regclass('schema_version') IS NOT NULL",
                                         "cannot inspect the schema");
  if (exists.value(0, 0) != "t") return 0;
  const auto version = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version",
                                          "cannot read the schema version");
  return static_cast<std::uint32_t>(version.integer(0, 0));
}

void check_not_newer(postgres_connection& connection, std::uint32_t found) {
  const auto known = postgres_schema_version();
  if (found > known) {
    connection.fail("cannot open", "schema version " + std::to_string(found) +
                                       " is newer than this build of Luot understands (" +
                                       std::to_string(known) +
                                       "); run a newer luot-server or restore a matching backup");
  }
}

}  // namespace

std::uint32_t postgres_schema_version() {
  return static_cast<std::uint32_t>(migrations.size());
}

void migrate_postgres(postgres_connection& connection, std::uint32_t version) {
  if (version > postgres_schema_version()) {
    connection.fail("cannot migrate", "no schema version " + std::to_string(version));
  }
  // Nothing to do is the common case: no lock, no transaction.
  const auto before = version_of(connection);
  check_not_newer(connection, before);
  if (before >= version) return;

  postgres_transaction transaction(connection, "cannot start the schema migration");
  connection.execute("SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock) + ")",
                     "cannot lock the schema for migration");
  // Decided again under the lock: another server may have migrated meanwhile.
  const auto found = version_of(connection);
  check_not_newer(connection, found);
  if (found == 0) {
    const auto taken = connection.execute(
        "SELECT to_regclass('events') IS NOT NULL OR to_regclass('snapshots') IS NOT NULL",
        "cannot inspect the schema");
    if (taken.value(0, 0) == "t") {
      connection.fail("cannot open",
                      "the database has tables named events or snapshots but is not a Luot event "
                      "log (no schema_version table); give Luot a database of its own");
    }
    connection.execute(R"sql(
CREATE TABLE schema_version (
  version integer PRIMARY KEY,
  description text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))sql",
                       "cannot create the schema_version table");
  }
  for (auto step = found; step < version; ++step) {
    const auto& next = migrations[step];
    const std::string doing = "cannot migrate to schema version " + std::to_string(step + 1) +
                              " (" + std::string(next.description) + ")";
    connection.execute(next.sql, doing);
    connection.execute("INSERT INTO schema_version (version, description) VALUES ($1::integer, $2)",
                       postgres_parameters().integer(step + 1).text(std::string(next.description)),
                       doing);
  }
  transaction.commit("cannot commit the schema migration");
}

void migrate_postgres(const std::string& url, std::uint32_t version) {
  postgres_connection connection(postgres_url(url), "event store");
  migrate_postgres(connection, version);
}

}  // namespace luot::store
