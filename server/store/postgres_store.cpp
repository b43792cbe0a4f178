#include "store/postgres_store.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace luot::store {

namespace {

// Events inserted by one statement: six parameters each stays well under
// the protocol's 65535. A larger batch is several statements in one
// transaction.
constexpr std::size_t events_per_statement = 1000;

// Events fetched per round trip when reading the log.
constexpr int page_size = 1000;

// Snapshots are a cache over the log, not history: a few recent ones are
// enough to survive one that turns out unreadable.
constexpr int snapshots_kept = 4;

constexpr auto largest_seq = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

std::int64_t to_milliseconds(const google::protobuf::Timestamp& moment) {
  return moment.seconds() * 1000 + moment.nanos() / 1'000'000;
}

// The name of the oneof member an event carries ("ticket_issued", ...).
std::string kind_of(const v1::Event& event) {
  if (event.body_case() == v1::Event::BODY_NOT_SET) return "none";
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.body_case());
  return field != nullptr ? field->name() : "unknown";
}

// The INSERT of `count` events, which inserts nothing unless the centre's
// log ends at $2. $1 is the centre; each event brings six parameters.
// The writers' lock of a centre: an advisory lock in the two-key space
// ("LUOT", hash of the centre), apart from the migration's one-key lock.
// Appends hold it shared until they commit; a writer that lost a conflict
// holds it exclusive while it decides again (see exclude_writers).
constexpr std::string_view writers_lock = "1280659284, hashtext($1)";

std::string insert_statement(std::size_t count) {
  // The lock is taken by the statement (when the log still ends at $2), so
  // an append waits while another writer excludes; its snapshot is older
  // than the wait, but the primary key still refuses a seq taken meanwhile.
  std::string sql =
      "WITH writer AS (SELECT pg_advisory_xact_lock_shared(" + std::string(writers_lock) +
      ")) "
      "INSERT INTO events (centre, seq, service_day, at, kind, actor, body) "
      "SELECT $1, v.seq, v.service_day, to_timestamp(v.at_ms / 1000.0), v.kind, v.actor, v.body "
      "FROM writer, (VALUES ";
  for (std::size_t index = 0; index < count; ++index) {
    const auto first = 3 + index * 6;
    auto parameter = [&](std::size_t offset) { return "$" + std::to_string(first + offset); };
    sql += (index == 0 ? "(" : ", (") + parameter(0) + "::bigint, " + parameter(1) + "::text, " +
           parameter(2) + "::bigint, " + parameter(3) + "::text, " + parameter(4) + "::text, " +
           parameter(5) + "::bytea)";
  }
  sql +=
      ") AS v (seq, service_day, at_ms, kind, actor, body) "
      "WHERE (SELECT coalesce(max(seq), 0) FROM events WHERE centre = $1) = $2::bigint";
  return sql;
}

}  // namespace

postgres_store::postgres_store(const std::string& url, std::string centre)
    : connection_(postgres_url(url), "event store"), centre_(std::move(centre)) {
  migrate_postgres(connection_, postgres_schema_version());
}

template <typename Work>
auto postgres_store::reconnecting(Work work) {
  connection_.ensure_connected();
  try {
    return work();
  } catch (const store_error&) {
    // A statement's error on a live connection stands; a lost connection
    // (the server restarted, the backend was terminated) gets one more try.
    if (connection_.connected() || !connection_.reconnect()) throw;
    return work();
  }
}

std::uint64_t postgres_store::last_seq_locked() {
  const auto result = connection_.execute(
      "SELECT coalesce(max(seq), 0) FROM events WHERE centre = $1",
      postgres_parameters().text(centre_), "cannot read the last sequence number");
  return static_cast<std::uint64_t>(result.integer(0, 0));
}

std::uint64_t postgres_store::last_seq() {
  const std::lock_guard lock(mutex_);
  return reconnecting([this] { return last_seq_locked(); });
}

void postgres_store::append(std::span<const v1::Event> events) {
  if (events.empty()) return;
  const std::lock_guard lock(mutex_);
  connection_.ensure_connected();

  // What can be refused without asking the database is refused first.
  bool continuous = events.front().seq() != 0 && events.back().seq() <= largest_seq;
  for (std::size_t index = 1; continuous && index < events.size(); ++index) {
    continuous = events[index].seq() == events[index - 1].seq() + 1;
  }
  if (!continuous) refuse(events, last_seq_locked());
  std::vector<std::string> bodies(events.size());
  for (std::size_t index = 0; index < events.size(); ++index) {
    if (!events[index].SerializeToString(&bodies[index])) {
      connection_.fail("refusing to append", "event seq " + std::to_string(events[index].seq()) +
                                                 " cannot be serialized");
    }
  }

  try {
    append_locked(events, bodies);
  } catch (const store_error&) {
    // A refusal, or a statement's error on a live connection, stands.
    if (connection_.connected() || !connection_.reconnect()) throw;
    // The connection broke under the append (the server restarted, a
    // backend was terminated): the commit may or may not have happened.
    // The log says which; if it did not, the append is tried once more.
    if (holds(events, bodies)) return;
    append_locked(events, bodies);
  }
}

