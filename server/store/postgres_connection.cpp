#include "store/postgres_connection.hpp"

#include <endian.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <utility>

#include "store/event_store.hpp"

namespace luot::store {

namespace {

// What a hidden password is shown as.
constexpr std::string_view hidden = "***";

// Shorter "passwords" would be scrubbed out of ordinary words in messages;
// they protect nothing anyway.
constexpr std::size_t shortest_scrubbed_secret = 3;

int hex_digit(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a malformed escape stays as written.
std::string percent_decoded(std::string_view text) {
  std::string decoded;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '%' && at + 2 < text.size()) {
      const int high = hex_digit(text[at + 1]);
      const int low = hex_digit(text[at + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        at += 2;
        continue;
      }
    }
    decoded.push_back(text[at]);
  }
  return decoded;
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// libpq's messages end with a newline and may span lines.
std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& character : text) {
    if (character == '\n' || character == '\t') character = ' ';
  }
  return text;
}

}  // namespace

// postgres_url ------------------------------------------------------------

postgres_url::postgres_url(std::string url) : url_(std::move(url)), redacted_(url_) {
  const auto scheme_end = redacted_.find("://");
  if (scheme_end == std::string::npos) return;
  const auto authority = scheme_end + 3;
  // The user information ends at the last '@': a password with a stray '/'
  // or '?' in it is still hidden, at worst along with more than it.
  std::size_t rest = authority;
  if (const auto at = redacted_.rfind('@'); at != std::string::npos && at >= authority) {
    const auto colon = redacted_.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      const std::string password = redacted_.substr(colon + 1, at - colon - 1);
      secrets_.push_back(password);
      secrets_.push_back(percent_decoded(password));
      redacted_.replace(colon + 1, at - colon - 1, hidden);
      rest = colon + 1 + hidden.size() + 1;
    } else {
      rest = at + 1;
    }
  }
  // A password may also come as a parameter: ...?password=...
  const auto query = redacted_.find('?', rest);
  if (query == std::string::npos) return;
  for (std::size_t start = query + 1; start < redacted_.size();) {
    auto end = redacted_.find('&', start);
    if (end == std::string::npos) end = redacted_.size();
    const std::string_view parameter(redacted_.data() + start, end - start);
    constexpr std::string_view key = "password=";
    if (parameter.substr(0, key.size()) == key) {
      const std::string password(parameter.substr(key.size()));
      secrets_.push_back(password);
      secrets_.push_back(percent_decoded(password));
      redacted_.replace(start + key.size(), password.size(), hidden);
      end = start + key.size() + hidden.size();
    }
    start = end + 1;
  }
}

std::string postgres_url::scrub(std::string text) const {
  for (const auto& secret : secrets_) {
    if (secret.size() >= shortest_scrubbed_secret) replace_all(text, secret, hidden);
  }
  return text;
}

// postgres_parameters -----------------------------------------------------

postgres_parameters& postgres_parameters::text(std::string value) {
  values_.push_back(std::move(value));
  formats_.push_back(0);
  return *this;
}

postgres_parameters& postgres_parameters::integer(std::int64_t value) {
  return text(std::to_string(value));
}

postgres_parameters& postgres_parameters::bytes(std::string value) {
  values_.push_back(std::move(value));
  formats_.push_back(1);
  return *this;
}

// postgres_result ---------------------------------------------------------

postgres_result::~postgres_result() {
  PQclear(handle_);
}

postgres_result::postgres_result(postgres_result&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}

postgres_result& postgres_result::operator=(postgres_result&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

bool postgres_result::succeeded() const {
  const auto status = PQresultStatus(handle_);
  return handle_ != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK);
}

