#include "officer.hpp"

#include <google/protobuf/util/json_util.h>

#include "../server/support.hpp"
#include "centre.hpp"
#include "http_client.hpp"

namespace luot::history {

namespace {

using namespace std::chrono_literals;

constexpr auto after_failure = 20ms;

std::string error_of(const http_answer& answer) {
  v1::Error error;
  if (google::protobuf::util::JsonStringToMessage(answer.body, &error).ok())
    return "HTTP " + std::to_string(answer.status) + " " + v1::ErrorCode_Name(error.code());
  return "HTTP " + std::to_string(answer.status) + ": " + answer.body;
}

}  // namespace

officer::officer(std::string counter, std::uint16_t port, recorder& history, std::uint64_t seed)
    : counter_(std::move(counter)),
      name_("counter " + counter_),
      port_(port),
      history_(history),
      random_(seed) {}

officer::~officer() {
  stop();
}

void officer::start() {
  thread_ = std::thread([this] { run(); });
}

void officer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void officer::run() {
  std::uniform_int_distribution<int> percent(0, 99);
  while (!stopping_) {
    if (token_.empty()) {
      sign_in();
      continue;
    }
    if (!current_known_) {
      if (!look()) pause(after_failure);
      continue;
    }
    if (current_.empty()) {
      act(action::call_next);
      continue;
    }
    const int roll = percent(random_);
    act(roll < 55   ? action::finish
        : roll < 70 ? action::recall
        : roll < 90 ? action::transfer
                    : action::no_show);
  }
}

void officer::sign_in() {
  operation op;
  op.client = name_;
  op.what = action::sign_in;
  op.counter = counter_;
  const auto id = history_.invoke(op);
  const auto answer =
      http_exchange(port_, "POST", "/api/v1/sessions",
                    R"({"username":")" + officer_at(counter_) + R"(","password":")" +
                        testing::officer_password + R"(","counter":")" + counter_ + "\"}");
  current_known_ = false;
  if (answer.how == delivery::refused) {
    history_.not_delivered(id, answer.error);
  } else if (answer.how == delivery::lost) {
    history_.lose(id, answer.error);
  } else if (answer.status != 201) {
    history_.fail(id, error_of(answer));
  } else {
    v1::SessionInfo session;
    if (google::protobuf::util::JsonStringToMessage(answer.body, &session).ok() &&
        !session.token().empty()) {
      token_ = session.token();
      history_.succeed(id, "", "", false, {});
      return;
    }
    history_.lose(id, "not a session: " + answer.body);
  }
  pause(after_failure);
}

bool officer::look() {
  const auto answer =
      http_exchange(port_, "GET", "/api/v1/counters/" + counter_ + "/queue?limit=1", {}, token_);
  if (answer.how != delivery::answered) return false;
  if (answer.status == 401) {
    // The server restarted: sessions live in its memory.
    token_.clear();
    return false;
  }
  v1::CounterQueue queue;
  if (answer.status != 200 ||
      !google::protobuf::util::JsonStringToMessage(answer.body, &queue).ok())
    return false;
  current_ = queue.current().id();
  current_known_ = true;
  return true;
}

void officer::act(action what) {
  operation op;
  op.client = name_;
  op.what = what;
  op.counter = counter_;
  const auto id = history_.invoke(op);
  const auto answer = http_exchange(
      port_, "POST", "/api/v1/counters/" + counter_ + "/" + path_of(what), body_of(what), token_);
  switch (answer.how) {
    case delivery::refused:
      history_.not_delivered(id, answer.error);
      pause(after_failure);
      return;
    case delivery::lost:
      history_.lose(id, answer.error);
      current_known_ = false;
      pause(after_failure);
      return;
    case delivery::answered:
      break;
  }
  if (answer.status != 200) {
    history_.fail(id, error_of(answer));
    current_known_ = false;
    if (answer.status == 401) token_.clear();
    // Mostly "nothing waiting": give the kiosks a moment.
    pause(after_failure);
    return;
  }
  v1::CommandResult result;
  if (!google::protobuf::util::JsonStringToMessage(answer.body, &result).ok()) {
    history_.lose(id, "not a command result: " + answer.body);
    current_known_ = false;
    return;
  }
  history_.succeed(id, result.ticket().id(), result.ticket().number(), false,
                   {result.seqs().begin(), result.seqs().end()});
  const bool serving = what == action::call_next || what == action::recall;
  current_ = serving ? result.ticket().id() : "";
}

std::string officer::path_of(action what) const {
  switch (what) {
    case action::call_next:
      return "call-next";
    case action::recall:
      return "recall";
    case action::transfer:
      return "transfer";
    case action::finish:
      return "finish";
    case action::no_show:
      return "no-show";
    default:
      return "";
  }
}

std::string officer::body_of(action what) {
  if (what == action::finish) return R"({"outcome":"done"})";
  if (what != action::transfer) return {};
  std::uniform_int_distribution<int> coin(0, 1);
  if (coin(random_) == 0) {
    std::uniform_int_distribution<std::size_t> pick(0, categories().size() - 1);
    return R"({"toCategory":")" + categories()[pick(random_)] + R"(","placement":")" +
           (coin(random_) == 0 ? "PLACEMENT_FIRST" : "PLACEMENT_IN_ORDER") +
           R"(","note":"Chuyển lĩnh vực"})";
  }
  std::uniform_int_distribution<std::size_t> pick(0, counters().size() - 1);
  return R"({"toCounter":")" + counters()[pick(random_)] +
         R"(","placement":"PLACEMENT_FIRST","note":"Chuyển quầy"})";
}

void officer::pause(std::chrono::milliseconds longest) {
  std::uniform_int_distribution<long> pick(0, longest.count());
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random_)));
}

}  // namespace luot::history
