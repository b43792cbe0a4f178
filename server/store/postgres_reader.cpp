#include <string>

#include "store/postgres_store.hpp"

namespace luot::store {

namespace {

// Events fetched per round trip.
constexpr int page_size = 1000;

// The log read for reports through a PostgreSQL connection of its own, in
// one read-only snapshot: a long read never holds up the writer, and it
// sees the log as it was when the read began.
class postgres_reader final : public log_reader {
 public:
  postgres_reader(const std::string& url, std::string centre)
      : connection_(postgres_url(url), "event log"), centre_(std::move(centre)) {}

  void read_days(const std::string& from_day, const std::string& to_day,
                 const std::function<void(const v1::Event&)>& visit) override {
    connection_.ensure_connected();
    const std::string doing = "cannot read the days " + from_day + " to " + to_day;
    postgres_transaction transaction(connection_, doing,
                                     "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    connection_.execute(
        "DECLARE report NO SCROLL CURSOR FOR SELECT seq, body FROM events "
        "WHERE centre = $1 AND service_day BETWEEN $2 AND $3 ORDER BY seq",
        postgres_parameters().text(centre_).text(from_day).text(to_day), doing);
    const std::string fetch = "FETCH " + std::to_string(page_size) + " FROM report";
    v1::Event event;
    for (;;) {
      // Rows of a cursor come in the format the FETCH asks for.
      const auto page =
          connection_.execute(fetch, postgres_parameters(), doing, result_format::binary);
      for (int row = 0; row < page.rows(); ++row) {
        const auto seq = static_cast<std::uint64_t>(page.integer(row, 0));
        const auto body = page.value(row, 1);
        if (!event.ParseFromArray(body.data(), static_cast<int>(body.size())) ||
            event.seq() != seq) {
          connection_.fail(doing, "the body of event seq " + std::to_string(seq) + " is corrupt");
        }
        visit(event);
      }
      if (page.rows() < page_size) break;
    }
    transaction.commit(doing);
  }

 private:
  postgres_connection connection_;
  // The centre whose log this reads ('' for a one-centre deployment).
  std::string centre_;
};

}  // namespace

std::unique_ptr<log_reader> open_postgres_reader(const std::string& url,
                                                 const std::string& centre) {
  return std::make_unique<postgres_reader>(url, centre);
}

}  // namespace luot::store
