// The checker itself, on fabricated histories: a clean one passes, and each
// kind of broken promise is reported, so the crash test cannot pass because
// the checker looks away.
#include "checker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace luot::history {
namespace {

constexpr const char* day = "2026-11-23";

v1::Event issued(std::uint64_t seq, const std::string& id, const std::string& number,
                 const std::string& key) {
  v1::Event event;
  event.set_seq(seq);
  event.set_service_day(day);
  auto& ticket = *event.mutable_ticket_issued()->mutable_ticket();
  ticket.set_id(id);
  ticket.set_number(number);
  ticket.set_category("A");
  ticket.set_client_key(key);
  return event;
}

v1::Event called(std::uint64_t seq, const std::string& id) {
  v1::Event event;
  event.set_seq(seq);
  event.set_service_day(day);
  event.mutable_ticket_called()->set_ticket_id(id);
  event.mutable_ticket_called()->set_counter("1");
  return event;
}

operation take(std::uint64_t id, const std::string& key, outcome result,
               const std::string& ticket = {}, const std::string& number = {}) {
  operation op;
  op.id = id;
  op.client = "kiosk-1 (http)";
  op.what = action::take_ticket;
  op.category = "A";
  op.client_key = key;
  op.result = result;
  op.ticket_id = ticket;
  op.number = number;
  op.issued_now = result == outcome::ok;
  return op;
}

operation at_counter(std::uint64_t id, action what, outcome result, const std::string& ticket = {},
                     std::vector<std::uint64_t> seqs = {}) {
  operation op;
  op.id = id;
  op.client = "counter 1";
  op.what = what;
  op.counter = "1";
  op.result = result;
  op.ticket_id = ticket;
  op.seqs = std::move(seqs);
  return op;
}

// A run that kept every promise: T1 acknowledged, T2's answer lost (it was
// issued), the officer signed in and called T1; one screen saw it all.
struct fabricated {
  std::vector<operation> operations;
  server_state server;
  std::vector<mirror_trace> mirrors;

  fabricated() {
    operations = {take(1, "k1", outcome::ok, "T1", "A00001"), take(2, "k2", outcome::unknown),
                  at_counter(3, action::sign_in, outcome::ok),
                  at_counter(4, action::call_next, outcome::ok, "T1", {4})};
    v1::Event opened;
    opened.set_seq(3);
    opened.set_service_day(day);
    opened.mutable_counter_opened()->set_counter("1");
    // A server may store a key scoped to its issuer.
    server.log = {issued(1, "T1", "A00001", "kiosk-1\nk1"), issued(2, "T2", "A00002", "k2"), opened,
                  called(4, "T1")};
    set_seq(4);
    for (const auto& event : server.log)
      if (event.has_ticket_issued())
        *server.snapshot.add_tickets() = event.ticket_issued().ticket();
    server.snapshot.set_service_day(day);
    auto& category = *server.snapshot.add_categories();
    category.set_code("A");
    category.set_issued_today(2);
    auto& counter = *server.view.add_counters();
    counter.set_id("1");
    counter.set_current_number("A00001");
    mirror_trace screen;
    screen.subscriber = "display-1";
    screen.steps = {
        {1, true, true, 0}, {2, false, true, 0}, {3, false, true, 0}, {4, false, true, 0}};
    screen.final_view = server.view;
    screen.final_view->mutable_at()->set_seconds(12345);  // the moment may differ
    mirrors = {screen};
  }