std::string postgres_result::sqlstate() const {
  const char* state = handle_ != nullptr ? PQresultErrorField(handle_, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

std::string_view postgres_result::command_tag() const {
  return handle_ != nullptr ? PQcmdStatus(handle_) : "";
}

int postgres_result::rows() const {
  return handle_ != nullptr ? PQntuples(handle_) : 0;
}

std::uint64_t postgres_result::affected_rows() const {
  const char* count = handle_ != nullptr ? PQcmdTuples(handle_) : "";
  std::uint64_t value = 0;
  std::from_chars(count, count + std::strlen(count), value);
  return value;
}

bool postgres_result::is_null(int row, int column) const {
  return PQgetisnull(handle_, row, column) != 0;
}

std::string_view postgres_result::value(int row, int column) const {
  return {PQgetvalue(handle_, row, column),
          static_cast<std::size_t>(PQgetlength(handle_, row, column))};
}

std::int64_t postgres_result::integer(int row, int column) const {
  const std::string_view raw = value(row, column);
  if (PQfformat(handle_, column) == 1) {
    switch (raw.size()) {
      case 8: {
        std::uint64_t big_endian = 0;
        std::memcpy(&big_endian, raw.data(), 8);
        return static_cast<std::int64_t>(be64toh(big_endian));
      }
      case 4: {
        std::uint32_t big_endian = 0;
        std::memcpy(&big_endian, raw.data(), 4);
        return static_cast<std::int32_t>(be32toh(big_endian));
      }
      case 2: {
        std::uint16_t big_endian = 0;
        std::memcpy(&big_endian, raw.data(), 2);
        return static_cast<std::int16_t>(be16toh(big_endian));
      }
      default:
        return 0;
    }
  }
  std::int64_t number = 0;
  std::from_chars(raw.data(), raw.data() + raw.size(), number);
  return number;
}

// postgres_connection -----------------------------------------------------

void postgres_connection::connection_closer::operator()(pg_conn* connection) const {
  PQfinish(connection);
}

postgres_connection::postgres_connection(postgres_url url, std::string subject)
    : url_(std::move(url)), subject_(std::move(subject)) {
  connect();
}

postgres_connection::~postgres_connection() = default;

void postgres_connection::connect() {
  // Keywords before dbname are defaults the URL may override: a host that
  // never answers fails the start instead of hanging it, the session shows
  // up as "luot" in pg_stat_activity, and text is exchanged as UTF-8.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                                  "dbname", nullptr};
  const char* const values[] = {"10", "luot", "UTF8", url_.url_.c_str(), nullptr};
  connection_.reset(PQconnectdbParams(keywords, values, 1));
  if (!connection_) fail("cannot connect", "out of memory");
  if (PQstatus(connection_.get()) != CONNECTION_OK) fail("cannot connect", reason());
  configure();
}

void postgres_connection::configure() {
  // COMMIT returns once the commit record is flushed to disk (and to a
  // synchronous standby, if one is configured) unless this is off.
  const auto setting =
      execute("SELECT current_setting('synchronous_commit')", "cannot read synchronous_commit");
  if (setting.rows() == 1 && setting.value(0, 0) == "off") {
    execute("SET synchronous_commit = on", "cannot turn synchronous_commit on");
  }
}

bool postgres_connection::connected() const {
  return connection_ && PQstatus(connection_.get()) == CONNECTION_OK;
}

bool postgres_connection::reconnect() {
  if (!connection_) return false;
  PQreset(connection_.get());
  if (!connected()) return false;
  try {
    configure();
  } catch (const store_error&) {
    return false;
  }
  return true;
}

int postgres_connection::socket() const {
  return connection_ ? PQsocket(connection_.get()) : -1;
}

bool postgres_connection::take_notifications(std::vector<std::string>& payloads) {
  if (!connection_ || PQconsumeInput(connection_.get()) == 0) return false;
  while (PGnotify* notification = PQnotifies(connection_.get())) {
    payloads.emplace_back(notification->extra != nullptr ? notification->extra : "");
    PQfreemem(notification);
  }
  return connected();
}

void postgres_connection::ensure_connected() {
  if (connected()) return;
  if (!reconnect()) fail("cannot reconnect", reason());
}

postgres_result postgres_connection::run(const std::string& sql,
                                         const postgres_parameters& parameters,
                                         result_format format) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(parameters.size());
  lengths.reserve(parameters.size());
  for (const auto& value : parameters.values_) {
    values.push_back(value.c_str());
    lengths.push_back(static_cast<int>(value.size()));
  }
  return postgres_result(PQexecParams(
      connection_.get(), sql.c_str(), static_cast<int>(parameters.size()), nullptr, values.data(),
      lengths.data(), parameters.formats_.data(), format == result_format::binary ? 1 : 0));
}

postgres_result postgres_connection::attempt(const std::string& sql,
                                             const postgres_parameters& parameters,
                                             const std::string& doing, result_format format) {
  auto result = run(sql, parameters, format);
  // No result at all, or a connection that broke under the statement: the
  // failure is the connection's, not the statement's.
  if (!result.succeeded() && (result.sqlstate().empty() || !connected())) {
    fail(doing, reason(result));
  }
  return result;
}

postgres_result postgres_connection::execute(const std::string& sql,
                                             const postgres_parameters& parameters,
                                             const std::string& doing, result_format format) {
  auto result = attempt(sql, parameters, doing, format);
  if (!result.succeeded()) fail(doing, reason(result));
  return result;
}

postgres_result postgres_connection::execute(const std::string& sql, const std::string& doing) {
  postgres_result result(PQexec(connection_.get(), sql.c_str()));
  if (!result.succeeded()) fail(doing, reason(result));
  return result;
}

std::string postgres_connection::reason(const postgres_result& result) const {
  pg_result* handle = result.handle_;
  const char* primary =
      handle != nullptr ? PQresultErrorField(handle, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary == nullptr) return reason();
  std::string text = primary;
  if (const char* detail = PQresultErrorField(handle, PG_DIAG_MESSAGE_DETAIL)) {
    text += std::string(" (") + detail + ")";
  }
  return url_.scrub(one_line(std::move(text)));
}

std::string postgres_connection::reason() const {
  if (!connection_) return "out of memory";
  std::string text = one_line(PQerrorMessage(connection_.get()));
  if (text.empty()) text = "the connection to the server was lost";
  return url_.scrub(std::move(text));
}

std::string postgres_connection::message(const std::string& doing, const std::string& why) const {
  return subject_ + " '" + url_.redacted() + "': " + doing + ": " + url_.scrub(why);
}

void postgres_connection::fail(const std::string& doing, const std::string& why) const {
  throw store_error(message(doing, why));
}

// postgres_transaction ----------------------------------------------------

postgres_transaction::postgres_transaction(postgres_connection& connection,
                                           const std::string& doing, const std::string& begin)
    : connection_(connection) {
  connection_.execute(begin, doing);
}

postgres_transaction::~postgres_transaction() {
  if (!open_ || !connection_.connected()) return;
  try {
    connection_.execute("ROLLBACK", "cannot roll back");
  } catch (const store_error&) {
    // The transaction dies with the session anyway.
  }
}

void postgres_transaction::commit(const std::string& doing) {
  open_ = false;
  const auto result = connection_.execute("COMMIT", doing);
  // COMMIT of a transaction that already failed answers ROLLBACK.
  if (result.command_tag() != "COMMIT") connection_.fail(doing, "the transaction was rolled back");
}

}  // namespace luot::store
