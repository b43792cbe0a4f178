#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace luot::store {

// A PostgreSQL URL as the operator wrote it (postgresql://user:password@host/
// database?...), and the same URL with its password hidden. Only libpq ever
// sees the real one; every message and log line uses the redacted form.
class postgres_url {
 public:
  explicit postgres_url(std::string url);

  // The URL with every password replaced by ***.
  const std::string& redacted() const { return redacted_; }
  // Replaces every trace of the password in `text` (libpq repeats parts of
  // a malformed URL in its messages, the password among them).
  std::string scrub(std::string text) const;

 private:
  friend class postgres_connection;

  std::string url_;
  std::string redacted_;
  // The password as written (percent-encoded) and decoded.
  std::vector<std::string> secrets_;
};

// How a query asks for its result columns: text, or binary (bytea without
// escaping, integers in network byte order).
enum class result_format { text, binary };

// The parameters of one statement, in order ($1, $2, ...). Text values are
// sent as text and cast by the statement; bytes are sent binary (bytea).
class postgres_parameters {
 public:
  postgres_parameters& text(std::string value);
  postgres_parameters& integer(std::int64_t value);
  postgres_parameters& bytes(std::string value);
  std::size_t size() const { return values_.size(); }

 private:
  friend class postgres_connection;
  std::vector<std::string> values_;
  std::vector<int> formats_;
};

// The result of one statement, cleared on destruction.
class postgres_result {
 public:
  postgres_result() = default;
  explicit postgres_result(pg_result* handle) : handle_(handle) {}
  ~postgres_result();
  postgres_result(postgres_result&& other) noexcept;
  postgres_result& operator=(postgres_result&& other) noexcept;
  postgres_result(const postgres_result&) = delete;
  postgres_result& operator=(const postgres_result&) = delete;

  bool succeeded() const;
  // The SQLSTATE of a failed statement ("23505" for a unique violation).
  std::string sqlstate() const;
  int rows() const;
  // "INSERT 0 3", "COMMIT", ...: what the statement says it did.
  std::string_view command_tag() const;
  // Rows an INSERT, UPDATE or DELETE touched.
  std::uint64_t affected_rows() const;
  bool is_null(int row, int column) const;
  // The value as sent: text, or raw bytes for a binary result.
  std::string_view value(int row, int column) const;
  // An integer column, from a text or a binary (int2/int4/int8) result.
  std::int64_t integer(int row, int column) const;

 private:
  friend class postgres_connection;
  pg_result* handle_ = nullptr;
};

// One libpq connection, closed on destruction. Every session it opens
// commits durably: a database or role configured with synchronous_commit =
// off is overridden, since Luot acknowledges an event only once it would
// survive a crash. Not thread-safe: its owner serializes calls.
class postgres_connection {
 public:
  // Connects to `url`. `subject` starts every error message ("event store",
  // "event log"), followed by the redacted URL, what was being done and
  // PostgreSQL's reason. Throws store_error when it cannot connect.
  postgres_connection(postgres_url url, std::string subject);
  ~postgres_connection();
  postgres_connection(const postgres_connection&) = delete;
  postgres_connection& operator=(const postgres_connection&) = delete;

  // Runs one statement with parameters and returns its result; throws
  // store_error naming `doing` when it fails.
  postgres_result execute(const std::string& sql, const postgres_parameters& parameters,
                          const std::string& doing, result_format format = result_format::text);
  // Runs SQL without parameters (it may hold several statements).
  postgres_result execute(const std::string& sql, const std::string& doing);
  // Like execute, but a failed statement comes back as a result, for
  // callers that handle a particular SQLSTATE; only a lost connection throws.
  postgres_result attempt(const std::string& sql, const postgres_parameters& parameters,
                          const std::string& doing, result_format format = result_format::text);

  // Reconnects if the connection is known to be broken (the server
  // restarted, a network cut). Throws store_error when that fails.
  void ensure_connected();
  // Drops the connection and opens a new one; false when that fails.
  bool reconnect();
  bool connected() const;

  // For a session that LISTENs: the socket to wait on (-1 when there is no
  // connection), and the payloads of the notifications that arrived. False
  // when reading from the socket showed the connection broken.
  int socket() const;
  bool take_notifications(std::vector<std::string>& payloads);

  // PostgreSQL's message for a failed result (or the connection's last
  // error), without the password.
  std::string reason(const postgres_result& result) const;
  std::string reason() const;
  // "<subject> '<redacted URL>': <doing>: <reason>", the text of every
  // store_error this connection throws.
  std::string message(const std::string& doing, const std::string& reason) const;
  [[noreturn]] void fail(const std::string& doing, const std::string& reason) const;

  const postgres_url& url() const { return url_; }

 private:
  struct connection_closer {
    void operator()(pg_conn* connection) const;
  };

  void connect();
  void configure();
  postgres_result run(const std::string& sql, const postgres_parameters& parameters,
                      result_format format);

  postgres_url url_;
  std::string subject_;
  std::unique_ptr<pg_conn, connection_closer> connection_;
};

// One transaction: BEGIN on construction, ROLLBACK on destruction unless
// committed. A failed COMMIT (or anything before it) leaves nothing behind.
class postgres_transaction {
 public:
  postgres_transaction(postgres_connection& connection, const std::string& doing,
                       const std::string& begin = "BEGIN");
  ~postgres_transaction();
  postgres_transaction(const postgres_transaction&) = delete;
  postgres_transaction& operator=(const postgres_transaction&) = delete;

  void commit(const std::string& doing);

 private:
  postgres_connection& connection_;
  bool open_ = true;
};

}  // namespace luot::store