  void set_seq(std::uint64_t seq) {
    server.snapshot.set_seq(seq);
    server.view.set_seq(seq);
  }
  void add_snapshot_ticket(const std::string& id, const std::string& number) {
    auto& ticket = *server.snapshot.add_tickets();
    ticket.set_id(id);
    ticket.set_number(number);
    ticket.set_category("A");
    server.snapshot.mutable_categories(0)->set_issued_today(
        server.snapshot.categories(0).issued_today() + 1);
  }
  // Appends `event` to the log; the view, snapshot and mirror follow it.
  void append(v1::Event event) {
    server.log.push_back(std::move(event));
    const auto seq = server.log.back().seq();
    set_seq(seq);
    mirrors[0].steps.push_back({seq, false, true, 0});
    mirrors[0].final_view->set_seq(seq);
  }
};

bool reports(const std::vector<violation>& found, violation_kind kind) {
  return std::any_of(found.begin(), found.end(),
                     [&](const violation& each) { return each.kind == kind; });
}

std::string listed(const std::vector<violation>& found) {
  std::string text;
  for (const auto& each : found)
    text += std::string(to_string(each.kind)) + ": " + each.what + "\n";
  return text;
}

TEST(HistoryChecker, PassesAHistoryThatKeptEveryPromise) {
  const fabricated run;
  const auto found = check(run.operations, run.server, run.mirrors);
  EXPECT_TRUE(found.empty()) << listed(found);
}

TEST(HistoryChecker, ReportsEachBrokenPromise) {
  struct broken {
    const char* what;
    std::function<void(fabricated&)> spoil;
    violation_kind expected;
  };
  const broken cases[] = {
      {"a number issued twice in a category",
       [](fabricated& run) {
         run.append(issued(5, "T3", "A00001", "k3"));
         run.operations.push_back(take(5, "k3", outcome::ok, "T3", "A00001"));
         run.add_snapshot_ticket("T3", "A00001");
       },
       violation_kind::duplicate_number},
      {"an acknowledged ticket lost",
       [](fabricated& run) {
         run.operations.push_back(take(5, "k3", outcome::ok, "T3", "A00003"));
       },
       violation_kind::lost_ticket},
      {"an acknowledged ticket in the log but gone from the snapshot",
       [](fabricated& run) {
         run.server.snapshot.mutable_tickets()->RemoveLast();
         run.server.snapshot.mutable_tickets()->RemoveLast();
       },
       violation_kind::lost_ticket},
      {"a retried key that gave a second ticket",
       [](fabricated& run) {
         run.append(issued(5, "T3", "A00003", "k2"));
         run.operations.push_back(take(5, "k2", outcome::ok, "T3", "A00003"));
         run.add_snapshot_ticket("T3", "A00003");
       },
       violation_kind::applied_twice},
      {"a refused take-ticket that happened",
       [](fabricated& run) { run.operations[1].result = outcome::failed; },
       violation_kind::refused_but_applied},
      {"an acknowledged call missing from the log",
       [](fabricated& run) {
         run.operations.push_back(at_counter(5, action::finish, outcome::ok, "T1", {5}));
       },
       violation_kind::lost_action},
      {"an unknown call that happened twice",
       [](fabricated& run) {
         run.operations.push_back(at_counter(5, action::call_next, outcome::unknown));
         run.append(called(5, "T2"));
         run.append(called(6, "T2"));
       },
       violation_kind::unexplained_event},
      {"an acknowledged call that the log has for another ticket",
       [](fabricated& run) { run.server.log[3] = called(4, "T2"); }, violation_kind::lost_action},
      {"a mirror that skipped an update",
       [](fabricated& run) { run.mirrors[0].steps.erase(run.mirrors[0].steps.begin() + 2); },
       violation_kind::mirror_gap},
      {"a mirror given an update twice",
       [](fabricated& run) {
         run.mirrors[0].steps.insert(run.mirrors[0].steps.begin() + 2, {2, false, false, 0});
       },
       violation_kind::mirror_repeat},
      {"a mirror replaced by an older view",
       [](fabricated& run) {
         run.mirrors[0].steps.push_back({2, true, true, 1});
       },
       violation_kind::mirror_regressed},
      {"a mirror that ended elsewhere",
       [](fabricated& run) {
         run.mirrors[0].final_view->mutable_counters(0)->set_current_number("A00002");
       },
       violation_kind::mirror_diverged},
      {"a mirror that stopped short",
       [](fabricated& run) { run.mirrors[0].final_view->set_seq(3); },
       violation_kind::mirror_diverged},
      {"a snapshot that disagrees with the log",
       [](fabricated& run) { run.server.snapshot.mutable_categories(0)->set_issued_today(3); },
       violation_kind::inconsistent_state},
  };
  for (const auto& each : cases) {
    SCOPED_TRACE(each.what);
    fabricated run;
    each.spoil(run);
    const auto found = check(run.operations, run.server, run.mirrors);
    EXPECT_TRUE(reports(found, each.expected))
        << "expected " << to_string(each.expected) << "; found:\n"
        << listed(found);
  }
}

}  // namespace
}  // namespace luot::history