void postgres_store::append_locked(std::span<const v1::Event> events,
                                   const std::vector<std::string>& bodies) {
  // One statement commits on its own; more than one share a transaction.
  std::optional<postgres_transaction> transaction;
  if (events.size() > events_per_statement) {
    transaction.emplace(connection_, "cannot begin the append transaction");
  }
  bool inserted = true;
  for (std::size_t first = 0; inserted && first < events.size(); first += events_per_statement) {
    const auto count = std::min(events_per_statement, events.size() - first);
    inserted = insert(events.subspan(first, count),
                      std::span<const std::string>(bodies).subspan(first, count));
  }
  if (inserted && transaction) transaction->commit("cannot commit the append transaction");
  transaction.reset();  // Rolls back what a refused batch inserted.
  if (!inserted) refuse(events, last_seq_locked());
}

bool postgres_store::holds(std::span<const v1::Event> events,
                           const std::vector<std::string>& bodies) {
  const auto found = connection_.execute(
      "SELECT body FROM events WHERE centre = $1 AND seq BETWEEN $2::bigint AND $3::bigint "
      "ORDER BY seq",
      postgres_parameters()
          .text(centre_)
          .integer(static_cast<std::int64_t>(events.front().seq()))
          .integer(static_cast<std::int64_t>(events.back().seq())),
      "cannot check whether events seq " + std::to_string(events.front().seq()) + " to " +
          std::to_string(events.back().seq()) + " were appended",
      result_format::binary);
  if (found.rows() != static_cast<int>(bodies.size())) return false;
  for (int row = 0; row < found.rows(); ++row) {
    if (found.value(row, 0) != bodies[static_cast<std::size_t>(row)]) return false;
  }
  return true;
}

bool postgres_store::insert(std::span<const v1::Event> events,
                            std::span<const std::string> bodies) {
  postgres_parameters parameters;
  parameters.text(centre_).integer(static_cast<std::int64_t>(events.front().seq() - 1));
  for (std::size_t index = 0; index < events.size(); ++index) {
    const v1::Event& event = events[index];
    parameters.integer(static_cast<std::int64_t>(event.seq()))
        .text(event.service_day())
        .integer(to_milliseconds(event.at()))
        .text(kind_of(event))
        .text(event.actor())
        .bytes(bodies[index]);
  }
  const std::string doing = "cannot append events seq " + std::to_string(events.front().seq()) +
                            " to " + std::to_string(events.back().seq());
  const auto result = connection_.attempt(insert_statement(events.size()), parameters, doing);
  // A unique violation: another writer inserted one of these seqs after
  // this statement saw the end of the log.
  constexpr std::string_view unique_violation = "23505";
  if (!result.succeeded() && result.sqlstate() == unique_violation) return false;
  if (!result.succeeded()) connection_.fail(doing, connection_.reason(result));
  return result.affected_rows() == events.size();
}

void postgres_store::refuse(std::span<const v1::Event> events, std::uint64_t last) {
  std::uint64_t expected = last + 1;
  for (const v1::Event& event : events) {
    if (event.seq() != expected) {
      const std::string reason = "event seq " + std::to_string(event.seq()) +
                                 " does not continue the log (expected " +
                                 std::to_string(expected) + ")";
      // A first seq the log already holds: another writer got there first.
      if (&event == &events.front() && event.seq() != 0 && event.seq() < expected) {
        throw seq_conflict(connection_.message("refusing to append", reason), last);
      }
      connection_.fail("refusing to append", reason);
    }
    if (event.seq() > largest_seq) {
      connection_.fail("refusing to append",
                       "event seq " + std::to_string(event.seq()) + " is too large");
    }
    ++expected;
  }
  // The batch continues the log as it is now, yet was refused: the log
  // changed under the append (rows removed from outside Luot).
  connection_.fail("refusing to append", "the log changed while events seq " +
                                             std::to_string(events.front().seq()) +
                                             " onwards were appended; nothing was written");
}

void postgres_store::read_after(std::uint64_t after_seq,
                                const std::function<void(const v1::Event&)>& visit) {
  const std::lock_guard lock(mutex_);
  // A retry goes on after the last event visited.
  auto after = std::min(after_seq, largest_seq);
  v1::Event event;
  reconnecting([&] {
    for (;;) {
      const auto page = connection_.execute(
          "SELECT seq, body FROM events WHERE centre = $1 AND seq > $2::bigint ORDER BY seq "
          "LIMIT " +
              std::to_string(page_size),
          postgres_parameters().text(centre_).integer(static_cast<std::int64_t>(after)),
          "cannot read events after seq " + std::to_string(after_seq), result_format::binary);
      for (int row = 0; row < page.rows(); ++row) {
        const auto seq = static_cast<std::uint64_t>(page.integer(row, 0));
        const auto body = page.value(row, 1);
        if (!event.ParseFromArray(body.data(), static_cast<int>(body.size())) ||
            event.seq() != seq) {
          connection_.fail("cannot read events",
                           "the body of event seq " + std::to_string(seq) + " is corrupt");
        }
        visit(event);
        after = seq;
      }
      if (page.rows() < page_size) return;
    }
  });
}

