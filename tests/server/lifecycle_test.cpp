// What the server does over time and when its log fails: the day closes at
// the reset time without traffic; a failed commit stops everything.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/event_store.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

// The SQLite store, failing every append once told to (a full disk).
class failing_store final : public store::event_store {
 public:
  failing_store(std::unique_ptr<store::event_store> inner, std::shared_ptr<std::atomic<bool>> fail)
      : inner_(std::move(inner)), fail_(std::move(fail)) {}
  void append(std::span<const v1::Event> events) override {
    if (*fail_) throw store::store_error("disk full (injected)");
    inner_->append(events);
  }
  std::uint64_t last_seq() override { return inner_->last_seq(); }
  void read_after(std::uint64_t after_seq,
                  const std::function<void(const v1::Event&)>& visit) override {
    inner_->read_after(after_seq, visit);
  }
  using event_store::save_snapshot;
  void save_snapshot(const store::encoded_snapshot& snapshot) override {
    inner_->save_snapshot(snapshot);
  }
  std::optional<v1::Snapshot> latest_snapshot() override { return inner_->latest_snapshot(); }
  bool ready() override { return !*fail_ && inner_->ready(); }

 private:
  std::unique_ptr<store::event_store> inner_;
  std::shared_ptr<std::atomic<bool>> fail_;
};

TEST(Lifecycle, AFailedCommitRefusesEverythingAfterwards) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  auto fail = std::make_shared<std::atomic<bool>>(false);
  app::server_options options;
  options.open_store = [path = settings.server.database, fail] {
    return std::make_unique<failing_store>(store::open_sqlite_store(path), fail);
  };
  running_server server(settings, options);
  take_ticket(server.port(), "A");
  protocol_probe watcher(server.port(), "luot.v1.proto");
  v1::ClientMessage subscribe;
  subscribe.mutable_subscribe()->set_after_seq(1);
  watcher.send(subscribe);
  const auto before = snapshot(server.port());

  *fail = true;
  const auto refused = http_call(server.port(), "POST", "/api/v1/tickets", R"({"category":"A"})");
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_EQ(parse<v1::Error>(refused.body).code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_EQ(http_call(server.port(), "GET", "/readyz").status, 503u);
  EXPECT_EQ(http_call(server.port(), "GET", "/healthz").status, 200u);

  // Even with the disk back, nothing more is accepted until a restart:
  // the working state holds an event the log never got.
  *fail = false;
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/tickets", R"({"category":"B"})").status,
            503u);
  // Nobody was told of the lost event.
  EXPECT_EQ(snapshot(server.port()).seq(), before.seq());
  v1::ClientMessage ping;
  ping.set_request_id(5);
  ping.mutable_ping();
  watcher.send(ping);
  // The resume (at the head: nothing missed) was answered before.
  EXPECT_EQ(watcher.receive().subscribed().seq(), 1u);
  EXPECT_TRUE(watcher.receive().has_pong());

  server.restart();
  EXPECT_EQ(http_call(server.port(), "GET", "/readyz").status, 200u);
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A002");
}

TEST(Lifecycle, TheDayClosesAtTheResetTimeWithoutTraffic) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // 23:59 in Hà Nội (UTC+7) on 2026-11-23; the day resets at midnight.
  auto clock = std::make_shared<std::atomic<std::int64_t>>(1795453140000);
  app::server_options options;
  options.clock = [clock] { return core::timestamp(std::chrono::milliseconds(clock->load())); };
  options.roll_over_interval = std::chrono::milliseconds(20);
  running_server server(settings, options);

  take_ticket(server.port(), "A");
  take_ticket(server.port(), "A");
  protocol_probe watcher(server.port(), "luot.v1.json");
  v1::ClientMessage subscribe;
  subscribe.mutable_subscribe()->set_after_seq(2);
  watcher.send(subscribe);
  EXPECT_EQ(snapshot(server.port()).service_day(), "2026-11-23");

  clock->fetch_add(2 * 60 * 1000);  // 00:01 the next day.
  const auto closed = watcher.next_update();
  EXPECT_TRUE(closed.day_closed()) << closed.DebugString();
  EXPECT_EQ(closed.cause(), "day_closed");
  EXPECT_EQ(closed.seq(), 3u);
  EXPECT_EQ(closed.service_day(), "2026-11-24");
  ASSERT_EQ(closed.categories_size(), 1);
  EXPECT_EQ(closed.categories(0).code(), "A");
  EXPECT_EQ(closed.categories(0).waiting_regular(), 0u);
  EXPECT_EQ(closed.categories(0).next_number(), "A001");

  const auto state = snapshot(server.port());
  EXPECT_EQ(state.service_day(), "2026-11-24");
  EXPECT_EQ(find_category(state, "A")->waiting_regular(), 0u);
  // Numbering starts again.
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A001");
}

TEST(Lifecycle, ASnapshotOfDurableStateIsTakenEveryThousandEvents) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  {
    running_server server(settings);
    take_many(server.port(), 1100);
  }
  {
    // Taken off the command path, from committed events only.
    const auto store = store::open_sqlite_store(settings.server.database);
    const auto latest = store->latest_snapshot();
    ASSERT_TRUE(latest.has_value());
    EXPECT_GE(latest->seq(), 1000u);
    EXPECT_LE(latest->seq(), store->last_seq());
    EXPECT_EQ(store->last_seq(), 1100u);
  }
  // A restart loads it and replays the tail: numbering goes on.
  running_server again(settings);
  EXPECT_EQ(take_ticket(again.port(), "A").number(), "A551");
  EXPECT_EQ(public_view(again.port()).seq(), 1101u);
}

TEST(Lifecycle, StopEndsByItselfWhileTheTimersKeepFiring) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  app::server_options options;
  // Timers that are due all the time: a wait that completed just before
  // stop() cancelled it must not arm the timer again.
  options.roll_over_interval = std::chrono::milliseconds(0);
  options.view_refresh_interval = std::chrono::milliseconds(0);
  for (int round = 0; round < 5; ++round) {
    app::server server(settings, options);
    server.start();
    take_ticket(server.port(), "A");
    EXPECT_TRUE(server.stop()) << "round " << round << ": stop() had to cut what was running";
  }
}

}  // namespace
}  // namespace luot::testing
