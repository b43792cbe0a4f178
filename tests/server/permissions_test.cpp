// The permission module without sockets: every role against every kind of
// command and every staff route, as tables.
#include "net/permissions.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace luot::testing {
namespace {

constexpr auto ok = v1::ERROR_CODE_UNSPECIFIED;
constexpr auto denied = v1::ERROR_CODE_PERMISSION_DENIED;
constexpr auto unauthenticated = v1::ERROR_CODE_UNAUTHENTICATED;

net::principal make(net::principal_kind kind, std::string name,
                    config::role staff_role = config::role::officer, std::string counter = {},
                    std::vector<std::string> zone = {}) {
  net::principal who;
  who.kind = kind;
  who.name = std::move(name);
  who.staff_role = staff_role;
  who.counter = std::move(counter);
  who.zone = std::move(zone);
  return who;
}

const net::principal anonymous;
const auto display = make(net::principal_kind::display, "hall");
const auto kiosk = make(net::principal_kind::kiosk, "kiosk-1");
const auto rating_1 = make(net::principal_kind::rating, "rate-1", config::role::officer, "", {"1"});
const auto officer_1 = make(net::principal_kind::staff, "lan", config::role::officer, "1");
// Signed in without a counter (e.g. to read reports she may not read).
const auto officer_none = make(net::principal_kind::staff, "minh", config::role::officer, "");
const auto manager = make(net::principal_kind::staff, "hoa", config::role::manager, "");

v1::ErrorCode code(const std::optional<core::error>& refused) {
  return refused ? refused->code : ok;
}

// One command of every kind, aimed at counter 1 where it names a counter.
std::vector<std::pair<std::string, v1::Command>> every_command() {
  std::vector<std::pair<std::string, v1::Command>> commands;
  const auto add = [&](std::string name, auto fill) {
    v1::Command command;
    fill(command);
    commands.emplace_back(std::move(name), std::move(command));
  };
  add("take", [](v1::Command& c) { c.mutable_take_ticket()->set_category("A"); });
  add("call-next", [](v1::Command& c) { c.mutable_call_next()->set_counter("1"); });
  add("call", [](v1::Command& c) { c.mutable_call_ticket()->set_counter("1"); });
  add("recall", [](v1::Command& c) { c.mutable_recall()->set_counter("1"); });
  add("no-show", [](v1::Command& c) { c.mutable_mark_no_show()->set_counter("1"); });
  add("park", [](v1::Command& c) { c.mutable_park()->set_counter("1"); });
  add("resume-parked", [](v1::Command& c) { c.mutable_resume_parked()->set_counter("1"); });
  add("transfer", [](v1::Command& c) { c.mutable_transfer()->set_counter("1"); });
  add("finish", [](v1::Command& c) { c.mutable_finish()->set_counter("1"); });
  add("pause", [](v1::Command& c) { c.mutable_pause_counter()->set_counter("1"); });
  add("resume", [](v1::Command& c) { c.mutable_resume_counter()->set_counter("1"); });
  add("close", [](v1::Command& c) { c.mutable_close_counter()->set_counter("1"); });
  add("open", [](v1::Command& c) { c.mutable_open_counter()->set_counter("1"); });
  add("return-no-show", [](v1::Command& c) { c.mutable_return_no_show()->set_ticket("A001"); });
  add("close-category", [](v1::Command& c) { c.mutable_close_category()->set_category("A"); });
  add("reopen-category", [](v1::Command& c) { c.mutable_reopen_category()->set_category("A"); });
  add("set-staff", [](v1::Command& c) { c.mutable_set_staff()->mutable_record(); });
  add("device-status", [](v1::Command& c) { c.mutable_report_device_status(); });
  add("rate", [](v1::Command& c) { c.mutable_rate_service()->set_counter("1"); });
  add("empty", [](v1::Command&) {});
  return commands;
}

TEST(Permissions, EveryRoleMayIssueOnlyItsCommands) {
  // What each role gets for each command kind; a counter command is
  // allowed only at the officer's own counter (1 here).
  struct expectation {
    std::string role;
    const net::principal* who;
    std::map<std::string, v1::ErrorCode> allowed_or;
    v1::ErrorCode otherwise;
  };
  const std::vector<std::string> counter_commands = {
      "call-next", "call",   "recall", "no-show", "park", "resume-parked",
      "transfer",  "finish", "pause",  "resume",  "close"};
  std::map<std::string, v1::ErrorCode> officer_allowed = {{"take", ok}, {"return-no-show", ok}};
  for (const auto& name : counter_commands) officer_allowed[name] = ok;
  const std::vector<expectation> rows = {
      {"anonymous", &anonymous, {{"take", ok}}, unauthenticated},
      {"display", &display, {{"device-status", ok}}, denied},
      {"kiosk", &kiosk, {{"take", ok}, {"device-status", ok}}, denied},
      {"rating", &rating_1, {{"rate", ok}, {"device-status", ok}}, denied},
      {"officer", &officer_1, officer_allowed, denied},
      {"manager",
       &manager,
       {{"take", ok},
        {"return-no-show", ok},
        {"close-category", ok},
        {"reopen-category", ok},
        {"set-staff", ok}},
       denied},
  };
  for (const auto& row : rows) {
    for (const auto& [name, command] : every_command()) {
      SCOPED_TRACE(row.role + " " + name);
      auto expected = row.otherwise;
      if (const auto found = row.allowed_or.find(name); found != row.allowed_or.end())
        expected = found->second;
      // Nobody opens a counter but by signing in, so nobody may send it.
      if (name == "open") expected = denied;
      // An empty command is a bad request for anyone who may send commands.
      if (name == "empty" && row.who != &display && row.who != &rating_1)
        expected = v1::ERROR_CODE_BAD_REQUEST;
      EXPECT_EQ(code(net::authorize(*row.who, command)), expected);
    }
  }
}

TEST(Permissions, OfficersActOnlyAtTheirOwnCounter) {
  for (const auto& [name, command] : every_command()) {
    const auto counter = net::counter_of(command);
    if (!counter) continue;
    SCOPED_TRACE(name);
    auto elsewhere = command;
    // The same command aimed at counter 2.
    auto* field = elsewhere.GetReflection()->MutableMessage(
        &elsewhere,
        elsewhere.GetDescriptor()->FindFieldByNumber(static_cast<int>(command.action_case())));
    field->GetReflection()->SetString(field, field->GetDescriptor()->FindFieldByName("counter"),
                                      "2");
    EXPECT_EQ(net::counter_of(elsewhere), "2");
    EXPECT_EQ(code(net::authorize(officer_1, elsewhere)), denied);
    EXPECT_EQ(code(net::authorize(officer_none, command)), denied);
    EXPECT_EQ(code(net::authorize(manager, command)), denied);
  }
}

TEST(Permissions, RatingDevicesRateOnlyTheirCounters) {
  v1::Command rate_2;
  rate_2.mutable_rate_service()->set_counter("2");
  EXPECT_EQ(code(net::authorize(rating_1, rate_2)), denied);
  const auto everywhere = make(net::principal_kind::rating, "rate-all");
  EXPECT_EQ(code(net::authorize(everywhere, rate_2)), ok);
}

TEST(Permissions, StaffRoutesByRole) {
  struct row {
    std::string what;
    net::access access;
    std::string counter;
    std::vector<std::pair<const net::principal*, v1::ErrorCode>> expected;
  };
  const std::vector<row> rows = {
      {"snapshot",
       net::access::staff_snapshot,
       "",
       {{&anonymous, unauthenticated},
        {&display, denied},
        {&kiosk, denied},
        {&rating_1, denied},
        {&officer_1, ok},
        {&manager, ok}}},
      {"queue of 1",
       net::access::counter_queue,
       "1",
       {{&anonymous, unauthenticated},
        {&display, denied},
        {&kiosk, denied},
        {&rating_1, denied},
        {&officer_1, ok},
        {&officer_none, denied},
        {&manager, ok}}},
      {"queue of 2", net::access::counter_queue, "2", {{&officer_1, denied}, {&manager, ok}}},
      {"rating prompt of 1",
       net::access::rating_prompt,
       "1",
       {{&anonymous, unauthenticated},
        {&display, denied},
        {&kiosk, denied},
        {&rating_1, ok},
        {&officer_1, ok}}},
      {"rating prompt of 2", net::access::rating_prompt, "2", {{&rating_1, denied}}},
      {"manager pages",
       net::access::manager_pages,
       "",
       {{&anonymous, unauthenticated},
        {&display, denied},
        {&kiosk, denied},
        {&rating_1, denied},
        {&officer_1, denied},
        {&manager, ok}}},
      {"sign out",
       net::access::sign_out,
       "",
       {{&anonymous, unauthenticated}, {&kiosk, denied}, {&officer_1, ok}, {&manager, ok}}},
  };
  for (const auto& entry : rows) {
    for (const auto& [who, expected] : entry.expected) {
      SCOPED_TRACE(entry.what + " by " + who->role_name());
      EXPECT_EQ(code(net::authorize(*who, entry.access, entry.counter)), expected);
    }
  }
}

TEST(Permissions, SignInOnlyToAssignedCounters) {
  config::staff_member lan{"lan", "Lan", "", config::role::officer, {"1", "3"}};
  config::staff_member anywhere{"hoa", "Hoa", "", config::role::manager, {}};
  EXPECT_EQ(code(net::authorize_sign_in(lan, "1")), ok);
  EXPECT_EQ(code(net::authorize_sign_in(lan, "")), ok);
  EXPECT_EQ(code(net::authorize_sign_in(lan, "2")), denied);
  EXPECT_EQ(code(net::authorize_sign_in(anywhere, "2")), ok);
}

TEST(Permissions, ACounterTakenOverRefusesThePreviousOfficer) {
  v1::Counter counter;
  counter.set_id("1");
  counter.set_state(v1::COUNTER_STATE_OPEN);
  counter.set_officer("minh");
  v1::Command call;
  call.mutable_call_next()->set_counter("1");
  EXPECT_EQ(code(net::authorize_staffing(call, "lan", &counter)), denied);
  EXPECT_EQ(code(net::authorize_staffing(call, "minh", &counter)), ok);
  // Signing in is how one takes a counter over; a closed or unknown counter
  // is the engine's to refuse; commands that name no counter pass.
  v1::Command open;
  open.mutable_open_counter()->set_counter("1");
  EXPECT_EQ(code(net::authorize_staffing(open, "lan", &counter)), ok);
  EXPECT_EQ(code(net::authorize_staffing(call, "lan", nullptr)), ok);
  counter.set_state(v1::COUNTER_STATE_CLOSED);
  EXPECT_EQ(code(net::authorize_staffing(call, "lan", &counter)), ok);
  v1::Command take;
  take.mutable_take_ticket()->set_category("A");
  EXPECT_EQ(code(net::authorize_staffing(take, "lan", nullptr)), ok);
}

}  // namespace
}  // namespace luot::testing