void postgres_store::save_snapshot(const encoded_snapshot& snapshot) {
  const std::string& body = snapshot.body;
  const std::lock_guard lock(mutex_);
  // Saving the same snapshot twice is harmless, so a lost connection is
  // retried like a read.
  reconnecting([&] {
    postgres_transaction transaction(connection_, "cannot begin the snapshot transaction");
    const std::uint64_t last = last_seq_locked();
    if (snapshot.seq > last) {
      connection_.fail("refusing to save a snapshot", "its seq " + std::to_string(snapshot.seq) +
                                                          " is beyond the log (last seq " +
                                                          std::to_string(last) + ")");
    }
    connection_.execute(
        "INSERT INTO snapshots (centre, seq, taken_at, body) "
        "VALUES ($1, $2::bigint, to_timestamp($3::bigint / 1000.0), $4::bytea) "
        "ON CONFLICT (centre, seq) DO UPDATE SET taken_at = excluded.taken_at, body = "
        "excluded.body",
        postgres_parameters()
            .text(centre_)
            .integer(static_cast<std::int64_t>(snapshot.seq))
            .integer(snapshot.taken_at_ms)
            .bytes(body),
        "cannot save the snapshot at seq " + std::to_string(snapshot.seq));
    connection_.execute(
        "DELETE FROM snapshots WHERE centre = $1 AND seq < (SELECT min(seq) FROM "
        "(SELECT seq FROM snapshots WHERE centre = $1 ORDER BY seq DESC LIMIT $2::integer) AS "
        "kept)",
        postgres_parameters().text(centre_).integer(snapshots_kept), "cannot prune old snapshots");
    transaction.commit("cannot commit the snapshot transaction");
  });
}

std::optional<v1::Snapshot> postgres_store::latest_snapshot() {
  const std::lock_guard lock(mutex_);
  const auto result = reconnecting([this] {
    return connection_.execute(
        "SELECT seq, body FROM snapshots WHERE centre = $1 ORDER BY seq DESC LIMIT 1",
        postgres_parameters().text(centre_), "cannot read the latest snapshot",
        result_format::binary);
  });
  if (result.rows() == 0) return std::nullopt;
  const auto seq = static_cast<std::uint64_t>(result.integer(0, 0));
  const auto body = result.value(0, 1);
  v1::Snapshot snapshot;
  if (!snapshot.ParseFromArray(body.data(), static_cast<int>(body.size())) ||
      snapshot.seq() != seq) {
    connection_.fail("cannot read the latest snapshot",
                     "the snapshot at seq " + std::to_string(seq) + " is corrupt");
  }
  return snapshot;
}

void postgres_store::exclude_writers() {
  const std::lock_guard lock(mutex_);
  // Session level: held across the appends that follow, until admitted (or
  // the session ends, which releases it).
  reconnecting([this] {
    connection_.execute("SELECT pg_advisory_lock(" + std::string(writers_lock) + ")",
                        postgres_parameters().text(centre_), "cannot exclude other writers");
  });
}

void postgres_store::admit_writers() {
  const std::lock_guard lock(mutex_);
  if (!connection_.connected()) return;  // A lost session released it.
  connection_.execute("SELECT pg_advisory_unlock(" + std::string(writers_lock) + ")",
                      postgres_parameters().text(centre_), "cannot admit other writers");
}

bool postgres_store::ready() {
  const std::lock_guard lock(mutex_);
  // A standby (after a failover, say) answers but cannot take writes.
  auto writable = [this] {
    try {
      const auto result = connection_.execute(
          "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'",
          "cannot reach the server");
      return result.value(0, 0) == "t";
    } catch (const store_error&) {
      return false;
    }
  };
  if (connection_.connected() && writable()) return true;
  return connection_.reconnect() && writable();
}

std::string postgres_store::setting(const std::string& name) {
  const std::lock_guard lock(mutex_);
  const auto result = reconnecting([&] {
    return connection_.execute("SELECT current_setting($1)", postgres_parameters().text(name),
                               "cannot read " + name);
  });
  return std::string(result.value(0, 0));
}

std::uint32_t postgres_store::schema_version() {
  const std::lock_guard lock(mutex_);
  const auto result = reconnecting([this] {
    return connection_.execute("SELECT coalesce(max(version), 0) FROM schema_version",
                               "cannot read the schema version");
  });
  return static_cast<std::uint32_t>(result.integer(0, 0));
}

std::unique_ptr<event_store> open_postgres_store(const std::string& url,
                                                 const std::string& centre) {
  return std::make_unique<postgres_store>(url, centre);
}

}  // namespace luot::store
